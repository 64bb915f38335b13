"""The fee demo of the demo committee: declarations, dues, payments, arrears, remittances."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from dangbo.fees import services
from dangbo.fees.models import FeeDeclaration, FeeDue, FeePayment, FeeRemittance
from dangbo.org.models import OrgUnit

pytestmark = pytest.mark.django_db


def test_demo_holds_a_year_of_fees_for_the_demo_committee():
    call_command("load_demo", members=400, stdout=StringIO())
    finance = OrgUnit.objects.get(name="Đảng bộ Sở Tài chính")
    today = timezone.localdate()
    assert FeeDue.objects.exists()
    assert not FeeDue.objects.exclude(unit__path__startswith=finance.path).exists()
    assert FeeDue.objects.filter(month__month=1).exists() and FeeDue.objects.filter(month__month=today.month).exists()
    assert FeePayment.objects.filter(source="cash").exclude(receipt_number="").exists()
    assert FeePayment.objects.filter(source="portal").exists()
    assert FeeDeclaration.objects.filter(state="declared").count() == 3
    if today.month >= 4:
        assert len(services.arrears(finance, today.year, today.replace(day=1))) >= 3
        assert FeeRemittance.objects.filter(to_unit=finance).exists()
