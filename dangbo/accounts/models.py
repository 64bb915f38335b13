from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangbo.accounts.validators import validate_username


class User(AbstractUser):
    # One script only, so that no two usernames look alike (accounts.validators).
    username = models.CharField(
        _("username"),
        max_length=150,
        unique=True,
        help_text=_("Latin letters (Vietnamese letters included), digits and . _ - only."),
        validators=[validate_username],
        error_messages={"unique": _("A user with that username already exists.")},
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.get_full_name() or self.username

    def get_full_name(self):
        # Vietnamese order: family and middle names (last_name) before the given name.
        return f"{self.last_name} {self.first_name}".strip()

    @property
    def locked_until(self):
        """When logins to this account are open again from every address (None: not locked anywhere)."""
        from dangbo.accounts.services import locked_until

        return locked_until(self.username)

    @property
    def is_locked(self):
        return self.locked_until is not None


class Role(models.TextChoices):
    BLOC_OFFICE = "bloc_office", _("Bloc office")
    INSPECTION = "inspection", _("Inspection commission")
    GRASSROOTS_STAFF = "grassroots_staff", _("Grassroots committee staff")
    CELL_SECRETARY = "cell_secretary", _("Cell secretary")
    MEMBER = "member", _("Party member")


class RoleAssignment(models.Model):
    """A role on an org unit, covering its whole subtree (member: only themself)."""

    user = models.ForeignKey(User, verbose_name=_("user"), related_name="roles", on_delete=models.CASCADE)
    unit = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("unit"), related_name="role_assignments", on_delete=models.PROTECT
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    created_at = models.DateTimeField(_("assigned"), auto_now_add=True)

    class Meta:
        ordering = ["user_id", "role"]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="roleassignment_unique")]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} – {self.unit}"


class LoginFailure(models.Model):
    """One failed login: the username as typed (folded; an account or not) and the client address.

    Logins are throttled per (username, address) and per address across usernames over the last
    ``LOGIN_LOCKOUT_MINUTES`` (accounts.services.check_login); older rows are pruned.
    """

    username = models.CharField(_("username"), max_length=150)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("failed login")
        verbose_name_plural = _("failed logins")
        indexes = [
            models.Index(fields=["username", "address", "at"], name="loginfailure_user_address"),
            models.Index(fields=["address", "at"], name="loginfailure_address"),
            models.Index(fields=["at"], name="loginfailure_at"),
        ]

    def __str__(self):
        return f"{self.username} @ {self.address or '?'}"
