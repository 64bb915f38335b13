"""Announced results by level: per grassroots organization for a year, and year on year (one query each)."""

from django.db.models import Count, Exists, OuterRef, Q

from dangbo.accounts.access import path_q
from dangbo.org.models import OrgUnit
from dangbo.review.models import Level, MemberReview, ReviewPeriod, UnitReview


def _announced(grassroots_field="grassroots"):
    return Exists(
        UnitReview.objects.filter(
            period=OuterRef("period"), unit=OuterRef(grassroots_field), state=UnitReview.State.ANNOUNCED
        )
    )


def member_reviews(paths, *, year=None):
    """Announced yearly member reviews under ``paths``."""
    qs = MemberReview.objects.filter(path_q("grassroots__path", paths), period__kind=ReviewPeriod.Kind.YEAR)
    if year is not None:
        qs = qs.filter(period__year=year)
    return qs.filter(_announced())


def by_grassroots(paths, year):
    """[(grassroots unit, {level: n})] for every grassroots organization under ``paths`` with announced
    results of ``year``, in tree order."""
    rows = member_reviews(paths, year=year).values_list("grassroots_id", "level").annotate(n=Count("pk")).order_by()
    counts = {}
    for gid, level, n in rows:
        counts.setdefault(gid, dict.fromkeys(Level.values, 0))[level] = n
    units = OrgUnit.objects.filter(pk__in=counts).only("id", "name", "path", "kind").order_by("path")
    return [(u, counts[u.pk]) for u in units]


def by_year(paths, years):
    """{year: {level: n}} of members, and {year: {level: n, "clean_strong": n}} of organizations."""
    members = {y: dict.fromkeys(Level.values, 0) for y in years}
    rows = (
        member_reviews(paths)
        .filter(period__year__in=years)
        .values_list("period__year", "level")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for y, level, n in rows:
        members[y][level] = n
    orgs = {y: {**dict.fromkeys(Level.values, 0), "clean_strong": 0} for y in years}
    org_rows = (
        UnitReview.objects.filter(
            path_q("unit__path", paths),
            period__kind=ReviewPeriod.Kind.YEAR,
            period__year__in=years,
            state=UnitReview.State.ANNOUNCED,
        )
        .exclude(level="")
        .values_list("period__year", "level")
        .annotate(n=Count("pk"), cs=Count("pk", filter=Q(clean_strong=True, unit__kind__in=OrgUnit.CELL_KINDS)))
        .order_by()
    )
    for y, level, n, cs in org_rows:
        orgs[y][level] = n
        orgs[y]["clean_strong"] += cs
    return members, orgs
