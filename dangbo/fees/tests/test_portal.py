"""The portal import refuses unmatched and conflicting rows and saves all or nothing."""

import datetime

import pytest

from dangbo.fees import portal
from dangbo.fees.models import FeePayment

D = datetime.date
pytestmark = pytest.mark.django_db


MARCH = D(2026, 3, 1)


def _row(card, month=MARCH):
    return {"card_number": card, "month": month, "amount": 100_000, "paid_on": D(2026, 3, 10)}


def test_import_all_or_nothing(cast):
    cast.m_a1.card_number = "123456789"
    cast.m_a1.save()
    p = portal.commit([_row("123456789"), _row("999999999")], actor=cast.secretary_a1)
    assert not p.ok and len(p.problems) == 1
    assert not FeePayment.objects.exists()
    p = portal.commit([_row("123456789"), _row("123456789")], actor=cast.secretary_a1)
    assert not p.ok and not FeePayment.objects.exists()
    p = portal.commit([_row("123456789")], actor=cast.secretary_a1)
    assert p.ok and FeePayment.objects.filter(member=cast.m_a1, source="portal").count() == 1
    p = portal.commit([_row("123456789")], actor=cast.secretary_a1)
    assert not p.ok and FeePayment.objects.count() == 1
