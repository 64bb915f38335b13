from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


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
    first_version_covers_past = models.BooleanField(
        _("first version stands for earlier days"),
        default=True,
        help_text=_(
            "A fact dated before the first version is judged by it and flagged for a person to confirm; "
            "off where an earlier regulation is known to have held other values."
        ),
    )

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


class UnknownRuleCase(models.Model):
    """A fact of the past entered on a day before any version of a rule it needed (issue 13): the rule's
    first version was applied, and a person confirms that it held then, or adds the version that did."""

    rule = models.ForeignKey(Rule, verbose_name=_("rule"), related_name="unknown_cases", on_delete=models.PROTECT)
    day = models.DateField(_("day of the fact"))
    unit = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("unit"), null=True, blank=True, related_name="+", on_delete=models.PROTECT
    )
    assumed = models.ForeignKey(
        RuleVersion, verbose_name=_("version applied"), related_name="+", on_delete=models.PROTECT
    )
    page = models.CharField(_("page of the fact"), max_length=500)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entered by"), null=True, related_name="+", on_delete=models.SET_NULL
    )
    entered_at = models.DateTimeField(_("entered"), auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["confirmed_at", "-entered_at", "pk"]
        verbose_name = _("rule unknown for a date")
        verbose_name_plural = _("rules unknown for a date")
        constraints = [
            models.UniqueConstraint(fields=["rule", "day", "unit", "page"], name="unknownrulecase_once"),
        ]

    def __str__(self):
        return f"{self.rule.name} ({self.day:%d/%m/%Y})"
