import unicodedata

from dangbo.members import importer
from dangbo.members.models import Member, MemberImport
from dangbo.members.tests.xlsx import row, workbook


def test_import_a_messy_file_then_the_corrected_one(page, browser_cast, browser_login, tmp_path, monkeypatch):
    c = browser_cast
    monkeypatch.setattr(importer, "CHUNK", 2)  # the live server runs in this process: check 2 rows per step
    before = Member.objects.count()
    browser_login(page, "staff_a")
    page.goto(page.base_url + "/members/")
    page.click("[data-testid=import]")

    with page.expect_download() as download:
        page.click("[data-testid=template]")
    assert download.value.suggested_filename == "mau-nhap-dang-vien.xlsx"

    nfd = unicodedata.normalize("NFD", "Trần Thị Ngọc")
    bad = tmp_path / "danh-sach.xlsx"
    bad.write_bytes(
        workbook(
            [
                row("Nguyễn Văn An", card="48.100001"),
                row(nfd, sex="Nữ", born="31/02/1990", official="", card=""),
                row("Phan Văn Tài", cell="Chi bộ Không Có", card="48.100001"),
            ]
        )
    )
    page.select_option("#id_unit", label="\u00a0\u00a0Đảng bộ Sở Tài chính")
    page.set_input_files("#id_file", str(bad))
    page.click("main form[data-testid=import-form] button[type=submit]")
    # Three rows, two per step: the page checks them with a progress bar, then shows the result.
    page.wait_for_selector("[data-testid=import-invalid]")
    assert "Chưa có gì được lưu." in page.inner_text("[data-testid=import-invalid]")
    issues = page.locator("[data-testid=issues]")
    assert issues.get_by_text("“31/02/1990” không phải là ngày; hãy ghi dd/mm/yyyy.").is_visible()
    assert issues.get_by_text("Không có chi bộ “Chi bộ Không Có” trong Đảng bộ Sở Tài chính.").is_visible()
    assert issues.get_by_text("48.100001 trùng với dòng 2.").is_visible()
    assert Member.objects.count() == before

    good = tmp_path / "danh-sach-da-sua.xlsx"
    good.write_bytes(
        workbook(
            [
                row("Nguyễn Văn An", card="48.100001"),
                row(nfd, sex="Nữ", born="28/02/1990", official="", card=""),
                row("Phan Văn Tài", cell="Chi bộ Phòng Ngân sách", card="48.100002"),
            ]
        )
    )
    page.set_input_files("#id_file", str(good))
    page.click("main form[data-testid=import-form] button[type=submit]")
    page.wait_for_selector("[data-testid=import-ready]")
    assert page.locator("[data-testid=preview]").get_by_text("Phan Văn Tài").is_visible()
    assert Member.objects.count() == before
    page.click("[data-testid=commit-form] button[type=submit]")
    page.wait_for_selector("[data-testid=import-done]")
    assert Member.objects.count() == before + 3
    assert MemberImport.objects.filter(state=MemberImport.State.IMPORTED).count() == 1

    # The new member is found without accents, and her timeline shows the admission.
    page.click("text=Xem trong danh sách đảng viên")
    page.fill("#id_q", "tran thi ngoc")
    page.click("[data-testid=member-filter] button[type=submit]")
    page.locator("[data-testid=members]").get_by_role("link", name="Trần Thị Ngọc").click()
    assert page.get_by_text("Kết nạp").first.is_visible()
    assert Member.objects.get(search_name="tran thi ngoc").unit_id == c.cell_a2.pk
