"""Home-page cards: a member's upcoming meetings (with the excuse link); a secretary's next meeting and a
warning when the month has no meeting held or planned."""

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangbo.meetings import access
from dangbo.meetings.models import Attendance, Meeting


def home_panels(request):
    user = request.user
    panels = []
    today = timezone.localdate()
    member = access.own_member(user)
    if member is not None and member.status in ("official", "probationary", "exempted"):
        upcoming = list(
            Meeting.objects.filter(unit_id=member.unit_id, planned_date__gte=today, state__in=Meeting.OPEN_STATES)
            .select_related("venue", "unit")
            .annotate(doc_count=Count("documents"))
            .order_by("planned_date")[:3]
        )
        excused = set(
            Attendance.objects.filter(
                member=member, meeting__in=upcoming, status=Attendance.Status.EXCUSED
            ).values_list("meeting_id", flat=True)
        )
        for m in upcoming:
            m.excused = m.pk in excused
        panels.append(
            {
                "template": "meetings/_panel.html",
                "title": _("My cell's next meetings"),
                "meetings": upcoming,
                "excuse": True,
            }
        )
    cells = list(access.writable_cells(user).filter(kind__in=("grassroots_cell", "subordinate_cell"))[:6])
    if cells and len(cells) <= 5:
        month_meetings = list(
            Meeting.objects.filter(unit__in=cells, planned_date__year=today.year, planned_date__month=today.month)
            .exclude(state=Meeting.State.CANCELLED)
            .values_list("unit_id", "kind")
        )
        warnings = []
        have = {u for u, k in month_meetings if k in Meeting.REGULAR_KINDS}
        for c in cells:
            if c.pk not in have:
                warnings.append(
                    {
                        "text": _("%(cell)s has no regular meeting held or planned this month.") % {"cell": c.name},
                        "url": reverse("meetings:new", args=[c.pk]),
                    }
                )
        nxt = list(
            Meeting.objects.filter(unit__in=cells, planned_date__gte=today, state__in=Meeting.OPEN_STATES)
            .select_related("venue", "unit")
            .annotate(doc_count=Count("documents"))
            .order_by("planned_date")[:3]
        )
        panels.append(
            {
                "template": "meetings/_panel.html",
                "title": _("Meetings of the cells you lead"),
                "meetings": nxt,
                "warnings": warnings,
                "show_unit": len(cells) > 1,
            }
        )
    return panels
