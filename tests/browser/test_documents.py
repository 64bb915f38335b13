"""The bloc office publishes a resolution with its file and sends it to the whole tree; a member finds it on
the phone (home page, inbox), reads it and the receipt is recorded; the office sees it read by unit."""

from dangbo.documents.models import Document, Receipt
from dangbo.documents.tests.access_cases import docx_bytes

PHONE = {"width": 390, "height": 844}


def _fits(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_member_reads_a_resolution_on_a_phone(page, browser_cast, browser_login, tmp_path):
    c = browser_cast
    attachment = tmp_path / "nq57.docx"
    attachment.write_bytes(docx_bytes("Đột phá phát triển khoa học, công nghệ và chuyển đổi số quốc gia"))

    browser_login(page, "bloc")
    page.goto(f"{page.base_url}/documents/")
    page.click("[data-testid=new-document]")
    form = page.locator("[data-testid=document-form]")
    form.locator("#id_kind").select_option("resolution")
    form.locator("#id_number").fill("57-NQ/TW")
    form.locator("#id_title").fill("Nghị quyết về đột phá phát triển khoa học, công nghệ")
    form.locator("#id_issued_on").fill("22/12/2024")
    form.locator("#id_issuer").fill("Bộ Chính trị")
    form.locator("#id_files").set_input_files(str(attachment))
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    send = page.locator("[data-testid=distribute-form]")
    send.locator(f"input[name=subtrees][value='{c.bloc.pk}']").check()
    send.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "0/5" in page.locator("[data-testid=totals]").inner_text()
    doc = Document.objects.get()

    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    browser_login(page, "member_a1")
    panel = page.locator("[data-testid=documents-panel]")
    assert "Nghị quyết về đột phá" in panel.inner_text()
    assert _fits(page)
    panel.locator("a", has_text="Nghị quyết về đột phá").click()
    page.wait_for_load_state()
    assert page.locator("[data-testid=document-title]").inner_text().startswith("Nghị quyết về đột phá")
    assert not Receipt.objects.filter(document=doc).exists()  # opening is not reading (issue 14 §7)
    page.locator("[data-testid=mark-read]").click()
    page.wait_for_load_state()
    assert page.locator("[data-testid=receipt]").is_visible()
    assert page.locator("[data-testid=attachment]").is_visible()
    assert _fits(page)
    assert Receipt.objects.filter(document=doc, user__username="member_a1").count() == 1
    # The inbox on the phone: nothing left unread.
    page.goto(f"{page.base_url}/documents/")
    assert "Đồng chí đã đọc hết" in page.locator("[data-testid=inbox]").inner_text()
    assert _fits(page)

    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    browser_login(page, "bloc")
    page.goto(f"{page.base_url}/documents/{doc.pk}/readers/")
    row = page.locator(f"[data-testid=unit-{c.gr_a.pk}]").inner_text()
    assert "Đảng bộ Sở Tài chính" in row and "33%" in row
    assert "1/5" in page.locator("[data-testid=totals]").inner_text()
