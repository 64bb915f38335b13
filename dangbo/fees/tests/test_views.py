"""The fee pages through the HTTP client, checked in the database."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dangbo.core.models import AuditLog
from dangbo.fees import services
from dangbo.fees.models import Category, FeeDeclaration, FeeDue, FeePayment, FeeRemittance, PortalImport
from dangbo.testing import make_member

D = datetime.date
pytestmark = pytest.mark.django_db
MONTH = D(2026, 3, 1)


JAN = D(2026, 1, 1)


def _confirmed(member, actor, base=10_000_000, start=JAN):
    decl = FeeDeclaration.objects.create(member=member, category=Category.INSURED, base_income=base, from_month=start)
    services.confirm_declarations([decl], actor=actor)
    return decl


def test_member_declares_and_secretary_confirms(cast, client):
    client.force_login(cast.member_a1)
    resp = client.post(
        reverse("fees:declare"), {"category": "insured", "base_income": "9000000", "from_month": "02/2026"}
    )
    assert resp.status_code == 302
    decl = FeeDeclaration.objects.get(member=cast.m_a1)
    assert (decl.state, decl.base_income, decl.from_month) == ("declared", 9_000_000, D(2026, 2, 1))
    page = client.get(reverse("fees:mine")).content.decode()
    assert "Chờ chi bộ xác nhận" in page
    # a second declaration replaces the one not yet confirmed
    client.post(reverse("fees:declare"), {"category": "insured", "base_income": "9500000", "from_month": "02/2026"})
    assert FeeDeclaration.objects.filter(member=cast.m_a1, state="declared").count() == 1
    decl = FeeDeclaration.objects.get(member=cast.m_a1, state="declared")

    client.force_login(cast.secretary_a1)
    assert "Lê Thị Hoa" in client.get(reverse("fees:unit", args=[cast.cell_a1.pk])).content.decode()
    resp = client.post(reverse("fees:confirm", args=[cast.cell_a1.pk]), {"declaration": [decl.pk]})
    assert resp.status_code == 302
    decl.refresh_from_db()
    assert decl.state == "confirmed" and decl.confirmed_by == cast.secretary_a1
    assert AuditLog.objects.filter(action="fees.confirm_declaration", object_id=str(decl.pk)).exists()

    client.force_login(cast.member_a1)
    page = client.get(reverse("fees:mine")).content.decode()
    assert "95.000 đ" in page and "01-QĐ/TW" in page


def test_bad_declaration_is_a_form_error(cast, client):
    client.force_login(cast.member_a1)
    resp = client.post(reverse("fees:declare"), {"category": "no_pension", "from_month": "13/2026"})
    assert resp.status_code == 200
    assert not FeeDeclaration.objects.exists()
    page = resp.content.decode()
    assert "mm/yyyy" in page and "vùng lương tối thiểu" in page


def test_bulk_confirmation_and_own_declaration_refused(cast, client):
    me = make_member("Hoàng Văn Bình", cast.cell_a1, user=cast.secretary_a1)
    mine = FeeDeclaration.objects.create(member=me, category="student", from_month=MONTH)
    others = [
        FeeDeclaration.objects.create(member=m, category="student", from_month=MONTH)
        for m in (cast.m_a1, cast.m_a1_other)
    ]
    client.force_login(cast.secretary_a1)
    resp = client.post(reverse("fees:confirm", args=[cast.cell_a1.pk]), {"declaration": [mine.pk, others[0].pk]})
    assert resp.status_code == 403
    assert not FeeDeclaration.objects.filter(state="confirmed").exists()
    resp = client.post(reverse("fees:confirm", args=[cast.cell_a1.pk]), {"declaration": [d.pk for d in others]})
    assert FeeDeclaration.objects.filter(state="confirmed").count() == 2
    client.force_login(cast.staff_a)
    client.post(reverse("fees:confirm", args=[cast.cell_a1.pk]), {"declaration": [mine.pk]})
    mine.refresh_from_db()
    assert mine.state == "confirmed" and mine.confirmed_by == cast.staff_a


def test_compute_the_month_for_the_unit(cast, client, django_capture_on_commit_callbacks):
    _confirmed(cast.m_a1, cast.secretary_a1)
    _confirmed(cast.m_b1, cast.staff_b)
    client.force_login(cast.secretary_a1)
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(reverse("fees:compute", args=[cast.cell_a1.pk]), {"month": "03/2026"})
    assert resp.status_code == 302
    assert list(FeeDue.objects.values_list("member", "month", "amount")) == [(cast.m_a1.pk, MONTH, 100_000)]


def test_cash_payment_mismatch_needs_confirmation(cast, client):
    _confirmed(cast.m_a1_other, cast.secretary_a1)
    services.compute_due(cast.m_a1_other, MONTH)
    url = reverse("fees:cash", args=[cast.cell_a1.pk, cast.m_a1_other.pk])
    data = {"from_month": "03/2026", "to_month": "03/2026", "amount": "90000", "paid_on": "05/03/2026"}
    client.force_login(cast.secretary_a1)
    resp = client.post(url, {**data, "receipt_number": ""})
    assert resp.status_code == 200 and not FeePayment.objects.exists()
    resp = client.post(url, {**data, "receipt_number": "BL-7"})
    assert resp.status_code == 200 and not FeePayment.objects.exists()
    assert "100.000" in resp.content.decode()  # the warning names the amount due
    resp = client.post(url, {**data, "receipt_number": "BL-7", "accept_mismatch": "on"})
    assert resp.status_code == 302
    p = FeePayment.objects.get()
    assert (p.amount, p.receipt_number, p.source, p.recorded_by) == (90_000, "BL-7", "cash", cast.secretary_a1)
    client.force_login(cast.member_a1)  # not their payment: the member sees their own only
    client.get(reverse("fees:mine"))  # the flash message of the secretary's session is shown once
    assert "BL-7" not in client.get(reverse("fees:mine")).content.decode()


def _csv(*lines):
    head = "STT;Họ tên;Số thẻ;Ngày sinh;Đơn vị;Kỳ nộp;Giá trị;Ngày nộp"
    return SimpleUploadedFile("ds.csv", ("\n".join([head, *lines])).encode("utf-8"), content_type="text/csv")


def test_portal_import_preview_then_all_or_nothing(cast, client):
    cast.m_a1.card_number = "111111111"
    cast.m_a1.save()
    cast.m_b1.card_number = "222222222"
    cast.m_b1.save()
    _confirmed(cast.m_a1, cast.secretary_a1)
    services.compute_due(cast.m_a1, MONTH)
    client.force_login(cast.secretary_a1)
    url = reverse("fees:import", args=[cast.cell_a1.pk])
    # a member of another grassroots unit and an unknown card: refused, nothing saved
    resp = client.post(
        url,
        {
            "file": _csv(
                "1;Lê Thị Hoa;111111111;01/01/1990;Chi bộ;03/2026;100.000;10/03/2026",
                "2;Bùi Văn Minh;222222222;;;03/2026;100000;10/03/2026",
                "3;Ai đó;999999999;;;03/2026;100000;10/03/2026",
            )
        },
    )
    imp = PortalImport.objects.get()
    assert resp.status_code == 302 and resp["Location"].endswith(f"/import/{imp.pk}/")
    page = client.get(resp["Location"]).content.decode()
    assert "không thuộc đơn vị" in page and "999999999" in page
    resp = client.post(reverse("fees:import_commit", args=[cast.cell_a1.pk, imp.pk]))
    assert not FeePayment.objects.exists() and PortalImport.objects.get().committed_at is None
    # a clean file: previewed with the differing amount shown, then saved
    resp = client.post(
        url,
        {
            "file": _csv(
                "1;Lê Thị Hoa;111111111;01/01/1990;Chi bộ;03/2026;100.000;10/03/2026",
                "2;Lê Thị Hoa;111111111;01/01/1990;Chi bộ;04/2026;90.000;10/04/2026",
            )
        },
    )
    imp = PortalImport.objects.order_by("-pk").first()
    page = client.get(resp["Location"]).content.decode()
    assert "khác số phải nộp" in page or "Chưa tính" in page
    resp = client.post(reverse("fees:import_commit", args=[cast.cell_a1.pk, imp.pk]))
    assert resp.status_code == 302
    assert sorted(FeePayment.objects.values_list("from_month", "amount", "source")) == [
        (D(2026, 3, 1), 100_000, "portal"),
        (D(2026, 4, 1), 90_000, "portal"),
    ]
    # committing twice saves nothing more
    client.post(reverse("fees:import_commit", args=[cast.cell_a1.pk, imp.pk]))
    assert FeePayment.objects.count() == 2


def test_import_refuses_a_file_that_is_not_a_list(cast, client):
    client.force_login(cast.secretary_a1)
    bad = SimpleUploadedFile("x.xlsx", b"not a workbook")
    resp = client.post(reverse("fees:import", args=[cast.cell_a1.pk]), {"file": bad})
    assert resp.status_code == 200 and not PortalImport.objects.exists()
    resp = client.post(reverse("fees:import", args=[cast.cell_a1.pk]), {"file": _csv()})
    assert resp.status_code == 200 and not PortalImport.objects.exists()


def _owing(member, actor, months):
    _confirmed(member, actor, start=D(2026, 1, 1))
    for m in months:
        services.compute_due(member, m)


def test_arrears_lists_three_unpaid_months(cast, client):
    months = [D(2026, m, 1) for m in (1, 2, 3, 4)]
    _owing(cast.m_a1, cast.secretary_a1, months)
    _owing(cast.m_a1_other, cast.secretary_a1, months)
    FeePayment.objects.create(
        member=cast.m_a1_other, from_month=months[0], to_month=months[1], amount=1, paid_on=MONTH, source="cash"
    )
    rows = services.arrears(cast.cell_a1, 2026, D(2026, 4, 1))
    assert [(m, len(ms)) for m, ms in rows] == [(cast.m_a1, 4)]
    client.force_login(cast.secretary_a1)
    page = client.get(reverse("fees:arrears", args=[cast.cell_a1.pk]), {"year": 2026}).content.decode()
    assert "Lê Thị Hoa" in page and "Đặng Văn Đức" not in page


def test_remittance_recorded_and_late_units(cast, client):
    FeePayment.objects.create(
        member=cast.m_a1, from_month=MONTH, to_month=MONTH, amount=100_000, paid_on=MONTH, source="cash"
    )
    client.force_login(cast.staff_a)
    url = reverse("fees:remittances", args=[cast.gr_a.pk])
    page = client.get(url, {"year": 2026}).content.decode()
    assert "Chi bộ Phòng Ngân sách" in page
    resp = client.post(
        reverse("fees:remit", args=[cast.gr_a.pk]),
        {
            "from_unit": cast.cell_a1.pk,
            "period_start": "03/2026",
            "period_end": "03/2026",
            "amount": "70000",
            "remitted_on": "10/04/2026",
        },
    )
    assert resp.status_code == 302
    r = FeeRemittance.objects.get()
    assert (r.from_unit, r.to_unit, r.amount) == (cast.cell_a1, cast.gr_a, 70_000)
    # a unit of another subtree cannot be chosen: 404, nothing saved
    resp = client.post(
        reverse("fees:remit", args=[cast.gr_a.pk]),
        {
            "from_unit": cast.cell_b1.pk,
            "period_start": "03/2026",
            "period_end": "03/2026",
            "amount": "1",
            "remitted_on": "10/04/2026",
        },
    )
    assert resp.status_code == 404 and FeeRemittance.objects.count() == 1


def _members(unit, n):
    for i in range(n):
        m = make_member(f"Đảng viên {unit.pk} {i}", unit)
        FeeDeclaration.objects.create(member=m, category="student", from_month=MONTH, state="confirmed")
        FeeDue.objects.create(member=m, unit=unit, month=MONTH, amount=5000, rule_version="x")


@pytest.mark.parametrize("n", [3, 30])
def test_unit_and_arrears_pages_query_count(cast, client, django_assert_max_num_queries, n):
    _members(cast.cell_a1, n)
    client.force_login(cast.secretary_a1)
    with django_assert_max_num_queries(25):
        assert client.get(reverse("fees:unit", args=[cast.cell_a1.pk]), {"month": "03/2026"}).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("fees:arrears", args=[cast.cell_a1.pk]), {"year": 2026}).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("fees:home")).status_code == 200
    client.force_login(cast.staff_a)
    with django_assert_max_num_queries(25):  # one aggregate per unit below, none per member
        assert client.get(reverse("fees:remittances", args=[cast.gr_a.pk]), {"year": 2026}).status_code == 200
    client.force_login(cast.member_a1)
    with django_assert_max_num_queries(25):
        assert client.get(reverse("fees:mine")).status_code == 200
