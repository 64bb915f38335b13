"""Who may see and act on reviews. Out of scope is a 404.

A member sees and fills in their own self-assessment. The cell (its secretary, or staff above it) appraises,
records paper self-assessments and votes. The competent level decides and announces for a whole grassroots
organization: the grassroots committee's staff for its cells, the bloc office for a grassroots cell (as for
admissions); the organization's own classification comes from the level above it. The inspection commission
reads everything and writes nothing here. Periods are opened by the bloc office or a grassroots committee.

Nobody acts on their own case (dangbo.accounts.access.own_case_refusal): a member fills in their own
self-assessment, but never appraises (scores and classifies) it, nor proposes their own removal after it;
the people of an organization do not classify it. Those refusals are a 403 with the reason.
"""

from django.db.models import Q
from django.http import Http404

from dangbo.accounts.access import (
    WRITE_ROLES,
    acts_on_own_case,
    covers,
    is_staff_user,
    path_q,
    scope_paths,
)
from dangbo.accounts.models import Role
from dangbo.org.models import OrgUnit
from dangbo.review.models import MemberReview, ReviewPeriod, UnitReview

OPENER_ROLES = (Role.BLOC_OFFICE, Role.GRASSROOTS_STAFF)


def require_staff(user):
    if not is_staff_user(user):
        raise Http404


def can_open_at(user, unit):
    return unit.kind in (OrgUnit.Kind.BLOC, *OrgUnit.GRASSROOTS_KINDS) and covers(user, unit.path, roles=OPENER_ROLES)


def can_write_cell(user, unit):
    return covers(user, unit.path, roles=WRITE_ROLES)


def can_decide_for(user, grassroots):
    """The competent level for the members and cells of ``grassroots``."""
    if grassroots.kind == OrgUnit.Kind.GRASSROOTS_CELL:
        return covers(user, grassroots.path, roles=(Role.BLOC_OFFICE,))
    return covers(user, grassroots.path, roles=OPENER_ROLES)


def classifies_unit(user, unit):
    """The level above classifies an organization: the bloc office for a grassroots one, the grassroots
    committee for its cells (scope only)."""
    if unit.kind in OrgUnit.GRASSROOTS_KINDS:
        return covers(user, unit.path, roles=(Role.BLOC_OFFICE,))
    return covers(user, unit.path, roles=OPENER_ROLES)


def can_classify_unit(user, unit):
    """``classifies_unit``, and not by the organization's own people."""
    return classifies_unit(user, unit) and not acts_on_own_case(user, orgs=[unit])


def can_appraise(user, review):
    """The cell appraises its members, never a member their own review."""
    return can_write_cell(user, review.unit) and not acts_on_own_case(user, subjects=[review.member])


def periods_visible_to(user):
    """Periods whose subtree meets the user's scope (opened above it, or inside it)."""
    paths = scope_paths(user)
    if not paths:
        return ReviewPeriod.objects.none()
    q = path_q("unit__path", paths)
    ancestors = {int(x) for p in paths for x in p.strip("/").split("/") if x}
    return ReviewPeriod.objects.filter(q | Q(unit_id__in=ancestors))


def get_period_for_user(user, pk):
    require_staff(user)
    try:
        return periods_visible_to(user).select_related("unit").get(pk=pk)
    except (ReviewPeriod.DoesNotExist, ValueError, TypeError):
        raise Http404


def unit_reviews_visible_to(user):
    return UnitReview.objects.filter(path_q("unit__path", scope_paths(user)))


def get_unit_review_for_user(user, pk):
    try:
        ur = UnitReview.objects.select_related("period__unit", "unit", "grassroots").get(pk=pk)
    except (UnitReview.DoesNotExist, ValueError, TypeError):
        raise Http404
    if not covers(user, ur.unit.path) or not is_open(ur.period):
        raise Http404
    return ur


def member_reviews_visible_to(user):
    return MemberReview.objects.filter(path_q("unit__path", scope_paths(user)))


def get_member_review_for_user(user, pk):
    """The member's own review, or one in the staff user's scope."""
    try:
        r = MemberReview.objects.select_related("period__unit", "member", "unit", "grassroots").get(pk=pk)
    except (MemberReview.DoesNotExist, ValueError, TypeError):
        raise Http404
    own = user.is_authenticated and r.member.user_id == user.pk
    if not own and not covers(user, r.unit.path) or not is_open(r.period):
        raise Http404
    return r


def is_open(period):
    """A period still being opened (its member reviews written in batches) shows only its progress page:
    none of its reviews can be seen or acted on until all are there."""
    return period.state != ReviewPeriod.State.OPENING


def is_own(user, review):
    return review.member.user_id is not None and review.member.user_id == user.pk
