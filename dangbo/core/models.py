from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AuditLog(models.Model):
    """One row per write: who, what, when, which unit, old → new.

    ``unit_path`` is the org-unit path at the time of the write, so the log can
    be filtered by subtree without joining a tree that may have been restructured since.
    """

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True, on_delete=models.SET_NULL
    )
    action = models.CharField(_("action"), max_length=64, db_index=True)
    model = models.CharField(_("object type"), max_length=64, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=255, blank=True)
    unit_id = models.BigIntegerField(_("unit id"), null=True, blank=True)
    unit_path = models.CharField(_("unit path"), max_length=255, blank=True, db_index=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["model", "object_id"], name="audit_object_idx")]

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} {self.action} {self.object_repr}"


class ReadLog(models.Model):
    """Each opening of a member dossier (party records are secret documents)."""

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE)
    member_id = models.BigIntegerField(_("member id"), db_index=True)
    member_repr = models.CharField(_("member"), max_length=255)
    unit_path = models.CharField(_("unit path"), max_length=255, blank=True, db_index=True)
    view = models.CharField(_("page"), max_length=64, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("dossier read")
        verbose_name_plural = _("dossier reads")

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} {self.member_repr}"


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), related_name="notifications", on_delete=models.CASCADE
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    kind = models.CharField(_("kind"), max_length=64, blank=True)
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("content"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread_idx")]

    def __str__(self):
        return self.title


class Rule(models.Model):
    """A named regulation parameter (DESIGN.md §5). Its values live in RuleVersion."""

    class ValueUnit(models.TextChoices):
        MINUTES = "minutes", _("minutes")
        MONTHS = "months", _("months")
        YEARS = "years", _("years")
        DAYS = "days", _("days")
        WORKING_DAYS = "working_days", _("working days")
        RATIO = "ratio", _("ratio")
        COUNT = "count", _("count")
        PERCENT = "percent", _("percent")
        LIST = "list", _("list")
        TEXT = "text", _("text")

    key = models.CharField(_("key"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=255)
    value_unit = models.CharField(_("unit of value"), max_length=20, choices=ValueUnit.choices)
    description = models.TextField(_("description"), blank=True)
    domain_ref = models.CharField(_("DOMAIN.md section"), max_length=50, blank=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("rule")
        verbose_name_plural = _("rules")

    def __str__(self):
        return self.key


class RuleVersion(models.Model):
    """A dated value of a rule, national (``scope_unit`` empty) or a committee's override for its subtree."""

    rule = models.ForeignKey(Rule, verbose_name=_("rule"), related_name="versions", on_delete=models.PROTECT)
    value = models.JSONField(_("value"))
    legal_basis = models.CharField(_("legal basis"), max_length=500)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    scope_unit = models.ForeignKey(
        "org.OrgUnit",
        verbose_name=_("overriding committee"),
        null=True,
        blank=True,
        related_name="rule_overrides",
        on_delete=models.PROTECT,
    )
    verified = models.BooleanField(_("verified"), default=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["rule__key", "scope_unit_id", "-effective_from"]
        verbose_name = _("rule version")
        verbose_name_plural = _("rule versions")
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gt=models.F("effective_from")),
                name="ruleversion_dates_ordered",
            )
        ]

    def __str__(self):
        return f"{self.rule.key}={self.value} ({self.effective_from:%d/%m/%Y})"

    def covers(self, day):
        return self.effective_from <= day and (self.effective_to is None or day < self.effective_to)
