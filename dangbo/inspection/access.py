"""Who may see and act on inspection plans, cases and discipline. Out of scope is a 404; a write the user
may see but that is not theirs is a 404 too (as everywhere in the app); a write on their own case is a 403
with its Vietnamese reason.

Reading: staff see the plans and cases conducted in their subtree or concerning an organization of it, and
the discipline cases of their subtree (or decided by a body of it). A plain member sees nothing here.

Writing: ONE matrix, ``body_writers`` below, used by every view and service of the app. The record of a
case belongs to the body that conducts it (the subject of a supervision or inspection, 296 Điều 3) or that
decides it (the deciding body of a discipline, 296 Điều 10); its data are kept by the people who serve that
body:

==========================================  =========================================================
body of unit U (subject or deciding body)   who writes its cases (plans, steps, targets, conclusion,
                                            hearing, deferral, votes, decision, receipt)
==========================================  =========================================================
the inspection commission (ủy ban kiểm      the commission itself: a user with the inspection role on
tra) of the bloc                            the bloc (its own cases only; 296 Điều 3, 10: it conducts
                                            its own inspections and disciplines within its competence)
the inspection commission of a grassroots   a user with the inspection role on that committee, and
committee                                   the committee's staff (the part-time commission has no
                                            office of its own)
a committee, standing committee, cell or    the staff of U: the cell secretary of a cell, the
cell committee of U                         grassroots staff of a committee (and of its cells), the
                                            bloc office (the project-wide rule: staff above keep a
                                            lower unit's records on its behalf). Never the inspection
                                            commission: it reads them (it supervises, it does not keep
                                            another body's records; README: "read-only").
==========================================  =========================================================

Opening a discipline case is also open to the staff of the member's unit (a cell proposes discipline to
the competent body, 296 Điều 10.1.1); recording an appeal likewise (the appellant hands it in there).

Appeals (``can_answer_appeal``): never the body that decided. The level above answers — the cấp ủy and
ủy ban kiểm tra cấp trên (Điều lệ Đảng, chương VIII; 296 on appeals, DOMAIN.md §7; the exact articles are
[unverified]): a user with the bloc office, grassroots staff or inspection role on a committee strictly
above the deciding unit. A cell's decision goes to its grassroots committee and to the bloc (its standing
committee through the bloc office, its commission); a grassroots committee's decision to the bloc; a
decision of the bloc's own bodies to the provincial committee, outside this system (nobody here answers).

Own case (``dangbo.accounts.access.own_case_refusal``): the member a discipline case concerns (Member.user)
and a member an inspection concerns (a target) take no step in it; whoever voted a decision (the members
of the deciding cell: the cell meeting votes) does not answer an appeal against it.
"""

from django.db.models import Q
from django.http import Http404

from dangbo.accounts.access import (
    WRITE_ROLES,
    assigned_above,
    assigned_at,
    assigned_unit_ids,
    covers,
    is_staff_user,
    own_case_refusal,
    own_member_id,
    path_q,
    refuse_own_case,
    scope_paths,
)
from dangbo.accounts.models import Role
from dangbo.inspection.models import Body, Case, DisciplineCase, Plan, StateDiscipline, Subject
from dangbo.org.models import OrgUnit

# The roles of the level above that answer an appeal.
APPEAL_ROLES = (Role.BLOC_OFFICE, Role.GRASSROOTS_STAFF, Role.INSPECTION)
COMMISSION = Subject.COMMISSION  # == Body.COMMISSION
# Every role that keeps some body's records (reminders look for them; the matrix decides).
WRITERS = (Role.INSPECTION, *WRITE_ROLES)


def require_staff(user):
    if not is_staff_user(user):
        raise Http404


# ---- the write matrix ---------------------------------------------------------------------------
def can_write_body(user, unit, body):
    """Whether ``user`` keeps the records of ``body`` (a Subject or Body value) of ``unit`` (see the matrix)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if body == COMMISSION:
        if assigned_at(user, unit, (Role.INSPECTION,)):
            return True
        return unit.kind == OrgUnit.Kind.GRASSROOTS_COMMITTEE and covers(
            user, unit.path, roles=(Role.GRASSROOTS_STAFF,)
        )
    return covers(user, unit.path, roles=WRITE_ROLES)


def can_write_at(user, unit):
    """Whether ``user`` keeps records of some non-commission body of ``unit`` (notices, proposals)."""
    return covers(user, unit.path, roles=WRITE_ROLES)


def writable_units(user):
    """The units of which the user keeps some body's records (the choices of the "new" forms)."""
    q = path_q("path", scope_paths(user, roles=WRITE_ROLES))
    ids = assigned_unit_ids(user, (Role.INSPECTION,))
    if ids:
        q |= Q(pk__in=ids)
    return OrgUnit.objects.filter(q)


def case_subjects(user, case):
    """The members of ``case`` who are ``user`` (at most one): the targets linked to the user."""
    mid = own_member_id(user)
    if mid is None:
        return []
    return [t.member for t in case.targets.filter(member_id=mid).select_related("member")]


def can_write_case(user, case):
    return can_write_body(user, case.subject_unit, case.subject) and not own_case_refusal(
        user, subjects=case_subjects(user, case)
    )


def can_write_plan(user, plan):
    return can_write_body(user, plan.unit, plan.subject)


def voted(user, case):
    """Whether ``user`` took part in the vote of ``case``: a member of the deciding cell (its meeting votes).
    The members of a committee's vote are not recorded one by one; the level-above rule keeps them out."""
    if case.deciding_body != Body.CELL:
        return False
    mid = own_member_id(user)
    if mid is None:
        return False
    from dangbo.members.models import Member

    return Member.objects.filter(pk=mid, unit_id=case.deciding_unit_id).exists()


def can_write_discipline(user, case):
    return can_write_body(user, case.deciding_unit, case.deciding_body) and not own_case_refusal(
        user, subjects=[case.member], orgs=[case.org]
    )


def may_file_appeal(user, case):
    """The deciding body's staff or the staff of the member's (organization's) unit record an appeal."""
    return can_write_body(user, case.deciding_unit, case.deciding_body) or can_write_at(user, case.unit)


def answers_appeals_of(user, case):
    """The level strictly above the deciding unit (scope only; the own-case rule comes on top)."""
    return assigned_above(user, case.deciding_unit, APPEAL_ROLES)


def can_answer_appeal(user, case):
    return answers_appeals_of(user, case) and not own_case_refusal(
        user, subjects=[case.member], orgs=[case.org], voted=voted(user, case)
    )


def discipline_action_allowed(user, case, action):
    """Scope of an action on a discipline case (own case apart): answer, appeal, or the deciding body's."""
    if action == "answer":
        return answers_appeals_of(user, case)
    if action == "appeal":
        return may_file_appeal(user, case)
    return can_write_body(user, case.deciding_unit, case.deciding_body)


# ---- reading ------------------------------------------------------------------------------------
def subjects_for(unit):
    """The subjects a unit has: a cell supervises as a cell; committees have a standing committee and an
    inspection commission."""
    if unit.kind in OrgUnit.CELL_KINDS:
        return [Subject.CELL]
    if unit.kind in (OrgUnit.Kind.BLOC, OrgUnit.Kind.GRASSROOTS_COMMITTEE):
        return [Subject.COMMITTEE, Subject.STANDING, Subject.COMMISSION]
    return [Subject.COMMITTEE]


def plans_visible_to(user):
    return Plan.objects.filter(path_q("unit__path", scope_paths(user)))


def cases_visible_to(user):
    paths = scope_paths(user)
    return Case.objects.filter(path_q("subject_unit__path", paths) | path_q("unit__path", paths))


def discipline_visible_to(user):
    paths = scope_paths(user)
    return DisciplineCase.objects.filter(path_q("unit__path", paths) | path_q("deciding_unit__path", paths))


def notices_visible_to(user):
    return StateDiscipline.objects.filter(path_q("member__unit__path", scope_paths(user)))


def _get(qs, pk):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404


def get_plan_for_user(user, pk, *, write=False):
    plan = _get(plans_visible_to(user).select_related("unit"), pk)
    if write and not can_write_plan(user, plan):
        raise Http404
    return plan


def get_case_for_user(user, pk, *, write=False):
    case = _get(cases_visible_to(user).select_related("subject_unit", "unit", "plan"), pk)
    if write:
        if not can_write_body(user, case.subject_unit, case.subject):
            raise Http404
        refuse_own_case(user, subjects=case_subjects(user, case))
    return case


def get_discipline_for_user(user, pk, *, action=None):
    case = _get(
        discipline_visible_to(user).select_related("member__unit", "org", "unit", "deciding_unit", "inspection_case"),
        pk,
    )
    if action is not None:
        if not discipline_action_allowed(user, case, action):
            raise Http404
        refuse_own_case(user, subjects=[case.member], orgs=[case.org], voted=action == "answer" and voted(user, case))
    return case


def get_notice_for_user(user, pk, *, write=False):
    notice = _get(notices_visible_to(user).select_related("member__unit"), pk)
    if write:
        if not can_write_at(user, notice.member.unit):
            raise Http404
        refuse_own_case(user, subjects=[notice.member])
    return notice


def can_see_case(user, case):
    return covers(user, case.subject_unit.path) or covers(user, case.unit.path)
