"""Admission progress as the seeds report it: admitted so far, % of the year's target, % of the members
at the end of the previous year, and admissions month by month against the target.

``progress_many`` answers for a unit and its sub-units at once in a fixed number of queries (issue 15):
each figure is one grouped query by unit, added up the tree of its day (``dangbo.org.dated``)."""

import datetime
from collections import defaultdict

from django.db.models import Count
from django.db.models.functions import ExtractMonth

from dangbo.admission.models import Candidate, Target
from dangbo.core.dates import month_end
from dangbo.members.intervals import intervals_on
from dangbo.members.models import Member, MemberEvent
from dangbo.org.dated import parents_on, tree_changed_since
from dangbo.org.models import OrgUnit


class _Trees:
    """The tree ({unit id: parent id}) of a day: today's parents when no unit moved since (one query,
    kept), else the units' history of that day — the same choice as ``subtree_on``."""

    def __init__(self):
        self._today = None

    def on(self, day):
        if tree_changed_since(day):
            return parents_on(day)
        if self._today is None:
            self._today = dict(OrgUnit.objects.values_list("pk", "parent_id"))
        return self._today


def _under(parents, wanted):
    """Ids of the units in the subtree of any of ``wanted`` in the tree ``parents`` (for an ``__in``)."""
    children = defaultdict(list)
    for child, parent in parents.items():
        children[parent].append(child)
    ids, stack = set(), list(wanted)
    while stack:
        pk = stack.pop()
        if pk not in ids:
            ids.add(pk)
            stack.extend(children.get(pk, ()))
    return ids


def _rollup(counts, parents, wanted):
    """{id of ``wanted``: sum of ``counts`` ({unit id: n}) over its subtree in the tree ``parents``}."""
    totals = dict.fromkeys(wanted, 0)
    for unit_id, n in counts.items():
        pk, seen = unit_id, set()
        while pk is not None and pk not in seen:
            seen.add(pk)
            if pk in totals:
                totals[pk] += n
            pk = parents.get(pk)
    return totals


def _admissions_by_month_many(units, year, trees):
    """{unit id: [admissions month by month]} for ``units``' subtrees, each month in the tree of its last
    day: a cell that moved in April counts for its first committee until March."""
    wanted = [u.pk for u in units]
    by_month = {pk: [0] * 12 for pk in wanted}
    if not tree_changed_since(datetime.date(year, 1, 1)):
        tree = trees.on(datetime.date(year, 12, 31))  # one tree all year
        month_trees = dict.fromkeys(range(1, 13), tree)
    else:
        month_trees = {m: trees.on(month_end(datetime.date(year, m, 1))) for m in range(1, 13)}
    within = set().union(*(_under(t, wanted) for t in {id(t): t for t in month_trees.values()}.values()))
    rows = (
        MemberEvent.objects.filter(kind=MemberEvent.Kind.ADMITTED, date__year=year, to_unit_id__in=within)
        .annotate(month=ExtractMonth("date"))
        .values("to_unit_id", "month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = defaultdict(dict)
    for r in rows:
        counts[r["month"]][r["to_unit_id"]] = r["n"]
    for month, month_counts in counts.items():
        for pk, n in _rollup(month_counts, month_trees[month], wanted).items():
            by_month[pk][month - 1] += n
    return by_month


def admissions_by_month(unit, year):
    """Admissions into ``unit``'s subtree month by month, each month in the tree of its last day."""
    return _admissions_by_month_many([unit], year, _Trees())[unit.pk]


def progress_many(units, year):
    """``progress`` of each of ``units`` (in their order), in a number of queries that does not grow with
    the units or the members."""
    units = list(units)
    if not units:
        return []
    wanted = [u.pk for u in units]
    trees = _Trees()
    monthly = _admissions_by_month_many(units, year, trees)
    targets = {t.unit_id: t for t in Target.objects.filter(unit_id__in=wanted, year=year)}

    year_end = datetime.date(year - 1, 12, 31)
    before_tree = trees.on(year_end)
    on_books = (
        intervals_on(year_end)
        .filter(unit_id__in=_under(before_tree, wanted), status__in=Member.CURRENT_STATUSES)
        .values("unit_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    base = _rollup({r["unit_id"]: r["n"] for r in on_books}, before_tree, wanted)

    end_tree = trees.on(datetime.date(year, 12, 31))
    students_rows = (
        Candidate.objects.filter(is_student=True, ceremony_date__year=year, cell_id__in=_under(end_tree, wanted))
        .values("cell_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    students = _rollup({r["cell_id"]: r["n"] for r in students_rows}, end_tree, wanted)

    return [_figures(u, year, monthly[u.pk], targets.get(u.pk), base[u.pk], students[u.pk]) for u in units]


def progress(unit, year):
    return progress_many([unit], year)[0]


def _figures(unit, year, monthly, target, base, students):
    admitted = sum(monthly)
    return {
        "unit": unit,
        "students_admitted": students,
        "year": year,
        "admitted": admitted,
        "target": target.count if target else None,
        "students_target": target.students if target else None,
        "percent_of_target": round(100 * admitted / target.count) if target and target.count else None,
        "members_before": base,
        "percent_of_members": round(100 * admitted / base, 2) if base else None,
        "monthly": monthly,
    }
