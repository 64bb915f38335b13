"""Account operations: login with lockout, two-factor devices, user administration.
Each write leaves an audit row."""

import datetime

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from dangbo.accounts.models import RoleAssignment, User
from dangbo.core.audit import record


def lock_message(user):
    until = timezone.localtime(user.locked_until)
    return _(
        "This account is locked after too many failed logins until %(time)s. "
        "Try again then, or ask the bloc office to unlock it."
    ) % {"time": f"{time_format(until, 'H:i')} {until:%d/%m/%Y}"}


def check_login(request, *, username, password):
    """The user if the credentials are right and the account is not locked; else ValidationError.

    Wrong passwords count towards the lockout; an unknown username gets the same message.
    """
    user = User.objects.filter(username=username).first()
    if user is not None and user.is_locked:
        raise ValidationError(lock_message(user), code="locked")
    authed = authenticate(request, username=username, password=password)
    if authed is None:
        locked = _register_failure(user) if user is not None and user.is_active else None
        if locked:
            raise ValidationError(lock_message(locked), code="locked")
        raise ValidationError(_("Wrong username or password."), code="invalid")
    if authed.failed_login_count or authed.locked_until:
        authed.failed_login_count = 0
        authed.locked_until = None
        authed.save(update_fields=["failed_login_count", "locked_until"])
    return authed


@transaction.atomic
def _register_failure(user):
    """Count a failed login; lock the account at the limit. The user when it has just been locked."""
    user = User.objects.select_for_update().get(pk=user.pk)
    user.failed_login_count += 1
    if user.failed_login_count < settings.LOGIN_MAX_FAILURES:
        user.save(update_fields=["failed_login_count"])
        return None
    user.locked_until = timezone.now() + datetime.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    user.failed_login_count = 0
    user.save(update_fields=["failed_login_count", "locked_until"])
    record(actor=None, action="accounts.lock", obj=user, changes={"locked_until": [None, user.locked_until]})
    return user


@transaction.atomic
def unlock_user(*, user, actor):
    before = user.locked_until
    user.locked_until = None
    user.failed_login_count = 0
    user.save(update_fields=["locked_until", "failed_login_count"])
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


@transaction.atomic
def remove_role(*, assignment, actor):
    record(
        actor=actor,
        action="accounts.role_remove",
        obj=assignment.user,
        unit=assignment.unit,
        changes={"role": [str(assignment), None]},
    )
    assignment.delete()
