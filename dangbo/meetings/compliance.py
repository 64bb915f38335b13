"""Compliance of a subtree's cells over a period (DOMAIN.md §5): which cells broke which rule, and why.

Two queries whatever the size of the tree: the cells that existed in the period, and the held meetings
with the judgement stored on them when they were recorded (minimum length for the cell's kind and size
on that day, work-meeting flag, attendance on the legal denominator, publication deadline). Months and
quarters that have not ended yet are reported as "pending", not as breaches.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangbo.core.dates import month_end
from dangbo.meetings.models import Meeting
from dangbo.org.dated import subtree_on
from dangbo.org.models import OrgUnit
from dangbo.rules.registry import rule_lookup

NO_REGULAR = "no_regular"
NO_THEMATIC = "no_thematic"
TOO_SHORT = "too_short"
WITH_WORK = "with_work"
LOW_ATTENDANCE = "low_attendance"
NOT_PUBLISHED = "not_published"
KINDS = {
    NO_REGULAR: _("No regular meeting in the month"),
    NO_THEMATIC: _("No thematic meeting in the quarter"),
    TOO_SHORT: _("Meeting too short"),
    WITH_WORK: _("Combined with a professional meeting"),
    LOW_ATTENDANCE: _("Low attendance"),
    NOT_PUBLISHED: _("Minutes not published in time"),
}


@dataclass
class Breach:
    kind: str
    unit_id: int
    unit_name: str
    month: datetime.date  # first day of the month (the quarter's last month for NO_THEMATIC)
    reason_text: object  # a lazy translated format, filled with ``params`` only when shown
    meeting_id: int | None = None
    pending: bool = False
    params: dict | None = None

    @property
    def label(self):
        return KINDS[self.kind]

    @property
    def reason(self):
        return self.reason_text % self.params if self.params else str(self.reason_text)


@dataclass
class Report:
    root: OrgUnit
    start: datetime.date
    end: datetime.date
    months: list
    cell_count: int = 0
    breaches: list = field(default_factory=list)
    cells: dict = field(default_factory=dict)  # id -> (name, path)
    meetings_held: int = 0
    regular_held: int = 0
    thematic_held: int = 0
    present: int = 0
    denominator: int = 0

    def counts(self):
        c = Counter(b.kind for b in self.breaches if not b.pending)
        return [(k, KINDS[k], c.get(k, 0)) for k in KINDS]

    @property
    def cells_with_breach(self):
        return len({b.unit_id for b in self.breaches if not b.pending})

    @property
    def noncompliant_meetings(self):
        return len({b.meeting_id for b in self.breaches if b.kind in (TOO_SHORT, WITH_WORK)})


def month_starts(start, end):
    out = []
    d = start.replace(day=1)
    while d <= end:
        out.append(d)
        d = (d + datetime.timedelta(days=32)).replace(day=1)
    return out


def cells_in(root, start, end):
    """The cells under ``root`` in the tree of the period's last day (``dangbo.org.dated``): a cell moved
    away after the period still counts for the committee it was under then."""
    return (
        OrgUnit.objects.filter(pk__in=subtree_on(root, end), kind__in=OrgUnit.CELL_KINDS, valid_from__lte=end)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=start))
        .values_list("pk", "name", "path", "valid_from", "valid_to")
    )


def compute(root, start, end, *, today=None, kinds=None):
    today = today or timezone.localdate()
    kinds = set(kinds or KINDS)
    report = Report(root=root, start=start, end=end, months=month_starts(start, end))
    lifetimes = {}
    for pk, name, path, vfrom, vto in cells_in(root, start, end):
        report.cells[pk] = (name, path)
        lifetimes[pk] = (vfrom, vto)
    report.cell_count = len(report.cells)
    low = rule_lookup("meeting.low_attendance_percent", unit=root)
    meetings = (
        Meeting.objects.filter(
            unit_id__in=subtree_on(root, end),
            state=Meeting.State.HELD,
            held_on__gte=start,
            held_on__lte=end,
        )
        .order_by()
        .values_list(
            "pk",
            "unit_id",
            "kind",
            "held_on",
            "too_short",
            "duration_minutes",
            "min_minutes",
            "with_work_meeting",
            "present_count",
            "denominator",
            "publish_due",
            "published_at",
        )
    )
    regular = defaultdict(set)
    thematic = defaultdict(set)
    tz = timezone.get_current_timezone()
    for (
        pk,
        unit_id,
        kind,
        held_on,
        too_short,
        duration,
        minimum,
        with_work,
        present,
        denom,
        due,
        published_at,
    ) in meetings.iterator(chunk_size=5000):
        if unit_id not in report.cells:
            continue
        name = report.cells[unit_id][0]
        month = held_on.replace(day=1)
        report.meetings_held += 1
        report.present += present
        report.denominator += denom
        if kind in Meeting.REGULAR_KINDS:
            regular[unit_id].add(month)
            report.regular_held += 1
        if kind in Meeting.THEMATIC_KINDS:
            thematic[unit_id].add((held_on.year, (held_on.month - 1) // 3))
            report.thematic_held += 1
        if too_short and TOO_SHORT in kinds:
            reason = _("%(d)s minutes, the minimum for this cell was %(m)s")
            report.breaches.append(
                Breach(TOO_SHORT, unit_id, name, month, reason, pk, params={"d": duration, "m": minimum})
            )
        if with_work and WITH_WORK in kinds:
            report.breaches.append(Breach(WITH_WORK, unit_id, name, month, KINDS[WITH_WORK], pk))
        threshold = low(held_on)
        if LOW_ATTENDANCE in kinds and threshold is not None and denom and present * 100 < threshold * denom:
            reason = _("%(p)s of %(n)s members present, below %(t)s%%")
            params = {"p": present, "n": denom, "t": threshold}
            report.breaches.append(Breach(LOW_ATTENDANCE, unit_id, name, month, reason, pk, params=params))
        if NOT_PUBLISHED in kinds and due is not None:
            late_day = published_at.astimezone(tz).date() if published_at else None
            if (late_day is None and today > due) or (late_day is not None and late_day > due):
                if late_day:
                    reason = _("published on %(d)s, due by %(due)s")
                    params = {"d": late_day.strftime("%d/%m/%Y"), "due": due.strftime("%d/%m/%Y")}
                else:
                    reason, params = _("not published, due by %(due)s"), {"due": due.strftime("%d/%m/%Y")}
                report.breaches.append(Breach(NOT_PUBLISHED, unit_id, name, month, reason, pk, params=params))
    for unit_id, (name, _path) in report.cells.items():
        vfrom, vto = lifetimes[unit_id]
        for month in report.months:
            last = month_end(month)
            if month > today or last < vfrom or (vto and vto <= month):
                continue
            pending = last >= today
            if NO_REGULAR in kinds and month not in regular[unit_id]:
                reason, params = _("no regular meeting held in %(m)s"), {"m": month.strftime("%m/%Y")}
                report.breaches.append(Breach(NO_REGULAR, unit_id, name, month, reason, pending=pending, params=params))
            if (
                NO_THEMATIC in kinds
                and month.month % 3 == 0
                and (month.year, (month.month - 1) // 3) not in thematic[unit_id]
            ):
                q = (month.month - 1) // 3 + 1
                reason, params = _("no thematic meeting held in quarter %(q)s/%(y)s"), {"q": q, "y": month.year}
                report.breaches.append(
                    Breach(NO_THEMATIC, unit_id, name, month, reason, pending=pending, params=params)
                )
    report.breaches.sort(key=lambda b: (b.month, report.cells[b.unit_id][1], b.kind))
    return report


def heatmap(report):
    """Rows: the root's children (or the root cell itself), columns: months; each square counts the breaches
    of that group's cells in that month and links to them."""
    root = report.root
    groups = {}
    if root.is_cell:
        groups[root.pk] = root.name
        group_of = {root.pk: root.pk}
    else:
        children = OrgUnit.objects.filter(parent=root).values_list("pk", "name", "path").order_by("path")
        by_path = {path: (pk, name) for pk, name, path in children}
        group_of = {}
        for cell_id, (_name, path) in report.cells.items():
            rest = path[len(root.path) :].split("/", 1)[0]
            key = f"{root.path}{rest}/"
            if key in by_path:
                group_of[cell_id] = by_path[key][0]
        for pk, name in by_path.values():
            if pk in group_of.values():
                groups[pk] = name
    cells_per_group = Counter(group_of.values())
    squares = defaultdict(int)
    for b in report.breaches:
        if not b.pending and b.unit_id in group_of:
            squares[(group_of[b.unit_id], b.month)] += 1
    rows = []
    for gid, name in groups.items():
        row = []
        for month in report.months:
            n = squares.get((gid, month), 0)
            ratio = n / cells_per_group[gid] if cells_per_group[gid] else 0
            level = 0 if n == 0 else 1 if ratio < 0.25 else 2 if ratio < 0.5 else 3
            row.append({"month": month, "n": n, "level": level})
        rows.append({"id": gid, "name": name, "cells": cells_per_group[gid], "squares": row})
    return rows


def chart(report):
    """Breaches by month and kind, for a stacked bar chart."""
    data = {k: [0] * len(report.months) for k in KINDS}
    index = {m: i for i, m in enumerate(report.months)}
    for b in report.breaches:
        if not b.pending and b.month in index:
            data[b.kind][index[b.month]] += 1
    return {
        "labels": [m.strftime("%m/%Y") for m in report.months],
        "datasets": [{"label": str(KINDS[k]), "data": v} for k, v in data.items()],
    }
