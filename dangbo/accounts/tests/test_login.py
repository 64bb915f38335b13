import datetime

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from dangbo.accounts.models import User
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


def test_wrong_password_message_is_the_same_for_unknown_users(cast, client):
    a = _login(client, "staff_a", "nope-nope-nope").content.decode()
    b = _login(client, "no_such_user", "nope-nope-nope").content.decode()
    assert "Sai tên đăng nhập hoặc mật khẩu." in a and "Sai tên đăng nhập hoặc mật khẩu." in b
    assert User.objects.get(username="staff_a").failed_login_count == 1


@override_settings(LOGIN_MAX_FAILURES=3, LOGIN_LOCKOUT_MINUTES=15)
def test_lockout_after_repeated_failures_and_unlock_by_time(cast, client, password):
    for _ in range(2):
        _login(client, "staff_b", "wrong-password-x")
    resp = _login(client, "staff_b", "wrong-password-x")
    assert "bị khóa" in resp.content.decode()
    user = User.objects.get(username="staff_b")
    assert user.is_locked
    assert AuditLog.objects.filter(action="accounts.lock", object_id=str(user.pk)).exists()
    # The right password is refused while locked.
    resp = _login(client, "staff_b", password)
    assert resp.status_code == 200 and "bị khóa" in resp.content.decode()
    # Once the time has passed it works again and the counter is reset.
    User.objects.filter(pk=user.pk).update(locked_until=timezone.now() - datetime.timedelta(minutes=1))
    assert _login(client, "staff_b", password).status_code == 302
    user.refresh_from_db()
    assert user.failed_login_count == 0 and user.locked_until is None


def test_bloc_office_unlocks_an_account(cast, login):
    until = timezone.now() + datetime.timedelta(minutes=10)
    User.objects.filter(pk=cast.staff_b.pk).update(locked_until=until)
    client = login(cast.bloc_user)
    assert "Mở khóa" in client.get(reverse("accounts:user", args=[cast.staff_b.pk])).content.decode()
    resp = client.post(reverse("accounts:user_unlock", args=[cast.staff_b.pk]))
    assert resp.status_code == 302
    assert not User.objects.get(pk=cast.staff_b.pk).is_locked
    assert AuditLog.objects.filter(action="accounts.unlock", actor=cast.bloc_user).exists()
    # staff_a administers only its own subtree: staff_b is out of scope.
    assert login(cast.staff_a).post(reverse("accounts:user_unlock", args=[cast.staff_b.pk])).status_code == 404


def test_totp_enrolment_then_second_step_at_login(cast, client, password):
    client.force_login(cast.staff_a)
    resp = client.get(reverse("accounts:two_factor_setup"))
    assert "<svg" in resp.content.decode()
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
    assert resp.redirect_chain[-1][0] == reverse("accounts:two_factor_setup")
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
    # A unit outside the subtree or a role above their own is refused at the field.
    resp = client.post(reverse("accounts:user_create"), {**data, "username": "x2", "unit": cast.cell_b1.pk})
    assert resp.status_code == 200 and "unit" in resp.context["form"].errors
    resp = client.post(reverse("accounts:user_create"), {**data, "username": "x3", "role": "bloc_office"})
    assert "role" in resp.context["form"].errors
    assert not User.objects.filter(username__in=["x2", "x3"]).exists()
    names = {u.username for u in client.get(reverse("accounts:users")).context["page"]}
    assert names == {"staff_a", "secretary_a1", "member_a1", "bt_tinhoc"}
