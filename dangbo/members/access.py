"""Opening members for a user: staff within their subtrees, a member only themself."""

from django.http import Http404

from dangbo.accounts.access import WRITE_ROLES, covers, path_q, scope_paths
from dangbo.members.models import Member, MemberImport


def members_visible_to(user):
    paths = scope_paths(user)
    if paths:
        return Member.objects.filter(path_q("unit__path", paths))
    if user.is_authenticated:
        return Member.objects.filter(user=user)
    return Member.objects.none()


def get_member_for_user(user, pk, *, write=False):
    try:
        member = Member.objects.select_related("unit", "temporary_unit").get(pk=pk)
    except (Member.DoesNotExist, ValueError, TypeError):
        raise Http404
    if write:
        if not covers(user, member.unit.path, roles=WRITE_ROLES):
            raise Http404
    elif not (member.user_id == user.pk or covers(user, member.unit.path)):
        raise Http404
    return member


def get_import_for_user(user, pk):
    """An Excel import is seen only by who uploaded it, while they may still write in its unit."""
    try:
        imp = MemberImport.objects.select_related("unit").get(pk=pk, created_by_id=user.pk)
    except (MemberImport.DoesNotExist, ValueError, TypeError):
        raise Http404
    if not covers(user, imp.unit.path, roles=WRITE_ROLES):
        raise Http404
    return imp
