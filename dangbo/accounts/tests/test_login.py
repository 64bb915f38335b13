import datetime

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from dangbo.accounts.models import LoginFailure, User
from dangbo.core.models import AuditLog


def _login(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def _code(device, offset=0):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = timezone.now().timestamp() + offset
    return f"{totp.token():06d}"


def test_login_and_redirect(cast, client, password):
    resp = _login(client, "staff_a", password)
    assert resp.status_code == 302 and resp["Location"] == reverse("core:home")
    assert client.get(reverse("core:home")).status_code == 200


def _error(resp):
    """The login page's error text."""
    assert resp.status_code == 200
    return " ".join(str(e) for e in resp.context["form"].non_field_errors())


def _age_failures(minutes):
    LoginFailure.objects.update(at=timezone.now() - datetime.timedelta(minutes=minutes))


@override_settings(LOGIN_MAX_FAILURES=3, LOGIN_LOCKOUT_MINUTES=15)
def test_one_message_for_every_refusal_so_usernames_cannot_be_told_apart(cast, client, password):
    # Wrong password, unknown username, then both paused after the limit: always the same words.
    messages = {
        _error(_login(client, name, "nope-nope-nope")) for name in ("staff_a", "no_such_user") for _ in range(4)
    }
    # Even the right password of a paused account says exactly the same.
    messages.add(_error(_login(client, "staff_a", password)))
    assert len(messages) == 1
    (message,) = messages
    assert message.startswith("Sai tên đăng nhập hoặc mật khẩu.") and "15 phút" in message
    assert "khóa" not in message
    # Both usernames were counted alike: three failures each (the fourth was refused unchecked).
    assert LoginFailure.objects.filter(username="staff_a").count() == 3
    assert LoginFailure.objects.filter(username="no_such_user").count() == 3


@override_settings(LOGIN_MAX_FAILURES=3, LOGIN_LOCKOUT_MINUTES=15)
def test_failures_pause_the_account_from_that_address_only_and_expire(cast, client, password):
    attacker, office = {"REMOTE_ADDR": "203.0.113.9"}, {"REMOTE_ADDR": "10.1.2.3"}
    for _ in range(3):
        client.post(reverse("accounts:login"), {"username": "bloc", "password": "wrong-password-x"}, **attacker)
    user = User.objects.get(username="bloc")
    assert user.is_locked
    assert AuditLog.objects.filter(action="accounts.lock", object_id=str(user.pk)).count() == 1
    # The right password from the attacker's address is refused while paused …
    resp = client.post(reverse("accounts:login"), {"username": "bloc", "password": password}, **attacker)
    assert resp.status_code == 200 and "_auth_user_id" not in client.session
    # … but the bloc office, at its own address, is not locked out by someone else's attempts.
    resp = client.post(reverse("accounts:login"), {"username": "bloc", "password": password}, **office)
    assert resp.status_code == 302 and client.session["_auth_user_id"] == str(user.pk)
    client.logout()
    # Case or Unicode variants of the username share the count.
    resp = client.post(reverse("accounts:login"), {"username": "BLOC", "password": password}, **attacker)
    assert resp.status_code == 200
    # Once the window has passed it works again and the count for that address is cleared.
    _age_failures(16)
    assert not User.objects.get(username="bloc").is_locked
    resp = client.post(reverse("accounts:login"), {"username": "bloc", "password": password}, **attacker)
    assert resp.status_code == 302
    assert not LoginFailure.objects.filter(username="bloc", address="203.0.113.9").exists()


@override_settings(LOGIN_MAX_FAILURES=5, LOGIN_MAX_FAILURES_PER_ADDRESS=4, LOGIN_LOCKOUT_MINUTES=15)
def test_one_address_trying_many_accounts_is_stopped(cast, client, password):
    sprayer = {"REMOTE_ADDR": "198.51.100.7"}
    for name in ("inspector", "staff_b", "secretary_a1", "nobody"):
        client.post(reverse("accounts:login"), {"username": name, "password": "Mua-xuan-2026"}, **sprayer)
    assert AuditLog.objects.filter(action="accounts.address_lock").count() == 1
    # A fifth account from that address is refused even with its right password, with the same message …
    resp = client.post(reverse("accounts:login"), {"username": "staff_a", "password": password}, **sprayer)
    assert _error(resp).startswith("Sai tên đăng nhập hoặc mật khẩu.")
    assert LoginFailure.objects.filter(address="198.51.100.7").count() == 4
    # … and the same account from another address logs in.
    resp = client.post(reverse("accounts:login"), {"username": "staff_a", "password": password}, REMOTE_ADDR="10.0.0.5")
    assert resp.status_code == 302
    # A success does not clear the address's count (a valid account cannot launder a sprayer).
    assert LoginFailure.objects.filter(address="198.51.100.7").count() == 4


@override_settings(LOGIN_TRUSTED_PROXIES=["127.0.0.1"])
def test_behind_a_trusted_proxy_the_forwarded_client_address_is_counted(cast, client):
    forged_then_real = "6.6.6.6, 203.0.113.44"
    _login(client, "staff_a", "wrong-password-x")  # straight from the proxy's address: no header
    client.post(
        reverse("accounts:login"),
        {"username": "staff_a", "password": "wrong-password-x"},
        HTTP_X_FORWARDED_FOR=forged_then_real,
    )
    # From an untrusted peer the header is ignored.
    client.post(
        reverse("accounts:login"),
        {"username": "staff_a", "password": "wrong-password-x"},
        REMOTE_ADDR="198.51.100.1",
        HTTP_X_FORWARDED_FOR="203.0.113.44",
    )
    assert sorted(LoginFailure.objects.values_list("address", flat=True)) == [
        "127.0.0.1",
        "198.51.100.1",
        "203.0.113.44",
    ]


@override_settings(LOGIN_MAX_FAILURES=3)
def test_without_a_usable_address_the_username_is_still_throttled(cast, client, password):
    for address in ("", "not-an-address", ""):
        resp = client.post(
            reverse("accounts:login"), {"username": "staff_a", "password": "wrong-password-x"}, REMOTE_ADDR=address
        )
        assert resp.status_code == 200
    assert list(LoginFailure.objects.values_list("address", flat=True)) == [None, None, None]
    resp = client.post(reverse("accounts:login"), {"username": "staff_a", "password": password}, REMOTE_ADDR="")
    assert resp.status_code == 200 and User.objects.get(username="staff_a").is_locked


def test_expired_failures_are_pruned(cast, client):
    _login(client, "staff_a", "wrong-password-x")
    _age_failures(60 * 24)
    _login(client, "staff_b", "wrong-password-x")
    assert list(LoginFailure.objects.values_list("username", flat=True)) == ["staff_b"]


@override_settings(LOGIN_MAX_FAILURES=3)
def test_bloc_office_unlocks_an_account(cast, login):
    for address in ("203.0.113.1", "203.0.113.2"):
        for _ in range(3):
            LoginFailure.objects.create(username="staff_b", address=address)
    client = login(cast.bloc_user)
    assert "Mở khóa" in client.get(reverse("accounts:user", args=[cast.staff_b.pk])).content.decode()
    page = client.get(reverse("accounts:users"))
    assert page.context["locked"] == {"staff_b"}
    resp = client.post(reverse("accounts:user_unlock", args=[cast.staff_b.pk]))
    assert resp.status_code == 302
    assert not User.objects.get(pk=cast.staff_b.pk).is_locked
    assert not LoginFailure.objects.filter(username="staff_b").exists()
    assert AuditLog.objects.filter(action="accounts.unlock", actor=cast.bloc_user).exists()
    # staff_a administers only its own subtree: staff_b is out of scope.
    LoginFailure.objects.create(username="staff_b", address="203.0.113.1")
    assert login(cast.staff_a).post(reverse("accounts:user_unlock", args=[cast.staff_b.pk])).status_code == 404
    assert LoginFailure.objects.filter(username="staff_b").count() == 1


def test_totp_enrolment_then_second_step_at_login(cast, client, password):
    client.force_login(cast.staff_a)
    resp = client.get(reverse("accounts:two_factor_setup"))
    assert 'src="data:image/svg+xml;base64,' in resp.content.decode()
    device = TOTPDevice.objects.get(user=cast.staff_a, confirmed=False)
    resp = client.post(reverse("accounts:two_factor_setup"), {"token": "000000"})
    assert resp.status_code == 200 and not TOTPDevice.objects.filter(confirmed=True).exists()
    resp = client.post(reverse("accounts:two_factor_setup"), {"token": _code(device)})
    assert resp.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    client.logout()
    # Password alone no longer opens a session.
    resp = _login(client, "staff_a", password)
    assert resp["Location"] == reverse("accounts:two_factor")
    assert client.get(reverse("core:home")).status_code == 302
    resp = client.post(reverse("accounts:two_factor"), {"token": "12345x"})
    assert resp.status_code == 200 and resp.context["form"].errors
    resp = client.post(reverse("accounts:two_factor"), {"token": _code(device, offset=30)})
    assert resp.status_code == 302
    assert client.get(reverse("core:home")).status_code == 200


@override_settings(REQUIRE_2FA=True)
def test_production_requires_two_factor_above_member(cast, client, password):
    _login(client, "staff_a", password)
    resp = client.get(reverse("core:home"))
    assert resp.status_code == 302 and resp["Location"].startswith(reverse("accounts:two_factor"))
    resp = client.get(resp["Location"], follow=True)
    assert resp.redirect_chain[-1][0] == reverse("accounts:two_factor_setup") + "?next=%2F"
    client.logout()
    # A plain member is not forced.
    _login(client, "member_a1", password)
    assert client.get(reverse("core:home")).status_code == 200


def test_password_change(cast, client, password):
    client.force_login(cast.staff_a)
    resp = client.post(
        reverse("accounts:password_change"),
        {"old_password": "wrong", "new_password1": "Mat-khau-moi-2026", "new_password2": "Mat-khau-moi-2026"},
    )
    assert resp.status_code == 200
    assert User.objects.get(pk=cast.staff_a.pk).check_password(password)
    resp = client.post(
        reverse("accounts:password_change"),
        {"old_password": password, "new_password1": "Mat-khau-moi-2026", "new_password2": "Mat-khau-moi-2026"},
    )
    assert resp.status_code == 302
    assert User.objects.get(pk=cast.staff_a.pk).check_password("Mat-khau-moi-2026")


def test_grassroots_staff_creates_users_only_inside_their_subtree(cast, login):
    client = login(cast.staff_a)
    data = {
        "username": "bt_tinhoc",
        "full_name": "Nguyễn Văn Tin",
        "password": "Mat-khau-moi-2026",
        "role": "cell_secretary",
        "unit": cast.cell_a2.pk,
    }
    assert client.post(reverse("accounts:user_create"), data).status_code == 302
    user = User.objects.get(username="bt_tinhoc")
    assert user.roles.get().unit == cast.cell_a2
    # A unit outside the subtree is out of scope (404); a role above their own is refused at the field.
    resp = client.post(reverse("accounts:user_create"), {**data, "username": "x2", "unit": cast.cell_b1.pk})
    assert resp.status_code == 404
    resp = client.post(reverse("accounts:user_create"), {**data, "username": "x3", "role": "bloc_office"})
    assert "role" in resp.context["form"].errors
    assert not User.objects.filter(username__in=["x2", "x3"]).exists()
    names = {u.username for u in client.get(reverse("accounts:users")).context["page"]}
    assert names == {"staff_a", "secretary_a1", "member_a1", "bt_tinhoc"}
