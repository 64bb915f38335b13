"""The daily reminders (``manage.py inspection_reminders``): overdue steps of running cases to the staff of
the conducting unit, deferrals ending within the week to the deciding unit, and state-discipline notices
due within two days or overdue to the member's unit."""

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangbo.accounts.models import RoleAssignment
from dangbo.core.notify import notify
from dangbo.inspection.access import WRITERS, can_write_body
from dangbo.inspection.models import Case, Deferral, DisciplineCase, StateDiscipline, Step

SOON = datetime.timedelta(days=7)
NOTICE_SOON = datetime.timedelta(days=2)


def staff_of(unit, body=None):
    """Users who write at ``unit`` (for ``body``, by the write matrix) through a role on it or on an
    ancestor (not the bloc office for everything below: the nearest level is enough for a reminder)."""
    ids = unit.ancestor_ids(include_self=True)
    qs = RoleAssignment.objects.filter(unit_id__in=ids, role__in=WRITERS).select_related("user", "unit")
    rows = sorted(qs, key=lambda ra: -ra.unit.depth)
    rows = [ra for ra in rows if can_write_body(ra.user, unit, body or "committee")]
    if not rows:
        return []
    nearest = rows[0].unit.depth
    return [ra.user for ra in rows if ra.unit.depth == nearest]


def send(today=None):
    today = today or timezone.localdate()
    sent = 0
    steps = (
        Step.objects.filter(done_on__isnull=True, due_on__lt=today, case__state=Case.State.RUNNING)
        .select_related("case__subject_unit")
        .order_by("case_id", "order")
    )
    by_case = {}
    for s in steps:
        by_case.setdefault(s.case, []).append(s)
    for case, late in by_case.items():
        users = staff_of(case.subject_unit, case.subject)
        if users:
            notify(
                users=users,
                title=_("Overdue steps: %(title)s") % {"title": case.title[:150]},
                body=", ".join(f"{s.title} ({s.due_on:%d/%m/%Y})" for s in late),
                url=reverse("inspection:case", args=[case.pk]),
                kind="inspection.overdue_step",
                once_per_day=True,
            )
            sent += 1
    deferrals = Deferral.objects.filter(
        ends_on__gte=today, ends_on__lte=today + SOON, case__state=DisciplineCase.State.OPEN
    ).select_related("case__deciding_unit", "case__member")
    for d in deferrals:
        users = staff_of(d.case.deciding_unit, d.case.deciding_body)
        if users:
            notify(
                users=users,
                title=_("A discipline deferral ends on %(day)s") % {"day": d.ends_on.strftime("%d/%m/%Y")},
                body=str(d.case),
                url=reverse("inspection:discipline", args=[d.case_id]),
                kind="inspection.deferral_ending",
                once_per_day=True,
            )
            sent += 1
    notices = (
        StateDiscipline.objects.filter(notified_on__isnull=True)
        .filter(Q(due_on__lte=today + NOTICE_SOON))
        .select_related("member__unit")
    )
    for n in notices:
        users = staff_of(n.member.unit)
        if users:
            notify(
                users=users,
                title=_("State discipline of %(name)s to be notified by %(day)s")
                % {"name": n.member.full_name, "day": n.due_on.strftime("%d/%m/%Y")},
                body=f"{n.authority}: {n.form} ({n.decision_no})",
                url=reverse("inspection:notices"),
                kind="inspection.state_notice",
                once_per_day=True,
            )
            sent += 1
    return sent
