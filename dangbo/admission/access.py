"""Who may see and act on candidates. Out of scope is a 404.

The cell (its secretary, or staff above it) keeps the dossier, votes and holds the ceremony; the
grassroots committee level (grassroots staff, bloc office) votes as a committee and signs decisions.

Nobody acts on their own dossier (dangbo.accounts.access.own_case_refusal): once admitted, the candidate is a
member who may have a login; they never record a step, a vote or a decision of their own admission or
recognition (a 403 with the reason). The candidate is never their own introducer (services).
"""

from django.http import Http404

from dangbo.accounts.access import WRITE_ROLES, acts_on_own_case, covers, path_q, refuse_own_case, scope_paths
from dangbo.accounts.models import Role
from dangbo.admission.models import Candidate
from dangbo.org.models import OrgUnit

DECIDER_ROLES = (Role.BLOC_OFFICE, Role.GRASSROOTS_STAFF)
# Steps of the committee level; every other step belongs to the cell.
COMMITTEE_STEPS = {"committee_vote", "decide", "recognize"}


def candidates_visible_to(user):
    paths = scope_paths(user)
    return Candidate.objects.filter(path_q("cell__path", paths)) if paths else Candidate.objects.none()


def can_act(user, candidate, step):
    """``may_act``, and never on their own dossier."""
    return may_act(user, candidate, step) and not acts_on_own_case(user, subjects=[candidate.member])


def may_act(user, candidate, step):
    """Scope only: the cell's steps to its staff, the committee's to the competent level."""
    if step not in COMMITTEE_STEPS:
        return covers(user, candidate.cell.path, roles=WRITE_ROLES)
    if candidate.cell.kind == OrgUnit.Kind.GRASSROOTS_CELL:
        # A grassroots cell's admissions are decided by the committee above it.
        return covers(user, candidate.cell.path, roles=(Role.BLOC_OFFICE,))
    return covers(user, candidate.cell.path, roles=DECIDER_ROLES)


def get_candidate_for_user(user, pk, *, step=None):
    try:
        candidate = Candidate.objects.select_related("cell", "helper", "member").get(pk=pk)
    except (Candidate.DoesNotExist, ValueError, TypeError):
        raise Http404
    if not covers(user, candidate.cell.path):
        raise Http404
    if step is not None:
        if not may_act(user, candidate, step):
            raise Http404
        refuse_own_case(user, subjects=[candidate.member])
    return candidate


def writable_cells(user):
    paths = scope_paths(user, roles=WRITE_ROLES)
    if not paths:
        return OrgUnit.objects.none()
    return OrgUnit.objects.active().filter(path_q("path", paths), kind__in=OrgUnit.CELL_KINDS).order_by("path")


def target_units(user):
    """Units whose target the user may set: below their own decider scope (the bloc office everywhere)."""
    paths = scope_paths(user, roles=DECIDER_ROLES)
    if not paths:
        return OrgUnit.objects.none()
    return (
        OrgUnit.objects.active().filter(path_q("path", paths)).exclude(kind=OrgUnit.Kind.PARTY_GROUP).order_by("path")
    )
