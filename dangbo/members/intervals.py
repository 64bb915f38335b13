"""Deriving MemberInterval rows from MemberEvent rows, and counting "as of" a date with them."""

from itertools import groupby

from django.db.models import Q

from dangbo.members.models import Member, MemberEvent, MemberInterval


def rebuild_intervals(member_ids=None):
    """Recompute the intervals of ``member_ids`` (all members when None) from their events.

    Each event starts a new state: its ``to_unit`` (or the previous unit) and its
    ``status_after`` (or the previous status); the state lasts until the next event.
    """
    events = MemberEvent.objects.order_by("member_id", "date", "id").values_list(
        "member_id", "date", "to_unit_id", "status_after"
    )
    intervals = MemberInterval.objects.all()
    if member_ids is not None:
        member_ids = list(member_ids)
        events = events.filter(member_id__in=member_ids)
        intervals = intervals.filter(member_id__in=member_ids)
    intervals.delete()
    rows = intervals_from_events(events.iterator(chunk_size=5000))
    MemberInterval.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def intervals_from_events(events):
    """Unsaved MemberInterval rows from ``(member_id, date, to_unit_id, status_after)`` tuples ordered by
    member, date and id (the events need not be saved: the member import computes its rows before writing)."""
    rows = []
    for member_id, member_events in groupby(events, key=lambda e: e[0]):
        unit_id = status = None
        current = None
        for _m, day, to_unit_id, status_after in member_events:
            unit_id = to_unit_id or unit_id
            status = status_after or status
            if unit_id is None or status is None:
                continue
            if current is not None:
                if current.valid_from == day:
                    rows.pop()  # several events on one day: the last one stands (current is rows[-1])
                else:
                    current.valid_to = day
            current = MemberInterval(member_id=member_id, unit_id=unit_id, status=status, valid_from=day)
            rows.append(current)
    return rows


def intervals_on(day):
    """Intervals in force on ``day``."""
    return MemberInterval.objects.filter(valid_from__lte=day).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))


def members_on(day, unit):
    """Intervals of members on the books on ``day`` in the units under ``unit`` on that day (org.dated)."""
    from dangbo.org.dated import subtree_on

    return intervals_on(day).filter(unit_id__in=subtree_on(unit, day), status__in=Member.CURRENT_STATUSES)
