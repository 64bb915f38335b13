from dangbo.rules.models import RuleVersion
from tests.browser.search import search_pick


def test_bloc_overrides_a_rule_for_a_subtree_from_a_date(page, browser_cast, browser_login):
    c = browser_cast
    browser_login(page, "bloc")
    page.click("text=Quy định")
    row = page.locator("tr[data-key='meeting.min_minutes.regular']")
    assert "90 phút" in row.inner_text()
    # The list for a unit chosen in the form, then the rule from its row.
    search_pick(page, "id_unit", "tin hoc", "Chi bộ Phòng Tin học")
    page.fill("#id_on", "01/06/2025")
    page.click("main form button[type=submit]")
    assert "01/06/2025" in page.locator("[data-testid=context]").inner_text()
    page.click("tr[data-key='meeting.min_minutes.small_cell'] a")
    page.click("text=Thêm phiên bản có thời hạn hoặc quy định riêng")
    page.fill("#id_value", "60")
    page.fill("#id_legal_basis", "Quy định của Ban Thường vụ Đảng ủy Sở (2019)")
    page.fill("#id_effective_from", "01/01/2019")
    search_pick(page, "id_scope_unit", "tai chinh", "Đảng bộ Sở Tài chính")
    page.click("main form button[type=submit]")
    assert page.locator(".alert-success").is_visible()
    assert RuleVersion.objects.filter(scope_unit=c.gr_a, value=60).exists()
    # In force for a cell inside the subtree on a later date, not for one outside.
    page.goto(f"{page.base_url}/rules/?unit={c.cell_a1.pk}&on=01/06/2025")
    row = page.locator("tr[data-key='meeting.min_minutes.small_cell']")
    assert "60 phút" in row.inner_text() and row.locator("[data-testid=override]").is_visible()
    page.goto(f"{page.base_url}/rules/?unit={c.cell_b1.pk}&on=01/06/2025")
    assert "90 phút" in page.locator("tr[data-key='meeting.min_minutes.small_cell']").inner_text()
    page.goto(f"{page.base_url}/rules/?unit={c.cell_a1.pk}&on=31/12/2018")
    assert "90 phút" in page.locator("tr[data-key='meeting.min_minutes.small_cell']").inner_text()
