"""Organization figures for periodic reports (see dangbo.core.figures): the units as of the period's end
and the changes of the period, from the units' dates and version history."""

from django.db.models import Count, Q

from dangbo.org.models import OrgUnit, OrgUnitVersion
from dangbo.reports.labels import figure


def period_figures(unit, start, end):
    K = OrgUnit.Kind
    units = OrgUnit.objects.in_subtree(unit).exclude(pk=unit.pk)
    counts = units.aggregate(
        grassroots=Count("id", filter=_active(end) & Q(kind__in=OrgUnit.GRASSROOTS_KINDS)),
        cells=Count("id", filter=_active(end) & Q(kind__in=OrgUnit.CELL_KINDS)),
        committees=Count("id", filter=_active(end) & Q(kind=K.GRASSROOTS_COMMITTEE)),
        grassroots_cells=Count("id", filter=_active(end) & Q(kind=K.GRASSROOTS_CELL)),
        subordinate_cells=Count("id", filter=_active(end) & Q(kind=K.SUBORDINATE_CELL)),
        founded=Count("id", filter=Q(kind__in=OrgUnit.CELL_KINDS, valid_from__gte=start, valid_from__lte=end)),
    )
    V = OrgUnitVersion.Change
    ended = (
        OrgUnitVersion.objects.filter(unit__path__startswith=unit.path, valid_from__gte=start, valid_from__lte=end)
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


def _active(day):
    return Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gt=day))
