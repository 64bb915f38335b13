from dangbo.members.models import Member
from dangbo.org.models import OrgUnit


def test_bloc_restructures_and_reads_the_tree_on_a_past_date(page, browser_cast, browser_login):
    c = browser_cast
    browser_login(page, "bloc")
    page.click("text=Tổ chức đảng")
    tree = page.locator("[data-testid=tree]")
    # Cells start folded inside their committee; expand all, collapse all.
    assert not tree.get_by_text("Chi bộ Phòng Tin học").is_visible()
    page.click("text=Mở tất cả")
    assert tree.get_by_text("Chi bộ Phòng Tin học").is_visible()
    page.click("text=Thu gọn")
    assert not tree.get_by_text("Chi bộ Phòng Tin học").is_visible()
    # Expanding one committee by its summary shows its cells.
    tree.locator(f"li[data-unit='{c.bloc.pk}'] > details > summary").first.click()
    tree.locator(f"li[data-unit='{c.gr_a.pk}'] > details > summary").click()
    assert tree.get_by_text("Chi bộ Phòng Tin học").is_visible()

    # Merge Chi bộ Phòng Tin học into Chi bộ Phòng Ngân sách.
    tree.get_by_role("link", name="Chi bộ Phòng Ngân sách").click()
    page.click("text=Sắp xếp tổ chức")
    page.click("text=Hợp nhất tổ chức khác vào đây")
    page.select_option("#id_sources", label="\u00a0\u00a0\u00a0\u00a0Chi bộ Phòng Tin học")
    page.fill("#id_date", "01/03/2025")
    page.fill("#id_decision_no", "215-QĐ/ĐUK")
    page.click("main form button[type=submit]")
    assert page.locator(".alert-success").is_visible()
    assert page.locator("[data-testid=history]").get_by_text("Tiếp nhận tổ chức hợp nhất").is_visible()
    assert Member.objects.get(pk=c.m_a2.pk).unit_id == c.cell_a1.pk

    # Move Chi bộ Văn phòng Sở under Đảng bộ Sở Tài chính.
    page.goto(f"{page.base_url}/org/{c.cell_b1.pk}/move/")
    page.select_option("#id_new_parent", label="\u00a0\u00a0Đảng bộ Sở Tài chính")
    page.fill("#id_date", "01/07/2025")
    page.click("main form button[type=submit]")
    assert page.locator(".alert-success").is_visible()
    assert OrgUnit.objects.get(pk=c.cell_b1.pk).parent_id == c.gr_a.pk

    # Today the merged cell is gone; on 28/02/2025 the old structure is back.
    page.goto(f"{page.base_url}/org/")
    assert page.locator("[data-testid=tree]").get_by_text("Chi bộ Phòng Tin học").count() == 0
    page.fill("#id_on", "28/02/2025")
    page.click("[data-testid=tree-filter] button[type=submit]")
    assert page.locator("[data-testid=as-of]").is_visible()
    old_tree = page.locator("[data-testid=tree]")
    page.click("text=Mở tất cả")
    assert old_tree.get_by_text("Chi bộ Phòng Tin học").is_visible()
    sy_te = old_tree.locator(f"li[data-unit='{c.gr_b.pk}']")
    assert sy_te.get_by_text("Chi bộ Văn phòng Sở").count() == 1


def test_grassroots_staff_sees_only_their_subtree(page, browser_cast, browser_login):
    browser_login(page, "staff_a")
    page.goto(f"{page.base_url}/org/")
    text = page.locator("[data-testid=tree]").inner_text()
    assert "Đảng bộ Sở Tài chính" in text and "Sở Y tế" not in text
    page.goto(f"{page.base_url}/org/{browser_cast.gr_b.pk}/")
    assert "Sở Y tế" not in page.content()
