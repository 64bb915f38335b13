"""Study campaigns (học tập, quán triệt nghị quyết), DOMAIN.md §6.

A campaign targets units (one unit, or a unit with its subtree), never a list of every member: per-member
rows (``Progress``) exist only once a member starts (reads, attends, opens the quiz). Completion figures
count target members from ``Member`` by unit and completed rows by unit, so a whole-tree campaign over a
million members stores one target row.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Who studies and counts in the denominator: members on the books and active. Exempted members
# (miễn công tác và sinh hoạt đảng) and suspended ones are left out, as in the vote denominator (§3).
STUDY_STATUSES = ("probationary", "official")


class Campaign(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CLOSED = "closed", _("Closed")

    title = models.CharField(_("title"), max_length=300)
    unit = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("organized by"), related_name="study_campaigns", on_delete=models.PROTECT
    )
    documents = models.ManyToManyField(
        "documents.Document", verbose_name=_("documents studied"), related_name="study_campaigns", blank=True
    )
    material = models.TextField(_("study material"), blank=True)
    opens_on = models.DateField(_("opens on"))
    deadline = models.DateField(_("deadline"))
    makeup_deadline = models.DateField(_("make-up deadline"), null=True, blank=True)
    # What "studied" means for this campaign: attended a session or read the material, and …
    quiz_required = models.BooleanField(_("quiz required"), default=True)
    report_required = models.BooleanField(_("learning report required"), default=False)
    pass_mark = models.PositiveSmallIntegerField(_("pass mark (%)"), default=80)
    max_attempts = models.PositiveSmallIntegerField(_("attempts allowed"), default=3)
    quiz_size = models.PositiveSmallIntegerField(
        _("questions per attempt"), default=0, help_text=_("0: every question of the bank.")
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-deadline", "-id"]
        verbose_name = _("study campaign")
        verbose_name_plural = _("study campaigns")
        constraints = [
            models.CheckConstraint(condition=Q(deadline__gte=models.F("opens_on")), name="study_deadline_after_open"),
            models.CheckConstraint(
                condition=Q(makeup_deadline__isnull=True) | Q(makeup_deadline__gte=models.F("deadline")),
                name="study_makeup_after_deadline",
            ),
            models.CheckConstraint(condition=Q(pass_mark__gte=1, pass_mark__lte=100), name="study_pass_mark_range"),
        ]

    def __str__(self):
        return self.title

    @property
    def last_day(self):
        """The last day a member may still study (the make-up deadline when there is one)."""
        return self.makeup_deadline or self.deadline

    def is_open(self, day=None):
        day = day or timezone.localdate()
        return self.state == self.State.PUBLISHED and self.opens_on <= day <= self.last_day

    def target_q(self, prefix="unit", targets=None):
        """Q over ``<prefix>`` (an OrgUnit relation) matching the campaign's target units."""
        q = Q(pk__in=[])
        for t in self.targets.all() if targets is None else targets:
            if t.subtree:
                q |= Q(**{f"{prefix}__path__startswith": t.unit.path})
            else:
                q |= Q(**{f"{prefix}_id": t.unit_id})
        return q

    def covers_unit(self, unit):
        return any(
            (unit.path.startswith(t.unit.path) if t.subtree else unit.pk == t.unit_id) for t in self.targets.all()
        )


class Target(models.Model):
    campaign = models.ForeignKey(Campaign, related_name="targets", on_delete=models.CASCADE)
    unit = models.ForeignKey("org.OrgUnit", verbose_name=_("unit"), related_name="+", on_delete=models.PROTECT)
    subtree = models.BooleanField(_("with its sub-units"), default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="study_target_unique")]

    def __str__(self):
        return self.unit.name


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")

    campaign = models.ForeignKey(Campaign, related_name="questions", on_delete=models.CASCADE)
    text = models.TextField(_("question"))
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.text[:80]


class Choice(models.Model):
    question = models.ForeignKey(Question, related_name="choices", on_delete=models.CASCADE)
    text = models.CharField(_("answer option"), max_length=500)
    correct = models.BooleanField(_("correct"), default=False)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.text


class Session(models.Model):
    """A study session (hội nghị học tập, quán triệt) held by one unit for its members, in person or online."""

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")

    campaign = models.ForeignKey(Campaign, related_name="sessions", on_delete=models.CASCADE)
    unit = models.ForeignKey("org.OrgUnit", verbose_name=_("held by"), related_name="+", on_delete=models.PROTECT)
    held_on = models.DateField(_("date"))
    mode = models.CharField(_("form"), max_length=10, choices=Mode.choices, default=Mode.IN_PERSON)
    place = models.CharField(_("place or link"), max_length=300, blank=True)
    makeup = models.BooleanField(_("make-up session"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["held_on", "id"]

    def __str__(self):
        return f"{self.unit.name} {self.held_on:%d/%m/%Y}"


class Attendance(models.Model):
    session = models.ForeignKey(Session, related_name="attendances", on_delete=models.CASCADE)
    member = models.ForeignKey("members.Member", related_name="+", on_delete=models.CASCADE)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "member"], name="study_attendance_unique")]

    def __str__(self):
        return f"{self.member_id} @ {self.session_id}"


class Progress(models.Model):
    """One member's study of one campaign, created when the member starts. ``completed_at`` is set when the
    campaign's definition of "studied" is met (see services.is_studied) and cleared if it no longer is."""

    class Step(models.TextChoices):
        READ = "read", _("Reading")
        QUIZ = "quiz", _("Quiz")
        REPORT = "report", _("Learning report")
        DONE = "done", _("Done")

    class ReportState(models.TextChoices):
        NONE = "", _("Not started")
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for rework")
        ACCEPTED = "accepted", _("Accepted")

    class Grade(models.TextChoices):
        EXCELLENT = "excellent", _("Excellent")
        GOOD = "good", _("Good")
        FAIR = "fair", _("Fair")

    campaign = models.ForeignKey(Campaign, related_name="progress", on_delete=models.CASCADE)
    member = models.ForeignKey("members.Member", related_name="study_progress", on_delete=models.CASCADE)
    started_at = models.DateTimeField(default=timezone.now)
    step = models.CharField(max_length=10, choices=Step.choices, default=Step.READ)
    read_at = models.DateTimeField(_("material read"), null=True, blank=True)
    attended = models.BooleanField(_("attended a session"), default=False)
    attempts = models.PositiveSmallIntegerField(_("quiz attempts"), default=0)
    best_score = models.DecimalField(_("best score (%)"), max_digits=5, decimal_places=1, null=True, blank=True)
    quiz_passed_at = models.DateTimeField(_("quiz passed"), null=True, blank=True)
    report_text = models.TextField(_("learning report"), blank=True)
    report_state = models.CharField(
        _("report status"), max_length=10, choices=ReportState.choices, default=ReportState.NONE, blank=True
    )
    report_submitted_at = models.DateTimeField(null=True, blank=True)
    report_grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices, blank=True)
    report_comment = models.TextField(_("reviewer's comments"), blank=True)
    report_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    report_reviewed_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "member"], name="study_progress_unique")]
        indexes = [models.Index(fields=["campaign", "completed_at"], name="study_progress_done_idx")]

    def __str__(self):
        return f"{self.member} – {self.campaign}"

    @property
    def late(self):
        """Completed after the deadline (during the make-up period)."""
        return bool(self.completed_at and timezone.localdate(self.completed_at) > self.campaign.deadline)


class Attempt(models.Model):
    """One quiz attempt: its question order (random per attempt), the answers as saved so far, and once
    submitted the score. An open attempt is resumed where the member left it."""

    progress = models.ForeignKey(Progress, related_name="quiz_attempts", on_delete=models.CASCADE)
    order = models.JSONField(default=list)  # question ids in the order shown
    answers = models.JSONField(default=dict)  # {question id: [choice ids]}
    started_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    score = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    passed = models.BooleanField(default=False)

    class Meta:
        ordering = ["started_at", "id"]

    def __str__(self):
        return f"{self.progress_id} #{self.pk}"

    def score_display(self):
        """The score as Vietnamese writes it: 90, 92,5."""
        from dangbo.core.text import decimal_text

        return decimal_text(self.score or Decimal(0), places=1)


class ReminderSent(models.Model):
    """A reminder round already sent (days before the deadline), so the daily command sends each once."""

    campaign = models.ForeignKey(Campaign, related_name="+", on_delete=models.CASCADE)
    days_before = models.SmallIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "days_before"], name="study_reminder_once")]

    def __str__(self):
        return f"{self.campaign_id} −{self.days_before}"
