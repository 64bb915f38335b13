"""Period figures computed from the events: the member increase/decrease table (biểu tăng giảm đảng viên)
and the transfers report, per direct sub-unit of a chosen unit plus the subtree's total.

Each row is a subtree. A change counts on a row only when it takes the member into or out of the row's
subtree, so a move between two sub-units shows on both sub-unit rows but not in the total, and
``start + increases − decreases == end`` holds on every row.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from dangbo.members.intervals import intervals_on, members_on
from dangbo.members.models import Member, MemberEvent, MemberInterval
from dangbo.org.models import OrgUnit
from dangbo.transfers.models import Transfer

E = MemberEvent.Kind
INCREASES = [
    ("admitted", _("Admitted")),
    ("transferred_in", _("Transferred in")),
    ("other_in", _("Other increases")),
]
DECREASES = [
    ("transferred_out", _("Transferred out")),
    ("deceased", _("Deceased")),
    ("removed", _("Removed from the list")),
    ("expelled", _("Expelled")),
    ("other_out", _("Other decreases")),
]
IN_KIND = {E.ADMITTED: "admitted", E.TRANSFERRED_IN: "transferred_in"}
OUT_KIND = {
    E.TRANSFERRED_OUT: "transferred_out",
    E.TRANSFERRED_IN: "transferred_out",  # moved to a unit outside the row
    E.DECEASED: "deceased",
    E.REMOVED: "removed",
    E.EXPELLED: "expelled",
}
CURRENT = set(Member.CURRENT_STATUSES)


@dataclass
class Row:
    label: str
    unit: OrgUnit | None
    path: str
    exact: bool = False  # only the unit itself (members placed directly in a committee)
    total: bool = False
    counts: Counter = field(default_factory=Counter)

    def holds(self, path):
        return path == self.path if self.exact else bool(path) and path.startswith(self.path)

    @property
    def inc(self):
        return [self.counts[k] for k, _l in INCREASES]

    @property
    def dec(self):
        return [self.counts[k] for k, _l in DECREASES]

    @property
    def cols(self):
        return [self.counts[k] for k, _l in TRANSFER_COLUMNS]

    @property
    def increases(self):
        return sum(self.counts[k] for k, _l in INCREASES)

    @property
    def decreases(self):
        return sum(self.counts[k] for k, _l in DECREASES)

    @property
    def balanced(self):
        return self.counts["start"] + self.increases - self.decreases == self.counts["end"]


def rows_for(unit, day):
    rows = [Row(c.name, c, c.path) for c in unit.children.active(day).order_by("kind", "name")]
    rows.append(Row(_("Directly in %(unit)s") % {"unit": unit.name}, unit, unit.path, exact=True))
    total = Row(_("Total"), unit, unit.path, total=True)
    return rows, total


def _unit_paths(ids):
    return dict(OrgUnit.objects.filter(pk__in=set(ids) - {None}).values_list("pk", "path"))


def movements(unit, start, end):
    """The increase/decrease table of ``unit``'s subtree over [start, end] (both days included)."""
    before = start - datetime.timedelta(days=1)
    rows, total = rows_for(unit, end)
    every = [*rows, total]
    # Members at the start and at the end, grouped by unit path: two grouped queries.
    for key, day in (("start", before), ("end", end)):
        for path, n in members_on(day, unit).values_list("unit__path").annotate(n=Count("id")).order_by():
            for r in every:
                if r.holds(path):
                    r.counts[key] += n
    # The members of the subtree at some time in the period that have events in it.
    touched = (
        MemberInterval.objects.filter(unit__path__startswith=unit.path, valid_from__lte=end)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=before))
        .values("member_id")
    )
    events = list(
        MemberEvent.objects.filter(date__gte=start, date__lte=end, member_id__in=touched)
        .order_by("member_id", "date", "id")
        .values_list("member_id", "kind", "to_unit_id", "status_after")
    )
    moving = MemberEvent.objects.filter(date__gte=start, date__lte=end, member_id__in=touched).values("member_id")
    state = {
        m: (u, s)
        for m, u, s in intervals_on(before).filter(member_id__in=moving).values_list("member_id", "unit_id", "status")
    }
    paths = _unit_paths([u for u, _s in state.values()] + [e[2] for e in events])
    current_member = None
    unit_id = status = None
    for member_id, kind, to_unit_id, status_after in events:
        if member_id != current_member:
            current_member = member_id
            unit_id, status = state.get(member_id, (None, None))
        new_unit, new_status = to_unit_id or unit_id, status_after or status
        old_path = paths.get(unit_id, "") if status in CURRENT else ""
        new_path = paths.get(new_unit, "") if new_status in CURRENT else ""
        for r in every:
            was, now = r.holds(old_path), r.holds(new_path)
            if now and not was:
                r.counts[IN_KIND.get(kind, "other_in")] += 1
            elif was and not now:
                r.counts[OUT_KIND.get(kind, "other_out")] += 1
            if now and kind == E.MADE_OFFICIAL:
                r.counts["made_official"] += 1
        unit_id, status = new_unit, new_status
    _temporary(every, unit, start, end)
    rows = [r for r in rows if not r.exact or any(r.counts.values())]
    return rows, total


def _temporary(every, unit, start, end):
    temps = Transfer.objects.filter(kind=Transfer.Kind.TEMPORARY, received_on__gte=start, received_on__lte=end).filter(
        Q(from_unit__path__startswith=unit.path) | Q(to_unit__path__startswith=unit.path)
    )
    for src, dst in temps.values_list("from_unit__path", "to_unit__path"):
        for r in every:
            if r.holds(dst) and not r.holds(src):
                r.counts["temporary_in"] += 1
            if r.holds(src) and not r.holds(dst):
                r.counts["temporary_out"] += 1


TRANSFER_COLUMNS = [
    ("official_in", _("Official, received")),
    ("official_out", _("Official, transferred away")),
    ("temporary_in", _("Temporary, received")),
    ("temporary_out", _("Temporary, transferred away")),
]


def transfer_report(unit, start, end):
    """Transfers completed in [start, end] per sub-unit: received and transferred away, official and temporary.

    A transfer is completed when the receiving unit confirmed it (the hand-over of the record for a
    transfer out of the system); the total row leaves out moves inside the subtree.
    """
    rows, total = rows_for(unit, end)
    every = [*rows, total]
    K = Transfer.Kind
    done = Q(kind=K.OFFICIAL_OUT, record_sent_on__gte=start, record_sent_on__lte=end) | (
        ~Q(kind=K.OFFICIAL_OUT) & Q(received_on__gte=start, received_on__lte=end)
    )
    qs = (
        Transfer.objects.filter(done)
        .exclude(state=Transfer.State.CANCELLED)
        .filter(Q(from_unit__path__startswith=unit.path) | Q(to_unit__path__startswith=unit.path))
    )
    for kind, src, dst in qs.values_list("kind", "from_unit__path", "to_unit__path"):
        prefix = "temporary" if kind == K.TEMPORARY else "official"
        for r in every:
            if r.holds(dst) and not r.holds(src):
                r.counts[f"{prefix}_in"] += 1
            if r.holds(src) and not r.holds(dst):
                r.counts[f"{prefix}_out"] += 1
    for r in every:
        r.counts["all"] = sum(r.counts[k] for k, _l in TRANSFER_COLUMNS)
    rows = [r for r in rows if not r.exact or any(r.counts.values())]
    return rows, total
