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
    ("category", "month", "zone", "expected"),
    [
        # 0,3 % / 0,5 % (from 2028) of the zone's minimum wage (Nghị định 293/2025: 5.310.000 / 3.700.000)
        (Category.NO_PENSION, D(2026, 6, 1), "I", 15_930),
        (Category.NO_PENSION, D(2028, 1, 1), "IV", 18_500),
        (Category.RETIRED_NO_PENSION, D(2027, 12, 1), "I", 10_620),
        (Category.RETIRED_NO_PENSION, D(2028, 3, 1), "IV", 11_100),
        # 342-QĐ/TW: fixed by area (Hướng dẫn 03-HD/VPTW), half beyond working age
        (Category.NO_PENSION, D(2025, 6, 1), "I", 10_000),
        (Category.NO_PENSION, D(2025, 6, 1), "IV", 4_000),
        (Category.RETIRED_NO_PENSION, D(2025, 6, 1), "III", 3_000),
    ],
)
def test_unverified_no_pension_rates_by_zone(category, month, zone, expected):
    amount, version = services.monthly_amount(category, 5_000_000, month, zone=zone)
    assert amount == expected
    assert version.verified is False
    basis, verified = services.legal_basis(category, month, zone=zone)
    assert not verified and ("Nghị định 293/2025" in basis or "03-HD/VPTW" in basis)


def test_no_pension_needs_a_zone():
    with pytest.raises(ValueError):
        services.monthly_amount(Category.NO_PENSION, 0, D(2026, 6, 1))


def test_minimum_wage_is_a_dated_table():
    _, before = services.rate_versions(Category.NO_PENSION, D(2026, 2, 1), zone="I")
    assert before.value == [5310000, 4730000, 4140000, 3700000]
    from dangbo.rules.registry import rule

    assert rule("fee.regional_min_wage_vnd", on=D(2025, 3, 1)) == [4960000, 4410000, 3860000, 3450000]


@pytest.mark.parametrize(
    ("category", "base", "expected"),
    [(Category.INSURED, 10_000_000, 100_000), (Category.PENSION, 8_000_000, 40_000), (Category.STUDENT, 0, 3_000)],
)
def test_rates_under_342(category, base, expected):
    amount, version = services.monthly_amount(category, base, D(2025, 5, 1))
    assert amount == expected and version.verified is False


def test_rates_read_the_rules_app_keys():
    assert not RuleVersion.objects.filter(rule__key__startswith="fees.").exists()
    _, version = services.monthly_amount(Category.INSURED, 1, D(2026, 3, 1))
    assert version.rule.key == "fee.rate_insured_percent"


def test_rounding_is_a_rule():
    RuleVersion.objects.filter(rule__key="fee.rounding_vnd").update(value=1000)
    amount, _ = services.monthly_amount(Category.INSURED, 12_345_678, D(2026, 3, 1))
    assert amount == 123_000


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
    FeeExemption(
        member=cast.m_a1, percent=100, from_month=D(2026, 2, 1), ground="50 năm tuổi Đảng", deciding_body="Chi bộ"
    ).full_clean()


def test_cash_payment_needs_receipt(cast):
    p = FeePayment(
        member=cast.m_a1,
        from_month=D(2026, 3, 1),
        to_month=D(2026, 3, 1),
        amount=100_000,
        paid_on=D(2026, 3, 5),
        source=FeePayment.Source.CASH,
    )
    with pytest.raises(ValidationError):
        p.full_clean()
