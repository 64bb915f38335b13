"""Member development figures for periodic reports (see dangbo.core.figures): admissions (the ceremony,
recorded as the member's ADMITTED event) and recognitions as official members in the period."""

from django.db.models import Count, Q

from dangbo.members.models import MemberEvent
from dangbo.reports.labels import figure, was_in


def period_figures(unit, start, end):
    E = MemberEvent.Kind
    counts = (
        MemberEvent.objects.filter(date__gte=start, date__lte=end, kind__in=[E.ADMITTED, E.MADE_OFFICIAL])
        .filter(was_in(unit, "date"))
        .aggregate(
            admitted=Count("id", filter=Q(kind=E.ADMITTED)),
            recognized=Count("id", filter=Q(kind=E.MADE_OFFICIAL)),
        )
    )
    return [figure("admission.admitted", counts["admitted"]), figure("admission.recognized", counts["recognized"])]
