"""Who may see and act on committees, appraisals, proposals and good models. Out of scope is a 404.

- Committees: staff see the committees of the units in their subtrees; they are corrected by those who
  may restructure the unit (``dangbo.org.access.can_restructure``: the bloc office anywhere, grassroots
  staff for the units below their own committee), since the higher committee decides them.
- Political standards appraisals are handled by the bloc office alone: it does the organization
  department's work (Ban Tổ chức) in this product, which has no separate role for it. Inspection,
  grassroots staff and secretaries get a 404; every opening of an appraisal is logged.
- A proposal is seen by who asked it and by staff covering its unit; the bloc office covering the unit
  assigns, answers and publishes.
- A consultation is seen by staff covering its holding committee or one of its invited units.
- Good models: published ones by everyone; the others by staff covering the unit; the bloc approves.
"""

from django.db.models import Q
from django.http import Http404

from dangbo.accounts.access import WRITE_ROLES, covers, path_q, scope_paths
from dangbo.accounts.models import Role
from dangbo.committees.models import Appraisal, GoodModel, Proposal, Seat, Session
from dangbo.org.access import can_restructure
from dangbo.org.models import OrgUnit

BLOC = (Role.BLOC_OFFICE,)


def _get(qs, pk):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404


# Committees


def committee_units(user):
    """Units with a committee the user may see (staff subtrees)."""
    return OrgUnit.objects.filter(path_q("path", scope_paths(user)))


def get_committee_unit(user, pk, *, write=False):
    unit = _get(OrgUnit.objects.select_related("parent"), pk)
    if not covers(user, unit.path):
        raise Http404
    if write and not can_restructure(user, unit):
        raise Http404
    return unit


def get_seat_for_user(user, pk):
    seat = _get(Seat.objects.select_related("unit", "member"), pk)
    if not can_restructure(user, seat.unit):
        raise Http404
    return seat


# Appraisals


def can_appraise(user):
    return bool(scope_paths(user, roles=BLOC))


def appraisals_visible_to(user):
    return Appraisal.objects.filter(path_q("unit__path", scope_paths(user, roles=BLOC)))


def get_appraisal_for_user(user, pk):
    return _get(appraisals_visible_to(user).select_related("unit", "member", "member__unit"), pk)


# Proposals and consultations


def proposals_visible_to(user):
    paths = scope_paths(user)
    return Proposal.objects.filter(path_q("unit__path", paths) | Q(asked_by_id=user.pk))


def can_handle(user, proposal):
    """Assign, answer and publish: the bloc office covering the proposal's unit."""
    return covers(user, proposal.unit.path, roles=BLOC)


def get_proposal_for_user(user, pk, *, handle=False):
    p = _get(proposals_visible_to(user).select_related("unit", "session", "asked_by"), pk)
    if handle and not can_handle(user, p):
        raise Http404
    return p


def asking_units(user):
    """Units a user may raise a proposal for: their role units (staff, secretaries) and their own cell.

    The inspection commission reads the whole tree but raises nothing outside inspection.
    """
    ids = set(user.roles.exclude(role__in=(Role.MEMBER, Role.INSPECTION)).values_list("unit_id", flat=True))
    member = getattr(user, "member", None)
    if member is not None and member.status in member.CURRENT_STATUSES:
        ids.add(member.unit_id)
    return OrgUnit.objects.active().filter(pk__in=ids).order_by("path")


def sessions_visible_to(user):
    paths = scope_paths(user)
    if not paths:
        return Session.objects.none()
    return Session.objects.filter(
        Q(pk__in=Session.objects.filter(path_q("invited__path", paths)).values("pk")) | path_q("unit__path", paths)
    )


def session_units(user):
    """Committees that may hold a consultation: the bloc office's units."""
    return OrgUnit.objects.filter(path_q("path", scope_paths(user, roles=BLOC)), kind=OrgUnit.Kind.BLOC)


def get_session_for_user(user, pk, *, write=False):
    s = _get(sessions_visible_to(user).select_related("unit", "cluster"), pk)
    if write and not covers(user, s.unit.path, roles=BLOC):
        raise Http404
    return s


# Good models


def models_visible_to(user):
    paths = scope_paths(user)
    return GoodModel.objects.filter(Q(state=GoodModel.State.PUBLISHED) | path_q("unit__path", paths))


def get_model_for_user(user, pk, *, review=False):
    m = _get(models_visible_to(user).select_related("unit"), pk)
    if review and not covers(user, m.unit.path, roles=BLOC):
        raise Http404
    return m


def model_units(user):
    """Units in which the user may submit a good model (write roles)."""
    return OrgUnit.objects.active().filter(path_q("path", scope_paths(user, roles=WRITE_ROLES))).order_by("path")
