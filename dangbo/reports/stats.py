"""Membership statistics for a subtree: today from the unit tallies (members.tallies), as of a past day
from the intervals, each figure one grouped query."""

from functools import reduce
from operator import or_

from django.db.models import Case, Count, F, IntegerField, Q, Sum, When
from django.utils import timezone

from dangbo.core.dates import years_before
from dangbo.members import tallies
from dangbo.members.intervals import intervals_on
from dangbo.members.models import Member, UnitTally
from dangbo.org.models import OrgUnit

AGE_BANDS = [(None, 30), (30, 40), (40, 50), (50, 60), (60, None)]


def age_band_label(low, high):
    if low is None:
        return f"< {high}"
    if high is None:
        return f"≥ {low}"
    return f"{low}–{high - 1}"


def _rows(unit, on):
    """The rows counted and the prefix to reach Member fields: members today, intervals on a past date."""
    if on is None:
        return Member.objects.in_subtree(unit), ""
    return intervals_on(on).filter(unit__path__startswith=unit.path), "member__"


def membership_figures(unit, *, on=None):
    """Counts for ``unit``'s subtree: organizations by kind, members by status, sex and age band.

    Today the member figures come from the unit tallies (``members.tallies``: rows per unit and category,
    kept with the writes), so their cost grows with units × categories, not members. With ``on`` (a past
    date) they come from MemberInterval, i.e. the events; the subtree is the units under ``unit`` today.
    """
    day = on or timezone.localdate()
    units = OrgUnit.objects.active(day).in_subtree(unit)
    if on is None:
        return _figures(dict(units.values_list("kind").annotate(n=Count("id")).order_by()), *_tallied(unit, day))
    rows, m = _rows(unit, on)
    current = rows.filter(status__in=Member.CURRENT_STATUSES)
    by_kind = dict(units.values_list("kind").annotate(n=Count("id")).order_by())
    by_status = dict(rows.values_list("status").annotate(n=Count("id")).order_by())
    by_sex = dict(current.values_list(f"{m}sex").annotate(n=Count("id")).order_by())
    by_ethnicity = current.values_list(f"{m}ethnicity").annotate(n=Count("id")).order_by("-n")
    by_qualification = dict(current.values_list(f"{m}qualification").annotate(n=Count("id")).order_by())
    by_theory = dict(current.values_list(f"{m}theory_level").annotate(n=Count("id")).order_by())
    # One conditional aggregate for all age bands.
    band_cases = {}
    for i, (low, high) in enumerate(AGE_BANDS):
        cond = Q()
        if low is not None:
            cond &= Q(**{f"{m}birth_date__lte": years_before(day, low)})
        if high is not None:
            cond &= Q(**{f"{m}birth_date__gt": years_before(day, high)})
        band_cases[f"b{i}"] = Count(Case(When(cond, then=1), output_field=IntegerField()))
    bands = current.exclude(**{f"{m}birth_date": None}).aggregate(**band_cases)
    bands = [bands[f"b{i}"] for i in range(len(AGE_BANDS))]
    return _figures(by_kind, by_status, by_sex, list(by_ethnicity), by_qualification, by_theory, bands)


def _tallied(unit, day):
    """The member figures of ``unit``'s subtree today from the tallies (units × categories rows). Ages: the
    members born before the year in which an age band starts, by birth year; in that year, before its
    month, by birth month; in that month, up to the birthday, one count of the members (a month of births)."""
    # born on or before years_before(day, age) = at least ``age`` years old on ``day``
    edges = sorted({a for band in AGE_BANDS for a in band if a is not None})
    limits = {a: years_before(day, a) for a in edges}
    months = [f"{t_.year}-{m:02d}" for t_ in limits.values() for m in range(1, t_.month)]
    t = tallies.figures(OrgUnit.objects.filter(path__startswith=unit.path).values("pk"), months)
    by_year = {int(y): n for y, n in t[UnitTally.Dimension.BIRTH_YEAR].items() if y}
    by_month = t[UnitTally.Dimension.BIRTH_MONTH]
    ranges = {a: Q(birth_date__gte=t_.replace(day=1), birth_date__lte=t_) for a, t_ in limits.items()}
    split = (
        Member.objects.in_subtree(unit)
        .filter(status__in=Member.CURRENT_STATUSES)
        .filter(reduce(or_, ranges.values()))
        .aggregate(**{f"a{a}": Count("pk", filter=q) for a, q in ranges.items()})
    )

    def at_least(age):
        if age is None:
            return sum(by_year.values())
        t_ = limits[age]
        before_year = sum(n for y, n in by_year.items() if y < t_.year)
        before_month = sum(by_month[f"{t_.year}-{m:02d}"] for m in range(1, t_.month))
        return before_year + before_month + (split[f"a{age}"] or 0)

    bands = [at_least(low) - (at_least(high) if high is not None else 0) for low, high in AGE_BANDS]
    by_ethnicity = sorted(t[UnitTally.Dimension.ETHNICITY].items(), key=lambda e: (-e[1], e[0]))
    return (
        t[UnitTally.Dimension.STATUS],
        t[UnitTally.Dimension.SEX],
        by_ethnicity,
        t[UnitTally.Dimension.QUALIFICATION],
        t[UnitTally.Dimension.THEORY],
        bands,
    )


def _figures(by_kind, by_status, by_sex, by_ethnicity, by_qualification, by_theory, bands):
    return {
        "grassroots": sum(by_kind.get(k, 0) for k in OrgUnit.GRASSROOTS_KINDS),
        "cells": sum(by_kind.get(k, 0) for k in OrgUnit.CELL_KINDS),
        "by_kind": [(OrgUnit.Kind(k).label, by_kind[k]) for k in OrgUnit.Kind.values if by_kind.get(k)],
        "members": sum(by_status.get(s, 0) for s in Member.CURRENT_STATUSES),
        "by_status": [(Member.Status(s).label, by_status[s]) for s in Member.Status.values if by_status.get(s)],
        "by_sex": [(Member.Sex(s).label, by_sex[s]) for s in Member.Sex.values if by_sex.get(s)],
        "by_age": [(age_band_label(low, high), bands[i]) for i, (low, high) in enumerate(AGE_BANDS)],
        "by_ethnicity": [(e or "—", n) for e, n in by_ethnicity],
        "by_qualification": _labelled(Member.Qualification, by_qualification),
        "by_theory": _labelled(Member.TheoryLevel, by_theory),
    }


def _labelled(choices, counts):
    """[(label, n)] in the order of ``choices``, with unrecorded values last as "—"."""
    rows = [(choices(v).label, counts[v]) for v in choices.values if counts.get(v)]
    if counts.get(""):
        rows.append(("—", counts[""]))
    return rows


def sub_unit_rows(unit, *, on=None):
    """Each child of ``unit`` (existing on the day) with its subtree's current, official and probationary members."""
    day = on or timezone.localdate()
    children = list(unit.children.active(day).order_by("kind", "name"))
    if on is None:  # today: the status tallies of the subtree's units
        counts = (
            UnitTally.objects.filter(
                unit__path__startswith=unit.path,
                dimension=UnitTally.Dimension.STATUS,
                value__in=Member.CURRENT_STATUSES,
            )
            .values("unit__path", status=F("value"))
            .annotate(n=Sum("count"))
            .order_by()
        )
    else:
        rows, _m = _rows(unit, on)
        counts = (
            rows.filter(status__in=Member.CURRENT_STATUSES)
            .values("unit__path", "status")
            .annotate(n=Count("id"))
            .order_by()
        )
    totals = {c.pk: {"members": 0, "official": 0, "probationary": 0} for c in children}
    for row in counts:
        for c in children:
            if row["unit__path"].startswith(c.path):
                t = totals[c.pk]
                t["members"] += row["n"]
                if row["status"] == Member.Status.OFFICIAL:
                    t["official"] += row["n"]
                elif row["status"] == Member.Status.PROBATIONARY:
                    t["probationary"] += row["n"]
                break
    return [(c, totals[c.pk]) for c in children]
