from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from dangbo.accounts.models import LoginFailure, RoleAssignment
from dangbo.testing import EVERYONE, PASSWORD, Case

ADMINS_A = {"bloc", "staff_a"}
# One authenticator secret for every cast user's device, so that one code opens each of them.
TOTP_KEY = "3132333435363738393031323334353637383930"
NEW_PASSWORD = "Mat-khau-moi-2026"


def _code():
    totp = TOTP(bytes.fromhex(TOTP_KEY))
    totp.time = timezone.now().timestamp()
    return f"{totp.token():06d}"


def _devices(*, confirmed):
    """A device for every cast user (confirmed, or being enrolled) and the current code for them all."""

    def data(cast):
        for user in cast.users.values():
            TOTPDevice.objects.create(user=user, name="matrix", key=TOTP_KEY, confirmed=confirmed)
        return {"token": _code()}

    return data


def _locked_secretary(cast):
    for _ in range(5):
        LoginFailure.objects.create(username=cast.secretary_a1.username, address="203.0.113.5")
    return {}


CASES = [
    Case("accounts:two_factor", allowed=EVERYONE),
    # The code step: the device's last used time step is stored.
    Case("accounts:two_factor", allowed=EVERYONE, method="post", data=_devices(confirmed=True)),
    Case("accounts:two_factor_setup", allowed=EVERYONE),
    # Enrolment: the pending device is confirmed.
    Case("accounts:two_factor_setup", allowed=EVERYONE, method="post", data=_devices(confirmed=False)),
    # Switching off: the device is deleted.
    Case("accounts:two_factor_disable", allowed=EVERYONE, method="post", data=_devices(confirmed=True)),
    Case("accounts:profile", allowed=EVERYONE),
    Case("accounts:password_change", allowed=EVERYONE),
    Case(
        "accounts:password_change",
        allowed=EVERYONE,
        method="post",
        data=lambda c: {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    ),
    Case("accounts:users", allowed={"bloc", "staff_a", "staff_b"}),
    Case("accounts:user_create", allowed={"bloc", "staff_a", "staff_b"}),
    # A new account on a cell of gr_a: staff_b administers accounts too, but not there (404).
    Case(
        "accounts:user_create",
        allowed=ADMINS_A,
        method="post",
        data=lambda c: {
            "username": "bt_tinhoc",
            "full_name": "Nguyễn Văn Tin",
            "password": NEW_PASSWORD,
            "role": "cell_secretary",
            "unit": c.cell_a2.pk,
        },
    ),
    Case("accounts:user", kwargs=lambda c: {"pk": c.secretary_a1.pk}, allowed=ADMINS_A),
    Case("accounts:user", kwargs=lambda c: {"pk": c.staff_b.pk}, allowed={"bloc", "staff_b"}),
    # A role added to secretary_a1.
    Case(
        "accounts:user",
        kwargs=lambda c: {"pk": c.secretary_a1.pk},
        allowed=ADMINS_A,
        method="post",
        data=lambda c: {"role": "cell_secretary", "unit": c.cell_a2.pk},
    ),
    Case(
        "accounts:user_unlock",
        kwargs=lambda c: {"pk": c.secretary_a1.pk},
        allowed=ADMINS_A,
        method="post",
        data=_locked_secretary,
    ),
    Case(
        "accounts:role_remove",
        kwargs=lambda c: {"pk": RoleAssignment.objects.get(user=c.member_a1).pk},
        allowed=ADMINS_A,
        method="post",
    ),
]
