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


def assigned_at(user, unit, roles):
    """Whether ``user`` holds one of ``roles`` on ``unit`` itself (not above it)."""
    return any(role in roles and unit_id == unit.pk for role, _path, unit_id in _assignments(user))


def assigned_unit_ids(user, roles):
    """The units on which ``user`` holds one of ``roles`` (the units themselves, not their subtrees)."""
    return sorted({unit_id for role, _path, unit_id in _assignments(user) if role in roles})


def assigned_above(user, unit, roles):
    """Whether ``user`` holds one of ``roles`` on a unit strictly above ``unit``."""
    return any(
        role in roles and path != unit.path and unit.path.startswith(path) for role, path, _id in _assignments(user)
    )


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


# ---- nobody acts on their own case --------------------------------------------------------------------
# The subject of a case (the member it concerns, through Member.user) never takes a step, votes, decides,
# answers an appeal or annuls anything in it; nor does anyone who voted the decision act on an appeal
# against it. Every app's permission functions ask ``own_case_refusal``; the views turn a refusal into a
# 403 with its Vietnamese reason (``refuse_own_case``), the services into a ValidationError.


def own_member_id(user):
    """The id of the party member linked to ``user`` (Member.user), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_own_member_id"):
        from dangbo.members.models import Member

        user._own_member_id = Member.objects.filter(user_id=user.pk).values_list("pk", flat=True).first()
    return user._own_member_id


def is_subject(user, *members):
    """Whether one of ``members`` (Member rows, or None) is ``user`` themself."""
    if not getattr(user, "is_authenticated", False):
        return False
    return any(m is not None and m.user_id is not None and m.user_id == user.pk for m in members)


def in_org(user, *orgs):
    """Whether ``user`` holds a role on one of ``orgs`` (units, or None) or below it: its own people."""
    paths = [o.path for o in orgs if o is not None]
    return any(p.startswith(o) for _role, p, _id in _assignments(user) for o in paths)


def own_case_refusal(user, *, subjects=(), orgs=(), voted=False):
    """Why ``user`` may not act on a case about ``subjects`` (members) or ``orgs`` (organizations: their own
    people), or after voting its decision; None when free."""
    from django.utils.translation import gettext as _

    if is_subject(user, *subjects):
        return _("This case concerns you, comrade: you cannot act on your own case.")
    if in_org(user, *orgs):
        return _("This case concerns your own party organization, comrade: you cannot act on it.")
    if voted:
        return _("You took part in this decision, comrade: you cannot act on an appeal against it.")
    return None


def acts_on_own_case(user, *, subjects=(), orgs=(), voted=False):
    return own_case_refusal(user, subjects=subjects, orgs=orgs, voted=voted) is not None


def refuse_own_case(user, *, subjects=(), orgs=(), voted=False):
    """Raise a 403 with the reason when ``user`` would act on their own case (views)."""
    reason = own_case_refusal(user, subjects=subjects, orgs=orgs, voted=voted)
    if reason:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(reason)
