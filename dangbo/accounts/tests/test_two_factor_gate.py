"""Finding 1 (issue 12): with REQUIRE_2FA, a password-only session of a staff user reaches nothing but
the login, logout, second-factor and password pages — user and role administration included."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from dangbo.accounts.middleware import OPEN_VIEWS
from dangbo.accounts.models import RoleAssignment, User
from dangbo.accounts.tests.access_cases import CASES
from tests.test_write_matrix import fingerprint

pytestmark = pytest.mark.usefixtures("cast")

GATED = [c for c in CASES if c.url_name not in OPEN_VIEWS]


def _password_only(client, password, username="bloc"):
    resp = client.post(reverse("accounts:login"), {"username": username, "password": password})
    assert resp.status_code == 302 and "_auth_user_id" in client.session
    return client


def _to_code_page(resp, nxt=None):
    """A redirect to the code page, with ``next`` (for a GET; a POST is not replayed)."""
    assert resp.status_code == 302, resp.status_code
    parts = urlsplit(resp["Location"])
    assert parts.path == reverse("accounts:two_factor")
    assert parse_qs(parts.query) == ({"next": [nxt]} if nxt else {})


def test_every_accounts_view_is_gated_or_listed_open():
    assert {"accounts:users", "accounts:user_create", "accounts:user", "accounts:role_remove"} <= {
        c.url_name for c in GATED
    }
    assert {"accounts:login", "accounts:logout", "accounts:two_factor", "accounts:two_factor_setup"} <= OPEN_VIEWS


@override_settings(REQUIRE_2FA=True)
@pytest.mark.parametrize("case", GATED, ids=lambda c: f"{c.method}:{c.url_name}")
def test_password_only_bloc_office_session_cannot_administer(case, cast, client, password):
    _password_only(client, password)
    url = reverse(case.url_name, kwargs=case.kwargs(cast) if case.kwargs else None)
    data = case.data(cast) if case.data else {}
    before = fingerprint()
    resp = client.get(url) if case.method == "get" else client.post(url, data)
    _to_code_page(resp, url if case.method == "get" else None)
    assert fingerprint() == before
    # The same request with the second factor passed goes through.
    device = TOTPDevice.objects.create(user=cast.bloc_user, name="t", confirmed=True)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    resp = client.get(url) if case.method == "get" else client.post(url, data)
    assert resp.status_code in (200, 302) and not resp.get("Location", "").startswith(reverse("accounts:two_factor"))


@override_settings(REQUIRE_2FA=True)
def test_creating_an_account_with_the_password_alone_is_refused(cast, client, password):
    _password_only(client, password)
    data = {
        "username": "vanphong2",
        "full_name": "Nguyễn Văn Hai",
        "password": "Mat-khau-moi-2026",
        "role": "bloc_office",
        "unit": cast.bloc.pk,
    }
    resp = client.post(reverse("accounts:user_create"), data)
    _to_code_page(resp)
    assert not User.objects.filter(username="vanphong2").exists()
    resp = client.post(reverse("accounts:user", args=[cast.staff_a.pk]), {"role": "bloc_office", "unit": cast.bloc.pk})
    _to_code_page(resp)
    assert not RoleAssignment.objects.filter(user=cast.staff_a, role="bloc_office").exists()


@override_settings(REQUIRE_2FA=True)
def test_open_pages_still_work_and_the_query_string_survives(cast, client, password):
    _password_only(client, password)
    target = "/accounts/users/?q=khoi&page=1"
    resp = client.get(target)
    _to_code_page(resp, target)
    # The code page sends a user without a device to enrolment, keeping ``next``.
    resp = client.get(resp["Location"])
    assert resp.status_code == 302
    setup = resp["Location"]
    assert urlsplit(setup).path == reverse("accounts:two_factor_setup")
    assert parse_qs(urlsplit(setup).query) == {"next": [target]}
    assert client.get(setup).status_code == 200
    assert client.get(reverse("accounts:password_change")).status_code == 200
    assert client.get(reverse("accounts:login")).status_code == 200
    # Enrolling with a correct code lands on the page first asked for, query string and all.
    device = TOTPDevice.objects.get(user=cast.bloc_user, confirmed=False)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = timezone.now().timestamp()
    resp = client.post(setup, {"token": f"{totp.token():06d}"})
    assert resp.status_code == 302 and resp["Location"] == target
    assert client.get(target).status_code == 200
    # Logging out is open too.
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert "_auth_user_id" not in client.session


@override_settings(REQUIRE_2FA=True)
def test_password_change_is_open_before_the_second_factor(cast, client, password):
    _password_only(client, password, "staff_a")
    resp = client.post(
        reverse("accounts:password_change"),
        {"old_password": password, "new_password1": "Mat-khau-moi-2026", "new_password2": "Mat-khau-moi-2026"},
    )
    assert resp.status_code == 302
    assert User.objects.get(username="staff_a").check_password("Mat-khau-moi-2026")


@override_settings(REQUIRE_2FA=True)
def test_user_with_a_device_gets_a_session_only_after_the_code(cast, client, password):
    TOTPDevice.objects.create(user=cast.bloc_user, name="t", confirmed=True)
    resp = client.post(reverse("accounts:login") + "?next=/accounts/users/", {"username": "bloc", "password": password})
    assert resp["Location"] == reverse("accounts:two_factor")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("accounts:users"))["Location"].startswith(reverse("accounts:login"))
