"""Implementation of resolutions (đưa nghị quyết vào cuộc sống) and events/contests (DOMAIN.md §6).

A ``Programme`` breaks a resolution or project (a ``documents.Document``) into measurable
``Indicator`` rows and ``Task`` rows with owners and deadlines. A unit below adopts its action
programme (chương trình hành động): a child ``Programme`` whose indicators and tasks point to the
parent's (``parent``), and reports ``Report`` rows per period (draft → submitted → accepted/returned by
the level above).

An ``Event`` is a conference or a contest: units register participants within a quota before a
deadline; judges score contestants per round; the ranking and prizes are computed by
``services.publish_results``.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Programme(models.Model):
    class Frequency(models.TextChoices):
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")
        HALF_YEARLY = "half_yearly", _("Every six months")
        YEARLY = "yearly", _("Yearly")

    MONTHS = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.HALF_YEARLY: 6, Frequency.YEARLY: 12}

    unit = models.ForeignKey("org.OrgUnit", verbose_name=_("unit"), related_name="programmes", on_delete=models.PROTECT)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("adopted from"),
        null=True,
        blank=True,
        related_name="children",
        on_delete=models.PROTECT,
    )
    document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("resolution or project"),
        null=True,
        blank=True,
        related_name="programmes",
        on_delete=models.PROTECT,
    )
    title = models.CharField(_("title"), max_length=500)
    adopted_on = models.DateField(_("adopted on"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    frequency = models.CharField(
        _("reporting frequency"), max_length=16, choices=Frequency.choices, default=Frequency.QUARTERLY
    )
    # The programme's own instruction, not a Party rule: how long after a period ends its report is due.
    report_due_days = models.PositiveSmallIntegerField(_("report due (days after the period)"), default=10)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-adopted_on", "-id"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.UniqueConstraint(fields=["parent", "unit"], name="programme_one_adoption_per_unit"),
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="programme_dates"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("programmes:detail", args=[self.pk])

    @property
    def is_action_programme(self):
        return self.parent_id is not None


class Indicator(models.Model):
    class Direction(models.TextChoices):
        INCREASE = "increase", _("Increase (higher is better)")
        DECREASE = "decrease", _("Decrease (lower is better)")

    programme = models.ForeignKey(Programme, related_name="indicators", on_delete=models.CASCADE)
    parent = models.ForeignKey(
        "self", verbose_name=_("derived from"), null=True, blank=True, related_name="children", on_delete=models.PROTECT
    )
    name = models.CharField(_("indicator"), max_length=255)
    measure = models.CharField(_("unit of measure"), max_length=50)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2)
    target = models.DecimalField(_("target value"), max_digits=14, decimal_places=2)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices, default=Direction.INCREASE)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "parent"], condition=models.Q(parent__isnull=False), name="indicator_derived_once"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.measure})"

    def percent(self, value):
        return percent_of_target(value, baseline=self.baseline, target=self.target, direction=self.direction)

    def reached(self, value):
        if value is None:
            return False
        return value >= self.target if self.direction == self.Direction.INCREASE else value <= self.target


def percent_of_target(value, *, baseline, target, direction):
    """How far ``value`` has moved from ``baseline`` towards ``target``, in % (one decimal; may pass 100 or go
    below 0 when the indicator moved the wrong way). ``None`` when there is no value yet."""
    if value is None:
        return None
    gain = value - baseline
    needed = target - baseline
    if direction == Indicator.Direction.DECREASE:
        gain, needed = -gain, -needed
    if needed == 0:
        return Decimal(100) if gain >= 0 else Decimal(0)
    return (Decimal(gain) * 100 / Decimal(needed)).quantize(Decimal("0.1"))


class Task(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    programme = models.ForeignKey(Programme, related_name="tasks", on_delete=models.CASCADE)
    parent = models.ForeignKey(
        "self", verbose_name=_("derived from"), null=True, blank=True, related_name="children", on_delete=models.PROTECT
    )
    title = models.CharField(_("task"), max_length=500)
    owner_unit = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("owner unit"), related_name="programme_tasks", on_delete=models.PROTECT
    )
    responsible = models.CharField(_("responsible person"), max_length=255, blank=True)
    due_on = models.DateField(_("deadline"))
    # The latest status reported (a submitted or accepted report), kept here for the overdue lists.
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.NOT_STARTED)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["due_on", "order", "id"]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self):
        return self.title

    def is_overdue(self, today):
        """Not done and past its deadline (a task done late is ``done_late``, no longer overdue)."""
        return self.status != self.Status.DONE and self.due_on < today

    @property
    def done_late(self):
        return self.status == self.Status.DONE and self.done_on is not None and self.done_on > self.due_on


def evidence_path(instance, filename):
    """An unguessable name: evidence is served only through the access check (views.report_evidence)."""
    import uuid
    from pathlib import PurePath

    return f"programmes/{instance.programme_id}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()[:10]}"


class Report(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted to the level above")
        ACCEPTED = "accepted", _("Accepted by the level above")
        RETURNED = "returned", _("Returned for revision")

    # A report counts (values, task statuses) once sent up; a returned one is being revised.
    COUNTED = (State.SUBMITTED, State.ACCEPTED)
    EDITABLE = (State.DRAFT, State.RETURNED)

    programme = models.ForeignKey(Programme, related_name="reports", on_delete=models.CASCADE)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT)
    narrative = models.TextField(_("narrative"), blank=True)
    evidence = models.FileField(_("evidence"), upload_to=evidence_path, blank=True)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    review_note = models.TextField(_("review note"), blank=True)

    class Meta:
        ordering = ["-period_start", "-id"]
        constraints = [models.UniqueConstraint(fields=["programme", "period_start"], name="report_one_per_period")]
        indexes = [models.Index(fields=["programme", "state", "period_start"])]

    def __str__(self):
        return f"{self.programme} {self.period_start:%d/%m/%Y}–{self.period_end:%d/%m/%Y}"

    def get_absolute_url(self):
        return reverse("programmes:report", args=[self.pk])


class ReportValue(models.Model):
    report = models.ForeignKey(Report, related_name="values", on_delete=models.CASCADE)
    indicator = models.ForeignKey(Indicator, related_name="values", on_delete=models.CASCADE)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "indicator"], name="report_value_once")]

    def __str__(self):
        return f"{self.indicator}: {self.value}"


class ReportTask(models.Model):
    report = models.ForeignKey(Report, related_name="task_rows", on_delete=models.CASCADE)
    task = models.ForeignKey(Task, related_name="report_rows", on_delete=models.CASCADE)
    status = models.CharField(_("status"), max_length=16, choices=Task.Status.choices)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "task"], name="report_task_once")]

    def __str__(self):
        return f"{self.task}: {self.status}"


class Event(models.Model):
    class Kind(models.TextChoices):
        CONTEST = "contest", _("Contest")
        CONFERENCE = "conference", _("Conference")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.CONTEST)
    unit = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("organizer"), related_name="events", on_delete=models.PROTECT
    )
    title = models.CharField(_("title"), max_length=500)
    place = models.CharField(_("place"), max_length=255, blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    registration_deadline = models.DateField(_("registration deadline"))
    quota_per_unit = models.PositiveSmallIntegerField(_("participants per unit (at most)"), default=2)
    description = models.TextField(_("description"), blank=True)
    results_published_on = models.DateField(_("results published on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("event")
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="event_dates"),
            models.CheckConstraint(condition=models.Q(quota_per_unit__gte=1), name="event_quota_positive"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("programmes:event", args=[self.pk])


class Registration(models.Model):
    event = models.ForeignKey(Event, related_name="registrations", on_delete=models.CASCADE)
    unit = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("registering unit"), related_name="event_registrations", on_delete=models.PROTECT
    )
    member = models.ForeignKey(
        "members.Member", verbose_name=_("participant"), related_name="event_registrations", on_delete=models.PROTECT
    )
    topic = models.CharField(_("topic or entry"), max_length=500, blank=True)
    registered_on = models.DateField(_("registered on"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    # Written when the results are published (services.publish_results).
    total = models.DecimalField(_("total score"), max_digits=8, decimal_places=2, null=True, blank=True)
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    prize = models.CharField(_("prize"), max_length=100, blank=True)

    class Meta:
        ordering = ["unit__path", "id"]
        constraints = [models.UniqueConstraint(fields=["event", "member"], name="registration_member_once")]
        indexes = [models.Index(fields=["event", "unit"])]

    def __str__(self):
        return f"{self.member} ({self.unit})"


class Round(models.Model):
    event = models.ForeignKey(Event, related_name="rounds", on_delete=models.CASCADE)
    name = models.CharField(_("round"), max_length=255)
    max_score = models.DecimalField(_("maximum score"), max_digits=6, decimal_places=2, default=Decimal(100))
    order = models.PositiveSmallIntegerField(_("order"), default=1)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return self.name


class Judge(models.Model):
    event = models.ForeignKey(Event, related_name="judges", on_delete=models.CASCADE)
    name = models.CharField(_("judge"), max_length=255)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["event", "name"], name="judge_name_once")]

    def __str__(self):
        return self.name


class Prize(models.Model):
    event = models.ForeignKey(Event, related_name="prizes", on_delete=models.CASCADE)
    name = models.CharField(_("prize"), max_length=100)
    count = models.PositiveSmallIntegerField(_("number of prizes"))
    order = models.PositiveSmallIntegerField(_("order"), default=1)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return self.name


class Score(models.Model):
    registration = models.ForeignKey(Registration, related_name="scores", on_delete=models.CASCADE)
    round = models.ForeignKey(Round, related_name="scores", on_delete=models.CASCADE)
    judge = models.ForeignKey(Judge, related_name="scores", on_delete=models.CASCADE)
    points = models.DecimalField(_("score"), max_digits=6, decimal_places=2)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["registration", "round", "judge"], name="score_once")]

    def __str__(self):
        return str(self.points)


class Reminder(models.Model):
    """A reminder sent (``programme_reminders``), so each one goes out once: ``key`` names the report period or
    task, ``days_before`` the offset (-1: overdue)."""

    key = models.CharField(max_length=100)
    days_before = models.SmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "days_before"], name="programme_reminder_once")]

    def __str__(self):
        return self.key
