import re

from playwright.sync_api import expect

from dangbo.core.audit import record
from dangbo.core.models import AuditLog, Notification
from dangbo.core.notify import notify


def test_notification_bell_list_and_mark_read(page, browser_cast, browser_login):
    cast = browser_cast
    browser_login(page, "bloc")
    expect(page.locator("[data-testid=unread-count]")).to_have_count(0)

    notify(users=[cast.bloc_user], title="Báo cáo quý IV sắp đến hạn", body="Hạn nộp 15/12/2026")
    notify(users=[cast.bloc_user], title="Kế hoạch kiểm tra năm 2027", url="/")
    page.reload()
    expect(page.locator("[data-testid=unread-count]")).to_contain_text("2")

    # The bell fragment refreshes by itself (HTMX) without a page reload.
    notify(users=[cast.bloc_user], title="Thông báo thứ ba")
    page.evaluate("htmx.ajax('GET', '/notifications/bell', {target: '#bell-badge', swap: 'outerHTML'})")
    expect(page.locator("[data-testid=unread-count]")).to_contain_text("3")

    page.click("#bell")
    expect(page).to_have_url(re.compile(r"/notifications/$"))
    expect(page.locator("[data-testid=notification]")).to_have_count(3)
    # Opening one marks it read and follows its link.
    page.get_by_text("Kế hoạch kiểm tra năm 2027").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("[data-testid=unread-count]")).to_contain_text("2")
    assert Notification.objects.filter(user=cast.bloc_user, read_at__isnull=True).count() == 2

    page.click("#bell")
    page.click("[data-testid=read-all]")
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("[data-testid=unread-count]")).to_have_count(0)
    assert not Notification.objects.filter(user=cast.bloc_user, read_at__isnull=True).exists()


def test_bloc_filters_the_audit_log(page, browser_cast, browser_login):
    cast = browser_cast
    # Building the cast through the org services writes entries too: start from an empty log.
    AuditLog.objects.all().delete()
    record(
        actor=cast.staff_a,
        action="member.update",
        obj=cast.m_a1,
        unit=cast.cell_a1,
        changes={"position": ["", "Bí thư"]},
    )
    record(
        actor=cast.bloc_user,
        action="unit.rename",
        obj=cast.gr_b,
        changes={"name": ["Đảng bộ Sở Y tế cũ", "Đảng bộ Sở Y tế"]},
    )
    browser_login(page, "bloc")
    page.click("nav >> text=Quản trị")
    page.get_by_role("link", name="Nhật ký thao tác").first.click()
    expect(page.locator("[data-testid=audit-row]")).to_have_count(2)

    page.fill("#id_actor", "pham an")
    page.fill("#id_date_from", "01/01/2026")
    page.click("[data-testid=filters] button[type=submit]")
    expect(page.locator("[data-testid=audit-row]")).to_have_count(1)
    expect(page.locator("[data-testid=audit-row]")).to_contain_text("Bí thư")

    page.select_option("#id_unit", str(cast.gr_b.pk))
    page.fill("#id_actor", "")
    page.click("[data-testid=filters] button[type=submit]")
    expect(page.locator("[data-testid=audit-row]")).to_have_count(1)
    page.locator("[data-testid=audit-row] a").first.click()
    expect(page.locator("[data-testid=changes]")).to_contain_text("Đảng bộ Sở Y tế cũ")


def test_language_switch_in_the_browser(page, browser_cast, browser_login):
    browser_login(page, "bloc")
    expect(page.locator("h1")).to_have_text("Tổng quan")
    page.click("#user-menu")
    page.select_option("[data-testid=language-form] select", "en")
    page.wait_for_load_state("networkidle")
    expect(page.locator("h1")).to_have_text("Overview")
