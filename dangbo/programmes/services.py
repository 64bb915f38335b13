"""Programmes, action programmes, progress reports, events and contests: every write is here.

Each service is atomic, refuses what the rules forbid with a Vietnamese ``ValidationError`` and writes
an audit row. The read side (progress per unit and indicator, overdue tasks, missing reports,
ranking) is at the end of the module.
"""

import datetime
import functools
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, OuterRef, Subquery, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangbo.core.audit import record
from dangbo.core.dates import add_months
from dangbo.members.models import Member
from dangbo.programmes.models import (
    Event,
    Indicator,
    Judge,
    Prize,
    Programme,
    Registration,
    Report,
    ReportTask,
    ReportValue,
    Round,
    Score,
    Task,
)

TWO = Decimal("0.01")


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


def _d(day):
    return day.strftime("%d/%m/%Y")


def _staff_of(unit):
    """Who acts for ``unit``: its own staff (any write role) and the grassroots staff above it (not the whole
    bloc office, unless ``unit`` is the bloc)."""
    from django.db.models import Q

    from dangbo.accounts.access import WRITE_ROLES
    from dangbo.accounts.models import Role, RoleAssignment

    q = Q(unit=unit, role__in=WRITE_ROLES) | Q(unit_id__in=unit.ancestor_ids(), role=Role.GRASSROOTS_STAFF)
    return [a.user for a in RoleAssignment.objects.filter(q).select_related("user")]


def _notify(unit, title, url, kind):
    from dangbo.core.notify import notify

    notify(users=_staff_of(unit), title=title, url=url, kind=kind)


# --- Programmes ---------------------------------------------------------------------------------


@transaction.atomic
def create_programme(
    *,
    unit,
    title,
    adopted_on,
    starts_on,
    ends_on,
    document=None,
    frequency=Programme.Frequency.QUARTERLY,
    report_due_days=10,
    actor,
):
    p = Programme(
        unit=unit,
        title=title,
        document=document,
        adopted_on=adopted_on,
        starts_on=starts_on,
        ends_on=ends_on,
        frequency=frequency,
        report_due_days=report_due_days,
        created_by=_actor(actor),
    )
    if ends_on < starts_on:
        raise ValidationError(_("The programme must end after it starts."))
    p.full_clean()
    p.save()
    record(actor=actor, action="programmes.create", obj=p, unit=unit)
    return p


def _check_ambition(*, parent, target, direction):
    """A derived rate (unit of measure %) may not aim lower than the level above: counts differ by unit size,
    rates do not."""
    if parent is None or parent.measure.strip() != "%":
        return
    weaker = target < parent.target if direction == Indicator.Direction.INCREASE else target > parent.target
    if weaker:
        raise ValidationError(
            _("The target %(target)s%% is less ambitious than the level above's %(parent)s%%.")
            % {"target": _num(target), "parent": _num(parent.target)}
        )


def _num(value):
    return f"{value.normalize():f}" if isinstance(value, Decimal) else str(value)


@transaction.atomic
def add_indicator(*, programme, name, measure, baseline, target, direction, actor):
    if baseline == target:
        raise ValidationError(_("The target value must differ from the baseline."))
    if (direction == Indicator.Direction.INCREASE) != (target > baseline):
        raise ValidationError(_("The target must lie in the indicator's direction from the baseline."))
    ind = Indicator(
        programme=programme,
        name=name,
        measure=measure,
        baseline=baseline,
        target=target,
        direction=direction,
        order=programme.indicators.count() + 1,
    )
    ind.full_clean()
    ind.save()
    record(actor=actor, action="programmes.add_indicator", obj=ind, unit=programme.unit)
    return ind


@transaction.atomic
def set_indicator_values(*, indicator, baseline, target, actor):
    """A unit sets its own baseline and target on an indicator (derived ones keep the parent's direction)."""
    if (indicator.direction == Indicator.Direction.INCREASE) != (target > baseline) or baseline == target:
        raise ValidationError(_("The target must lie in the indicator's direction from the baseline."))
    _check_ambition(parent=indicator.parent, target=target, direction=indicator.direction)
    before = {"baseline": str(indicator.baseline), "target": str(indicator.target)}
    indicator.baseline, indicator.target = baseline, target
    indicator.save(update_fields=["baseline", "target"])
    after = {"baseline": str(baseline), "target": str(target)}
    record(
        actor=actor,
        action="programmes.set_indicator",
        obj=indicator,
        unit=indicator.programme.unit,
        changes={k: [before[k], after[k]] for k in after if before[k] != after[k]},
    )
    return indicator


def _check_task(*, programme, owner_unit, due_on, parent=None):
    if not owner_unit.path.startswith(programme.unit.path):
        raise ValidationError(_("The owner of a task must be the programme's unit or a unit under it."))
    if parent is not None and due_on > parent.due_on:
        raise ValidationError(
            _("The deadline may not be later than the level above's deadline (%(due)s).") % {"due": _d(parent.due_on)}
        )


@transaction.atomic
def add_task(*, programme, title, owner_unit, due_on, responsible="", actor):
    _check_task(programme=programme, owner_unit=owner_unit, due_on=due_on)
    task = Task(
        programme=programme,
        title=title,
        owner_unit=owner_unit,
        responsible=responsible,
        due_on=due_on,
        order=programme.tasks.count() + 1,
    )
    task.full_clean()
    task.save()
    record(actor=actor, action="programmes.add_task", obj=task, unit=programme.unit)
    return task


@transaction.atomic
def change_task(*, task, owner_unit, due_on, responsible, actor):
    _check_task(programme=task.programme, owner_unit=owner_unit, due_on=due_on, parent=task.parent)
    changes = {}
    for field, value in (("owner_unit", owner_unit), ("due_on", due_on), ("responsible", responsible)):
        old = getattr(task, field)
        if old != value:
            changes[field] = [str(old), str(value)]
            setattr(task, field, value)
    task.save(update_fields=["owner_unit", "due_on", "responsible"])
    record(actor=actor, action="programmes.change_task", obj=task, unit=task.programme.unit, changes=changes)
    return task


@transaction.atomic
def adopt_programme(*, parent, unit, adopted_on, title="", actor):
    """The unit's action programme: its own copy of the parent's indicators (same baseline, target and
    direction until the unit sets its own) and tasks (owned by the unit, same deadline)."""
    if unit.parent_id != parent.unit_id:
        raise ValidationError(_("Only a unit directly under the programme's unit can adopt it."))
    if Programme.objects.filter(parent=parent, unit=unit).exists():
        raise ValidationError(_("%(unit)s has already adopted this programme.") % {"unit": unit.name})
    if adopted_on < parent.adopted_on:
        raise ValidationError(_("The action programme cannot be adopted before the programme it implements."))
    child = Programme.objects.create(
        unit=unit,
        parent=parent,
        document=parent.document,
        title=title or _("Action programme of %(unit)s: %(title)s") % {"unit": unit.name, "title": parent.title},
        adopted_on=adopted_on,
        starts_on=parent.starts_on,
        ends_on=parent.ends_on,
        frequency=parent.frequency,
        report_due_days=parent.report_due_days,
        created_by=_actor(actor),
    )
    Indicator.objects.bulk_create(
        Indicator(
            programme=child,
            parent=i,
            name=i.name,
            measure=i.measure,
            baseline=i.baseline,
            target=i.target,
            direction=i.direction,
            order=i.order,
        )
        for i in parent.indicators.all()
    )
    Task.objects.bulk_create(
        Task(programme=child, parent=t, title=t.title, owner_unit=unit, due_on=t.due_on, order=t.order)
        for t in parent.tasks.all()
    )
    record(actor=actor, action="programmes.adopt", obj=child, unit=unit, changes={"parent": [None, parent.pk]})
    _notify(
        parent.unit,
        _("%(unit)s adopted its action programme") % {"unit": unit.name},
        child.get_absolute_url(),
        "programmes.adopted",
    )
    return child


# --- Periods and reports ------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    due: datetime.date

    @property
    def label(self):
        return f"{_d(self.start)}–{_d(self.end)}"


def periods(programme):
    """The programme's reporting periods from its start to its end (the last one cut at the end)."""
    return list(_periods(programme.starts_on, programme.ends_on, programme.frequency, programme.report_due_days))


@functools.lru_cache(maxsize=256)
def _periods(starts_on, ends_on, frequency, due_days):
    # Every action programme of a bloc programme shares its calendar: computed once per calendar.
    months = Programme.MONTHS[frequency]
    result = []
    start = starts_on
    while start <= ends_on:
        nxt = add_months(start, months)
        end = min(nxt - datetime.timedelta(days=1), ends_on)
        result.append(Period(start, end, end + datetime.timedelta(days=due_days)))
        start = nxt
    return tuple(result)


def period_of(programme, start):
    for p in periods(programme):
        if p.start == start:
            return p
    raise ValidationError(_("%(day)s does not start a reporting period of this programme.") % {"day": _d(start)})


@transaction.atomic
def save_report(*, programme, period_start, values, tasks, narrative="", evidence=None, actor, report=None, today=None):
    """Create or update the draft report of a period. ``values``: {indicator: Decimal or None};
    ``tasks``: {task: (status, done_on, note)}."""
    today = today or timezone.localdate()
    period = period_of(programme, period_start)
    if period.start > today:
        raise ValidationError(_("The period has not started yet."))
    if report is None:
        report = Report.objects.select_for_update().filter(programme=programme, period_start=period.start).first()
    if report is not None and report.state not in Report.EDITABLE:
        raise ValidationError(
            _("The report of this period is “%(state)s” and can no longer be changed.")
            % {"state": report.get_state_display()}
        )
    for task, (status, done_on, _note) in tasks.items():
        if status == Task.Status.DONE and done_on is None:
            raise ValidationError(_("Give the day “%(task)s” was done.") % {"task": task.title})
        if done_on and done_on > today:
            raise ValidationError(_("The day “%(task)s” was done is in the future.") % {"task": task.title})
    created = report is None
    if created:
        report = Report(programme=programme, period_start=period.start, period_end=period.end)
    report.narrative = narrative
    if evidence:
        report.evidence = evidence
    report.save()
    ReportValue.objects.filter(report=report).delete()
    ReportValue.objects.bulk_create(
        ReportValue(report=report, indicator=i, value=v) for i, v in values.items() if v is not None
    )
    ReportTask.objects.filter(report=report).delete()
    ReportTask.objects.bulk_create(
        ReportTask(report=report, task=t, status=s, done_on=d if s == Task.Status.DONE else None, note=n)
        for t, (s, d, n) in tasks.items()
    )
    record(
        actor=actor, action="programmes.save_report", obj=report, unit=programme.unit, note="created" if created else ""
    )
    return report


@transaction.atomic
def submit_report(*, report, actor, today=None):
    today = today or timezone.localdate()
    # Lock the report row only: PostgreSQL refuses FOR UPDATE on the nullable side of the parent's outer join.
    report = (
        Report.objects.select_for_update(of=("self",))
        .select_related("programme__unit", "programme__parent__unit")
        .get(pk=report.pk)
    )
    if report.state not in Report.EDITABLE:
        raise ValidationError(_("Only a draft or returned report can be submitted."))
    missing = report.programme.indicators.exclude(values__report=report)
    if missing.exists():
        raise ValidationError(
            _("Give a value for every indicator before submitting: %(names)s.")
            % {"names": ", ".join(missing.values_list("name", flat=True))}
        )
    report.state = Report.State.SUBMITTED
    report.submitted_on = today
    report.submitted_by = _actor(actor)
    report.save(update_fields=["state", "submitted_on", "submitted_by"])
    refresh_task_status(report.programme)
    record(actor=actor, action="programmes.submit_report", obj=report, unit=report.programme.unit)
    parent = report.programme.parent
    if parent is not None:
        _notify(
            parent.unit,
            _("%(unit)s submitted its progress report for %(period)s")
            % {"unit": report.programme.unit.name, "period": f"{_d(report.period_start)}–{_d(report.period_end)}"},
            report.get_absolute_url(),
            "programmes.report_submitted",
        )
    return report


@transaction.atomic
def review_report(*, report, accept, note="", actor, today=None):
    """The level above accepts the report, or returns it with a note (it then no longer counts)."""
    today = today or timezone.localdate()
    report = Report.objects.select_for_update(of=("self",)).select_related("programme__unit").get(pk=report.pk)
    if report.state != Report.State.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be accepted or returned."))
    if not accept and not note.strip():
        raise ValidationError(_("Say why the report is returned."))
    report.state = Report.State.ACCEPTED if accept else Report.State.RETURNED
    report.reviewed_on = today
    report.reviewed_by = _actor(actor)
    report.review_note = note
    report.save(update_fields=["state", "reviewed_on", "reviewed_by", "review_note"])
    if not accept:
        refresh_task_status(report.programme)
    record(
        actor=actor,
        action="programmes.accept_report" if accept else "programmes.return_report",
        obj=report,
        unit=report.programme.unit,
        note=note,
    )
    title = (
        _("Your progress report for %(period)s was accepted")
        if accept
        else _("Your progress report for %(period)s was returned for revision")
    ) % {"period": f"{_d(report.period_start)}–{_d(report.period_end)}"}
    _notify(report.programme.unit, title, report.get_absolute_url(), "programmes.report_reviewed")
    return report


def refresh_task_status(programme):
    """Each task takes the status of the latest counted report that mentions it."""
    latest = {}
    rows = (
        ReportTask.objects.filter(report__programme=programme, report__state__in=Report.COUNTED)
        .order_by("report__period_start")
        .values_list("task_id", "status", "done_on")
    )
    for task_id, status, done_on in rows:
        latest[task_id] = (status, done_on)
    changed = []
    for task in programme.tasks.all():
        status, done_on = latest.get(task.pk, (Task.Status.NOT_STARTED, None))
        if (task.status, task.done_on) != (status, done_on):
            task.status, task.done_on = status, done_on
            changed.append(task)
    Task.objects.bulk_update(changed, ["status", "done_on"])


# --- Read side: progress ------------------------------------------------------------------------


def latest_values(indicators):
    """The indicators annotated with ``latest``: the value of the latest counted report (one query)."""
    newest = ReportValue.objects.filter(indicator=OuterRef("pk"), report__state__in=Report.COUNTED).order_by(
        "-report__period_start"
    )
    return indicators.annotate(latest=Subquery(newest.values("value")[:1]))


@dataclass
class Cell:
    indicator: Indicator
    value: Decimal | None
    percent: Decimal | None
    reached: bool


def indicator_progress(programme):
    return [
        Cell(i, i.latest, i.percent(i.latest), i.reached(i.latest))
        for i in latest_values(programme.indicators.select_related("parent"))
    ]


def missing_periods(programme, counted_starts, today):
    """Periods whose report is due before ``today`` and not submitted."""
    return [p for p in periods(programme) if p.due < today and p.start not in counted_starts]


@dataclass
class UnitRow:
    programme: Programme
    cells: list
    overdue_tasks: int
    missing: list
    last_report: Report | None

    @property
    def unit(self):
        return self.programme.unit


def progress_by_unit(programme, *, children=None, today=None):
    """One row per adopting unit: its latest value and % of its own target for each of ``programme``'s
    indicators, its overdue tasks and missing reports. Six queries: children, parent indicators, latest values,
    derived indicators, reports, overdue tasks."""
    today = today or timezone.localdate()
    children = list((children if children is not None else programme.children.all()).select_related("unit"))
    ids = [c.pk for c in children]
    parents = list(programme.indicators.all())
    # The latest counted value of every derived indicator: one window query (ROW_NUMBER per indicator).
    newest = (
        ReportValue.objects.filter(indicator__programme_id__in=ids, report__state__in=Report.COUNTED)
        .annotate(rn=Window(RowNumber(), partition_by=[F("indicator_id")], order_by=F("report__period_start").desc()))
        .filter(rn=1)
        .values_list("indicator_id", "value")
    )
    latest = dict(newest)
    by_child = {}
    for i in Indicator.objects.filter(programme_id__in=ids, parent__isnull=False):
        i.latest = latest.get(i.pk)
        by_child[(i.programme_id, i.parent_id)] = i
    counted = {}
    last = {}
    rows = Report.objects.filter(programme_id__in=ids).order_by("period_start", "pk")
    for row in rows.values_list("pk", "programme_id", "period_start", "period_end", "state"):
        last[row[1]] = row
        if row[4] in Report.COUNTED:
            counted.setdefault(row[1], set()).add(row[2])
    fields = ("pk", "programme_id", "period_start", "period_end", "state")
    last = {pid: Report(**dict(zip(fields, row, strict=True))) for pid, row in last.items()}
    overdue = dict(
        Task.objects.filter(programme_id__in=ids, due_on__lt=today)
        .exclude(status=Task.Status.DONE)
        .values_list("programme_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows = []
    for c in children:
        cells = []
        for p in parents:
            i = by_child.get((c.pk, p.pk))
            if i is None:
                cells.append(Cell(p, None, None, False))
            else:
                cells.append(Cell(i, i.latest, i.percent(i.latest), i.reached(i.latest)))
        rows.append(
            UnitRow(c, cells, overdue.get(c.pk, 0), missing_periods(c, counted.get(c.pk, set()), today), last.get(c.pk))
        )
    rows.sort(key=lambda r: r.unit.path)
    return rows


def overdue_tasks(programmes, today=None):
    today = today or timezone.localdate()
    return (
        Task.objects.filter(programme__in=programmes, due_on__lt=today)
        .exclude(status=Task.Status.DONE)
        .select_related("programme__unit", "owner_unit")
        .order_by("due_on", "pk")
    )


def missing_reports(programmes, today=None):
    """[(programme, period)] of reports due before ``today`` and not submitted, for action programmes."""
    today = today or timezone.localdate()
    progs = list(programmes.filter(parent__isnull=False).select_related("unit"))
    counted = {}
    for pid, start in Report.objects.filter(programme__in=progs, state__in=Report.COUNTED).values_list(
        "programme_id", "period_start"
    ):
        counted.setdefault(pid, set()).add(start)
    return [(p, period) for p in progs for period in missing_periods(p, counted.get(p.pk, set()), today)]


def reports_due_between(programmes, start, end):
    """[(programme, period)] of action-programme reports not yet submitted whose due date lies in start..end."""
    progs = list(programmes.filter(parent__isnull=False).select_related("unit"))
    counted = set(
        Report.objects.filter(programme__in=progs, state__in=Report.COUNTED).values_list("programme_id", "period_start")
    )
    found = [(p, x) for p in progs for x in periods(p) if start <= x.due <= end and (p.pk, x.start) not in counted]
    return sorted(found, key=lambda pair: pair[1].due)


# --- Reminders ----------------------------------------------------------------------------------


def send_reminders(today=None):
    """Remind the owner unit's staff of reports coming due (at the registry's offsets) and of reports and tasks
    overdue (once each). Returns the number of notifications sent."""
    from dangbo.core.notify import notify
    from dangbo.programmes.models import Reminder
    from dangbo.rules.registry import RuleMissing, rule

    today = today or timezone.localdate()
    sent = 0
    already = set(Reminder.objects.values_list("key", "days_before"))

    def once(key, offset, unit, title, url):
        nonlocal sent
        if (key, offset) in already:
            return
        Reminder.objects.create(key=key, days_before=offset)
        already.add((key, offset))
        notify(users=_staff_of(unit), title=title, url=url, kind="programmes.reminder")
        sent += 1

    progs = Programme.objects.filter(parent__isnull=False, ends_on__gte=today - datetime.timedelta(days=366))
    progs = progs.select_related("unit")
    counted = {}
    for pid, start in Report.objects.filter(programme__in=progs, state__in=Report.COUNTED).values_list(
        "programme_id", "period_start"
    ):
        counted.setdefault(pid, set()).add(start)
    for p in progs:
        try:
            offsets = sorted(rule("reminders.offset_days", on=today, unit=p.unit))
        except RuleMissing:
            offsets = []
        url = reverse("programmes:detail", args=[p.pk])
        for period in periods(p):
            if period.start in counted.get(p.pk, set()) or period.start > today:
                continue
            left = (period.due - today).days
            values = {"period": period.label, "title": p.title, "due": _d(period.due), "days": left}
            if left < 0:
                once(
                    f"report:{p.pk}:{period.start}",
                    -1,
                    p.unit,
                    _("Overdue: progress report %(period)s of “%(title)s” was due on %(due)s") % values,
                    url,
                )
            else:
                offset = next((o for o in offsets if left <= o), None)
                if offset is not None:
                    once(
                        f"report:{p.pk}:{period.start}",
                        offset,
                        p.unit,
                        _("Progress report %(period)s of “%(title)s” is due on %(due)s (in %(days)s days)") % values,
                        url,
                    )
    for t in overdue_tasks(Programme.objects.all(), today):
        once(
            f"task:{t.pk}",
            -1,
            t.owner_unit,
            _("Overdue task: “%(task)s” was due on %(due)s") % {"task": t.title, "due": _d(t.due_on)},
            reverse("programmes:detail", args=[t.programme_id]),
        )
    return sent


# --- Events and contests ------------------------------------------------------------------------


@transaction.atomic
def create_event(
    *, unit, kind, title, starts_on, ends_on, registration_deadline, quota_per_unit, place="", description="", actor
):
    if ends_on < starts_on:
        raise ValidationError(_("The event must end after it starts."))
    if registration_deadline > starts_on:
        raise ValidationError(_("Registration must close before the event starts."))
    e = Event(
        unit=unit,
        kind=kind,
        title=title,
        starts_on=starts_on,
        ends_on=ends_on,
        place=place,
        registration_deadline=registration_deadline,
        quota_per_unit=quota_per_unit,
        description=description,
        created_by=_actor(actor),
    )
    e.full_clean()
    e.save()
    record(actor=actor, action="programmes.create_event", obj=e, unit=unit)
    return e


@transaction.atomic
def register_participant(*, event, unit, member, topic="", registered_on=None, actor, today=None):
    """Register a member of ``unit`` (a unit directly under the organizer) within the unit's quota, on the day
    the unit registered (``registered_on``, today when typed the same day; when it was typed is in the audit)."""
    today = today or timezone.localdate()
    day = registered_on or today
    if day > today:
        raise ValidationError(_("The registration date %(day)s is in the future.") % {"day": _d(day)})
    event = Event.objects.select_for_update().get(pk=event.pk)  # serializes the quota count
    if day > event.registration_deadline:
        raise ValidationError(_("Registration closed on %(day)s.") % {"day": _d(event.registration_deadline)})
    if unit.parent_id != event.unit_id:
        raise ValidationError(_("Only units directly under the organizer register participants."))
    if member.status not in Member.CURRENT_STATUSES or not member.unit.path.startswith(unit.path):
        raise ValidationError(
            _("%(name)s is not a party member of %(unit)s.") % {"name": member.full_name, "unit": unit.name}
        )
    if event.registrations.filter(member=member).exists():
        raise ValidationError(_("%(name)s is already registered.") % {"name": member.full_name})
    taken = event.registrations.filter(unit=unit).count()
    if taken >= event.quota_per_unit:
        raise ValidationError(
            _("%(unit)s has used its quota of %(quota)s participants.")
            % {"unit": unit.name, "quota": event.quota_per_unit}
        )
    reg = Registration.objects.create(
        event=event, unit=unit, member=member, topic=topic, registered_on=day, registered_by=_actor(actor)
    )
    record(actor=actor, action="programmes.register", obj=reg, unit=unit)
    return reg


@transaction.atomic
def withdraw_registration(*, registration, actor, today=None):
    today = today or timezone.localdate()
    event = registration.event
    if today > event.registration_deadline:
        raise ValidationError(_("Registration closed on %(day)s.") % {"day": _d(event.registration_deadline)})
    record(
        actor=actor,
        action="programmes.withdraw",
        obj=registration,
        unit=registration.unit,
        note=registration.member.full_name,
    )
    registration.delete()


def _open_for_scoring(event):
    if event.results_published_on:
        raise ValidationError(_("The results have been published; scores can no longer change."))


@transaction.atomic
def add_round(*, event, name, max_score, actor):
    _open_for_scoring(event)
    r = Round.objects.create(event=event, name=name, max_score=max_score, order=event.rounds.count() + 1)
    record(actor=actor, action="programmes.add_round", obj=r, unit=event.unit)
    return r


@transaction.atomic
def add_judge(*, event, name, actor):
    _open_for_scoring(event)
    if event.judges.filter(name=name).exists():
        raise ValidationError(_("%(name)s is already a judge.") % {"name": name})
    j = Judge.objects.create(event=event, name=name)
    record(actor=actor, action="programmes.add_judge", obj=j, unit=event.unit)
    return j


@transaction.atomic
def add_prize(*, event, name, count, actor):
    _open_for_scoring(event)
    p = Prize.objects.create(event=event, name=name, count=count, order=event.prizes.count() + 1)
    record(actor=actor, action="programmes.add_prize", obj=p, unit=event.unit)
    return p


@transaction.atomic
def record_scores(*, event, round, judge, scores, actor):
    """``scores``: {registration: points or None}; None removes a score."""
    _open_for_scoring(event)
    for reg, points in scores.items():
        if points is not None and not (0 <= points <= round.max_score):
            raise ValidationError(
                _("The score of %(name)s must be between 0 and %(max)s.")
                % {"name": reg.member.full_name, "max": _num(round.max_score)}
            )
    Score.objects.filter(round=round, judge=judge, registration__in=list(scores)).delete()
    Score.objects.bulk_create(
        Score(registration=reg, round=round, judge=judge, points=p) for reg, p in scores.items() if p is not None
    )
    record(actor=actor, action="programmes.scores", obj=round, unit=event.unit, note=judge.name)


@dataclass
class Standing:
    registration: Registration
    total: Decimal
    rank: int
    prize: str = ""


def ranking(event):
    """Totals (per round the judges' average, summed over the rounds) in descending order; equal totals share
    a rank and the next rank skips (1, 2, 2, 4). Prizes go down the ranks by their numbers; a tie on the last
    place of a prize gives that prize to every tied contestant."""
    regs = list(event.registrations.select_related("member", "unit"))
    sums = {}
    for reg_id, round_id, points in Score.objects.filter(registration__event=event).values_list(
        "registration_id", "round_id", "points"
    ):
        sums.setdefault(reg_id, {}).setdefault(round_id, []).append(points)
    totals = {r.pk: sum((sum(v) / len(v) for v in sums.get(r.pk, {}).values()), Decimal(0)).quantize(TWO) for r in regs}
    regs.sort(key=lambda r: (-totals[r.pk], r.member.search_name, r.pk))
    prizes = []
    for p in event.prizes.all():
        prizes.extend([p.name] * p.count)
    ranked = competition_ranks([totals[r.pk] for r in regs], prizes)
    return [Standing(reg, total, rank, prize) for reg, (total, rank, prize) in zip(regs, ranked, strict=True)]


def competition_ranks(totals, prizes):
    """[(total, rank, prize)] for ``totals`` in descending order: equal totals share the rank of the first of
    them and the next rank skips ("1, 1, 3"); ``prizes`` lists one name per place, so a tie on a prize's
    place gives that prize to every tied contestant."""
    result = []
    for pos, total in enumerate(totals, start=1):
        rank = result[-1][1] if result and result[-1][0] == total else pos
        result.append((total, rank, prizes[rank - 1] if rank <= len(prizes) else ""))
    return result


def missing_scores(event):
    expected = event.registrations.count() * event.rounds.count() * event.judges.count()
    return expected - Score.objects.filter(registration__event=event).count()


@transaction.atomic
def publish_results(*, event, actor, today=None):
    today = today or timezone.localdate()
    event = Event.objects.select_for_update().get(pk=event.pk)
    _open_for_scoring(event)
    if not event.rounds.exists() or not event.judges.exists() or not event.registrations.exists():
        raise ValidationError(_("Add the participants, rounds and judges first."))
    missing = missing_scores(event)
    if missing:
        raise ValidationError(_("%(n)s scores are still missing.") % {"n": missing})
    standings = ranking(event)
    for s in standings:
        s.registration.total, s.registration.rank, s.registration.prize = s.total, s.rank, s.prize
    Registration.objects.bulk_update([s.registration for s in standings], ["total", "rank", "prize"])
    event.results_published_on = today
    event.save(update_fields=["results_published_on"])
    record(actor=actor, action="programmes.publish_results", obj=event, unit=event.unit)
    return standings


def event_summary(registrations):
    """(participants, units) behind the sentence "54 contestants from 49 units"."""
    agg = registrations.aggregate(n=Count("pk"), units=Count("unit", distinct=True))
    return agg["n"], agg["units"]
