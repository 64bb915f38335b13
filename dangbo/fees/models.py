"""Party fees (đảng phí, DOMAIN.md §10).

Money is integer VND. A month is stored as the first day of that month (``month`` fields).
Months before 01/02/2026 are computed under 342-QĐ/TW, from that month under 01-QĐ/TW; the
rule version used for a due is kept on the due (``rule_version``).
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_REDUCTION_MONTHS = 12


def first_of_month(day):
    return datetime.date(day.year, day.month, 1)


def months_between(start, end):
    """Number of months from ``start`` to ``end`` inclusive (both first-of-month dates)."""
    return (end.year - start.year) * 12 + end.month - start.month + 1


class Category(models.TextChoices):
    INSURED = "insured", _("In compulsory social insurance (salary)")
    ALLOWANCE = "allowance", _("On sickness or maternity allowance")
    PENSION = "pension", _("Pensioner outside compulsory insurance")
    STUDENT = "student", _("Pupil or student")
    NO_PENSION = "no_pension", _("Outside insurance, no pension, below retirement age")
    RETIRED_NO_PENSION = "retired_no_pension", _("Outside insurance, no pension, at retirement age")


class Zone(models.TextChoices):
    """The regional minimum-wage zone (vùng) of the member's place of residence or work."""

    ZONE_I = "I", _("Zone I")
    ZONE_II = "II", _("Zone II")
    ZONE_III = "III", _("Zone III")
    ZONE_IV = "IV", _("Zone IV")


ZONE_INDEX = {"I": 0, "II": 1, "III": 2, "IV": 3}
ZONE_CATEGORIES = {Category.NO_PENSION, Category.RETIRED_NO_PENSION}


def _month_field(verbose):
    return models.DateField(verbose, help_text=_("First day of the month."))


class MonthMixin:
    def clean_month_fields(self, *names):
        errors = {}
        for name in names:
            value = getattr(self, name)
            if value is not None and value.day != 1:
                errors[name] = _("A month is given as the first day of that month.")
        if errors:
            raise ValidationError(errors)


class FeeDeclaration(MonthMixin, models.Model):
    """A member's fee category and income base from a month on, confirmed by the cell."""

    class State(models.TextChoices):
        DECLARED = "declared", _("Declared")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")

    member = models.ForeignKey(
        "members.Member", verbose_name=_("member"), related_name="fee_declarations", on_delete=models.PROTECT
    )
    category = models.CharField(_("fee category"), max_length=24, choices=Category.choices)
    base_income = models.PositiveBigIntegerField(_("income base (VND)"), default=0)
    zone = models.CharField(
        _("minimum-wage zone"),
        max_length=3,
        choices=Zone.choices,
        blank=True,
        help_text=_("Needed for members outside insurance without a pension."),
    )
    from_month = _month_field(_("from month"))
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DECLARED)
    declared_at = models.DateTimeField(_("declared at"), auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("fee declaration")
        verbose_name_plural = _("fee declarations")
        ordering = ["member", "-from_month", "-id"]

    def __str__(self):
        return f"{self.member} – {self.get_category_display()} – {self.from_month:%m/%Y}"

    def clean(self):
        self.clean_month_fields("from_month")
        if self.category in ZONE_CATEGORIES and not self.zone:
            raise ValidationError({"zone": _("Give the minimum-wage zone for this category.")})


class FeeExemption(MonthMixin, models.Model):
    """An exemption (100%) or a reduction (70/50/30%, at most 12 months)."""

    class Percent(models.IntegerChoices):
        FULL = 100, _("Exemption (100%)")
        SEVENTY = 70, _("Reduction 70%")
        FIFTY = 50, _("Reduction 50%")
        THIRTY = 30, _("Reduction 30%")

    member = models.ForeignKey(
        "members.Member", verbose_name=_("member"), related_name="fee_exemptions", on_delete=models.PROTECT
    )
    percent = models.PositiveSmallIntegerField(_("percent"), choices=Percent.choices)
    from_month = _month_field(_("from month"))
    to_month = models.DateField(_("to month"), null=True, blank=True, help_text=_("First day of the month."))
    ground = models.CharField(_("ground"), max_length=255)
    deciding_body = models.CharField(_("deciding body"), max_length=255)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("fee exemption or reduction")
        verbose_name_plural = _("fee exemptions and reductions")
        ordering = ["member", "-from_month"]

    def __str__(self):
        return f"{self.member} – {self.percent}% – {self.from_month:%m/%Y}"

    def clean(self):
        self.clean_month_fields("from_month", "to_month")
        if self.to_month and self.from_month and self.to_month < self.from_month:
            raise ValidationError({"to_month": _("The end month is before the start month.")})
        if self.percent != self.Percent.FULL:
            if not self.to_month:
                raise ValidationError({"to_month": _("A reduction needs an end month.")})
            if self.from_month and months_between(self.from_month, self.to_month) > MAX_REDUCTION_MONTHS:
                raise ValidationError({"to_month": _("A reduction lasts at most 12 months.")})

    def covers(self, month):
        return self.from_month <= month and (self.to_month is None or month <= self.to_month)


class FeeDue(models.Model):
    """What a member owes for one month, in the unit the member belonged to that month."""

    member = models.ForeignKey(
        "members.Member", verbose_name=_("member"), related_name="fee_dues", on_delete=models.PROTECT
    )
    month = _month_field(_("month"))
    unit = models.ForeignKey("org.OrgUnit", verbose_name=_("unit"), related_name="fee_dues", on_delete=models.PROTECT)
    category = models.CharField(_("fee category"), max_length=24, choices=Category.choices, blank=True)
    base_amount = models.PositiveBigIntegerField(_("amount before exemption (VND)"), default=0)
    exemption_percent = models.PositiveSmallIntegerField(_("exemption percent"), default=0)
    amount = models.PositiveBigIntegerField(_("amount due (VND)"))
    rule_version = models.CharField(_("rule version"), max_length=64)
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    class Meta:
        verbose_name = _("fee due")
        verbose_name_plural = _("fees due")
        ordering = ["member", "month"]
        constraints = [models.UniqueConstraint(fields=["member", "month"], name="fees_due_one_per_member_month")]

    def __str__(self):
        return f"{self.member} – {self.month:%m/%Y}"


class FeePayment(models.Model):
    """A payment of one or more months, in cash to the cell or on the public-service portal."""

    class Source(models.TextChoices):
        CASH = "cash", _("Cash to the cell")
        PORTAL = "portal", _("National public-service portal")

    member = models.ForeignKey(
        "members.Member", verbose_name=_("member"), related_name="fee_payments", on_delete=models.PROTECT
    )
    from_month = _month_field(_("first month paid"))
    to_month = _month_field(_("last month paid"))
    amount = models.PositiveBigIntegerField(_("amount (VND)"))
    paid_on = models.DateField(_("paid on"))
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    receipt_number = models.CharField(_("receipt number"), max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("fee payment")
        verbose_name_plural = _("fee payments")
        ordering = ["member", "from_month", "id"]

    def __str__(self):
        return f"{self.member} – {self.from_month:%m/%Y}–{self.to_month:%m/%Y}"

    def clean(self):
        if self.from_month and self.to_month and self.to_month < self.from_month:
            raise ValidationError({"to_month": _("The end month is before the start month.")})
        if self.source == self.Source.CASH and not self.receipt_number.strip():
            raise ValidationError({"receipt_number": _("A cash payment needs a receipt number.")})

    def months(self):
        return months_between(self.from_month, self.to_month)


class FeeRemittance(models.Model):
    """Fees passed up from one unit to the level above for a period."""

    from_unit = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("from unit"), related_name="fee_remittances_out", on_delete=models.PROTECT
    )
    to_unit = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("to unit"), related_name="fee_remittances_in", on_delete=models.PROTECT
    )
    period_start = _month_field(_("period start"))
    period_end = _month_field(_("period end"))
    amount = models.PositiveBigIntegerField(_("amount (VND)"))
    remitted_on = models.DateField(_("remitted on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )

    class Meta:
        verbose_name = _("fee remittance")
        verbose_name_plural = _("fee remittances")
        ordering = ["-period_start", "from_unit"]

    def __str__(self):
        return f"{self.from_unit} → {self.to_unit} – {self.period_start:%m/%Y}"


class PortalImport(models.Model):
    """An uploaded portal list ("Danh sách Đảng phí đã nộp"), read into rows and kept until committed."""

    unit = models.ForeignKey("org.OrgUnit", verbose_name=_("unit"), related_name="+", on_delete=models.PROTECT)
    file_name = models.CharField(_("file name"), max_length=255)
    rows = models.JSONField(_("rows"), default=list)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), related_name="+", on_delete=models.PROTECT
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    committed_at = models.DateTimeField(_("committed at"), null=True, blank=True)
    committed_count = models.PositiveIntegerField(_("payments saved"), default=0)

    class Meta:
        verbose_name = _("portal payments import")
        verbose_name_plural = _("portal payments imports")
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.file_name
