"""One number format, in and out (issue 14 §3): Vietnamese writes 1.234,5 — a dot between thousands, a
comma before the decimals.

Out: ``fmt`` for pages (the template filters ``num`` and ``percent`` of ``{% load numbers %}``), Word
documents and any text; ``excel_format`` for the number format of an Excel cell (the value stays a number,
Excel shows it with the reader's separators). ``Decimal.normalize()`` is never printed as such (it writes 90
as "9E+1").

In: ``parse`` reads "8,5", "8.5", "1.234,5", "1234,5" and "1 234" and refuses what could be read two ways
("1.234": one thousand two hundred thirty-four, or one point two three four?) with a Vietnamese message;
``DecimalField`` is a form field built on it with a numeric keypad on phones and an optional total cap.
"""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

DASH = "—"


def _decimal(value):
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def fmt(value, places=2, *, fixed=False):
    """``value`` as Vietnamese prints it: 5.175, 92,5, 1,14, 1.234,5 — at most ``places`` decimals, rounded
    half up, trailing zeros dropped unless ``fixed`` (then exactly ``places``: 8,50). None prints "—";
    text that is not a number is returned as it is."""
    if value is None or value == "":
        return DASH
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return formats.number_format(value, force_grouping=True)
    try:
        d = _decimal(value)
    except (InvalidOperation, ValueError, TypeError):
        return str(value)
    if not d.is_finite():
        return DASH
    d = d.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    if not fixed:
        d = d.normalize()
        if d == d.to_integral_value():
            d = d.quantize(Decimal(1))
    decimals = max(0, -d.as_tuple().exponent)
    return formats.number_format(d, decimal_pos=decimals, force_grouping=True)


def percent(value, places=1):
    """``value`` (already a percentage, 92.0) as "92%", "92,5%"; None prints "—"."""
    if value is None or value == "":
        return DASH
    return f"{fmt(value, places)}%"


def ratio(value, total, places=2):
    """ "8,5/10"."""
    return f"{fmt(value, places)}/{fmt(total, places)}"


def excel_format(value, places=2):
    """The Excel number format of a cell holding ``value`` (None for anything but a number): integers grouped
    ("#,##0"), decimals with the places they have, at most ``places`` ("#,##0.0" for 92.5).
    Excel prints it with the reader's separators."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return "#,##0"
    if isinstance(value, (Decimal, float)):
        try:
            d = _decimal(value).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP).normalize()
        except InvalidOperation:
            return None
        decimals = max(0, -d.as_tuple().exponent)  # "#,##0.##" would print 92 as "92,"
        return "#,##0." + "0" * decimals if decimals else "#,##0"
    return None


_DIGITS = re.compile(r"^[+-]?[\d.,]+$")


def parse(text, *, places=None):
    """A Decimal from what a person typed, Vietnamese or not: "8,5" and "8.5" are eight and a half,
    "1.234,5" and "1,234.5" are the same number, "1234" is itself. ValidationError (Vietnamese) on text that
    is not a number or could be read two ways ("1.234", "1,234"), and on more than ``places`` decimals."""
    raw = str(text).strip().replace("\u00a0", "").replace(" ", "")
    if not raw:
        return None
    if not _DIGITS.match(raw) or not any(ch.isdigit() for ch in raw):
        raise ValidationError(_("Enter a number, e.g. 8,5."), code="invalid")
    sign = ""
    if raw[0] in "+-":
        sign, raw = raw[0], raw[1:]
    dots, commas = raw.count("."), raw.count(",")
    if dots and commas:
        # Both: the last one written separates the decimals, the other groups the thousands.
        decimal_sep = "," if raw.rfind(",") > raw.rfind(".") else "."
        group_sep = "." if decimal_sep == "," else ","
        whole, _sep, frac = raw.rpartition(decimal_sep)
        if group_sep in frac or decimal_sep in whole:
            raise ValidationError(_("“%(text)s” is not a number.") % {"text": text}, code="invalid")
        _check_groups(whole, group_sep, text)
        number = whole.replace(group_sep, "") + "." + frac
    elif dots + commas == 0:
        number = raw
    else:
        sep = "." if dots else ","
        parts = raw.split(sep)
        if len(parts) > 2:  # 1.234.567: thousands only
            _check_groups(raw, sep, text)
            number = raw.replace(sep, "")
        else:
            whole, frac = parts
            if len(frac) == 3 and whole and whole.lstrip("0") and len(whole) <= 3:
                raise ValidationError(
                    _(
                        "“%(text)s” can be read two ways. Write %(plain)s for the whole number, or a comma before "
                        "the decimals (e.g. %(decimal)s)."
                    )
                    % {"text": text, "plain": whole + frac, "decimal": f"{whole},{frac}"},
                    code="ambiguous",
                )
            if not whole or not frac:
                raise ValidationError(_("“%(text)s” is not a number.") % {"text": text}, code="invalid")
            number = whole + "." + frac
    try:
        value = Decimal(sign + number)
    except InvalidOperation:
        raise ValidationError(_("“%(text)s” is not a number.") % {"text": text}, code="invalid")
    if places is not None and -value.as_tuple().exponent > places:
        raise ValidationError(
            _("Write at most %(n)s decimal places.") % {"n": places},
            code="max_decimal_places",
        )
    return value


def _check_groups(whole, sep, text):
    groups = whole.split(sep)
    if not groups[0] or len(groups[0]) > 3 or any(len(g) != 3 for g in groups[1:]):
        raise ValidationError(_("“%(text)s” is not a number.") % {"text": text}, code="invalid")


class NumberInput(forms.TextInput):
    """A text box with the numeric keypad of a phone that shows its value in the Vietnamese way ("8,5"):
    not ``type=number``, which refuses a comma in some browsers and speaks English when it refuses."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if value is None or value == "":
            return None
        if isinstance(value, str):
            return value
        return fmt(value, 6)


class DecimalField(forms.DecimalField):
    """A decimal field that reads "8,5" and "8.5" alike (``parse``) and refuses, in Vietnamese, what could
    be read two ways or lies outside ``min_value``..``max_value``."""

    widget = NumberInput
    default_error_messages = {
        "invalid": gettext_lazy("Enter a number, e.g. 8,5."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, (int, Decimal)):
            return Decimal(value)
        if isinstance(value, float):
            return _decimal(value)
        return parse(value)

    def validate(self, value):
        forms.Field.validate(self, value)

    def run_validators(self, value):
        if value in self.empty_values:
            return
        errors = []
        if self.max_value is not None and value > self.max_value:
            errors.append(_("Enter at most %(n)s.") % {"n": fmt(self.max_value)})
        if self.min_value is not None and value < self.min_value:
            errors.append(_("Enter at least %(n)s.") % {"n": fmt(self.min_value)})
        if self.decimal_places is not None and -value.as_tuple().exponent > self.decimal_places:
            errors.append(_("Write at most %(n)s decimal places.") % {"n": self.decimal_places})
        if errors:
            raise ValidationError(errors)

    def widget_attrs(self, widget):
        # no min/max/step attributes: the browser would refuse in English (issue 14 §1)
        return forms.Field.widget_attrs(self, widget)


def check_total(total, maximum):
    """ValidationError when ``total`` exceeds ``maximum`` (a self-assessment adding up to 175/100)."""
    if total is not None and maximum is not None and total > maximum:
        raise ValidationError(
            _("The total %(total)s is more than the maximum of %(max)s.") % {"total": fmt(total), "max": fmt(maximum)},
            code="over_total",
        )
