"""Party fees in the browser: the member declares, the cell secretary confirms and imports the portal list."""

from django.utils import timezone

from dangbo.fees.models import FeeDeclaration, FeePayment


def _as(page, browser_login, username):
    page.context.clear_cookies()
    browser_login(page, username)


def test_member_declares_secretary_confirms_and_imports(page, browser_cast, browser_login, tmp_path):
    c = browser_cast
    month = timezone.localdate().strftime("%m/%Y")
    _as(page, browser_login, "member_a1")
    page.click("#work-menu")
    page.click("text=Đảng phí của tôi")
    form = page.locator("[data-testid=declare-form]")
    form.locator("[name=category]").select_option("insured")
    form.locator("[name=base_income]").fill("9000000")
    form.locator("[name=from_month]").fill(month)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "Chờ chi bộ xác nhận" in page.locator("[data-testid=pending]").inner_text()
    decl = FeeDeclaration.objects.get(member=c.m_a1)
    assert decl.state == "declared" and decl.base_income == 9_000_000

    _as(page, browser_login, "secretary_a1")
    page.click("#work-menu")
    page.click("text=Đảng phí của các tổ chức đảng")
    page.click("[data-testid=fee-units] >> text=Chi bộ Phòng Ngân sách")
    page.check(f"#decl-{decl.pk}")
    page.locator("[data-testid=confirm-form] button[type=submit]").click()
    page.wait_for_load_state()
    decl.refresh_from_db()
    assert decl.state == "confirmed" and decl.confirmed_by == c.secretary_a1

    c.m_a1.card_number = "123456789"
    c.m_a1.save()
    csv = tmp_path / "danh-sach.csv"
    csv.write_text(
        "STT;Họ tên;Số thẻ;Ngày sinh;Đơn vị;Kỳ nộp;Giá trị;Ngày nộp\n"
        f"1;Lê Thị Hoa;123456789;01/01/1990;Chi bộ Phòng Ngân sách;{month};90.000;"
        f"{timezone.localdate():%d/%m/%Y}\n",
        encoding="utf-8",
    )
    page.click("[data-testid=fees-tabs] >> text=Nhập từ Cổng dịch vụ công")
    page.set_input_files("[data-testid=import-form] input[type=file]", str(csv))
    page.locator("[data-testid=import-form] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("[data-testid=matched-count]").inner_text().strip() == "1"
    assert not FeePayment.objects.exists()  # nothing saved before the commit
    page.locator("[data-testid=commit-form] button[type=submit]").click()
    page.wait_for_load_state()
    p = FeePayment.objects.get()
    assert (p.member, p.amount, p.source) == (c.m_a1, 90_000, "portal")
