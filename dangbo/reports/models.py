"""Periodic reports of the grassroots organizations and member register reconciliations."""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


class Period(models.TextChoices):
    QUARTER = "quarter", _("Quarter")
    HALF = "half", _("Half-year")
    YEAR = "year", _("Year")


def period_bounds(kind, year, number):
    """(start, end) of quarter/half ``number`` (1-based) or the year ``year``; ValueError when out of range."""
    months = {Period.QUARTER: 3, Period.HALF: 6, Period.YEAR: 12}[kind]
    if not 1 <= number <= 12 // months:
        raise ValueError(number)
    first = (number - 1) * months + 1
    start = datetime.date(year, first, 1)
    last = first + months - 1
    end = (datetime.date(year + (last == 12), 1 if last == 12 else last + 1, 1)) - datetime.timedelta(days=1)
    return start, end


def period_label(kind, year, number):
    if kind == Period.QUARTER:
        return _("quarter %(n)s/%(year)s") % {"n": ROMAN[number], "year": year}
    if kind == Period.HALF:
        return (_("first half of %(year)s") if number == 1 else _("second half of %(year)s")) % {"year": year}
    return _("year %(year)s") % {"year": year}


class PeriodicReport(models.Model):
    """One grassroots organization's report for one period: the figures it declares (pre-filled from the
    system's), the system's figures when it was submitted, and its narrative."""

    class State(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("periodic report", "Draft")
        SUBMITTED = "submitted", pgettext_lazy("periodic report", "Submitted")
        RETURNED = "returned", pgettext_lazy("periodic report", "Returned for correction")
        ACCEPTED = "accepted", pgettext_lazy("periodic report", "Accepted")

    unit = models.ForeignKey("org.OrgUnit", verbose_name=_("unit"), related_name="+", on_delete=models.PROTECT)
    period = models.CharField(_("period"), max_length=10, choices=Period.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(_("number"), default=1)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    declared = models.JSONField(_("declared figures"), default=dict, blank=True)
    system = models.JSONField(_("system figures"), default=dict, blank=True)
    results = models.TextField(_("results"), blank=True)
    limitations = models.TextField(_("limitations"), blank=True)
    causes = models.TextField(_("causes"), blank=True)
    next_tasks = models.TextField(_("tasks for the next period"), blank=True)
    proposals = models.TextField(_("proposals"), blank=True)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    return_reason = models.TextField(_("reason for returning"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-end", "unit__path"]
        verbose_name = _("periodic report")
        verbose_name_plural = _("periodic reports")
        constraints = [
            models.UniqueConstraint(fields=["unit", "period", "year", "number"], name="report_once_per_period"),
            models.CheckConstraint(condition=models.Q(start__lte=models.F("end")), name="report_start_before_end"),
        ]

    def __str__(self):
        return f"{self.unit} — {self.label}"

    @property
    def label(self):
        return period_label(self.period, self.year, self.number)

    @property
    def editable(self):
        return self.state in (self.State.DRAFT, self.State.RETURNED)

    def differences(self):
        """[(key, declared, system)] where the declared figure differs from the system's at submission."""
        return [
            (k, v, self.system.get(k)) for k, v in self.declared.items() if k in self.system and self.system[k] != v
        ]


class Reconciliation(models.Model):
    """Member register reconciliation (đối chiếu sổ danh sách đảng viên) between a unit and the level above
    on a date: the unit's declared counts by status against the system's counts as of that date."""

    unit = models.ForeignKey("org.OrgUnit", verbose_name=_("unit"), related_name="+", on_delete=models.PROTECT)
    on = models.DateField(_("as of"))
    declared = models.JSONField(_("declared counts"), default=dict, blank=True)
    system = models.JSONField(_("system counts"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)
    unit_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    unit_signed_on = models.DateField(_("signed by the unit on"), null=True, blank=True)
    upper_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    upper_signed_on = models.DateField(_("signed by the level above on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on", "unit__path"]
        verbose_name = _("register reconciliation")
        verbose_name_plural = _("register reconciliations")
        constraints = [models.UniqueConstraint(fields=["unit", "on"], name="reconciliation_once_per_day")]

    def __str__(self):
        return f"{self.unit} — {self.on:%d/%m/%Y}"

    def differences(self):
        """[(status, declared, system)] for every status where the two counts differ."""
        keys = [k for k in RECONCILED_STATUSES if k in self.declared or k in self.system]
        return [
            (k, self.declared.get(k, 0), self.system.get(k, 0))
            for k in keys
            if self.declared.get(k, 0) != self.system.get(k, 0)
        ]

    @property
    def signed(self):
        return self.unit_signed_on is not None and self.upper_signed_on is not None


# The statuses counted on the register (the members on the books).
RECONCILED_STATUSES = ["official", "probationary", "exempted", "suspended"]


class ReminderSent(models.Model):
    """One reminder about one report deadline at one offset, so the daily command sends it once."""

    unit = models.ForeignKey("org.OrgUnit", related_name="+", on_delete=models.CASCADE)
    period = models.CharField(max_length=10, choices=Period.choices)
    year = models.PositiveSmallIntegerField()
    number = models.PositiveSmallIntegerField()
    days_before = models.SmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "period", "year", "number", "days_before"], name="report_reminder_once"
            )
        ]

    def __str__(self):
        return f"{self.unit_id} {self.period} {self.number}/{self.year} ({self.days_before})"
