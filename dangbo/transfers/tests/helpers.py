import datetime

from dangbo.members.intervals import rebuild_intervals
from dangbo.members.models import Member, MemberEvent
from dangbo.testing import make_member

D = datetime.date
ON_BOOKS_SINCE = D(2020, 1, 1)


def with_history(*members, day=ON_BOOKS_SINCE):
    """Give cast members the admission event the cast does not write, so intervals count them."""
    for m in members:
        MemberEvent.objects.create(
            member=m, kind=MemberEvent.Kind.ADMITTED, date=day, to_unit=m.unit, status_after=m.status
        )
    rebuild_intervals([m.pk for m in members])
    return members


def member_in(unit, name, *, day=ON_BOOKS_SINCE, status=Member.Status.OFFICIAL):
    m = make_member(name, unit, status=status)
    with_history(m, day=day)
    return m
