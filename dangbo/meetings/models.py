"""Party cell meetings (sinh hoạt chi bộ, DOMAIN.md §5): calendar, notices, attendance, minutes, quality.

A meeting's compliance is decided when it is held (actual times recorded) and stored on the row —
the minimum that applied, the cell size it was judged on, the attendance figures — so the compliance
view for a whole tree over a year reads one table and a later rule change does not rewrite history.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Venue(models.Model):
    """A shared meeting hall that large cells book (seed 003: use the units' facilities)."""

    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=255, blank=True)
    capacity = models.PositiveIntegerField(_("seats"), null=True, blank=True)
    owner_unit = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("managed by"), related_name="+", on_delete=models.PROTECT
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class CellSupervisor(models.Model):
    """The higher-committee member assigned to follow a cell (cấp ủy viên cấp trên phụ trách chi bộ)."""

    unit = models.OneToOneField("org.OrgUnit", related_name="meeting_supervisor", on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.CASCADE)
    assigned_on = models.DateField()

    def __str__(self):
        return f"{self.unit} – {self.user}"


class MeetingQuerySet(models.QuerySet):
    def in_subtree(self, unit):
        return self.filter(unit__path__startswith=unit.path)

    def held(self):
        return self.filter(state=Meeting.State.HELD)


class Meeting(models.Model):
    class Kind(models.TextChoices):
        REGULAR = "regular", _("Regular (monthly)")
        THEMATIC = "thematic", _("Thematic")
        COMBINED = "combined", _("Regular combined with thematic")
        EXTRAORDINARY = "extraordinary", _("Extraordinary")

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("Hybrid")

    class State(models.TextChoices):
        PLANNED = "planned", _("Planned")
        NOTICED = "noticed", _("Notice sent")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    # Kinds that count as the month's regular meeting / the quarter's thematic meeting.
    REGULAR_KINDS = (Kind.REGULAR, Kind.COMBINED)
    THEMATIC_KINDS = (Kind.THEMATIC, Kind.COMBINED)
    OPEN_STATES = (State.PLANNED, State.NOTICED)

    unit = models.ForeignKey("org.OrgUnit", verbose_name=_("party cell"), related_name="+", on_delete=models.PROTECT)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.REGULAR)
    mode = models.CharField(_("form"), max_length=12, choices=Mode.choices, default=Mode.IN_PERSON)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.PLANNED)
    planned_date = models.DateField(_("planned date"))
    planned_time = models.TimeField(_("planned start time"), default=datetime.time(14, 0))
    place = models.CharField(_("place"), max_length=255, blank=True)
    venue = models.ForeignKey(
        Venue, verbose_name=_("shared venue"), null=True, blank=True, related_name="meetings", on_delete=models.PROTECT
    )
    video_link = models.URLField(_("video link"), blank=True)
    chair = models.ForeignKey(
        "members.Member", verbose_name=_("chair"), null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    recorder = models.ForeignKey(
        "members.Member",
        verbose_name=_("secretary of the meeting"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    agenda = models.TextField(_("agenda"), blank=True)
    topic = models.CharField(_("thematic topic"), max_length=255, blank=True)
    from_plan = models.BooleanField(default=False)
    noticed_at = models.DateTimeField(null=True, blank=True)
    # Held: actual date and times; the judgement is stored with the rule that applied.
    held_on = models.DateField(_("held on"), null=True, blank=True)
    started_at = models.TimeField(_("actual start"), null=True, blank=True)
    ended_at = models.TimeField(_("actual end"), null=True, blank=True)
    with_work_meeting = models.BooleanField(_("combined with a professional (work) meeting"), default=False)
    duration_minutes = models.PositiveIntegerField(null=True, blank=True)
    min_minutes = models.PositiveIntegerField(null=True, blank=True)
    min_rule = models.ForeignKey("rules.RuleVersion", null=True, blank=True, related_name="+", on_delete=models.PROTECT)
    cell_size = models.PositiveIntegerField(null=True, blank=True)
    too_short = models.BooleanField(default=False)
    # Attendance on the legal denominator (DOMAIN.md §3), kept in step with the Attendance rows.
    present_count = models.PositiveIntegerField(default=0)
    denominator = models.PositiveIntegerField(default=0)
    # Minutes and resolution (biên bản, nghị quyết).
    minutes_content = models.TextField(_("content of the meeting"), blank=True)
    conclusions = models.TextField(_("conclusions"), blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    votes_for = models.PositiveIntegerField(_("votes in favour"), null=True, blank=True)
    votes_against = models.PositiveIntegerField(_("votes against"), null=True, blank=True)
    votes_abstain = models.PositiveIntegerField(_("abstentions"), null=True, blank=True)
    locked_at = models.DateTimeField(null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    published_at = models.DateTimeField(null=True, blank=True)
    publish_due = models.DateField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-planned_date", "-pk"]
        indexes = [
            models.Index(fields=["unit", "planned_date"]),
            models.Index(fields=["state", "planned_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state="held", held_on__isnull=False) | ~models.Q(state="held"),
                name="meeting_held_has_date",
            )
        ]

    def __str__(self):
        # A title that reads as a phrase ("Sinh hoạt bất thường ngày 03/12/2026"), not "Bất thường 03/12/2026".
        titles = {
            self.Kind.REGULAR: _("Regular meeting on %(day)s"),
            self.Kind.THEMATIC: _("Thematic meeting on %(day)s"),
            self.Kind.COMBINED: _("Regular and thematic meeting on %(day)s"),
            self.Kind.EXTRAORDINARY: _("Extraordinary meeting on %(day)s"),
        }
        title = titles.get(self.kind, _("Meeting on %(day)s"))
        return str(title) % {"day": f"{self.day:%d/%m/%Y}"}

    def get_absolute_url(self):
        return reverse("meetings:detail", args=[self.pk])

    @property
    def day(self):
        return self.held_on or self.planned_date

    @property
    def locked(self):
        return self.locked_at is not None

    @property
    def attendance_percent(self):
        if not self.denominator:
            return None
        return (Decimal(self.present_count) * 100 / self.denominator).quantize(Decimal("0.1"))

    def issues(self):
        """Why a held meeting breaks the rules (translated strings); empty when compliant."""
        out = []
        if self.state != self.State.HELD:
            return out
        if self.too_short:
            out.append(
                _("Too short: %(d)s minutes, the minimum is %(m)s")
                % {"d": self.duration_minutes, "m": self.min_minutes}
            )
        if self.with_work_meeting:
            out.append(_("Combined with a professional (work) meeting"))
        return out


class MeetingDocument(models.Model):
    meeting = models.ForeignKey(Meeting, related_name="documents", on_delete=models.CASCADE)
    title = models.CharField(_("title"), max_length=255)
    file = models.FileField(_("file"), upload_to="meetings/%Y/%m/")
    posted_at = models.DateTimeField()
    late = models.BooleanField(default=False)
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, related_name="+", on_delete=models.SET_NULL)

    class Meta:
        ordering = ["posted_at"]

    def __str__(self):
        return self.title


class Attendance(models.Model):
    class Status(models.TextChoices):
        EXPECTED = "expected", _("Not recorded")
        PRESENT = "present", _("Present")
        EXCUSED = "excused", _("Absent with excuse")
        UNEXCUSED = "unexcused", _("Absent without excuse")
        EXEMPT = "exempt", _("Exempted from party work")
        AWAY = "away", _("Temporarily away")

    meeting = models.ForeignKey(Meeting, related_name="attendance", on_delete=models.CASCADE)
    member = models.ForeignKey("members.Member", related_name="meeting_attendance", on_delete=models.CASCADE)
    # The member's status on the meeting date (official, probationary, exempted, suspended).
    member_status = models.CharField(max_length=20)
    status = models.CharField(_("attendance"), max_length=12, choices=Status.choices, default=Status.EXPECTED)
    excuse = models.CharField(_("reason for absence"), max_length=255, blank=True)
    excuse_sent_at = models.DateTimeField(null=True, blank=True)
    spoke = models.BooleanField(_("spoke"), default=False)

    class Meta:
        ordering = ["member__sort_name"]
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once")]
        indexes = [models.Index(fields=["member", "status"])]

    def __str__(self):
        return f"{self.member_id}: {self.status}"


class Speech(models.Model):
    """One opinion in the minutes, by speaker."""

    meeting = models.ForeignKey(Meeting, related_name="speeches", on_delete=models.CASCADE)
    member = models.ForeignKey("members.Member", null=True, blank=True, related_name="+", on_delete=models.SET_NULL)
    speaker = models.CharField(_("speaker"), max_length=255)
    content = models.TextField(_("opinion"))

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.speaker


class Amendment(models.Model):
    """A correction to locked minutes: recorded, never an edit of the locked text."""

    meeting = models.ForeignKey(Meeting, related_name="amendments", on_delete=models.CASCADE)
    text = models.TextField(_("correction"))
    reason = models.CharField(_("reason"), max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.reason


class QualityTemplate(models.Model):
    """A committee's score sheet for meeting quality; the nearest ancestor's template applies."""

    unit = models.ForeignKey("org.OrgUnit", verbose_name=_("committee"), related_name="+", on_delete=models.CASCADE)
    name = models.CharField(_("name"), max_length=255)
    # [{"code": "duration", "label": "…", "max": 5}, …]
    criteria = models.JSONField()
    # [[90, "good"], [70, "fair"], [50, "average"]]: lowest total for each rating, best first.
    thresholds = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-pk"]

    def __str__(self):
        return self.name

    @property
    def max_total(self):
        return sum(int(c["max"]) for c in self.criteria)


class QualitySheet(models.Model):
    class Rating(models.TextChoices):
        GOOD = "good", _("Good")
        FAIR = "fair", _("Fair")
        AVERAGE = "average", _("Average")
        POOR = "poor", _("Poor")

    meeting = models.OneToOneField(Meeting, related_name="quality", on_delete=models.CASCADE)
    template = models.ForeignKey(QualityTemplate, related_name="+", on_delete=models.PROTECT)
    scores = models.JSONField(default=dict)
    total = models.PositiveIntegerField(default=0)
    rating = models.CharField(max_length=10, choices=Rating.choices)
    filled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, related_name="+", on_delete=models.SET_NULL)
    reviewed_scores = models.JSONField(null=True, blank=True)
    reviewed_total = models.PositiveIntegerField(null=True, blank=True)
    reviewed_rating = models.CharField(max_length=10, choices=Rating.choices, blank=True)
    review_note = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, related_name="+", on_delete=models.SET_NULL)
    reviewed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.meeting_id}: {self.total}"
