"""Daily: remind who runs a committee that its congress is due, and the bloc office of proposals whose
answer deadline is near or past."""

from collections import defaultdict

from django.core.management.base import BaseCommand
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangbo.accounts.access import WRITE_ROLES
from dangbo.accounts.models import Role, RoleAssignment
from dangbo.committees.models import Proposal
from dangbo.committees.structure import COMMITTEE_KINDS, structure_warnings
from dangbo.core.notify import notify
from dangbo.core.workdays import add_working_days
from dangbo.org.models import OrgUnit
from dangbo.rules.registry import rule


def _holders(roles):
    """[(user, path)] of the role assignments in ``roles``."""
    return [
        (ra.user, ra.unit.path) for ra in RoleAssignment.objects.filter(role__in=roles).select_related("user", "unit")
    ]


def congress_reminders(today):
    units = OrgUnit.objects.active(today).filter(kind__in=COMMITTEE_KINDS)
    due = [
        u
        for u, ws in structure_warnings(units, on=today).items()
        if any(w.code in ("congress_due", "congress_overdue") for w in ws)
    ]
    per_user = defaultdict(list)
    for user, path in _holders(WRITE_ROLES):
        for u in due:
            if u.path.startswith(path):
                per_user[user].append(u)
    for user, found in per_user.items():
        notify(
            users=[user],
            title=_("%(n)s organizations have a congress due") % {"n": len(found)},
            body=", ".join(u.name for u in found[:20]),
            url=reverse("committees:home") + "?code=congress_due",
            kind="committees.congress",
            once_per_day=True,
        )
    return len(due)


def proposal_reminders(today):
    soon = add_working_days(today, rule("consultation.reminder_working_days", on=today))
    pending = list(
        Proposal.objects.filter(state__in=Proposal.OPEN_STATES, answered_on__isnull=True, due_on__lte=soon)
        .exclude(due_on__isnull=True)
        .select_related("unit")
    )
    per_user = defaultdict(lambda: [0, 0])
    for user, path in _holders([Role.BLOC_OFFICE]):
        for p in pending:
            if p.unit.path.startswith(path):
                per_user[user][0 if p.due_on < today else 1] += 1
    for user, (late, near) in per_user.items():
        notify(
            users=[user],
            title=_("Proposals: %(late)s overdue, %(near)s due within days") % {"late": late, "near": near},
            url=reverse("committees:consultations") + "?overdue=on",
            kind="committees.proposals",
            once_per_day=True,
        )
    return len(pending)


class Command(BaseCommand):
    help = "Daily reminders: congresses due, proposals nearing or past their answer deadline."

    def handle(self, *args, **options):
        today = timezone.localdate()
        congresses = congress_reminders(today)
        proposals = proposal_reminders(today)
        self.stdout.write(f"congresses due: {congresses}; proposals near or past deadline: {proposals}")
