"""Fee computation (DOMAIN.md §10): the rate comes from the rule registry for the month."""

from decimal import ROUND_HALF_UP, Decimal

from dangbo.fees.models import Category, FeeExemption, first_of_month
from dangbo.rules.registry import rule, rule_version


def monthly_amount(category, base_income, month, *, unit=None):
    """(amount in VND before exemption, RuleVersion) for a member of ``category`` in ``month``."""
    month = first_of_month(month)
    version = rule_version("fees.rates", on=month, unit=unit)
    rate = version.value[Category(category).value]
    if "fixed" in rate:
        amount = Decimal(rate["fixed"])
    else:
        amount = Decimal(base_income) * Decimal(rate["percent"]) / 100
    return _round(amount, month, unit), version


def _round(amount, month, unit):
    step = Decimal(rule("fees.rounding_vnd", on=month, unit=unit) or 1)
    return int((amount / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step)


def apply_exemption(amount, percent):
    """The amount left after an exemption (100) or a reduction (70/50/30) of ``percent``."""
    if percent not in FeeExemption.Percent.values and percent != 0:
        raise ValueError(percent)
    return int((Decimal(amount) * (100 - percent) / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def exemption_percent(member, month):
    month = first_of_month(month)
    best = 0
    for e in member.fee_exemptions.all():
        if e.covers(month):
            best = max(best, e.percent)
    return best
