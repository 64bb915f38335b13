"""Who may see and act on inspection plans, cases and discipline. Out of scope is a 404.

Staff see the plans and cases conducted in their subtree or concerning an organization of it, and the
discipline cases of their subtree (or decided by a body of it). Writing belongs to the staff covering the
unit of the subject (plans, cases) or of the deciding body (discipline): the inspection commission, the bloc
office, grassroots staff and cell secretaries. A plain member sees nothing here.
"""

from django.http import Http404

from dangbo.accounts.access import covers, is_staff_user, path_q, scope_paths
from dangbo.accounts.models import Role
from dangbo.inspection.models import Case, DisciplineCase, Plan, StateDiscipline, Subject
from dangbo.org.models import OrgUnit

WRITERS = (Role.INSPECTION, Role.BLOC_OFFICE, Role.GRASSROOTS_STAFF, Role.CELL_SECRETARY)


def require_staff(user):
    if not is_staff_user(user):
        raise Http404


def can_write_at(user, unit):
    return covers(user, unit.path, roles=WRITERS)


def writable_units(user):
    return OrgUnit.objects.filter(path_q("path", scope_paths(user, roles=WRITERS)))


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
    if write and not can_write_at(user, plan.unit):
        raise Http404
    return plan


def get_case_for_user(user, pk, *, write=False):
    case = _get(cases_visible_to(user).select_related("subject_unit", "unit", "plan"), pk)
    if write and not can_write_at(user, case.subject_unit):
        raise Http404
    return case


def get_discipline_for_user(user, pk, *, write=False):
    case = _get(
        discipline_visible_to(user).select_related("member__unit", "org", "unit", "deciding_unit", "inspection_case"),
        pk,
    )
    if write and not can_write_at(user, case.deciding_unit):
        raise Http404
    return case


def get_notice_for_user(user, pk, *, write=False):
    notice = _get(notices_visible_to(user).select_related("member__unit"), pk)
    if write and not can_write_at(user, notice.member.unit):
        raise Http404
    return notice


def can_see_case(user, case):
    return covers(user, case.subject_unit.path) or covers(user, case.unit.path)
