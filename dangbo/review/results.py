"""Announced results by level: per grassroots organization for a year, and year on year (one query each)."""

from django.db.models import Count, Q

from dangbo.accounts.access import path_q
from dangbo.org.models import OrgUnit
from dangbo.review.models import Level, MemberReview, ReviewPeriod, UnitReview


def _announced_q(years):
    """Q of the member reviews whose grassroots organization has announced its results: the announced
    (period, grassroots) pairs are few (one per grassroots organization and year), read first."""
    pairs = UnitReview.objects.filter(
        state=UnitReview.State.ANNOUNCED,
        unit__kind__in=OrgUnit.GRASSROOTS_KINDS,
        period__kind=ReviewPeriod.Kind.YEAR,
        period__year__in=years,
    ).values_list("period_id", "unit_id")
    by_period = {}
    for period_id, unit_id in pairs:
        by_period.setdefault(period_id, []).append(unit_id)
    q = Q(pk__in=[])
    for period_id, ids in by_period.items():
        q |= Q(period_id=period_id, grassroots_id__in=ids)
    return q


def member_reviews(paths, years):
    """Announced yearly member reviews of ``years`` in the cells under ``paths``."""
    return MemberReview.objects.filter(path_q("unit__path", paths)).filter(_announced_q(years))


def by_grassroots(paths, year):
    """[(grassroots unit, {level: n})] for every grassroots organization under ``paths`` with announced
    results of ``year``, in tree order."""
    rows = member_reviews(paths, [year]).values_list("grassroots_id", "level").annotate(n=Count("pk")).order_by()
    counts = {}
    for gid, level, n in rows:
        counts.setdefault(gid, dict.fromkeys(Level.values, 0))[level] = n
    units = OrgUnit.objects.filter(pk__in=counts).only("id", "name", "path", "kind").order_by("path")
    return [(u, counts[u.pk]) for u in units]


def by_year(paths, years):
    """{year: {level: n}} of members, and {year: {level: n, "clean_strong": n}} of organizations."""
    members = {y: dict.fromkeys(Level.values, 0) for y in years}
    rows = member_reviews(paths, years).values_list("period__year", "level").annotate(n=Count("pk")).order_by()
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
