"""Finding 13c (issue 12): a unit never loses its last administrator by a role removal."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dangbo.accounts import services
from dangbo.accounts.models import Role, RoleAssignment
from dangbo.core.models import AuditLog
from dangbo.testing import make_user


def _remove(client, ra):
    return client.post(reverse("accounts:role_remove", args=[ra.pk]), follow=True)


def _messages(resp):
    return [str(m) for m in resp.context["messages"]]


def test_nobody_removes_their_own_administrative_role(cast, login):
    make_user("vanphong2", Role.BLOC_OFFICE, cast.bloc)
    own = RoleAssignment.objects.get(user=cast.bloc_user, role=Role.BLOC_OFFICE)
    client = login(cast.bloc_user)
    page = client.get(reverse("accounts:user", args=[cast.bloc_user.pk]))
    assert dict(page.context["assignments"])[own] is False  # no Remove button
    resp = _remove(client, own)
    assert resp.status_code == 200
    assert RoleAssignment.objects.filter(pk=own.pk).exists()
    assert any("không thể tự gỡ vai trò quản trị" in m for m in _messages(resp))
    assert not AuditLog.objects.filter(action="accounts.role_remove").exists()
    # Grassroots staff: the same for their own role.
    own_staff = RoleAssignment.objects.get(user=cast.staff_a, role=Role.GRASSROOTS_STAFF)
    _remove(login(cast.staff_a), own_staff)
    assert RoleAssignment.objects.filter(pk=own_staff.pk).exists()
    # Another administrator may remove it, and a non-administrative role of one's own may go.
    _remove(login(cast.bloc_user), own_staff)
    assert not RoleAssignment.objects.filter(pk=own_staff.pk).exists()
    mine = RoleAssignment.objects.create(user=cast.bloc_user, unit=cast.cell_a1, role=Role.MEMBER)
    _remove(login(cast.bloc_user), mine)
    assert not RoleAssignment.objects.filter(pk=mine.pk).exists()


def test_one_bloc_office_removes_another_but_never_the_last(cast, login):
    other = make_user("vanphong2", Role.BLOC_OFFICE, cast.bloc)
    own = RoleAssignment.objects.get(user=cast.bloc_user, role=Role.BLOC_OFFICE)
    theirs = RoleAssignment.objects.get(user=other, role=Role.BLOC_OFFICE)
    _remove(login(cast.bloc_user), theirs)
    assert not RoleAssignment.objects.filter(pk=theirs.pk).exists()
    # Now the bloc's one remaining bloc-office role is the last: refused for anyone (a command, or the
    # second of two offices removing each other at once).
    with pytest.raises(ValidationError) as e:
        services.remove_role(assignment=own, actor=other)
    assert e.value.code == "last_admin"
    assert RoleAssignment.objects.filter(pk=own.pk).exists()


def test_an_inactive_account_does_not_count_as_an_administrator(cast):
    idle = make_user("vanphong_cu", Role.BLOC_OFFICE, cast.bloc)
    idle.is_active = False
    idle.save(update_fields=["is_active"])
    own = RoleAssignment.objects.get(user=cast.bloc_user, role=Role.BLOC_OFFICE)
    with pytest.raises(ValidationError):
        services.remove_role(assignment=own, actor=None)
    assert RoleAssignment.objects.filter(pk=own.pk).exists()


def test_a_bloc_office_role_below_the_bloc_is_covered_by_the_bloc(cast, login):
    stray = RoleAssignment.objects.create(user=cast.staff_b, unit=cast.gr_b, role=Role.BLOC_OFFICE)
    resp = _remove(login(cast.bloc_user), stray)
    assert not RoleAssignment.objects.filter(pk=stray.pk).exists()
    assert "Đã gỡ vai trò." in _messages(resp)
