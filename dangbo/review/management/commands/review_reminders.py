"""Daily: remind members whose self-assessment is due in 3 days or overdue, and tell each cell secretary how
many are missing after the deadline (run by cron, like the other reminders)."""

import datetime

from django.core.management.base import BaseCommand
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangbo.accounts.models import Role, RoleAssignment
from dangbo.core.notify import notify
from dangbo.review.models import Level, MemberReview, ReviewPeriod, UnitReview

REMIND_BEFORE_DAYS = 3


class Command(BaseCommand):
    help = "Reminders of self-assessments not submitted by the deadline."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="dd/mm/yyyy (default: today)")

    def handle(self, *args, today=None, **options):
        today = datetime.datetime.strptime(today, "%d/%m/%Y").date() if today else timezone.localdate()
        open_cells = (
            UnitReview.objects.filter(state=UnitReview.State.OPEN)
            .exclude(period__state=ReviewPeriod.State.OPENING)
            .values("period_id", "unit_id")
        )
        pending = (
            MemberReview.objects.filter(self_submitted_at__isnull=True, appraised_at__isnull=True)
            .exclude(level=Level.NOT_CLASSIFIED)
            .filter(period__self_deadline__gte=today - datetime.timedelta(days=30))
            .filter(period__self_deadline__lte=today + datetime.timedelta(days=REMIND_BEFORE_DAYS))
        )
        open_keys = {(r["period_id"], r["unit_id"]) for r in open_cells}
        sent = 0
        late_by_cell = {}
        for r in pending.select_related("period", "member__user").iterator(chunk_size=2000):
            if (r.period_id, r.unit_id) not in open_keys:
                continue
            deadline = r.period.self_deadline
            late = today > deadline
            if late:
                late_by_cell.setdefault((r.period, r.unit_id), 0)
                late_by_cell[(r.period, r.unit_id)] += 1
            if r.member.user_id and (late or (deadline - today).days == REMIND_BEFORE_DAYS):
                notify(
                    users=[r.member.user],
                    title=(_("Your self-assessment is overdue") if late else _("Your self-assessment is due soon")),
                    body=_("%(period)s: self-assessments were due by %(day)s.")
                    % {"period": r.period, "day": deadline.strftime("%d/%m/%Y")},
                    url=reverse("review:member", args=[r.pk]),
                    kind="review.self_late" if late else "review.self_due",
                )
                sent += 1
        secretaries = RoleAssignment.objects.filter(
            role=Role.CELL_SECRETARY, unit_id__in={u for _p, u in late_by_cell}
        ).select_related("user")
        by_unit = {}
        for ra in secretaries:
            by_unit.setdefault(ra.unit_id, []).append(ra.user)
        for (period, unit_id), n in late_by_cell.items():
            ur = UnitReview.objects.get(period=period, unit_id=unit_id)
            notify(
                users=by_unit.get(unit_id, []),
                title=_("%(n)s self-assessment(s) missing after the deadline") % {"n": n},
                body=str(period),
                url=reverse("review:unit", args=[ur.pk]),
                kind="review.self_late_cell",
            )
        self.stdout.write(f"{sent} reminders, {len(late_by_cell)} cells late")
