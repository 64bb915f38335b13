from django.test import override_settings
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from dangbo.accounts.models import User


def _code(device):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = timezone.now().timestamp()
    return f"{totp.token():06d}"


@override_settings(LOGIN_MAX_FAILURES=5)
def test_lockout_message_after_five_failures(page, browser_cast, browser_login):
    for _ in range(5):
        browser_login(page, "staff_b", "mat-khau-sai")
    # One message for every refusal (no telling a paused account from a wrong password or a stranger).
    assert "Sai tên đăng nhập hoặc mật khẩu" in page.locator("[data-testid=login-error]").inner_text()
    assert User.objects.get(username="staff_b").is_locked


def test_enrol_totp_and_log_in_with_a_code(page, browser_cast, browser_login, password):
    browser_login(page, "staff_a")
    page.goto(f"{page.base_url}/accounts/profile/")
    page.click("text=Thiết lập")
    qr = page.locator("[data-testid=qr] img")
    assert qr.get_attribute("src").startswith("data:image/svg+xml;base64,")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    device = TOTPDevice.objects.get(user__username="staff_a", confirmed=False)
    page.fill("#id_token", _code(device))
    page.click("main form button[type=submit]")
    assert "Đang bật" in page.locator("[data-testid='2fa-status']").inner_text()
    page.click("#user-menu")
    page.click("text=Đăng xuất")
    browser_login(page, "staff_a", password)
    assert "/accounts/two-factor/" in page.url
    device.refresh_from_db()
    # A fresh code for the next time step (the previous one was used at enrolment).
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = timezone.now().timestamp() + 30
    page.fill("#id_token", f"{totp.token():06d}")
    page.click("main form button[type=submit]")
    assert page.locator("[data-testid=summary]").is_visible()
