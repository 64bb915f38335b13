"""The S01/ĐP fee book of a cell, the subtree summary and the fee figures, every total checked by hand.

The cell Chi bộ Phòng Ngân sách (cell_a1, a subordinate cell: 30 % retained under 342-QĐ/TW in 2025), Q1 2025:

* Hoa: income 10.000.000, due 100.000 a month; pays Jan–Mar (300.000) on 05/02;
* Đức: income 8.000.000, due 80.000 a month, and 80.000 of 12/2024 unpaid; pays Jan (80.000) on 20/01;
* An: exempt (100 %) from 01/2025: marked X, no amounts;
* Yến: a student on the books from 10/02 (5.000 a month); pays Feb (5.000) on 03/03.
* The cell remits 200.000 for Jan–Feb on 10/03.

Part I, as (due, arrears, total, collected, still owed at the month's end):

* 01: Đức (80.000, 80.000, 160.000, 80.000, 80.000), Hoa (100.000, 0, 100.000, 0, 100.000), Yến not on the books;
* 02: Đức (80.000, 80.000, 160.000, 0, 160.000), Hoa (100.000, 100.000, 200.000, 300.000, 0),
  Yến (5.000, 0, 5.000, 0, 5.000);
* 03: Đức (80.000, 160.000, 240.000, 0, 240.000), Hoa (100.000, 0, 100.000, 0, 0),
  Yến (5.000, 5.000, 10.000, 5.000, 5.000).

Part II: collected 80.000 / 300.000 / 5.000; retained 30 %: 24.000 / 90.000 / 1.500; owed upward 56.000 /
210.000 / 3.500; remitted 0 / 200.000 / 0; not remitted 56.000 / 66.000 / 69.500.
"""

import datetime
import io

import pytest
from django.urls import reverse

from dangbo.fees import book as fee_book
from dangbo.fees.models import Category, FeeDeclaration, FeeDue, FeeExemption, FeePayment, FeeRemittance
from dangbo.members.models import Member, MemberInterval
from dangbo.testing import make_member

D = datetime.date
pytestmark = pytest.mark.django_db
JAN, FEB, MAR = D(2025, 1, 1), D(2025, 2, 1), D(2025, 3, 1)


def _on_books(member, unit, since):
    MemberInterval.objects.create(member=member, unit=unit, status=member.status, valid_from=since)


def _declare(member, category, base, start):
    FeeDeclaration.objects.create(
        member=member, category=category, base_income=base, from_month=start, state=FeeDeclaration.State.CONFIRMED
    )


def _due(member, unit, month, amount, pct=0):
    FeeDue.objects.create(
        member=member,
        unit=unit,
        month=month,
        category=Category.INSURED,
        base_amount=amount,
        exemption_percent=pct,
        amount=amount,
        rule_version="test",
    )


def _pay(member, start, end, amount, paid_on):
    FeePayment.objects.create(
        member=member, from_month=start, to_month=end, amount=amount, paid_on=paid_on, source=FeePayment.Source.PORTAL
    )


@pytest.fixture
def cell(cast):
    """The cell of the module docstring; returns the members by name."""
    unit = cast.cell_a1
    hoa, duc = cast.m_a1, cast.m_a1_other
    an = make_member("Trần Văn An", unit)
    yen = make_member("Phạm Thị Yến", unit, sex=Member.Sex.FEMALE)
    for m in (hoa, duc, an):
        _on_books(m, unit, D(2010, 1, 1))
    _on_books(yen, unit, D(2025, 2, 10))
    _declare(hoa, Category.INSURED, 10_000_000, D(2024, 1, 1))
    _declare(duc, Category.INSURED, 8_000_000, D(2024, 1, 1))
    _declare(an, Category.PENSION, 6_000_000, D(2024, 1, 1))
    _declare(yen, Category.STUDENT, 0, FEB)
    FeeExemption.objects.create(
        member=an, percent=100, from_month=JAN, ground="50 năm tuổi Đảng", deciding_body="Chi bộ"
    )
    _due(duc, unit, D(2024, 12, 1), 80_000)
    for month in (JAN, FEB, MAR):
        _due(hoa, unit, month, 100_000)
        _due(duc, unit, month, 80_000)
        _due(an, unit, month, 0, 100)
    for month in (FEB, MAR):
        _due(yen, unit, month, 5_000)
    _pay(hoa, JAN, MAR, 300_000, D(2025, 2, 5))
    _pay(duc, JAN, JAN, 80_000, D(2025, 1, 20))
    _pay(yen, FEB, FEB, 5_000, D(2025, 3, 3))
    FeeRemittance.objects.create(
        from_unit=unit, to_unit=cast.gr_a, period_start=JAN, period_end=FEB, amount=200_000, remitted_on=D(2025, 3, 10)
    )
    return {"hoa": hoa, "duc": duc, "an": an, "yen": yen}


def _line(block, member):
    (line,) = [x for x in block.lines if x.member.pk == member.pk]
    return (line.due, line.arrears, line.total, line.paid, line.owed)


def test_part_one_by_hand(cast, cell):
    b = fee_book.book(cast.cell_a1, JAN, MAR)
    jan, feb, mar = b.blocks
    hoa, duc, an, yen = cell["hoa"], cell["duc"], cell["an"], cell["yen"]
    # Who is on the books: Yến from 10/02, by her recorded membership.
    assert {x.member.pk for x in jan.lines} == {hoa.pk, duc.pk, an.pk}
    assert {x.member.pk for x in feb.lines} == {hoa.pk, duc.pk, an.pk, yen.pk}
    assert _line(jan, duc) == (80_000, 80_000, 160_000, 80_000, 80_000)
    assert _line(jan, hoa) == (100_000, 0, 100_000, 0, 100_000)
    assert _line(feb, duc) == (80_000, 80_000, 160_000, 0, 160_000)
    assert _line(feb, hoa) == (100_000, 100_000, 200_000, 300_000, 0)
    assert _line(feb, yen) == (5_000, 0, 5_000, 0, 5_000)
    assert _line(mar, duc) == (80_000, 160_000, 240_000, 0, 240_000)
    assert _line(mar, hoa) == (100_000, 0, 100_000, 0, 0)
    assert _line(mar, yen) == (5_000, 5_000, 10_000, 5_000, 5_000)
    # The exempt member: X, no income, no amounts.
    (a,) = [x for x in jan.lines if x.member.pk == an.pk]
    assert a.exempt and a.income is None and a.due is None
    (h,) = [x for x in jan.lines if x.member.pk == hoa.pk]
    assert h.income == 10_000_000
    # The month totals.
    t = jan.total
    assert (t.income, t.due, t.arrears, t.total, t.paid, t.owed) == (
        18_000_000,
        180_000,
        80_000,
        260_000,
        80_000,
        180_000,
    )
    t = feb.total
    assert (t.due, t.arrears, t.total, t.paid, t.owed) == (185_000, 180_000, 365_000, 300_000, 165_000)
    t = mar.total
    assert (t.due, t.arrears, t.total, t.paid, t.owed) == (185_000, 165_000, 350_000, 5_000, 245_000)


def _row(r):
    return (r.members, r.exempt, r.unpaid, r.collected, r.retained, r.owed_up, r.remitted, r.not_remitted)


def test_part_two_by_hand(cast, cell):
    b = fee_book.book(cast.cell_a1, JAN, MAR)
    jan, feb, mar, quarter, year = b.summary
    assert (jan.kind, quarter.kind, year.kind) == ("month", "quarter", "year")
    assert _row(jan) == (3, 1, 180_000, 80_000, 24_000, 56_000, 0, 56_000)
    assert _row(feb) == (4, 1, 165_000, 300_000, 90_000, 210_000, 200_000, 66_000)
    assert _row(mar) == (4, 1, 245_000, 5_000, 1_500, 3_500, 0, 69_500)
    # Quarter and year: the members, the unpaid and the balance as at the end, the flows summed.
    assert _row(quarter) == (4, 1, 245_000, 385_000, 115_500, 269_500, 200_000, 69_500)
    assert _row(year) == _row(quarter)
    assert feb.remitted_on == [D(2025, 3, 10)]
    assert quarter.label == "Quý I/2025"
    assert jan.share.percent == 30 and not jan.share.version.verified


def test_unknown_share_is_shown_as_unknown(cast, cell):
    """Under 01-QĐ/TW no retained share is known: retained, owed upward and the balance are None."""
    hoa = cell["hoa"]
    _due(hoa, cast.cell_a1, D(2026, 2, 1), 100_000)
    _pay(hoa, D(2026, 1, 1), D(2026, 2, 1), 100_000, D(2026, 2, 10))
    b = fee_book.book(cast.cell_a1, D(2026, 1, 1), D(2026, 2, 1))
    jan, feb = b.summary[:2]
    assert jan.share.known and jan.collected == 0 and jan.retained == 0
    assert not feb.share.known and feb.collected == 100_000
    assert feb.retained is None and feb.owed_up is None and feb.not_remitted is None
    assert b.summary[-1].retained is None
    # A grassroots cell: no rule gives its share at all.
    other = fee_book.book(cast.cell_c, JAN, JAN)
    assert other.summary[0].share.known is False


def test_book_page_and_downloads(cast, cell, client):
    client.force_login(cast.secretary_a1)
    url = reverse("fees:book", args=[cast.cell_a1.pk])
    resp = client.get(url, {"year": 2025, "from_month": 1, "to_month": 3})
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "Sổ thu, nộp đảng phí" in html or "SỔ THU, NỘP ĐẢNG PHÍ" in html.upper()
    assert "69.500" in html and "115.500" in html and "Đặng Văn Đức" in html
    assert "Quý I/2025" in html and "chưa kiểm chứng" in html
    # Excel: the literal values, merged headers, the signature block.
    from openpyxl import load_workbook

    resp = client.get(reverse("fees:book_xlsx", args=[cast.cell_a1.pk]), {"year": 2025, "from_month": 1, "to_month": 3})
    assert resp.status_code == 200 and "attachment" in resp["Content-Disposition"]
    wb = load_workbook(io.BytesIO(resp.content))
    one, two = wb.worksheets
    values = [list(r) for r in one.iter_rows(values_only=True)]
    (duc_jan,) = [r for r in values if r[1] == "Đặng Văn Đức"][:1]
    assert list(duc_jan[3:9]) == [8_000_000, 80_000, 80_000, 160_000, 80_000, 80_000]
    assert one.merged_cells.ranges and two.merged_cells.ranges

    assert any(r[1] == "Cộng" and r[8] == 245_000 for r in values)
    rows2 = list(two.iter_rows(values_only=True))
    (quarter,) = [r for r in rows2 if r[1] == "Quý I/2025"]
    assert list(quarter[2:10]) == [4, 1, 245_000, 385_000, 115_500, 269_500, 200_000, 69_500]
    flat = [v for r in rows2 for v in r if isinstance(v, str)]
    assert any("Người lập sổ" in v for v in flat)
    # Word: Vietnamese numbers, the members, the signature.
    from docx import Document

    resp = client.get(reverse("fees:book_docx", args=[cast.cell_a1.pk]), {"year": 2025, "from_month": 1, "to_month": 3})
    assert resp.status_code == 200
    doc = Document(io.BytesIO(resp.content))
    text = "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert "Đặng Văn Đức" in text and "115.500" in text and "8.000.000" in text and "Người lập sổ" in text


def test_a_name_that_looks_like_a_formula_stays_text(cast, cell, client):
    m = cell["an"]
    m.full_name = '=HYPERLINK("http://x")'
    m.save(update_fields=["full_name"])
    client.force_login(cast.staff_a)
    from openpyxl import load_workbook

    resp = client.get(reverse("fees:book_xlsx", args=[cast.cell_a1.pk]), {"year": 2025, "from_month": 1, "to_month": 1})
    ws = load_workbook(io.BytesIO(resp.content)).worksheets[0]
    cells = [c for r in ws.iter_rows() for c in r if c.value == '=HYPERLINK("http://x")']
    assert cells and all(c.data_type == "s" for c in cells)
    resp = client.get(reverse("fees:book_docx", args=[cast.cell_a1.pk]), {"year": 2025, "from_month": 1, "to_month": 1})
    assert resp.status_code == 200


def test_bad_period_gives_a_form_error_not_a_500(cast, cell, client):
    client.force_login(cast.secretary_a1)
    url = reverse("fees:book", args=[cast.cell_a1.pk])
    resp = client.get(url, {"year": 2025, "from_month": 5, "to_month": 2})
    assert resp.status_code == 200 and "trước tháng đầu" in resp.content.decode()
    for query in ({"year": "abc"}, {"year": 99999, "from_month": 13}, {"from_month": "x"}):
        assert client.get(url, query).status_code == 200


def test_out_of_scope_and_plain_member_get_404(cast, cell, client):
    client.force_login(cast.staff_b)
    assert client.get(reverse("fees:book", args=[cast.cell_a1.pk])).status_code == 404
    assert client.get(reverse("fees:book_subtree", args=[cast.gr_a.pk])).status_code == 404
    client.force_login(cast.member_a1)  # a member of the cell does not read the others' incomes
    assert client.get(reverse("fees:book", args=[cast.cell_a1.pk])).status_code == 404
    client.force_login(cast.staff_a)  # the book is a cell's; a committee has the summary
    assert client.get(reverse("fees:book", args=[cast.gr_a.pk])).status_code == 404


def test_subtree_summary_by_hand(cast, cell, client):
    rows, total, _months = fee_book.subtree_summary(cast.gr_a, JAN, MAR, today=D(2025, 6, 1))
    by_unit = {r.unit.pk: r for r in rows}
    a1, a2 = by_unit[cast.cell_a1.pk], by_unit[cast.cell_a2.pk]
    assert (a1.collected, a1.retained, a1.owed_up, a1.remitted) == (385_000, 115_500, 269_500, 200_000)
    assert a1.late_months == [MAR]  # collected in March, no remittance covering it
    assert (a2.collected, a2.remitted, a2.late) == (0, 0, False)
    assert (total.collected, total.retained, total.remitted) == (385_000, 115_500, 200_000)
    # The bloc: a grassroots committee's own share is not in the registry.
    rows, total, _months = fee_book.subtree_summary(cast.bloc, JAN, MAR, today=D(2025, 6, 1))
    gr_a = {r.unit.pk: r for r in rows}[cast.gr_a.pk]
    assert gr_a.collected == 385_000 and gr_a.retained is None and gr_a.remitted == 0
    assert gr_a.late_months == [JAN, FEB, MAR]
    assert total.retained is None
    # The page.
    client.force_login(cast.staff_a)
    resp = client.get(reverse("fees:book_subtree", args=[cast.gr_a.pk]), {"year": 2025, "from_month": 1, "to_month": 3})
    html = resp.content.decode()
    assert resp.status_code == 200 and "385.000" in html and "03/2025" in html


def test_figures(cast, cell):
    from dangbo.fees.figures import period_figures

    f = {x.key: x.value for x in period_figures(cast.gr_a, JAN, D(2025, 3, 31))}
    assert f["fees.members_due"] == 3  # Hoa, Đức, Yến (An owes nothing)
    assert f["fees.due"] == 550_000
    assert f["fees.members_paid"] == 3
    assert f["fees.collected"] == 385_000
    assert f["fees.received"] == 200_000 and f["fees.remitted"] == 0
    assert f["fees.arrears_members"] == 0  # Đức: February and March unpaid in 2025
    _due(cell["duc"], cast.cell_a1, D(2025, 4, 1), 80_000)
    f = {x.key: x.value for x in period_figures(cast.gr_a, D(2025, 4, 1), D(2025, 6, 30))}
    assert f["fees.arrears_members"] == 1
    f = {x.key: x.value for x in period_figures(cast.cell_a1, JAN, D(2025, 3, 31))}
    assert f["fees.remitted"] == 200_000
    assert {x.key: x.value for x in period_figures(cast.gr_b, JAN, D(2025, 3, 31))}["fees.collected"] == 0


def _grow(cast, n, start):
    """``n`` more members of cell_a1 with a due, a payment and a declaration each month of Q1 2025."""
    for i in range(n):
        m = make_member(f"Thêm Văn {start + i}", cast.cell_a1)
        _on_books(m, cast.cell_a1, D(2010, 1, 1))
        _declare(m, Category.INSURED, 5_000_000, D(2024, 1, 1))
        for month in (JAN, FEB, MAR):
            _due(m, cast.cell_a1, month, 50_000)
        _pay(m, JAN, FEB, 100_000, D(2025, 2, 1))


@pytest.mark.parametrize("extra", [0, 30])
def test_query_count_does_not_grow_with_members(cast, cell, client, django_assert_max_num_queries, extra):
    _grow(cast, extra, 0)
    client.force_login(cast.secretary_a1)
    q = {"year": 2025, "from_month": 1, "to_month": 12}
    with django_assert_max_num_queries(20):
        assert client.get(reverse("fees:book", args=[cast.cell_a1.pk]), q).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("fees:book_xlsx", args=[cast.cell_a1.pk]), q).status_code == 200
    client.force_login(cast.bloc_user)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("fees:book_subtree", args=[cast.bloc.pk]), q).status_code == 200


def test_a_cell_moved_later_counts_where_it_stood(cast, cell):
    """cell_a1 moves to gr_b on 15/04/2025: gr_a's first quarter still counts it, gr_b's does not; a share
    decided by gr_a for its cells applies to the months before the move (the chain of those months)."""
    from dangbo.org import services as org_services
    from dangbo.rules.models import Rule, RuleVersion

    rule = Rule.objects.get(key=fee_book.RETAINED_KEY)
    RuleVersion.objects.create(
        rule=rule, value=40, legal_basis="Quyết định của Đảng ủy Sở Tài chính", effective_from=D(2024, 1, 1),
        scope_unit=cast.gr_a,
    )  # fmt: skip
    org_services.move_unit(unit=cast.cell_a1, new_parent=cast.gr_b, date=D(2025, 4, 15), actor=cast.bloc_user)
    rows, total, _months = fee_book.subtree_summary(cast.gr_a, JAN, MAR, today=D(2025, 6, 1))
    assert total.collected == 385_000
    assert {r.unit.pk: r for r in rows}[cast.cell_a1.pk].retained == 154_000  # 40 % of 385.000
    rows, total, _months = fee_book.subtree_summary(cast.gr_b, JAN, MAR, today=D(2025, 6, 1))
    assert total.collected == 0
    b = fee_book.book(cast.cell_a1, JAN, MAR)
    assert b.summary[0].retained == 32_000  # 40 % of 80.000 in January, under gr_a's decision
    assert len(b.blocks[2].lines) == 4
