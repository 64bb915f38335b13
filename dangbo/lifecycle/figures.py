"""Lifecycle figures for periodic reports (see dangbo.core.figures): deaths, removals and expulsions
recorded as member events in the period, party badges awarded (by occasion) and party cards issued, each
counted in the unit the member belonged to on that day."""

from django.db.models import Count, Q

from dangbo.lifecycle.models import BadgeAward, CardRecord
from dangbo.members.models import MemberEvent
from dangbo.reports.labels import figure, was_in


def period_figures(unit, start, end):
    E = MemberEvent.Kind
    events = (
        MemberEvent.objects.filter(date__gte=start, date__lte=end, kind__in=[E.DECEASED, E.REMOVED, E.EXPELLED])
        .filter(was_in(unit, "date", on=end))
        .aggregate(
            deceased=Count("id", filter=Q(kind=E.DECEASED)),
            removed=Count("id", filter=Q(kind=E.REMOVED)),
            expelled=Count("id", filter=Q(kind=E.EXPELLED)),
        )
    )
    badges = (
        BadgeAward.objects.filter(occasion__gte=start, occasion__lte=end)
        .filter(was_in(unit, "occasion", on=end))
        .count()
    )
    cards = (
        CardRecord.objects.filter(issued_on__gte=start, issued_on__lte=end)
        .filter(was_in(unit, "issued_on", on=end))
        .count()
    )
    return [
        figure("lifecycle.deceased", events["deceased"]),
        figure("lifecycle.removed", events["removed"]),
        figure("lifecycle.expelled", events["expelled"]),
        figure("lifecycle.badges_awarded", badges),
        figure("lifecycle.cards_issued", cards),
    ]
