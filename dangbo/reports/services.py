"""Periodic reports: submission by the grassroots, return or acceptance by the level above,
consolidation of a subtree, register reconciliation, and the daily reminders."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from dangbo.core.audit import record
from dangbo.core.deadlines import Deadline
from dangbo.core.figures import collect
from dangbo.members.intervals import intervals_on
from dangbo.org.models import OrgUnit
from dangbo.reports.models import (
    RECONCILED_STATUSES,
    Period,
    PeriodicReport,
    Reconciliation,
    period_bounds,
    period_label,
)
from dangbo.rules.registry import RuleMissing, rule

NARRATIVE = ["results", "limitations", "causes", "next_tasks", "proposals"]


def _d(day):
    return day.strftime("%d/%m/%Y")


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


def countable(figures):
    """The figures a report declares and a consolidation sums: whole numbers (counts), not percentages."""
    return {k: f for k, f in figures.items() if isinstance(f.value, int) and not isinstance(f.value, bool)}


def due_date(unit, kind, year, number):
    """The report's deadline: the period's end plus the rule report.due_days_after_period."""
    _start, end = period_bounds(kind, year, number)
    try:
        days = rule("report.due_days_after_period", on=end, unit=unit)
    except RuleMissing as e:
        raise ValidationError(str(e))
    return end + datetime.timedelta(days=int(days))


def due_dates(units, kind, year, number):
    """{unit pk: deadline} for many units in one query, resolved as the rule registry resolves
    report.due_days_after_period (the nearest committee's override beats the national value)."""
    from dangbo.rules.models import RuleVersion

    _start, end = period_bounds(kind, year, number)
    versions = [
        v
        for v in RuleVersion.objects.filter(rule__key="report.due_days_after_period").select_related("scope_unit")
        if v.covers(end)
    ]
    out = {}
    for unit in units:
        ancestors = set(unit.ancestor_ids(include_self=True))
        mine = [v for v in versions if v.scope_unit_id is None or v.scope_unit_id in ancestors]
        if not mine:
            day = end.strftime("%d/%m/%Y")
            raise ValidationError(
                _("No rule %(key)s is in force on %(day)s.") % {"key": "report.due_days_after_period", "day": day}
            )
        best = max(mine, key=lambda v: (len(v.scope_unit.path) if v.scope_unit_id else 0, v.effective_from, v.pk))
        out[unit.pk] = end + datetime.timedelta(days=int(best.value))
    return out


def deadline(report_or_none, unit, kind, year, number, due=None):
    done = report_or_none.submitted_on if report_or_none and report_or_none.state != "draft" else None
    due = due or due_date(unit, kind, year, number)
    return Deadline(key="report", label=_("Periodic report"), due=due, done=done)


def reporting_units(unit):
    """The grassroots organizations of ``unit``'s subtree (``unit`` itself when it is one), existing today."""
    return OrgUnit.objects.active().in_subtree(unit).filter(kind__in=OrgUnit.GRASSROOTS_KINDS).order_by("path")


@dataclass
class TrackerRow:
    unit: OrgUnit
    report: PeriodicReport | None
    deadline: Deadline

    @property
    def state(self):
        return self.report.state if self.report else ""

    @property
    def missing(self):
        return self.report is None or self.report.state == PeriodicReport.State.DRAFT


def tracker(unit, kind, year, number):
    """Who in ``unit``'s subtree has submitted the period's report, with each deadline."""
    units = list(reporting_units(unit))
    reports = {
        r.unit_id: r
        for r in PeriodicReport.objects.filter(unit__in=units, period=kind, year=year, number=number).select_related(
            "submitted_by", "decided_by"
        )
    }
    dues = due_dates(units, kind, year, number)
    rows = []
    for u in units:
        r = reports.get(u.pk)
        rows.append(TrackerRow(u, r, deadline(r, u, kind, year, number, due=dues[u.pk])))
    return rows


def _check_grassroots(unit):
    if unit.kind not in OrgUnit.GRASSROOTS_KINDS:
        raise ValidationError(_("Only a grassroots party organization submits a periodic report."))


@transaction.atomic
def save_report(*, unit, period, year, number, declared, narrative, submit, actor, today=None):
    """Create or update the unit's report for the period with the declared figures and the narrative;
    with ``submit`` send it to the level above (the system's figures are kept beside the declared ones)."""
    today = today or timezone.localdate()
    _check_grassroots(unit)
    try:
        start, end = period_bounds(period, year, number)
    except (ValueError, KeyError):
        raise ValidationError(_("This period does not exist."))
    report = (
        PeriodicReport.objects.select_for_update().filter(unit=unit, period=period, year=year, number=number).first()
    )
    if report is None:
        report = PeriodicReport(unit=unit, period=period, year=year, number=number, start=start, end=end)
    elif not report.editable:
        raise ValidationError(
            _("This report is “%(state)s” and can no longer be changed.") % {"state": report.get_state_display()}
        )
    old_state, old_declared = (report.state if report.pk else None), dict(report.declared)
    if submit and today < start:
        raise ValidationError(_("A report cannot be submitted before its period begins."))
    report.declared = {k: int(v) for k, v in declared.items() if v is not None}
    for field in NARRATIVE:
        setattr(report, field, (narrative.get(field) or "").strip())
    if submit:
        if not report.results:
            raise ValidationError(_("Write the results of the period before submitting."))
        figures = countable(collect(unit, start, end))
        report.system = {k: f.value for k, f in figures.items()}
        report.state = PeriodicReport.State.SUBMITTED
        report.submitted_on = today
        report.submitted_by = _actor(actor)
        report.return_reason = ""
    report.full_clean()
    report.save()
    record(
        actor=actor,
        action="reports.submit" if submit else "reports.save",
        obj=report,
        unit=unit,
        changes={"state": [old_state, report.state], "declared": [old_declared, report.declared]},
    )
    if submit:
        _notify_upper(report)
    return report


def _staff(units, roles):
    from dangbo.accounts.models import RoleAssignment

    return [
        ra.user
        for ra in RoleAssignment.objects.filter(unit__in=[u for u in units if u], role__in=roles).select_related("user")
    ]


def _notify_upper(report):
    from django.urls import reverse

    from dangbo.accounts.models import Role
    from dangbo.core.notify import notify

    upper = OrgUnit.objects.filter(pk__in=report.unit.ancestor_ids()).order_by("-depth")
    notify(
        users=_staff(list(upper), [Role.BLOC_OFFICE, Role.GRASSROOTS_STAFF]),
        title=_("%(unit)s submitted its report for %(period)s") % {"unit": report.unit.name, "period": report.label},
        url=reverse("reports:report_detail", args=[report.pk]),
        kind="reports.submitted",
    )


def _require_submitted(report):
    if report.state != PeriodicReport.State.SUBMITTED:
        raise ValidationError(
            _("Only a submitted report can be accepted or returned; this one is “%(state)s”.")
            % {"state": report.get_state_display()}
        )


def _decision_day(report, day):
    """The day of the decision on a submitted report: today, or the day it was taken for a report of the
    past (never before the report was submitted)."""
    day = day or timezone.localdate()
    if report.submitted_on and day < report.submitted_on:
        raise ValidationError(_("The decision cannot be dated before the report was submitted."))
    return day


@transaction.atomic
def return_report(*, report, reason, actor, today=None):
    """Send a submitted report back to its unit with the reason; the unit corrects and submits again."""
    report = PeriodicReport.objects.select_for_update().get(pk=report.pk)
    _require_submitted(report)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for returning the report."))
    report.state = PeriodicReport.State.RETURNED
    report.return_reason = reason
    report.decided_on = _decision_day(report, today)
    report.decided_by = _actor(actor)
    report.save(update_fields=["state", "return_reason", "decided_on", "decided_by", "updated_at"])
    record(actor=actor, action="reports.return", obj=report, unit=report.unit, note=reason)
    _notify_unit(report, _("Your report for %(period)s was returned: %(reason)s"), reason=reason)
    return report


@transaction.atomic
def accept_report(*, report, actor, today=None):
    report = PeriodicReport.objects.select_for_update().get(pk=report.pk)
    _require_submitted(report)
    report.state = PeriodicReport.State.ACCEPTED
    report.decided_on = _decision_day(report, today)
    report.decided_by = _actor(actor)
    report.save(update_fields=["state", "decided_on", "decided_by", "updated_at"])
    record(actor=actor, action="reports.accept", obj=report, unit=report.unit)
    _notify_unit(report, _("Your report for %(period)s was accepted."))
    return report


def _notify_unit(report, title, **extra):
    from django.urls import reverse

    from dangbo.accounts.models import Role
    from dangbo.core.notify import notify

    notify(
        users=_staff([report.unit], [Role.GRASSROOTS_STAFF]),
        title=title % {"period": report.label, **extra},
        url=reverse("reports:report_detail", args=[report.pk]),
        kind="reports.decided",
    )


@dataclass
class ConsolidatedRow:
    key: str
    label: str
    section: str
    declared: int | None  # sum over the accepted reports
    system: object  # the system's figure for the whole subtree

    @property
    def difference(self):
        if self.declared is None or not isinstance(self.system, int):
            return None
        return self.declared - self.system


def consolidate(unit, kind, year, number, figures=None):
    """Sum the declared figures of the accepted reports in ``unit``'s subtree, beside the system's figures
    for the subtree over the period. Returns (rows, the declared figures of each accepted report)."""
    start, end = period_bounds(kind, year, number)
    figures = figures if figures is not None else collect(unit, start, end)
    accepted = list(
        PeriodicReport.objects.filter(
            unit__path__startswith=unit.path,
            period=kind,
            year=year,
            number=number,
            state=PeriodicReport.State.ACCEPTED,
        ).values_list("declared", flat=True)
    )
    rows = []
    counts = countable(figures)
    for key, f in figures.items():
        values = [d[key] for d in accepted if key in d]
        declared = sum(values) if values and key in counts else None
        rows.append(ConsolidatedRow(key, str(f.label), str(f.section), declared, f.value))
    return rows, accepted


def register_counts(unit, on):
    """{status: n} of the members on the books of ``unit``'s subtree on ``on``, from the intervals."""
    counts = dict(
        intervals_on(on)
        .filter(unit__path__startswith=unit.path, status__in=RECONCILED_STATUSES)
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {s: counts.get(s, 0) for s in RECONCILED_STATUSES}


@transaction.atomic
def create_reconciliation(*, unit, on, declared, note="", actor, today=None):
    today = today or timezone.localdate()
    if on > today:
        raise ValidationError(_("The reconciliation date cannot be in the future."))
    if Reconciliation.objects.filter(unit=unit, on=on).exists():
        raise ValidationError(_("This unit already has a reconciliation on %(day)s.") % {"day": _d(on)})
    rec = Reconciliation(
        unit=unit,
        on=on,
        declared={s: int(declared.get(s) or 0) for s in RECONCILED_STATUSES},
        system=register_counts(unit, on),
        note=(note or "").strip(),
        created_by=_actor(actor),
    )
    rec.full_clean()
    rec.save()
    record(
        actor=actor,
        action="reports.reconcile",
        obj=rec,
        unit=unit,
        changes={"declared": [None, rec.declared], "system": [None, rec.system]},
    )
    return rec


@transaction.atomic
def sign_reconciliation(*, reconciliation, side, actor, today=None):
    """Sign for the unit (``side="unit"``) or for the level above (``side="upper"``); each side once."""
    rec = Reconciliation.objects.select_for_update().get(pk=reconciliation.pk)
    field = {"unit": "unit_signed", "upper": "upper_signed"}[side]
    if getattr(rec, f"{field}_on"):
        raise ValidationError(_("This side has already signed the reconciliation."))
    setattr(rec, f"{field}_on", today or timezone.localdate())
    setattr(rec, f"{field}_by", _actor(actor))
    rec.save(update_fields=[f"{field}_on", f"{field}_by"])
    record(actor=actor, action=f"reports.sign_{side}", obj=rec, unit=rec.unit)
    return rec


def next_reconciliation(unit, last_on, today=None):
    """The date the next reconciliation is due: the last one plus the rule member.register_reconcile_months."""
    from dangbo.core.dates import add_months

    if last_on is None:
        return None
    try:
        months = rule("member.register_reconcile_months", on=last_on, unit=unit)
    except RuleMissing:
        return None
    return add_months(last_on, int(months))


def current_periods(today):
    """The periods whose reports are being collected around ``today``: for each kind, the period that ended
    last, if it ended within the last quarter (an older period's missing report shows on the tracker)."""
    found = []
    for kind in Period.values:
        per_year = {"quarter": 4, "half": 2, "year": 1}[kind]
        ended = [
            (kind, year, number)
            for year in (today.year - 1, today.year)
            for number in range(1, per_year + 1)
            if period_bounds(kind, year, number)[1] < today
        ]
        if ended and (today - period_bounds(*ended[-1])[1]).days <= 92:
            found.append(ended[-1])
    return found


def send_reminders(today=None):
    """Remind the grassroots staff of reports not yet submitted at the offsets of reminders.offset_days
    before the deadline, and once when it is overdue. Each reminder is sent once. Returns the number sent."""
    from django.urls import reverse

    from dangbo.accounts.models import Role, RoleAssignment
    from dangbo.core.notify import notify
    from dangbo.reports.models import ReminderSent

    today = today or timezone.localdate()
    sent = 0
    units = list(OrgUnit.objects.active(today).filter(kind__in=OrgUnit.GRASSROOTS_KINDS))
    staff = {}
    for ra in RoleAssignment.objects.filter(unit__in=units, role=Role.GRASSROOTS_STAFF).select_related("user"):
        staff.setdefault(ra.unit_id, []).append(ra.user)
    for kind, year, number in current_periods(today):
        done = set(
            PeriodicReport.objects.filter(period=kind, year=year, number=number)
            .exclude(state=PeriodicReport.State.DRAFT)
            .values_list("unit_id", flat=True)
        )
        already = set(
            ReminderSent.objects.filter(period=kind, year=year, number=number).values_list("unit_id", "days_before")
        )
        for unit in units:
            if unit.pk in done or unit.pk not in staff:
                continue
            try:
                due = due_date(unit, kind, year, number)
                offsets = sorted(rule("reminders.offset_days", on=today, unit=unit))
            except (ValidationError, RuleMissing):
                continue
            left = (due - today).days
            if left < -30:
                continue
            offset = -1 if left < 0 else next((o for o in offsets if left <= o), None)
            if offset is None or (unit.pk, offset) in already:
                continue
            ReminderSent.objects.create(unit=unit, period=kind, year=year, number=number, days_before=offset)
            values = {"period": period_label(kind, year, number), "due": _d(due), "days": left}
            if offset >= 0:
                title = _("The report for %(period)s is due on %(due)s (in %(days)s days)") % values
            else:
                title = _("Overdue: the report for %(period)s was due on %(due)s") % values
            url = reverse("reports:report_edit", args=[unit.pk, kind, year, number])
            notify(users=staff[unit.pk], title=title, url=url, kind="reports.due")
            sent += 1
    return sent
