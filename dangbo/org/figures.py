"""Organization figures for periodic reports (see dangbo.core.figures): the units as of the period's end
and the changes of the period, from the units' version history: the tree and the kinds of that day
(org.dated), so a cell moved away after the period still counts where it stood."""

from django.db.models import Count, Q

from dangbo.org.dated import subtree_on
from dangbo.org.models import OrgUnit, OrgUnitVersion
from dangbo.reports.labels import figure


def period_figures(unit, start, end):
    K = OrgUnit.Kind
    # The subtree as it stood at the end of the period, and its units as they were then (kind).
    units = OrgUnitVersion.objects.filter(unit_id__in=subtree_on(unit, end)).exclude(unit=unit)
    on_end = _version_on(end)
    counts = units.aggregate(
        grassroots=Count("unit", distinct=True, filter=on_end & Q(kind__in=OrgUnit.GRASSROOTS_KINDS)),
        cells=Count("unit", distinct=True, filter=on_end & Q(kind__in=OrgUnit.CELL_KINDS)),
        committees=Count("unit", distinct=True, filter=on_end & Q(kind=K.GRASSROOTS_COMMITTEE)),
        grassroots_cells=Count("unit", distinct=True, filter=on_end & Q(kind=K.GRASSROOTS_CELL)),
        subordinate_cells=Count("unit", distinct=True, filter=on_end & Q(kind=K.SUBORDINATE_CELL)),
        founded=Count(
            "unit",
            distinct=True,
            filter=Q(
                kind__in=OrgUnit.CELL_KINDS,
                change__in=(OrgUnitVersion.Change.CREATED, OrgUnitVersion.Change.SPLIT_FROM),
                valid_from__gte=start,
                valid_from__lte=end,
            ),
        ),
    )
    V = OrgUnitVersion.Change
    ended = (
        OrgUnitVersion.objects.filter(unit_id__in=subtree_on(unit, start), valid_from__gte=start, valid_from__lte=end)
        .exclude(unit=unit)
        .aggregate(
            dissolved=Count("unit", distinct=True, filter=Q(change=V.DISSOLVED)),
            merged=Count("unit", distinct=True, filter=Q(change=V.MERGED_INTO)),
        )
    )
    return [
        figure("org.grassroots_count", counts["grassroots"]),
        figure("org.cells_count", counts["cells"]),
        figure("org.grassroots_committees", counts["committees"]),
        figure("org.grassroots_cells", counts["grassroots_cells"]),
        figure("org.subordinate_cells", counts["subordinate_cells"]),
        figure("org.cells_founded", counts["founded"]),
        figure("org.units_dissolved", ended["dissolved"]),
        figure("org.units_merged", ended["merged"]),
    ]


def _version_on(day):
    """The version in force on ``day`` (a unit that ended before ``day`` has none)."""
    return Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gt=day))
