"""Home cards: the answers to my proposals; for staff, overdue proposals and committee warnings in scope."""

from django.utils import timezone

from dangbo.accounts.access import is_staff_user, path_q, scope_paths
from dangbo.committees import access, services
from dangbo.committees.models import Proposal
from dangbo.committees.structure import COMMITTEE_KINDS, structure_warnings


def home_panels(request):
    user = request.user
    if not user.is_authenticated:
        return []
    today = timezone.localdate()
    panels = []
    mine = list(
        Proposal.objects.filter(asked_by=user, state=Proposal.State.PUBLISHED).order_by("-published_on", "-pk")[:5]
    )
    waiting = Proposal.objects.filter(asked_by=user, state__in=Proposal.OPEN_STATES).count()
    if mine or waiting:
        panels.append({"template": "committees/panel_mine.html", "answers": mine, "waiting": waiting})
    if is_staff_user(user):
        paths = scope_paths(user)
        overdue = access.proposals_visible_to(user).filter(path_q("unit__path", paths), services.overdue_q(today))
        units = access.committee_units(user).active().filter(kind__in=COMMITTEE_KINDS)
        warnings = structure_warnings(units, on=today)
        serious = sum(1 for ws in warnings.values() if any(w.level == "danger" for w in ws))
        panels.append(
            {
                "template": "committees/panel_staff.html",
                "overdue": overdue.count(),
                "units_warned": len(warnings),
                "units_serious": serious,
            }
        )
    return panels
