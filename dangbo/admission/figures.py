"""Member development figures for periodic reports (see dangbo.core.figures): admissions (the ceremony,
recorded as the member's ADMITTED event) and recognitions as official members in the period, and the
admissions as the reports say them (issue on history §5): per cent of the year's plan ("237 = 53 % kế
hoạch") and of the members at the end of the previous year ("59 = 1,14 %"), and, for a target set as a
share, by how much the share was exceeded ("vượt 2 %")."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q

from dangbo.admission.models import Target
from dangbo.members.intervals import members_on
from dangbo.members.models import MemberEvent
from dangbo.reports.labels import figure, was_in


def percent(part, whole):
    """``part`` as a per cent of ``whole`` to two decimals (None when there is no whole)."""
    if not whole:
        return None
    return (Decimal(part * 100) / Decimal(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def period_figures(unit, start, end):
    E = MemberEvent.Kind
    counts = (
        MemberEvent.objects.filter(date__gte=start, date__lte=end, kind__in=[E.ADMITTED, E.MADE_OFFICIAL])
        .filter(was_in(unit, "date", on=end))
        .aggregate(
            admitted=Count("id", filter=Q(kind=E.ADMITTED)),
            recognized=Count("id", filter=Q(kind=E.MADE_OFFICIAL)),
        )
    )
    admitted = counts["admitted"]
    target = Target.objects.filter(unit=unit, year=end.year).first()
    before = members_on(datetime.date(start.year - 1, 12, 31), unit).count()
    of_members = percent(admitted, before)
    share = target.share_percent if target else None
    over = (of_members - share) if (share is not None and of_members is not None) else None
    return [
        figure("admission.admitted", admitted),
        figure("admission.recognized", counts["recognized"]),
        figure("admission.target", target.count if target else None),
        figure("admission.percent_of_target", percent(admitted, target.count) if target else None),
        figure("admission.members_at_year_start", before),
        figure("admission.percent_of_members", of_members),
        figure("admission.share_target", share),
        figure("admission.share_exceeded_by", over),
    ]
