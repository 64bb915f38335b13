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
        if not m or int(m.group(2)) == 0 or int(m.group(1)) > int(m.group(2)):
            raise ValidationError(_("Enter a ratio such as 2/3."))
        f = Fraction(int(m.group(1)), int(m.group(2)))
        return [f.numerator, f.denominator]
    if value_unit == U.LIST:
        parts = [p.strip() for p in re.split(r"[,;\s]+", text) if p.strip()]
        if not parts or not all(p.isdigit() for p in parts):
            raise ValidationError(_("Enter whole numbers separated by commas (for example 30, 40, 45)."))
        return [int(p) for p in parts]
    return text


def _fmt(day):
    return day.strftime("%d/%m/%Y") if day else _("open-ended")


@transaction.atomic
def add_rule_version(
    *, rule, value, legal_basis, effective_from, effective_to=None, scope_unit=None, verified=True, note="", actor
):
    """Add a dated version. An open-ended version of the same scope that began earlier is
    closed at ``effective_from``; any other overlap is refused."""
    if effective_to is not None and effective_to <= effective_from:
        raise ValidationError(_("The end date must be after the start date."))
    same_scope = RuleVersion.objects.select_for_update().filter(rule=rule, scope_unit=scope_unit)
    overlapping = same_scope.filter(Q(effective_to__isnull=True) | Q(effective_to__gt=effective_from))
    if effective_to is not None:
        overlapping = overlapping.filter(effective_from__lt=effective_to)
    for old in overlapping:
        if old.effective_from < effective_from and effective_to is None:
            before = old.effective_to
            old.effective_to = effective_from
            old.save(update_fields=["effective_to"])
            record(
                actor=actor,
                action="rules.close_version",
                obj=old,
                unit=scope_unit,
                changes={"effective_to": [before, effective_from]},
            )
            continue
        raise ValidationError(
            _("The dates overlap the version in force from %(start)s to %(end)s: end that version first.")
            % {"start": _fmt(old.effective_from), "end": _fmt(old.effective_to)}
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
    if effective_to <= version.effective_from:
        raise ValidationError(_("The end date must be after the start date."))
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
