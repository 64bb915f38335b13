"""Fee rates from the rule registry (DOMAIN.md §10): each rate, the 342→01 change, exemptions, models."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from dangbo.fees import services
from dangbo.fees.models import Category, FeeExemption, FeePayment
from dangbo.rules.models import RuleVersion

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("category", "base", "expected"),
    [
        (Category.INSURED, 10_000_000, 100_000),
        (Category.ALLOWANCE, 6_000_000, 60_000),
        (Category.PENSION, 8_000_000, 40_000),
        (Category.STUDENT, 0, 5_000),
        (Category.STUDENT, 9_000_000, 5_000),
    ],
)
def test_verified_rates_under_01(category, base, expected):
    amount, version = services.monthly_amount(category, base, D(2026, 3, 1))
    assert amount == expected
    assert "01-QĐ/TW" in version.legal_basis


def test_month_before_february_2026_is_under_342():
    _, before = services.monthly_amount(Category.INSURED, 10_000_000, D(2026, 1, 31))
    _, after = services.monthly_amount(Category.INSURED, 10_000_000, D(2026, 2, 1))
    assert "342-QĐ/TW" in before.legal_basis and not before.verified
    assert "01-QĐ/TW" in after.legal_basis
    assert before.pk != after.pk


@pytest.mark.parametrize(
    ("category", "month", "expected"),
    [
        (Category.NO_PENSION, D(2026, 6, 1), 15_000),
        (Category.NO_PENSION, D(2028, 1, 1), 25_000),
        (Category.RETIRED_NO_PENSION, D(2027, 12, 1), 10_000),
        (Category.RETIRED_NO_PENSION, D(2028, 3, 1), 15_000),
    ],
)
def test_unverified_no_pension_rates_change_in_2028(category, month, expected):
    amount, version = services.monthly_amount(category, 5_000_000, month)
    assert amount == expected
    assert version.verified is False


def test_rounding_is_a_rule():
    RuleVersion.objects.filter(rule__key="fees.rounding_vnd").update(value=1000)
    amount, _ = services.monthly_amount(Category.INSURED, 12_345_678, D(2026, 3, 1))
    assert amount == 123_000


def test_retained_share_is_configurable_and_unverified():
    v = RuleVersion.objects.get(rule__key="fees.retained_share_percent")
    assert v.verified is False


@pytest.mark.parametrize(("percent", "left"), [(100, 0), (70, 30_000), (50, 50_000), (30, 70_000), (0, 100_000)])
def test_each_exemption_percent(percent, left):
    assert services.apply_exemption(100_000, percent) == left


def test_other_percent_refused():
    with pytest.raises(ValueError):
        services.apply_exemption(100_000, 40)


def test_reduction_at_most_twelve_months(cast):
    e = FeeExemption(
        member=cast.m_a1, percent=50, from_month=D(2026, 2, 1), to_month=D(2027, 2, 1), ground="x", deciding_body="y"
    )
    with pytest.raises(ValidationError):
        e.full_clean()
    e.to_month = D(2027, 1, 1)
    e.full_clean()
    e.save()
    assert services.exemption_percent(cast.m_a1, D(2026, 7, 15)) == 50
    assert services.exemption_percent(cast.m_a1, D(2027, 2, 1)) == 0


def test_full_exemption_may_be_open_ended(cast):
    FeeExemption(member=cast.m_a1, percent=100, from_month=D(2026, 2, 1), ground="50 năm tuổi Đảng", deciding_body="Chi bộ").full_clean()


def test_cash_payment_needs_receipt(cast):
    p = FeePayment(
        member=cast.m_a1, from_month=D(2026, 3, 1), to_month=D(2026, 3, 1), amount=100_000,
        paid_on=D(2026, 3, 5), source=FeePayment.Source.CASH,
    )
    with pytest.raises(ValidationError):
        p.full_clean()
