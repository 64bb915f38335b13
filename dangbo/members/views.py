from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from dangbo.accounts.access import is_staff_user
from dangbo.core.audit import record_read
from dangbo.members.access import get_member_for_user, members_visible_to
from dangbo.members.forms import CURRENT, MemberFilterForm
from dangbo.org.access import units_visible_to

PAGE_SIZE = 50


def member_list(request):
    if not is_staff_user(request.user):
        raise Http404
    units = units_visible_to(request.user).active().order_by("path")
    data = request.GET.copy()
    data.setdefault("status", CURRENT)  # members on the books unless asked otherwise
    form = MemberFilterForm(data, units=units)
    qs = members_visible_to(request.user)
    qs = form.filter(qs) if form.is_valid() else qs.current().order_by("sort_name", "pk")
    page = Paginator(qs.select_related("unit"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "members/list.html", {"form": form, "page": page})


def detail(request, pk):
    member = get_member_for_user(request.user, pk)
    # Party records are secret documents: every opening is logged.
    record_read(user=request.user, member=member, view="detail")
    events = member.events.select_related("from_unit", "to_unit", "actor").order_by("date", "id")
    return render(request, "members/detail.html", {"member": member, "events": events})
