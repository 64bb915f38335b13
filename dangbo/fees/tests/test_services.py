"""Dues, cash payments, declarations and the three-months rule (DOMAIN.md §10), checked in the database."""

import datetime

import pytest

from dangbo.core.models import Notification
from dangbo.fees import services
from dangbo.fees.models import Category, FeeDeclaration, FeeDue, FeeExemption, FeePayment

D = datetime.date
pytestmark = pytest.mark.django_db


JAN_2025 = D(2025, 1, 1)


def _declare(member, actor, *, category=Category.INSURED, base=10_000_000, start=JAN_2025):
    decl = FeeDeclaration.objects.create(member=member, category=category, base_income=base, from_month=start)
    services.confirm_declarations([decl], actor=actor)
    return decl


def test_unconfirmed_declaration_gives_no_due(cast):
    FeeDeclaration.objects.create(
        member=cast.m_a1, category=Category.INSURED, base_income=10_000_000, from_month=D(2026, 1, 1)
    )
    assert services.compute_due(cast.m_a1, D(2026, 3, 1)) is None
    assert not FeeDue.objects.exists()


def test_bulk_confirmation(cast):
    a = FeeDeclaration.objects.create(member=cast.m_a1, category=Category.STUDENT, from_month=D(2026, 1, 1))
    b = FeeDeclaration.objects.create(member=cast.m_a1_other, category=Category.STUDENT, from_month=D(2026, 1, 1))
    assert services.confirm_declarations([a, b], actor=cast.secretary_a1) == 2
    assert (
        FeeDeclaration.objects.filter(state=FeeDeclaration.State.CONFIRMED, confirmed_by=cast.secretary_a1).count() == 2
    )
    assert services.confirm_declarations([a], actor=cast.secretary_a1) == 0


def test_dues_for_subtree_keep_rule_version_across_342_to_01(cast):
    _declare(cast.m_a1, cast.secretary_a1)
    assert services.compute_dues(cast.gr_a, D(2026, 1, 1)) == 1
    assert services.compute_dues(cast.gr_a, D(2026, 2, 1)) == 1
    jan, feb = FeeDue.objects.filter(member=cast.m_a1).order_by("month")
    assert "342-QĐ/TW" in jan.rule_version and "01-QĐ/TW" in feb.rule_version
    assert feb.amount == 100_000 and feb.unit == cast.m_a1.unit
    # the other subtree is untouched
    assert not FeeDue.objects.filter(member=cast.m_b1).exists()


def test_due_applies_the_exemption(cast):
    _declare(cast.m_a1, cast.secretary_a1)
    FeeExemption.objects.create(
        member=cast.m_a1,
        percent=70,
        from_month=D(2026, 3, 1),
        to_month=D(2026, 8, 1),
        ground="Ốm",
        deciding_body="Chi bộ",
    )
    due = services.compute_due(cast.m_a1, D(2026, 3, 1))
    assert (due.base_amount, due.exemption_percent, due.amount) == (100_000, 70, 30_000)


def test_cash_payment_mismatch_is_a_warning_not_silent(cast):
    _declare(cast.m_a1, cast.secretary_a1)
    services.compute_due(cast.m_a1, D(2026, 3, 1))
    args = {
        "member": cast.m_a1,
        "from_month": D(2026, 3, 1),
        "to_month": D(2026, 3, 1),
        "paid_on": D(2026, 3, 5),
        "receipt_number": "BL-01",
        "actor": cast.secretary_a1,
    }
    payment, warning = services.record_cash_payment(amount=90_000, **args)
    assert payment is None and "không khớp" in warning or "does not match" in warning
    assert not FeePayment.objects.exists()
    payment, warning = services.record_cash_payment(amount=90_000, accept_mismatch=True, **args)
    assert payment.pk and warning
    payment, warning = services.record_cash_payment(amount=100_000, **args)
    assert payment.receipt_number == "BL-01" and warning == ""
    assert FeePayment.objects.count() == 2


def test_three_unpaid_months_alert_the_cell(cast):
    _declare(cast.m_a1, cast.secretary_a1)
    for m in (1, 2, 3, 4):
        services.compute_due(cast.m_a1, D(2026, m, 1))
    FeePayment.objects.create(
        member=cast.m_a1,
        from_month=D(2026, 1, 1),
        to_month=D(2026, 1, 1),
        amount=100_000,
        paid_on=D(2026, 1, 5),
        source=FeePayment.Source.PORTAL,
    )
    assert services.check_arrears(cast.gr_a, 2026, D(2026, 3, 1)) == []
    assert not Notification.objects.filter(kind="fees.arrears").exists()
    found = services.check_arrears(cast.gr_a, 2026, D(2026, 4, 1))
    assert [(m, len(months)) for m, months in found] == [(cast.m_a1, 3)]
    assert Notification.objects.filter(kind="fees.arrears", user=cast.secretary_a1).count() == 1


def test_background_task_computes_the_month(cast):
    from dangbo.fees.tasks import compute_month_dues

    _declare(cast.m_a1, cast.secretary_a1)
    compute_month_dues.enqueue(cast.gr_a.pk, "2026-05-01")
    assert FeeDue.objects.filter(member=cast.m_a1, month=D(2026, 5, 1), amount=100_000).exists()


def test_fifty_years_of_membership_exempt_from_02_2026(cast):
    m = cast.m_a1
    m.admission_date = D(1975, 6, 1)
    m.save()
    _declare(m, cast.secretary_a1)
    assert services.compute_due(m, D(2026, 3, 1)).amount == 0
    assert services.compute_due(m, D(2026, 3, 1)).exemption_percent == 100
    # 342-QĐ/TW had no such rule in the registry: the month before is due
    assert services.compute_due(m, D(2026, 1, 1)).amount == 100_000
    m.admission_date = D(1980, 6, 1)
    m.save()
    assert services.compute_due(m, D(2026, 3, 1)).amount == 100_000
