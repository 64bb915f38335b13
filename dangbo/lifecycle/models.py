"""Exemptions, removal proposals, party cards and party badges (DOMAIN.md §2, §11).

Status changes themselves are MemberEvent rows written by ``dangbo.lifecycle.services``; these models
hold what the events do not: the exemption's reason and range, the proposal and its decision, the
card log and the badge register.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

CARD_PATTERN = r"^\d{2}\.\d{6}$"


class Exemption(models.Model):
    """Miễn công tác và sinh hoạt đảng (294; HD 12/2022 IV.1.2)."""

    class Reason(models.TextChoices):
        OLD_AGE = "old_age", _("Old age or poor health")
        TREATMENT = "treatment", _("Long medical treatment")
        ABROAD = "abroad", _("Staying abroad")
        MOBILE_WORK = "mobile_work", _("Mobile work of less than a year")
        MATERNITY = "maternity", _("Maternity leave")
        OTHER = "other", _("Other")

    member = models.ForeignKey("members.Member", related_name="exemptions", on_delete=models.CASCADE)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    note = models.TextField(_("details"), blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    decision_no = models.CharField(_("decision number"), max_length=100)
    # Filled when the exemption is over (on its end date, or earlier by decision).
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    status_before = models.CharField(max_length=20)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, related_name="+", on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("exemption")
        verbose_name_plural = _("exemptions")
        indexes = [models.Index(fields=["ended_on", "ends_on"], name="exemption_open_idx")]

    def __str__(self):
        return f"{self.member} – {self.get_reason_display()}"

    @property
    def is_open(self):
        return self.ended_on is None


class RemovalProposal(models.Model):
    """Đề nghị xóa tên: raised by the cell with its ground, decided by the competent level."""

    class Ground(models.TextChoices):
        MISSED_MEETINGS = "missed_meetings", _("Missed cell meetings without good reason")
        UNPAID_FEES = "unpaid_fees", _("Unpaid party fees without good reason")
        FAILED_REVIEW = "failed_review", _("Consecutive years of not completing tasks")
        CARD = "card", _("Surrendered or destroyed the party card")
        NO_IMPROVEMENT = "no_improvement", _("Lost will, no improvement after education")
        POLITICAL_STANDARDS = "political_standards", _("Does not meet the political standards")
        OTHER = "other", _("Other")

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        REMOVED = "removed", _("Decided: removed from the list")
        REJECTED = "rejected", _("Rejected")

    member = models.ForeignKey("members.Member", related_name="removal_proposals", on_delete=models.CASCADE)
    ground = models.CharField(_("ground"), max_length=24, choices=Ground.choices)
    # Months (meetings, fees) or years (reviews) the ground counts, checked against the rule registry.
    count = models.PositiveSmallIntegerField(_("months or years"), null=True, blank=True)
    evidence = models.TextField(_("evidence"))
    raised_by_unit = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("raised by"), related_name="+", on_delete=models.PROTECT
    )
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, related_name="+", on_delete=models.SET_NULL)
    raised_on = models.DateField(_("raised on"))
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.PROPOSED)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, related_name="+", on_delete=models.SET_NULL)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_no = models.CharField(_("decision number"), max_length=100, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    rule_value = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_on", "-pk"]
        verbose_name = _("removal proposal")
        verbose_name_plural = _("removal proposals")
        indexes = [models.Index(fields=["state", "raised_on"], name="removal_state_idx")]

    def __str__(self):
        return f"{self.member} – {self.get_ground_display()}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("lifecycle:proposal", args=[self.pk])


class CardRecord(models.Model):
    """One physical party card: issued, handed over at the cell meeting, lost, reissued or recovered."""

    member = models.ForeignKey("members.Member", related_name="cards", on_delete=models.CASCADE)
    number = models.CharField(_("card number"), max_length=9, db_index=True)
    decision_no = models.CharField(_("decision number"), max_length=100, blank=True)
    # Empty for a card known only from the imported dossier.
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    handed_over_on = models.DateField(_("handed over on"), null=True, blank=True)
    lost_on = models.DateField(_("lost on"), null=True, blank=True)
    loss_note = models.TextField(_("circumstances of the loss"), blank=True)
    reissue_of = models.OneToOneField(
        "self", verbose_name=_("replaces"), null=True, blank=True, related_name="reissue", on_delete=models.PROTECT
    )
    recovered_on = models.DateField(_("recovered on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, related_name="+", on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "-pk"]
        verbose_name = _("party card")
        verbose_name_plural = _("party cards")
        constraints = [
            models.UniqueConstraint(
                fields=["number"],
                condition=Q(lost_on__isnull=True, recovered_on__isnull=True),
                name="card_number_unique_active",
            )
        ]

    def __str__(self):
        return self.number

    @property
    def is_active(self):
        return self.lost_on is None and self.recovered_on is None


class BadgeFlag(models.Model):
    """What the badge rules need to know about a member beyond the events (DOMAIN.md §11): serious illness
    (early award), a deferral after discipline (until the discipline capability records it), and a manual
    adjustment of party age with its reason."""

    member = models.OneToOneField("members.Member", related_name="badge_flag", on_delete=models.CASCADE)
    seriously_ill = models.BooleanField(_("seriously ill"), default=False)
    deferred_until = models.DateField(_("deferred until"), null=True, blank=True)
    deferral_reason = models.CharField(_("reason for the deferral"), max_length=255, blank=True)
    adjust_months = models.SmallIntegerField(_("party-age adjustment (months)"), default=0)
    adjust_reason = models.CharField(_("reason for the adjustment"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("badge flag")
        verbose_name_plural = _("badge flags")

    def __str__(self):
        return str(self.member)


class BadgeDecision(models.Model):
    """One decision awarding party badges on an occasion; its awards form the badge register."""

    unit = models.ForeignKey("org.OrgUnit", verbose_name=_("unit"), related_name="+", on_delete=models.PROTECT)
    number = models.CharField(_("decision number"), max_length=100)
    signed_on = models.DateField(_("signed on"))
    occasion = models.DateField(_("occasion"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, related_name="+", on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occasion", "-pk"]
        verbose_name = _("badge decision")
        verbose_name_plural = _("badge decisions")

    def __str__(self):
        return self.number


class BadgeAward(models.Model):
    class Early(models.TextChoices):
        NONE = "", _("On time")
        ILLNESS = "illness", _("Early: seriously ill")
        POSTHUMOUS = "posthumous", _("Posthumous")

    member = models.ForeignKey("members.Member", related_name="badges", on_delete=models.CASCADE)
    decision = models.ForeignKey(BadgeDecision, related_name="awards", on_delete=models.PROTECT)
    years = models.PositiveSmallIntegerField(_("milestone (years)"))
    occasion = models.DateField(_("occasion"))
    reached_on = models.DateField(_("milestone reached on"))
    early = models.CharField(_("early award"), max_length=12, choices=Early.choices, blank=True)
    badge_number = models.CharField(_("badge number"), max_length=20, blank=True)

    class Meta:
        ordering = ["-occasion", "member_id"]
        verbose_name = _("party badge award")
        verbose_name_plural = _("party badge awards")
        constraints = [models.UniqueConstraint(fields=["member", "years"], name="badge_once_per_milestone")]
        indexes = [models.Index(fields=["occasion", "years"], name="badge_occasion_idx")]

    def __str__(self):
        return f"{self.member} – {self.years}"
