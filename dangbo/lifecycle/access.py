"""Who may see and act on exemptions, exits, cards and badges. Out of scope is a 404.

The cell (its secretary, or staff above it) exempts, proposes removal, records a death, hands over cards
and reports a lost card. The competent level — grassroots staff above a subordinate cell, the bloc office
above a grassroots cell (as for admissions) — decides removals, records expulsions, restorations, card
issues and badge decisions. The inspection commission reads everything and writes nothing here.

Nobody acts on their own case (dangbo.accounts.access.own_case_refusal): a member never exempts
themself, proposes or decides their own removal, records their own expulsion, restoration or card, nor
awards themself a badge. In scope but their own: a 403 with the reason.
"""

from django.http import Http404

from dangbo.accounts.access import (
    WRITE_ROLES,
    acts_on_own_case,
    covers,
    is_staff_user,
    path_q,
    refuse_own_case,
    scope_paths,
)
from dangbo.accounts.models import Role
from dangbo.lifecycle.models import BadgeAward, CardRecord, Exemption, RemovalProposal
from dangbo.members.models import Member
from dangbo.org.models import OrgUnit

DECIDER_ROLES = (Role.BLOC_OFFICE, Role.GRASSROOTS_STAFF)
CELL_ACTIONS = {"exempt", "end_exemption", "propose_removal", "death", "hand_over", "report_loss", "badge_flag"}
DECIDER_ACTIONS = {"decide_removal", "expel", "restore", "issue_card", "reissue_card", "award"}


def require_staff(user):
    if not is_staff_user(user):
        raise Http404


def members_in_scope(user):
    paths = scope_paths(user)
    return Member.objects.filter(path_q("unit__path", paths)) if paths else Member.objects.none()


def can_decide_at(user, unit):
    if unit.kind == OrgUnit.Kind.GRASSROOTS_CELL or unit.depth == 0:
        return covers(user, unit.path, roles=(Role.BLOC_OFFICE,))
    return covers(user, unit.path, roles=DECIDER_ROLES)


def may_act(user, member, action):
    """Scope only: the cell's actions to its staff, the decisions to the competent level."""
    if action in DECIDER_ACTIONS:
        return can_decide_at(user, member.unit)
    return covers(user, member.unit.path, roles=WRITE_ROLES)


def can_act(user, member, action):
    """``may_act``, and never on oneself."""
    return may_act(user, member, action) and not acts_on_own_case(user, subjects=[member])


def _require_act(user, member, action):
    """404 out of scope, 403 on their own case."""
    if not may_act(user, member, action):
        raise Http404
    refuse_own_case(user, subjects=[member])


def get_member_for_user(user, pk, *, action=None):
    try:
        member = Member.objects.select_related("unit").get(pk=pk)
    except (Member.DoesNotExist, ValueError, TypeError):
        raise Http404
    if not covers(user, member.unit.path):
        raise Http404
    if action is not None:
        _require_act(user, member, action)
    return member


def _get(model, user, pk, related, path_field):
    try:
        obj = model.objects.select_related(*related).get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404
    path = obj
    for part in path_field.split("__"):
        path = getattr(path, part)
    if not covers(user, path):
        raise Http404
    return obj


def get_exemption_for_user(user, pk, *, action=None):
    ex = _get(Exemption, user, pk, ["member__unit"], "member__unit__path")
    if action:
        _require_act(user, ex.member, action)
    return ex


def get_proposal_for_user(user, pk, *, decide=False):
    p = _get(
        RemovalProposal, user, pk, ["member__unit", "raised_by_unit", "raised_by", "decided_by"], "member__unit__path"
    )
    if decide:
        _require_act(user, p.member, "decide_removal")
    return p


def get_card_for_user(user, pk, *, action=None):
    card = _get(CardRecord, user, pk, ["member__unit"], "member__unit__path")
    if action:
        _require_act(user, card.member, action)
    return card


def exemptions_visible_to(user):
    return Exemption.objects.filter(path_q("member__unit__path", scope_paths(user)))


def proposals_visible_to(user):
    return RemovalProposal.objects.filter(path_q("member__unit__path", scope_paths(user)))


def cards_visible_to(user):
    return CardRecord.objects.filter(path_q("member__unit__path", scope_paths(user)))


def awards_visible_to(user):
    return BadgeAward.objects.filter(path_q("member__unit__path", scope_paths(user)))


def decider_paths(user):
    return scope_paths(user, roles=DECIDER_ROLES)
