"""Opening org units for a user. Out of scope is a 404, never a hint."""

from django.http import Http404

from dangbo.accounts.access import WRITE_ROLES, covers, path_q, scope_paths
from dangbo.accounts.models import Role
from dangbo.org.models import OrgUnit


def units_visible_to(user):
    """Units a user may see: staff see their subtrees; a plain member sees only their own unit."""
    paths = scope_paths(user)
    qs = OrgUnit.objects.filter(path_q("path", paths))
    if not paths:
        member = getattr(user, "member", None) if user.is_authenticated else None
        qs = OrgUnit.objects.filter(pk=member.unit_id) if member else OrgUnit.objects.none()
    return qs


def get_unit_for_user(user, pk, *, write=False):
    """The unit ``pk`` if ``user`` may see it (``write``: may change it), else 404."""
    try:
        unit = OrgUnit.objects.select_related("parent", "cluster").get(pk=pk)
    except (OrgUnit.DoesNotExist, ValueError, TypeError):
        raise Http404
    if write:
        if not can_restructure(user, unit):
            raise Http404
    elif not units_visible_to(user).filter(pk=unit.pk).exists():
        raise Http404
    return unit


def can_restructure(user, unit):
    """Bloc office anywhere; grassroots staff strictly below their own grassroots unit."""
    if covers(user, unit.path, roles=(Role.BLOC_OFFICE,)):
        return True
    return any(unit.path.startswith(p) and unit.path != p for p in scope_paths(user, roles=(Role.GRASSROOTS_STAFF,)))


def can_write_in(user, unit):
    return covers(user, unit.path, roles=WRITE_ROLES)


def restructurable_units(user):
    """Units the user may restructure (see can_restructure), as a queryset."""
    from django.db.models import Q

    bloc = scope_paths(user, roles=(Role.BLOC_OFFICE,))
    grassroots = scope_paths(user, roles=(Role.GRASSROOTS_STAFF,))
    q = path_q("path", bloc)
    for p in grassroots:
        q |= Q(path__startswith=p) & ~Q(path=p)
    return OrgUnit.objects.filter(q)
