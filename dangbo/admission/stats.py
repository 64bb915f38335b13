"""Admission progress as the seeds report it: admitted so far, % of the year's target, % of the members
at the end of the previous year, and admissions month by month against the target."""

import datetime

from django.db.models import Count
from django.db.models.functions import ExtractMonth

from dangbo.admission.models import Candidate, Target
from dangbo.core.dates import month_end
from dangbo.members.intervals import members_on
from dangbo.members.models import MemberEvent
from dangbo.org.dated import subtree_on, tree_changed_since


def admissions_by_month(unit, year):
    """Admissions into ``unit``'s subtree month by month, each month in the tree of its last day
    (``dangbo.org.dated``): a cell that moved in April counts for its first committee until March."""
    admitted = MemberEvent.objects.filter(kind=MemberEvent.Kind.ADMITTED, date__year=year)
    by_month = dict.fromkeys(range(1, 13), 0)
    if not tree_changed_since(datetime.date(year, 1, 1)):
        months = [(None, subtree_on(unit, datetime.date(year, 12, 31)))]  # one tree all year: one query
    else:
        months = [(m, subtree_on(unit, month_end(datetime.date(year, m, 1)))) for m in range(1, 13)]
    for month, units in months:
        rows = admitted.filter(to_unit__in=units)
        if month is not None:
            rows = rows.filter(date__month=month)
        for r in rows.annotate(month=ExtractMonth("date")).values("month").annotate(n=Count("pk")).order_by():
            by_month[r["month"]] += r["n"]
    return [by_month[m] for m in range(1, 13)]


def progress(unit, year, *, monthly=None):
    monthly = monthly if monthly is not None else admissions_by_month(unit, year)
    admitted = sum(monthly)
    target = Target.objects.filter(unit=unit, year=year).first()
    base = members_on(datetime.date(year - 1, 12, 31), unit).count()
    students = Candidate.objects.filter(
        is_student=True, ceremony_date__year=year, cell__in=subtree_on(unit, datetime.date(year, 12, 31))
    ).count()
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
