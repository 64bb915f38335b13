"""Member figures for periodic reports (see dangbo.core.figures): the members on the books of the subtree
at the end of the period, from the intervals (the recorded events) and the tree of that day (org.dated),
so a past period reads right after later events and later moves."""

from django.db.models import Count, Q

from dangbo.members.intervals import intervals_on
from dangbo.members.models import Member
from dangbo.org.dated import subtree_on
from dangbo.reports.labels import figure


def period_figures(unit, start, end):
    S = Member.Status
    counts = (
        intervals_on(end)
        .filter(unit_id__in=subtree_on(unit, end))
        .aggregate(
            total=Count("id", filter=Q(status__in=Member.CURRENT_STATUSES)),
            official=Count("id", filter=Q(status=S.OFFICIAL)),
            probationary=Count("id", filter=Q(status=S.PROBATIONARY)),
            women=Count("id", filter=Q(status__in=Member.CURRENT_STATUSES, member__sex=Member.Sex.FEMALE)),
            exempted=Count("id", filter=Q(status=S.EXEMPTED)),
        )
    )
    return [
        figure("members.total", counts["total"]),
        figure("members.official", counts["official"]),
        figure("members.probationary", counts["probationary"]),
        figure("members.women", counts["women"]),
        figure("members.exempted", counts["exempted"]),
    ]
