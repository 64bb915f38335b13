"""The first account of a new installation (README, Production): the bloc and its bloc-office login."""

import io

import pytest
from django.core.management import CommandError, call_command

from dangbo.accounts.models import Role, RoleAssignment, User
from dangbo.org.models import OrgUnit

pytestmark = pytest.mark.django_db


def test_the_first_bloc_office_account(monkeypatch, client):
    monkeypatch.setenv("DANGBO_PASSWORD", "Mot-mat-khau-dai-2026")
    out = io.StringIO()
    call_command(
        "create_bloc_office",
        bloc="Đảng bộ Khối các cơ quan tỉnh",
        established="03/02/2008",
        username="vanphong",
        full_name="Nguyễn Văn An",
        stdout=out,
    )
    bloc = OrgUnit.objects.get(parent__isnull=True)
    assert bloc.kind == OrgUnit.Kind.BLOC and bloc.valid_from.year == 2008 and bloc.versions.count() == 1
    user = User.objects.get(username="vanphong")
    assert RoleAssignment.objects.filter(user=user, unit=bloc, role=Role.BLOC_OFFICE).exists()
    assert client.login(username="vanphong", password="Mot-mat-khau-dai-2026")
    # A weak password or a look-alike username is refused with the browser's rules; nothing is created.
    monkeypatch.setenv("DANGBO_PASSWORD", "vanphong2vanphong")
    with pytest.raises(CommandError):
        call_command("create_bloc_office", bloc="Khác", username="vanphong2", stdout=out)
    monkeypatch.setenv("DANGBO_PASSWORD", "Mot-mat-khau-dai-2026")
    with pytest.raises(CommandError):
        call_command("create_bloc_office", bloc="Khác", username="vаnphong", stdout=out)  # Cyrillic а
    assert OrgUnit.objects.count() == 1 and User.objects.count() == 1
