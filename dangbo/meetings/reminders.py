"""The daily reminders (``manage.py meeting_reminders``): a cell with no regular meeting held or planned this
month, N days before the month ends (rule ``meeting.month_end_reminder_days``); a planned meeting whose notice
has not gone out three days before; a noticed meeting still without documents on the day they are due;
minutes not yet published on their due date."""

import datetime
from collections import defaultdict

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangbo.accounts.models import Role
from dangbo.core.notify import notify
from dangbo.meetings import services
from dangbo.meetings.models import Meeting
from dangbo.org.models import OrgUnit
from dangbo.rules.registry import RuleMissing, rule

NOTICE_AHEAD_DAYS = 3


def secretaries_of(unit_ids):
    from dangbo.accounts.models import RoleAssignment

    out = defaultdict(list)
    for ra in RoleAssignment.objects.filter(unit_id__in=unit_ids, role=Role.CELL_SECRETARY).select_related("user"):
        if ra.user.is_active:
            out[ra.unit_id].append(ra.user)
    return out


def send_reminders(today=None):
    today = today or timezone.localdate()
    sent = 0
    month_end = (today.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)
    try:
        offsets = rule("meeting.month_end_reminder_days", on=today)
    except RuleMissing:
        offsets = []
    if (month_end - today).days in offsets:
        cells = OrgUnit.objects.active(on=today).filter(kind__in=OrgUnit.CELL_KINDS)
        have = set(
            Meeting.objects.filter(
                planned_date__year=today.year, planned_date__month=today.month, kind__in=Meeting.REGULAR_KINDS
            )
            .exclude(state=Meeting.State.CANCELLED)
            .values_list("unit_id", flat=True)
        )
        missing = {pk: name for pk, name in cells.values_list("pk", "name") if pk not in have}
        for unit_id, users in secretaries_of(missing).items():
            title = _("%(cell)s has no regular meeting held or planned this month (%(n)s days left).") % {
                "cell": missing[unit_id],
                "n": (month_end - today).days,
            }
            sent += len(notify(users=users, title=title, url=reverse("meetings:new", args=[unit_id]), kind="meetings"))
    # Notices not sent three days before; documents due today and still missing; minutes due today.
    ahead = today + datetime.timedelta(days=NOTICE_AHEAD_DAYS)
    pending = list(
        Meeting.objects.filter(
            state=Meeting.State.PLANNED, planned_date__gte=today, planned_date__lte=ahead
        ).select_related("unit")
    )
    noticed = [
        m
        for m in Meeting.objects.filter(
            state=Meeting.State.NOTICED, planned_date__gt=today, planned_date__lte=today + datetime.timedelta(days=7)
        )
        .select_related("unit")
        .prefetch_related("documents")
        if services.documents_due(m) == today and not m.documents.all()
    ]
    unpublished = list(
        Meeting.objects.filter(state=Meeting.State.HELD, publish_due=today, published_at__isnull=True).select_related(
            "unit"
        )
    )
    secs = secretaries_of({m.unit_id for m in pending + noticed + unpublished})
    for m in pending:
        title = _("Send the notice of the meeting on %(day)s.") % {"day": m.planned_date.strftime("%d/%m/%Y")}
        sent += len(notify(users=secs.get(m.unit_id, []), title=title, url=m.get_absolute_url(), kind="meetings"))
    for m in noticed:
        title = _("Post the documents of the meeting on %(day)s today.") % {"day": m.planned_date.strftime("%d/%m/%Y")}
        sent += len(notify(users=secs.get(m.unit_id, []), title=title, url=m.get_absolute_url(), kind="meetings"))
    for m in unpublished:
        title = _("Publish the minutes of the meeting on %(day)s today.") % {"day": m.held_on.strftime("%d/%m/%Y")}
        sent += len(notify(users=secs.get(m.unit_id, []), title=title, url=m.get_absolute_url(), kind="meetings"))
    return sent
