"""Review figures for periodic reports: the yearly review whose announcement falls in the period (else the
year of ``end``), for ``unit``'s subtree."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from dangbo.core.figures import Figure
from dangbo.org.dated import subtree_on
from dangbo.org.models import OrgUnit
from dangbo.review import results
from dangbo.review.models import Level, ReviewPeriod, UnitReview


def _year(unit, start, end):
    announced = (
        UnitReview.objects.filter(
            unit_id__in=subtree_on(unit, end),
            state=UnitReview.State.ANNOUNCED,
            announced_on__range=(start, end),
            period__kind=ReviewPeriod.Kind.YEAR,
        )
        .order_by("-period__year")
        .values_list("period__year", flat=True)
        .first()
    )
    return announced or end.year


def period_figures(unit, start, end):
    year = _year(unit, start, end)
    section = _("Review and quality classification (%(year)s)") % {"year": year}
    members, orgs = results.by_year([unit.path], [year])
    m, o = members[year], orgs[year]
    classified = sum(m[lv] for lv in (Level.EXCELLENT, Level.GOOD, Level.COMPLETE, Level.NOT_COMPLETE))
    cells = UnitReview.objects.filter(
        unit_id__in=subtree_on(unit, end),
        period__kind=ReviewPeriod.Kind.YEAR,
        period__year=year,
        state=UnitReview.State.ANNOUNCED,
    ).aggregate(cs=Count("pk", filter=Q(clean_strong=True, unit__kind__in=OrgUnit.CELL_KINDS)))
    rows = [
        ("members_classified", _("Members classified"), classified),
        ("members_excellent", _("Members: excellent completion of tasks"), m[Level.EXCELLENT]),
        ("members_good", _("Members: good completion of tasks"), m[Level.GOOD]),
        ("members_complete", _("Members: completion of tasks"), m[Level.COMPLETE]),
        ("members_not_complete", _("Members: tasks not completed"), m[Level.NOT_COMPLETE]),
        ("members_not_classified", _("Members not classified"), m[Level.NOT_CLASSIFIED]),
        ("orgs_excellent", _("Organizations: excellent completion of tasks"), o[Level.EXCELLENT]),
        ("orgs_good", _("Organizations: good completion of tasks"), o[Level.GOOD]),
        ("orgs_complete", _("Organizations: completion of tasks"), o[Level.COMPLETE]),
        ("orgs_not_complete", _("Organizations: tasks not completed"), o[Level.NOT_COMPLETE]),
        ("cells_clean_strong", _("Clean and strong party cells"), cells["cs"]),
    ]
    return [Figure(key=f"review.{k}", label=label, value=v, section=section) for k, label, v in rows]
