from django.shortcuts import render

from dangbo.core.audit import record_read
from dangbo.members.access import get_member_for_user


def detail(request, pk):
    member = get_member_for_user(request.user, pk)
    # Party records are secret documents: every opening is logged.
    record_read(user=request.user, member=member, view="detail")
    events = member.events.select_related("from_unit", "to_unit", "actor").order_by("date", "id")
    return render(request, "members/detail.html", {"member": member, "events": events})
