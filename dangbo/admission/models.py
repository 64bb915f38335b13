"""New-member development (DOMAIN.md §3): candidates of a cell, their dossier, the votes, the admission
decision, the ceremony, probation and recognition, and the yearly admission targets."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangbo.core.text import fold, nfc
from dangbo.members.models import Member


class Candidate(models.Model):
    class Stage(models.TextChoices):
        CANDIDATE = "candidate", _("Candidate")
        DOSSIER_COMPLETE = "dossier_complete", _("Dossier complete")
        CELL_APPROVED = "cell_approved", _("Approved by the cell")
        COMMITTEE_APPROVED = "committee_approved", _("Approved by the grassroots committee")
        DECIDED = "decided", _("Admission decided")
        PROBATION = "probation", _("On probation")
        OFFICIAL = "official", _("Official member")
        REFERRED = "referred", _("Referred to the higher committee")
        WITHDRAWN = "withdrawn", _("No longer a candidate")

    OPEN_STAGES = (
        Stage.CANDIDATE,
        Stage.DOSSIER_COMPLETE,
        Stage.CELL_APPROVED,
        Stage.COMMITTEE_APPROVED,
        Stage.DECIDED,
        Stage.PROBATION,
    )

    cell = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("party cell"), related_name="candidates", on_delete=models.PROTECT
    )
    full_name = models.CharField(_("full name"), max_length=255)
    search_name = models.CharField(max_length=255, editable=False, db_index=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Member.Sex.choices)
    birth_date = models.DateField(_("date of birth"))
    national_id = models.CharField(_("citizen ID number"), max_length=12, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=50, blank=True, default="Kinh")
    religion = models.CharField(_("religion"), max_length=50, blank=True)
    hometown = models.CharField(_("hometown"), max_length=255, blank=True)
    general_education = models.CharField(_("general education"), max_length=10, blank=True, default="12/12")
    qualification = models.CharField(
        _("professional qualification"), max_length=20, choices=Member.Qualification.choices, blank=True
    )
    occupation = models.CharField(_("occupation or post"), max_length=255, blank=True)
    is_student = models.BooleanField(_("student"), default=False)
    helper = models.ForeignKey(
        Member,
        verbose_name=_("helping member"),
        null=True,
        blank=True,
        related_name="helped_candidates",
        on_delete=models.SET_NULL,
    )
    stage = models.CharField(_("stage"), max_length=24, choices=Stage.choices, default=Stage.CANDIDATE, db_index=True)
    # Awareness course certificate (mẫu CN-NTVĐ), valid for admission.awareness_certificate_months.
    certificate_no = models.CharField(_("awareness course certificate number"), max_length=50, blank=True)
    certificate_date = models.DateField(_("awareness course certificate date"), null=True, blank=True)
    verification_exempt = models.CharField(
        _("no field verification because"),
        max_length=255,
        blank=True,
        help_text=_("A parent, sibling or child is a party member who declared fully (HD 06, 3.4c)."),
    )
    over_60_approval = models.CharField(_("provincial approval for an applicant over 60"), max_length=100, blank=True)
    # The admission decision (9-KNĐ) and the ceremony.
    decision_no = models.CharField(_("admission decision number"), max_length=100, blank=True)
    decision_date = models.DateField(_("admission decision date"), null=True, blank=True)
    decision_received = models.DateField(_("decision received on"), null=True, blank=True)
    ceremony_date = models.DateField(_("ceremony date"), null=True, blank=True)
    late_ceremony_consent = models.CharField(
        _("higher committee's consent to a late ceremony"), max_length=100, blank=True
    )
    declaration_date = models.DateField(_("1-HSĐV declared on"), null=True, blank=True)
    failed_recognition_votes = models.PositiveSmallIntegerField(_("failed recognition votes"), default=0)
    recognition_decision_no = models.CharField(_("recognition decision number"), max_length=100, blank=True)
    recognition_decision_date = models.DateField(_("recognition decision date"), null=True, blank=True)
    member = models.OneToOneField(
        Member,
        verbose_name=_("party member"),
        null=True,
        blank=True,
        related_name="candidacy",
        on_delete=models.PROTECT,
    )
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, related_name="+", on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cell_id", "full_name"]
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")

    def __str__(self):
        return self.full_name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("admission:candidate", kwargs={"pk": self.pk})

    def set_name(self, name):
        self.full_name = nfc(" ".join(name.split()))
        self.search_name = fold(self.full_name)


class DossierItem(models.Model):
    """One paper of the admission dossier, by its form code (DOMAIN.md §3)."""

    class Kind(models.TextChoices):
        APPLICATION = "application", _("Application (1-KNĐ)")
        HISTORY = "history", _("Personal history (2-KNĐ)")
        VERIFICATION = "verification", _("Background verification result")
        YOUTH_UNION = "youth_union", _("Youth Union or trade-union resolution (4-KNĐ)")
        MASS_COMMENTS = "mass_comments", _("Comments of the mass organizations (5-KNĐ)")
        RESIDENCE_COMMENTS = "residence_comments", _("Comments of the residence cell")

    candidate = models.ForeignKey(Candidate, related_name="items", on_delete=models.CASCADE)
    kind = models.CharField(_("paper"), max_length=24, choices=Kind.choices)
    received_on = models.DateField(_("received on"))
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        ordering = ["candidate_id", "kind"]
        constraints = [models.UniqueConstraint(fields=["candidate", "kind"], name="dossier_item_once")]

    def __str__(self):
        return f"{self.candidate} – {self.get_kind_display()}"


class Introducer(models.Model):
    """An official member who introduces the candidate (3-KNĐ)."""

    candidate = models.ForeignKey(Candidate, related_name="introducers", on_delete=models.CASCADE)
    member = models.ForeignKey(Member, verbose_name=_("introducer"), related_name="+", on_delete=models.PROTECT)
    together_since = models.DateField(_("worked, studied or lived with the candidate since"))
    relation = models.CharField(_("in which unit"), max_length=255, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["candidate", "member"], name="introducer_once")]

    def __str__(self):
        return f"{self.member} → {self.candidate}"


class Vote(models.Model):
    """A vote with its legal denominator (DOMAIN.md §3): who was counted, who was excluded and why."""

    class Level(models.TextChoices):
        CELL = "cell", _("Cell resolution on admission (6-KNĐ)")
        COMMITTEE = "committee", _("Grassroots committee resolution (8-KNĐ)")
        RECOGNITION = "recognition", _("Cell resolution on recognition (14-KNĐ)")

    candidate = models.ForeignKey(Candidate, related_name="votes", on_delete=models.CASCADE)
    level = models.CharField(_("vote"), max_length=16, choices=Level.choices)
    date = models.DateField(_("date"))
    denominator = models.PositiveIntegerField(_("members counted"))
    in_favour = models.PositiveIntegerField(_("in favour"))
    against = models.PositiveIntegerField(_("against"), default=0)
    threshold = models.JSONField(_("threshold"))  # [2, 3] as the rule registry held it that day
    passed = models.BooleanField(_("passed"))
    # [{"member": id, "name": "…", "reason": "temporary" | "suspended" | "exempted_absent" | "excused"}]
    excluded = models.JSONField(default=list)
    note = models.CharField(_("note"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, related_name="+", on_delete=models.SET_NULL)

    class Meta:
        ordering = ["candidate_id", "date", "id"]

    def __str__(self):
        return f"{self.candidate} – {self.get_level_display()} {self.in_favour}/{self.denominator}"


class Target(models.Model):
    """A yearly admission target (chỉ tiêu) of a unit, assignable down the tree."""

    unit = models.ForeignKey("org.OrgUnit", verbose_name=_("unit"), related_name="+", on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("year"))
    count = models.PositiveIntegerField(_("members to admit"))
    # A target set as a share (seed 004: "3 % of the members"): of the members at the end of the previous
    # year; ``count`` then holds the number it came to when it was set.
    share_percent = models.DecimalField(
        _("share of the members (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    students = models.PositiveIntegerField(_("of whom students"), default=0)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, related_name="+", on_delete=models.SET_NULL)

    class Meta:
        ordering = ["year", "unit_id"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="target_once_a_year")]

    def __str__(self):
        return f"{self.unit} {self.year}: {self.count}"


class ReminderSent(models.Model):
    """A deadline reminder already sent (the reminder command is idempotent)."""

    candidate = models.ForeignKey(Candidate, related_name="+", on_delete=models.CASCADE)
    deadline = models.CharField(max_length=32)
    days_before = models.IntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["candidate", "deadline", "days_before"], name="reminder_once")]

    def __str__(self):
        return f"{self.candidate} {self.deadline} −{self.days_before}"
