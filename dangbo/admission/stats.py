"""Admission progress as the seeds report it: admitted so far, % of the year's target, % of the members
at the end of the previous year, and admissions month by month against the target."""

import datetime

from django.db.models import Count
from django.db.models.functions import ExtractMonth

from dangbo.admission.models import Candidate, Target
from dangbo.members.intervals import members_on
from dangbo.members.models import MemberEvent


def admissions_by_month(unit, year):
    rows = (
        MemberEvent.objects.filter(kind=MemberEvent.Kind.ADMITTED, date__year=year, to_unit__path__startswith=unit.path)
        .annotate(month=ExtractMonth("date"))
        .values("month")
        .annotate(n=Count("pk"))
    )
    by_month = dict.fromkeys(range(1, 13), 0)
    for r in rows:
        by_month[r["month"]] = r["n"]
    return [by_month[m] for m in range(1, 13)]


def progress(unit, year, *, monthly=None):
    monthly = monthly if monthly is not None else admissions_by_month(unit, year)
    admitted = sum(monthly)
    target = Target.objects.filter(unit=unit, year=year).first()
    base = members_on(datetime.date(year - 1, 12, 31), unit).count()
    students = Candidate.objects.filter(
        is_student=True, ceremony_date__year=year, cell__path__startswith=unit.path
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
