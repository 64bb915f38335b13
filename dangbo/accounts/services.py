"""Account operations: login with throttling, two-factor devices, user administration.
Each write leaves an audit row."""

import datetime
import ipaddress

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from dangbo.accounts.models import LoginFailure, Role, RoleAssignment, User
from dangbo.accounts.validators import normalize_username
from dangbo.core.audit import record


def login_failed_message():
    """The one message for every refused login: wrong password, unknown username, or throttled.

    Saying "locked" only for real accounts would tell an outsider which usernames exist."""
    return _(
        "Wrong username or password. After repeated failures, logins from this device are paused for "
        "%(minutes)d minutes; if it is urgent, please ask your account administrator."
    ) % {"minutes": settings.LOGIN_LOCKOUT_MINUTES}


def username_key(username):
    """The username as failures are counted: NFKC, case-folded (so "Khoi" and "khoi" share a count)."""
    return normalize_username(username).casefold()[:150]


def _ip(value):
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


def client_address(request):
    """The client's IP address: REMOTE_ADDR, or None when that is no IP address.

    Behind a reverse proxy REMOTE_ADDR is the proxy's, and one address for everybody would make the
    per-address limit a limit for all. List the proxy in ``LOGIN_TRUSTED_PROXIES``: a request from it
    is counted at the last X-Forwarded-For entry, the one that proxy appended.
    """
    address = _ip(request.META.get("REMOTE_ADDR"))
    if address is not None and address in getattr(settings, "LOGIN_TRUSTED_PROXIES", ()):
        forwarded = [a for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if forwarded:
            address = _ip(forwarded[-1]) or address
    return address


def _window_start(now=None):
    return (now or timezone.now()) - datetime.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def _max_per_address():
    return getattr(settings, "LOGIN_MAX_FAILURES_PER_ADDRESS", 20)


def _throttled(key, address, now):
    recent = LoginFailure.objects.filter(at__gte=_window_start(now))
    if address is not None and recent.filter(address=address).count() >= _max_per_address():
        return True
    return recent.filter(username=key, address=address).count() >= settings.LOGIN_MAX_FAILURES


def check_login(request, *, username, password):
    """The user if the credentials are right and the login is not throttled; else ValidationError.

    Failures are counted per (username, address) — ``LOGIN_MAX_FAILURES`` in the last
    ``LOGIN_LOCKOUT_MINUTES`` pause that username from that address only, so nobody can lock the
    bloc office out from elsewhere — and per address across usernames
    (``LOGIN_MAX_FAILURES_PER_ADDRESS``), which stops one address trying one password on many
    accounts. A throttled attempt is refused before the password is checked. Unknown usernames count
    like real ones and every refusal has the same message.
    """
    now = timezone.now()
    key, address = username_key(username), client_address(request)
    if _throttled(key, address, now):
        raise ValidationError(login_failed_message(), code="invalid")
    authed = authenticate(request, username=normalize_username(username), password=password)
    if authed is None:
        _register_failure(key, address, now)
        raise ValidationError(login_failed_message(), code="invalid")
    # A success clears this username's count from this address, not the address's count.
    LoginFailure.objects.filter(username=key, address=address).delete()
    return authed


@transaction.atomic
def _register_failure(key, address, now):
    """Store a failed login, prune the expired ones, and audit a pause when one starts."""
    since = _window_start(now)
    LoginFailure.objects.filter(at__lt=since).delete()
    failure = LoginFailure.objects.create(username=key, address=address, at=now)
    recent = LoginFailure.objects.filter(at__gte=since)
    if recent.filter(username=key, address=address).count() == settings.LOGIN_MAX_FAILURES:
        user = User.objects.filter(username__iexact=key).first()
        if user is not None:
            record(actor=None, action="accounts.lock", obj=user, changes={"locked_from": [None, address or "?"]})
    if address is not None and recent.filter(address=address).count() == _max_per_address():
        record(actor=None, action="accounts.address_lock", obj=failure, changes={"address": [None, address]})


def locked_until(username):
    """When ``username`` can log in again from every address it is paused at (None: nowhere)."""
    key = username_key(username)
    limit = settings.LOGIN_MAX_FAILURES
    by_address = {}
    for address, at in (
        LoginFailure.objects.filter(username=key, at__gte=_window_start()).order_by("-at").values_list("address", "at")
    ):
        by_address.setdefault(address, []).append(at)
    # Paused while ``limit`` failures are in the window: until the limit-th latest one leaves it.
    ends = [ats[limit - 1] for ats in by_address.values() if len(ats) >= limit]
    if not ends:
        return None
    return max(ends) + datetime.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def locked_usernames(usernames):
    """Those of ``usernames`` paused from at least one address (for a list page: one query)."""
    keys = {username_key(u): u for u in usernames}
    paused = (
        LoginFailure.objects.filter(username__in=keys, at__gte=_window_start())
        .values("username", "address")
        .annotate(n=Count("id"))
        .filter(n__gte=settings.LOGIN_MAX_FAILURES)
        .values_list("username", flat=True)
    )
    return {keys[k] for k in paused}


@transaction.atomic
def unlock_user(*, user, actor):
    before = user.locked_until
    LoginFailure.objects.filter(username=username_key(user.username)).delete()
    record(actor=actor, action="accounts.unlock", obj=user, changes={"locked_until": [before, None]})


def confirmed_device(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user):
    """The unconfirmed device being enrolled, created on first use."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
    return device


@transaction.atomic
def confirm_device(*, user, device, token):
    if not device.verify_token(token):
        raise ValidationError(_("The code is not correct or has expired. Enter the current 6-digit code."))
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    record(actor=user, action="accounts.2fa_enable", obj=user, changes={"two_factor": [False, True]})
    return device


@transaction.atomic
def disable_two_factor(*, user, token):
    device = confirmed_device(user)
    if device is None or not device.verify_token(token):
        raise ValidationError(_("The code is not correct or has expired. Enter the current 6-digit code."))
    TOTPDevice.objects.filter(user=user).delete()
    record(actor=user, action="accounts.2fa_disable", obj=user, changes={"two_factor": [True, False]})


@transaction.atomic
def create_user(*, username, full_name, email, password, role, unit, actor):
    username = normalize_username(username)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(_("The username %(u)s is already taken.") % {"u": username})
    family, _sep, given = " ".join(full_name.split()).rpartition(" ")
    user = User(username=username, first_name=given, last_name=family, email=email)
    user.set_password(password)
    user.full_clean()
    user.save()
    assignment = RoleAssignment(user=user, unit=unit, role=role)
    assignment.full_clean()
    assignment.save()
    record(actor=actor, action="accounts.create", obj=user, unit=unit, changes={"role": [None, f"{role} @ {unit}"]})
    return user


@transaction.atomic
def add_role(*, user, role, unit, actor):
    if RoleAssignment.objects.filter(user=user, role=role, unit=unit).exists():
        raise ValidationError(_("This user already has that role on that unit."))
    ra = RoleAssignment.objects.create(user=user, role=role, unit=unit)
    record(actor=actor, action="accounts.role_add", obj=user, unit=unit, changes={"role": [None, str(ra)]})
    return ra


# Roles that administer accounts (accounts.access.admin_paths).
ADMIN_ROLES = (Role.BLOC_OFFICE, Role.GRASSROOTS_STAFF)


@transaction.atomic
def remove_role(*, assignment, actor):
    """Remove a role, unless it would leave a unit without its administration.

    Refused: an administrator removing their own administrative role (someone else must, so an
    office never disarms itself by mistake), and the last bloc-office assignment covering a unit —
    nobody above could give it back. A bloc-office role is "covered" by another bloc-office
    assignment of an active account on the same unit or one above it.
    """
    if assignment.role in ADMIN_ROLES and assignment.user_id == getattr(actor, "pk", None):
        raise ValidationError(
            _("You cannot remove your own administrative role. Please ask another administrator to do it."),
            code="own_role",
        )
    if assignment.role == Role.BLOC_OFFICE:
        path = assignment.unit.path
        ancestors = [path[: i + 1] for i, ch in enumerate(path) if ch == "/" and i > 0]
        # Lock every bloc-office assignment that could cover it, this one included, so that two offices
        # removing each other at the same moment are serialised and the second one is refused.
        holders = list(
            RoleAssignment.objects.select_for_update(of=("self",))
            .filter(role=Role.BLOC_OFFICE, unit__path__in=ancestors, user__is_active=True)
            .values_list("pk", flat=True)
        )
        if not [pk for pk in holders if pk != assignment.pk]:
            raise ValidationError(
                _(
                    "This is the last bloc office account of %(unit)s: add the role to another account "
                    "before removing it here."
                )
                % {"unit": assignment.unit},
                code="last_admin",
            )
    record(
        actor=actor,
        action="accounts.role_remove",
        obj=assignment.user,
        unit=assignment.unit,
        changes={"role": [str(assignment), None]},
    )
    assignment.delete()
