import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangbo.core import uploads
from dangbo.core.forms import ScopedModelChoiceField, StyledForm
from dangbo.fees.models import ZONE_CATEGORIES, Category, Zone

DATE = {"placeholder": "dd/mm/yyyy"}
MAX_VND = 10**12


def this_month():
    today = timezone.localdate()
    return datetime.date(today.year, today.month, 1)


def parse_month(text):
    """'MM/YYYY' or 'YYYY-MM' (the month input) as the first day of that month, or None."""
    text = (text or "").strip()
    m = re.fullmatch(r"(\d{4})-(\d{1,2})", text) or re.fullmatch(r"(\d{1,2})/(\d{4})", text)
    if not m:
        return None
    year, month = (int(m[1]), int(m[2])) if len(m[1]) == 4 else (int(m[2]), int(m[1]))
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        return None
    return datetime.date(year, month, 1)


class MonthField(forms.Field):
    widget = forms.TextInput(attrs={"placeholder": "mm/yyyy", "inputmode": "numeric", "maxlength": 7})

    def prepare_value(self, value):
        return value.strftime("%m/%Y") if isinstance(value, datetime.date) else value

    def to_python(self, value):
        value = (value or "").strip() if isinstance(value, str) else value
        if not value:
            return None
        month = parse_month(value)
        if month is None:
            raise ValidationError(_("Give the month as mm/yyyy, for example 03/2026."))
        return month


def _vnd(label, required=True):
    return forms.IntegerField(
        label=label, required=required, min_value=0, max_value=MAX_VND, widget=forms.NumberInput(attrs={"step": 1000})
    )


class DeclarationForm(StyledForm):
    category = forms.ChoiceField(label=_("Fee category"), choices=Category.choices)
    base_income = _vnd(_("Income base (VND per month)"), required=False)
    zone = forms.ChoiceField(label=_("Minimum-wage zone"), choices=[("", "—"), *Zone.choices], required=False)
    from_month = MonthField(label=_("From month (mm/yyyy)"), initial=this_month)

    def clean(self):
        data = super().clean()
        category = data.get("category")
        if category in ZONE_CATEGORIES and not data.get("zone"):
            self.add_error("zone", _("Give the minimum-wage zone for this category."))
        if category in (Category.INSURED, Category.ALLOWANCE, Category.PENSION) and not data.get("base_income"):
            self.add_error("base_income", _("Give the income the fee is computed from."))
        return data


class MonthForm(forms.Form):
    month = MonthField(label=_("Month"), required=False)


class CashPaymentForm(StyledForm):
    from_month = MonthField(label=_("First month paid (mm/yyyy)"), initial=this_month)
    to_month = MonthField(label=_("Last month paid (mm/yyyy)"), initial=this_month)
    amount = _vnd(_("Amount (VND)"))
    paid_on = forms.DateField(label=_("Paid on"), widget=forms.DateInput(attrs=DATE), initial=timezone.localdate)
    receipt_number = forms.CharField(label=_("Receipt number"), max_length=64)
    accept_mismatch = forms.BooleanField(
        label=_("I confirm this amount although it differs from the dues"), required=False
    )

    def clean(self):
        data = super().clean()
        a, b = data.get("from_month"), data.get("to_month")
        if a and b and b < a:
            self.add_error("to_month", _("The end month is before the start month."))
        if data.get("paid_on") and data["paid_on"] > timezone.localdate():
            self.add_error("paid_on", _("The payment date is in the future."))
        return data


class ImportForm(StyledForm):
    file = uploads.LimitedFileField(
        label=_("The portal's list of paid fees (Excel .xlsx or CSV)"),
        max_bytes=5 * uploads.MB,
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )


class RemittanceForm(StyledForm):
    from_unit = ScopedModelChoiceField(label=_("Remitting unit"), queryset=None)
    period_start = MonthField(label=_("From month (mm/yyyy)"), initial=this_month)
    period_end = MonthField(label=_("To month (mm/yyyy)"), initial=this_month)
    amount = _vnd(_("Amount (VND)"))
    remitted_on = forms.DateField(
        label=_("Received on"), widget=forms.DateInput(attrs=DATE), initial=timezone.localdate
    )

    def __init__(self, *args, children, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_unit"].queryset = children

    def clean(self):
        data = super().clean()
        a, b = data.get("period_start"), data.get("period_end")
        if a and b and b < a:
            self.add_error("period_end", _("The end month is before the start month."))
        return data
