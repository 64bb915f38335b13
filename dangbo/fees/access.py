"""Who may see and act on party fees. Out of scope is a 404.

A member sees only their own fees and declares their own income. The cell secretary (and the
grassroots and bloc office above) reads and writes the fees of their subtree: confirms declarations,
records cash payments, imports the portal's list, computes the month's dues; the office above a unit
records the remittances it receives. The inspection commission reads and writes nothing here.
Nobody acts on their own case: a member never confirms their own declaration nor records their own
payment (a 403 with the reason).
"""

from django.http import Http404

from dangbo.accounts.access import WRITE_ROLES, covers, is_staff_user, own_member_id, refuse_own_case, scope_paths
from dangbo.fees.models import FeeDeclaration, PortalImport
from dangbo.members.models import Member
from dangbo.org.models import OrgUnit


def own_member(user):
    """The member record of ``user``, or 404."""
    pk = own_member_id(user)
    if pk is None:
        raise Http404
    return Member.objects.select_related("unit").get(pk=pk)


def can_write(user, unit):
    return covers(user, unit.path, roles=WRITE_ROLES)


def fee_units(user):
    """Units whose fees ``user`` manages (write roles' subtrees), as a queryset."""
    from dangbo.accounts.access import path_q

    paths = scope_paths(user, roles=WRITE_ROLES)
    return OrgUnit.objects.filter(path_q("path", paths)) if paths else OrgUnit.objects.none()


def require_staff(user):
    if not is_staff_user(user):
        raise Http404


def get_unit_for_user(user, pk):
    """A unit in ``user``'s fee scope, else 404."""
    try:
        unit = OrgUnit.objects.select_related("parent").get(pk=pk)
    except (OrgUnit.DoesNotExist, ValueError, TypeError):
        raise Http404
    if not can_write(user, unit):
        raise Http404
    return unit


def get_member_for_user(user, unit, pk, *, act=False):
    """A member of ``unit``'s subtree; ``act``: refused (403) on the user's own case."""
    try:
        member = Member.objects.select_related("unit").get(pk=pk, unit__path__startswith=unit.path)
    except (Member.DoesNotExist, ValueError, TypeError):
        raise Http404
    if act:
        refuse_own_case(user, subjects=[member])
    return member


def declarations_for_user(user, unit, ids):
    """The declared declarations ``ids`` of ``unit``'s subtree; 403 when one is the user's own."""
    decls = list(
        FeeDeclaration.objects.filter(
            pk__in=ids, member__unit__path__startswith=unit.path, state=FeeDeclaration.State.DECLARED
        ).select_related("member__unit")
    )
    refuse_own_case(user, subjects=[d.member for d in decls])
    return decls


def get_import_for_user(user, unit, pk):
    try:
        return PortalImport.objects.select_related("unit").get(pk=pk, unit=unit)
    except (PortalImport.DoesNotExist, ValueError, TypeError):
        raise Http404


def get_child_for_user(user, unit, pk):
    """A unit directly below ``unit`` (which remits to it), else 404."""
    try:
        return OrgUnit.objects.get(pk=pk, parent=unit)
    except (OrgUnit.DoesNotExist, ValueError, TypeError):
        raise Http404
