"""Adding and ending dated rule versions (national, or a committee's override for its subtree)."""

import re
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from dangbo.core.audit import record
from dangbo.rules.models import Rule, RuleVersion

U = Rule.ValueUnit
WHOLE_NUMBER_UNITS = (U.MINUTES, U.MONTHS, U.YEARS, U.DAYS, U.WORKING_DAYS, U.COUNT)


def _ratio(fraction):
    """[numerator, denominator] in lowest terms; a ratio is a share, so between 0 and 1."""
    if fraction <= 0 or fraction > 1:
        raise ValidationError(_("Enter a ratio such as 2/3."))
    return [fraction.numerator, fraction.denominator]


def _ratio_from_decimal(text):
    """0.6667 → 2/3: a rounded decimal is read as the simple fraction it stands for (thresholds are
    thirds, halves, quarters …); otherwise the decimal is kept exactly (0.51 → 51/100)."""
    exact = Fraction(text)
    simple = exact.limit_denominator(12)
    return _ratio(simple if abs(simple - exact) < Fraction(1, 1000) else exact.limit_denominator(10000))


def parse_value(text, value_unit):
    """The JSON value for ``text`` typed by a person; ValidationError in Vietnamese when it does not fit."""
    text = (text if isinstance(text, str) else str(text)).strip()
    if not text:
        raise ValidationError(_("Enter a value."))
    if value_unit in WHOLE_NUMBER_UNITS:
        if not re.fullmatch(r"\d+", text.replace(".", "")):
            raise ValidationError(_("Enter a whole number (for example 90)."))
        return int(text.replace(".", ""))
    if value_unit == U.PERCENT:
        try:
            number = float(text.replace(",", ".").rstrip("%").strip())
        except ValueError:
            raise ValidationError(_("Enter a percentage (for example 1 or 0,5)."))
        if not 0 <= number <= 100:
            raise ValidationError(_("A percentage must be between 0 and 100."))
        return int(number) if number.is_integer() else number
    if value_unit == U.RATIO:
        m = re.fullmatch(r"(\d+)\s*/\s*(\d+)", text)
        if m:
            if int(m.group(2)) == 0:
                raise ValidationError(_("Enter a ratio such as 2/3."))
            return _ratio(Fraction(int(m.group(1)), int(m.group(2))))
        if re.fullmatch(r"0?[.,]\d+|1([.,]0*)?", text):
            return _ratio_from_decimal(text.replace(",", "."))
        raise ValidationError(_("Enter a ratio such as 2/3."))
    if value_unit == U.LIST:
        parts = [p.strip() for p in re.split(r"[,;\s]+", text) if p.strip()]
        if not parts or not all(p.isdigit() for p in parts):
            raise ValidationError(_("Enter whole numbers separated by commas (for example 30, 40, 45)."))
        return [int(p) for p in parts]
    return text


def clean_value(value, value_unit):
    """``value`` checked against the rule's unit and stored canonically: text as a person typed it
    (see parse_value), or a Python value from code (90, [2, 3], 0.6667, [30, 40])."""
    if isinstance(value, str):
        return parse_value(value, value_unit)
    if isinstance(value, bool) or value is None:
        raise ValidationError(_("Enter a value."))
    if value_unit in WHOLE_NUMBER_UNITS:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if not isinstance(value, int) or value < 0:
            raise ValidationError(_("Enter a whole number (for example 90)."))
        return value
    if value_unit == U.PERCENT:
        if not isinstance(value, (int, float)):
            raise ValidationError(_("Enter a percentage (for example 1 or 0,5)."))
        return parse_value(str(value), value_unit)
    if value_unit == U.RATIO:
        if isinstance(value, Fraction):
            return _ratio(value)
        if isinstance(value, (list, tuple)) and len(value) == 2 and all(type(v) is int for v in value):
            if value[1] == 0:
                raise ValidationError(_("Enter a ratio such as 2/3."))
            return _ratio(Fraction(value[0], value[1]))
        if isinstance(value, (int, float)):
            return _ratio_from_decimal(repr(float(value)))
        raise ValidationError(_("Enter a ratio such as 2/3."))
    if value_unit == U.LIST:
        if not isinstance(value, (list, tuple)) or not value or not all(type(v) is int and v >= 0 for v in value):
            raise ValidationError(_("Enter whole numbers separated by commas (for example 30, 40, 45)."))
        return list(value)
    raise ValidationError(_("Enter a value."))


def _fmt(day):
    return day.strftime("%d/%m/%Y") if day else _("open-ended")


@transaction.atomic
def add_rule_version(
    *, rule, value, legal_basis, effective_from, effective_to=None, scope_unit=None, verified=True, note="", actor
):
    """Add a dated version, national (``scope_unit`` None) or an override for ``scope_unit``'s subtree.

    ``value`` is checked against ``rule.value_unit`` and stored canonically (see clean_value). An
    open-ended version of the same scope that began earlier is closed at ``effective_from``; any other
    overlap is refused. Errors are keyed by field (value, effective_from, effective_to)."""
    try:
        value = clean_value(value, rule.value_unit)
    except ValidationError as e:
        raise ValidationError({"value": e.messages})
    if effective_to is not None and effective_to <= effective_from:
        raise ValidationError({"effective_to": _("The end date must be after the start date.")})
    same_scope = RuleVersion.objects.select_for_update().filter(rule=rule, scope_unit=scope_unit)
    overlapping = same_scope.filter(Q(effective_to__isnull=True) | Q(effective_to__gt=effective_from))
    if effective_to is not None:
        overlapping = overlapping.filter(effective_from__lt=effective_to)
    for old in overlapping.order_by("effective_from"):
        if old.effective_from < effective_from and old.effective_to is None and effective_to is None:
            old.effective_to = effective_from
            old.save(update_fields=["effective_to"])
            record(
                actor=actor,
                action="rules.close_version",
                obj=old,
                unit=scope_unit,
                changes={"effective_to": [None, effective_from]},
            )
            continue
        raise ValidationError(
            {
                "effective_from": _(
                    "The dates overlap the version in force from %(start)s to %(end)s: end that version first."
                )
                % {"start": _fmt(old.effective_from), "end": _fmt(old.effective_to)}
            }
        )
    version = RuleVersion(
        rule=rule,
        value=value,
        legal_basis=legal_basis,
        effective_from=effective_from,
        effective_to=effective_to,
        scope_unit=scope_unit,
        verified=verified,
        note=note,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    version.full_clean()
    version.save()
    record(
        actor=actor,
        action="rules.add_version",
        obj=version,
        unit=scope_unit,
        changes={
            "value": [None, value],
            "effective_from": [None, effective_from],
            "effective_to": [None, effective_to],
        },
        note=legal_basis,
    )
    return version


@transaction.atomic
def end_version(*, version, effective_to, actor):
    """Give ``version`` an end date (or move it); refused when the new end runs into a later version
    of the same scope."""
    version = RuleVersion.objects.select_for_update().get(pk=version.pk)
    if effective_to <= version.effective_from:
        raise ValidationError({"effective_to": _("The end date must be after the start date.")})
    later = (
        RuleVersion.objects.filter(rule_id=version.rule_id, scope_unit_id=version.scope_unit_id)
        .exclude(pk=version.pk)
        .filter(effective_from__gte=version.effective_from, effective_from__lt=effective_to)
        .order_by("effective_from")
        .first()
    )
    if later:
        raise ValidationError(
            {
                "effective_to": _("The end date runs into the version in force from %(start)s to %(end)s.")
                % {"start": _fmt(later.effective_from), "end": _fmt(later.effective_to)}
            }
        )
    before = version.effective_to
    version.effective_to = effective_to
    version.full_clean()
    version.save(update_fields=["effective_to"])
    record(
        actor=actor,
        action="rules.end_version",
        obj=version,
        unit=version.scope_unit,
        changes={"effective_to": [before, effective_to]},
    )
    return version
