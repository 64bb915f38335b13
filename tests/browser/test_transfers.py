from dangbo.members.models import Member, MemberEvent
from dangbo.transfers.models import Transfer
from tests.browser.search import search_pick


def _step(page, name, fields=None):
    form = page.locator(f"[data-testid=step-{name}]")
    for field, value in (fields or {}).items():
        form.locator(f"#id_{name}-{field}").fill(str(value))
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def _as(page, browser_login, username):
    page.context.clear_cookies()
    browser_login(page, username)


def test_official_transfer_from_cell_a1_to_cell_b1(page, browser_cast, browser_login):
    c = browser_cast
    member = c.m_a1_other
    browser_login(page, "staff_a")
    page.click("#members-menu")
    page.click("text=Chuyển sinh hoạt đảng")
    page.click("[data-testid=new-transfer]")
    form = page.locator("[data-testid=transfer-form]")
    search_pick(form, "id_member", "dang duc", member.full_name)
    form.locator("#id_kind").select_option("official_internal")
    search_pick(form, "id_to_unit", "van phong so", c.cell_b1.name)  # outside staff_a's scope: that's the point
    form.locator("#id_decision_no").fill("15/QĐ-STC")
    form.locator("#id_decision_date").fill("01/09/2026")
    form.locator("#id_reason").fill("Điều động sang Sở Y tế")
    form.locator("#id_requested_on").fill("02/09/2026")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("[data-testid=state]").inner_text() == "Đã đề nghị"
    assert "26/11/2026" in page.locator("[data-testid=deadlines]").inner_text()  # 60 working days

    _step(page, "issue", {"letter_no": "88-GGT/ĐUK", "letter_date": "03/09/2026", "issuer": "Ban Tổ chức Đảng ủy Khối"})
    assert page.locator("[data-testid=state]").inner_text() == "Đã cấp giấy giới thiệu"
    with page.context.expect_page() as letter_page:
        page.click("[data-testid=letter-link]")
    letter = letter_page.value
    letter.wait_for_load_state()
    assert "88-GGT/ĐUK" in letter.locator("body").inner_text()
    assert letter.locator("[data-testid=checklist]").is_visible()
    letter.close()
    _step(page, "send", {"day": "04/09/2026"})
    assert page.locator("[data-testid=state]").inner_text() == "Đã bàn giao hồ sơ"
    assert page.locator("[data-testid=step-receive]").count() == 0  # only the receiver confirms
    member.refresh_from_db()
    assert member.unit == c.cell_a1

    _as(page, browser_login, "staff_b")
    page.goto(f"{page.base_url}/transfers/?tab=in")
    page.get_by_role("link", name=member.full_name).click()
    page.wait_for_load_state()
    _step(page, "receive", {"day": "10/09/2026"})
    assert page.locator("[data-testid=state]").inner_text() == "Đã xác nhận tiếp nhận"

    member = Member.objects.get(pk=member.pk)
    assert member.unit == c.cell_b1
    assert Transfer.objects.get().state == Transfer.State.RECEIVED
    assert MemberEvent.objects.filter(member=member, kind=MemberEvent.Kind.TRANSFERRED_IN, to_unit=c.cell_b1).exists()
