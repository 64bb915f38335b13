"""Who may see what: the scope of a user is the set of org-unit subtrees of
their role assignments. Object-type helpers (``dangbo.org.access``,
``dangbo.members.access`` …) build on these functions; views never filter by
hand.
"""

from django.db.models import Q

from dangbo.accounts.models import Role

STAFF_ROLES = (Role.BLOC_OFFICE, Role.INSPECTION, Role.GRASSROOTS_STAFF, Role.CELL_SECRETARY)
# Roles that may change data in their subtree (inspection reads everything, writes only its own cases).
WRITE_ROLES = (Role.BLOC_OFFICE, Role.GRASSROOTS_STAFF, Role.CELL_SECRETARY)


def _assignments(user):
    if not user.is_authenticated:
        return []
    cache = getattr(user, "_role_cache", None)
    if cache is None:
        cache = [(ra.role, ra.unit.path, ra.unit_id) for ra in user.roles.select_related("unit")]
        user._role_cache = cache
    return cache


def roles_of(user):
    return {role for role, _path, _id in _assignments(user)}


def has_role(user, *roles):
    return bool(roles_of(user) & set(roles))


def is_bloc_office(user):
    return has_role(user, Role.BLOC_OFFICE)


def is_staff_user(user):
    """Anyone with a role above plain member."""
    return has_role(user, *STAFF_ROLES)


def scope_paths(user, roles=STAFF_ROLES):
    """Subtree roots (paths) the user covers through ``roles``."""
    paths = sorted({path for role, path, _id in _assignments(user) if role in roles})
    # Drop paths nested inside another one: the outer subtree already covers them.
    return [p for p in paths if not any(p != o and p.startswith(o) for o in paths)]


def path_q(field, paths):
    """Q matching rows whose ``field`` path lies in one of ``paths`` (nothing when empty)."""
    if not paths:
        return Q(pk__in=[])
    q = Q()
    for p in paths:
        q |= Q(**{f"{field}__startswith": p})
    return q


def covers(user, path, roles=STAFF_ROLES):
    return any(path.startswith(p) for p in scope_paths(user, roles))


# Roles a grassroots committee may hand out inside its own subtree.
GRASSROOTS_GRANTABLE = (Role.GRASSROOTS_STAFF, Role.CELL_SECRETARY, Role.MEMBER)


def admin_paths(user):
    """Subtrees in which ``user`` administers accounts (bloc office; grassroots staff)."""
    return scope_paths(user, roles=(Role.BLOC_OFFICE, Role.GRASSROOTS_STAFF))


def grantable_roles(user):
    return list(Role) if is_bloc_office(user) else list(GRASSROOTS_GRANTABLE) if admin_paths(user) else []


def users_administered_by(user):
    """Users with at least one role inside the admin's subtrees (the bloc office: everyone)."""
    from dangbo.accounts.models import User

    if is_bloc_office(user):
        return User.objects.all()
    paths = admin_paths(user)
    return User.objects.filter(path_q("roles__unit__path", paths)).distinct()


def get_user_for_admin(admin, pk):
    from django.http import Http404

    from dangbo.accounts.models import User

    try:
        return users_administered_by(admin).get(pk=pk)
    except (User.DoesNotExist, ValueError, TypeError):
        raise Http404
