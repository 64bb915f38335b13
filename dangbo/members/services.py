"""Member-level services used by other apps. The member registry proper
(admission, transfers, exits) builds on these."""

from django.db import transaction

from dangbo.core.audit import record
from dangbo.members.intervals import rebuild_intervals
from dangbo.members.models import Member, MemberEvent


@transaction.atomic
def reassign_members(*, members, to_unit, date, decision_no="", actor, note="", kind=MemberEvent.Kind.UNIT_CHANGED):
    """Move ``members`` (a queryset) to ``to_unit`` with one event each, in bulk."""
    moved = list(members.select_related("unit"))
    events = [
        MemberEvent(
            member=m,
            kind=kind,
            date=date,
            from_unit_id=m.unit_id,
            to_unit=to_unit,
            status_after=m.status,
            decision_no=decision_no,
            actor=actor if getattr(actor, "pk", None) else None,
            note=note,
        )
        for m in moved
    ]
    MemberEvent.objects.bulk_create(events, batch_size=1000)
    Member.objects.filter(pk__in=[m.pk for m in moved]).update(unit=to_unit)
    rebuild_intervals([m.pk for m in moved])
    if moved:
        record(
            actor=actor,
            action="members.reassign",
            obj=to_unit,
            unit=to_unit,
            changes={"members": [None, len(moved)]},
            note=note or decision_no,
        )
    return len(moved)
