"""Review and quality classification (kiểm điểm, đánh giá, xếp loại chất lượng; DOMAIN.md §8, Quy định 366).

A committee opens a period (year, quarter or term) for its subtree, with a scoring template per group of
members (criteria summing to the common and results maxima of the rule registry). Each member has one
MemberReview (self-assessment, then the cell's appraisal); each cell and grassroots organization has one
UnitReview whose state carries the steps: the cell votes (PROPOSED), the competent level decides for the
whole grassroots organization with the quota check (DECIDED), then announces (ANNOUNCED: locked).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent completion of tasks")
    GOOD = "good", _("Good completion of tasks")
    COMPLETE = "complete", _("Completion of tasks")
    NOT_COMPLETE = "not_complete", _("Tasks not completed")
    NOT_CLASSIFIED = "not_classified", _("Not classified")


CLASSIFIED_LEVELS = (Level.EXCELLENT, Level.GOOD, Level.COMPLETE, Level.NOT_COMPLETE)


class Group(models.TextChoices):
    LEADER = "leader", _("Members holding leadership posts")
    MEMBER = "member", _("Other members")


class ReviewPeriod(models.Model):
    class Kind(models.TextChoices):
        YEAR = "year", _("Year")
        QUARTER = "quarter", _("Quarter")
        TERM = "term", _("Term")

    class State(models.TextChoices):
        # The member reviews are being written in batches (services.fill_members): nobody sees or acts on the
        # period's reviews until every member has one and the period turns OPEN.
        OPENING = "opening", _("Being opened")
        OPEN = "open", _("Opened")

    unit = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("organizing committee"), related_name="+", on_delete=models.PROTECT
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.YEAR)
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), null=True, blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    self_deadline = models.DateField(_("self-assessments due"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, related_name="+", on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    # While OPENING: the members to review (counted when the period was created), the last member id done
    # (the batches go by member id, so an interrupted opening resumes where it stopped), the last batch's time.
    opening_total = models.PositiveIntegerField(default=0)
    opening_cursor = models.BigIntegerField(default=0)
    opening_heartbeat = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "-quarter", "-pk"]
        verbose_name = _("review period")
        verbose_name_plural = _("review periods")
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="review_period_dates")
        ]

    def __str__(self):
        if self.kind == self.Kind.QUARTER:
            return _("Review of quarter %(q)s/%(year)s") % {"q": self.quarter, "year": self.year}
        if self.kind == self.Kind.TERM:
            return _("Review of the term ending %(year)s") % {"year": self.year}
        return _("Review of %(year)s") % {"year": self.year}


class Criterion(models.Model):
    """One line of a group's scoring template (366: 30 points of common criteria, 70 of task results)."""

    class Section(models.TextChoices):
        COMMON = "common", _("Common criteria")
        RESULTS = "results", _("Task results")

    period = models.ForeignKey(ReviewPeriod, related_name="criteria", on_delete=models.CASCADE)
    group = models.CharField(_("group"), max_length=10, choices=Group.choices)
    section = models.CharField(_("section"), max_length=10, choices=Section.choices)
    title = models.CharField(_("criterion"), max_length=255)
    max_points = models.DecimalField(_("maximum points"), max_digits=5, decimal_places=2)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["period_id", "group", "section", "order", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self):
        return self.title


class UnitReview(models.Model):
    """The review of one cell or grassroots organization in a period: its step, and its own classification."""

    class State(models.TextChoices):
        OPEN = "open", _("Self-assessment and appraisal")
        PROPOSED = "proposed", _("Voted by the cell")
        DECIDED = "decided", _("Decided by the competent level")
        ANNOUNCED = "announced", _("Announced")

    period = models.ForeignKey(ReviewPeriod, related_name="unit_reviews", on_delete=models.CASCADE)
    unit = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("party organization"), related_name="+", on_delete=models.PROTECT
    )
    # The grassroots organization the unit belongs to (itself for a grassroots organization).
    grassroots = models.ForeignKey("org.OrgUnit", related_name="+", on_delete=models.PROTECT)
    state = models.CharField(_("step"), max_length=10, choices=State.choices, default=State.OPEN)
    voted_on = models.DateField(_("cell meeting of"), null=True, blank=True)
    resolution_no = models.CharField(_("resolution number"), max_length=100, blank=True)
    present = models.PositiveSmallIntegerField(_("members present"), null=True, blank=True)
    # The organization's own classification, by the competent level.
    score = models.DecimalField(_("points"), max_digits=5, decimal_places=2, null=True, blank=True)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, blank=True)
    level_reasons = models.TextField(blank=True)
    clean_strong = models.BooleanField(_("clean and strong"), default=False)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_no = models.CharField(_("decision number"), max_length=100, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, related_name="+", on_delete=models.SET_NULL)
    quota_warning = models.TextField(_("quota warning"), blank=True)
    rule_values = models.JSONField(null=True, blank=True)
    announced_on = models.DateField(_("announced on"), null=True, blank=True)

    class Meta:
        ordering = ["period_id", "unit__path"]
        verbose_name = _("organization review")
        verbose_name_plural = _("organization reviews")
        constraints = [models.UniqueConstraint(fields=["period", "unit"], name="unitreview_once")]
        indexes = [models.Index(fields=["period", "grassroots"], name="unitreview_grassroots_idx")]

    def __str__(self):
        return f"{self.period} – {self.unit}"

    @property
    def locked(self):
        return self.state == self.State.ANNOUNCED


class MemberReview(models.Model):
    class Disqualifier(models.TextChoices):
        NONE = "", _("None")
        DEGRADATION = "degradation", _("Degradation concluded by the competent level")
        PROHIBITED = "prohibited", _("Violated what members must not do or the exemplary-conduct duty")
        CIVIL_SERVANT = "civil_servant", _("Rated not completing tasks as a civil servant")
        OTHER = "other", _("Other disqualifying case")

    period = models.ForeignKey(ReviewPeriod, related_name="member_reviews", on_delete=models.CASCADE)
    member = models.ForeignKey("members.Member", related_name="reviews", on_delete=models.CASCADE)
    unit = models.ForeignKey("org.OrgUnit", verbose_name=_("party cell"), related_name="+", on_delete=models.PROTECT)
    grassroots = models.ForeignKey("org.OrgUnit", related_name="+", on_delete=models.PROTECT)
    group = models.CharField(_("group"), max_length=10, choices=Group.choices, default=Group.MEMBER)
    # Self-assessment: points per criterion id ({"12": "8.5"}), their total, the member's own report.
    self_scores = models.JSONField(default=dict, blank=True)
    self_score = models.DecimalField(_("self-assessed points"), max_digits=5, decimal_places=2, null=True, blank=True)
    self_comment = models.TextField(_("self-assessment"), blank=True)
    self_submitted_at = models.DateTimeField(_("self-assessment submitted"), null=True, blank=True)
    self_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, related_name="+", on_delete=models.SET_NULL
    )
    # The cell's appraisal.
    score = models.DecimalField(_("appraised points"), max_digits=5, decimal_places=2, null=True, blank=True)
    late_percent = models.DecimalField(
        _("tasks behind schedule (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    exceeding_percent = models.DecimalField(
        _("tasks exceeding requirements (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    targets_percent = models.DecimalField(
        _("assigned targets achieved (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    disqualifier = models.CharField(_("disqualifying case"), max_length=16, choices=Disqualifier.choices, blank=True)
    disqualifier_note = models.TextField(_("reason of the disqualifying case"), blank=True)
    appraisal_note = models.TextField(_("cell's comments"), blank=True)
    appraised_at = models.DateTimeField(_("appraised"), null=True, blank=True)
    appraised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, related_name="+", on_delete=models.SET_NULL)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, blank=True)
    # Why the level is below what the points alone give, or why the member is not classified.
    level_reasons = models.TextField(_("reasons"), blank=True)

    class Meta:
        ordering = ["period_id", "unit_id", "member__sort_name"]
        verbose_name = _("member review")
        verbose_name_plural = _("member reviews")
        constraints = [models.UniqueConstraint(fields=["period", "member"], name="memberreview_once")]
        indexes = [
            models.Index(fields=["period", "grassroots", "level"], name="memberreview_level_idx"),
            models.Index(fields=["period", "unit"], name="memberreview_unit_idx"),
        ]

    def __str__(self):
        return f"{self.period} – {self.member}"
