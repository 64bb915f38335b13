from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    failed_login_count = models.PositiveSmallIntegerField(_("failed logins in a row"), default=0)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.get_full_name() or self.username

    def get_full_name(self):
        # Vietnamese order: family and middle names (last_name) before the given name.
        return f"{self.last_name} {self.first_name}".strip()

    @property
    def is_locked(self):
        return self.locked_until is not None and self.locked_until > timezone.now()


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
