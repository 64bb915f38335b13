from dangbo.reports.models import PeriodicReport
from dangbo.reports.tests.helpers import build_story

Q3 = "period=quarter&year=2026&number=3"


def test_grassroots_staff_submits_the_quarter_report_and_the_bloc_accepts_it(page, browser_cast, browser_login):
    c = browser_cast
    build_story(c)
    browser_login(page, "staff_a")
    page.goto(f"{page.base_url}/reports/periodic/?{Q3}")
    row = page.locator(f"[data-testid=tracker] tr[data-unit='{c.gr_a.pk}']")
    assert "Chưa gửi" in row.inner_text()
    row.locator("[data-testid=fill-link]").click()
    page.wait_for_load_state()
    # Pre-filled from the system: 3 members, 1 admitted in the quarter.
    assert page.locator("#id_f_members__total").input_value() == "3"
    assert page.locator("#id_f_admission__admitted").input_value() == "1"
    page.fill("#id_results", "Hoàn thành các nhiệm vụ quý III; kết nạp 1 đảng viên.")
    page.fill("#id_next_tasks", "Chuẩn bị kiểm điểm cuối năm.")
    page.click("[data-testid=submit]")
    page.wait_for_load_state()
    assert page.locator("[data-testid=state]").inner_text() == "Đã gửi"
    report = PeriodicReport.objects.get(unit=c.gr_a)
    assert report.state == "submitted" and report.declared["members.total"] == 3

    page.context.clear_cookies()
    browser_login(page, "bloc")
    page.goto(f"{page.base_url}/reports/periodic/?{Q3}")
    assert "2/3 chưa gửi" in page.locator("body").inner_text()
    page.locator(f"[data-testid=tracker] tr[data-unit='{c.gr_a.pk}'] a").click()
    page.wait_for_load_state()
    assert "kết nạp 1 đảng viên" in page.locator("body").inner_text()
    page.click("[data-testid=accept]")
    page.wait_for_load_state()
    assert page.locator("[data-testid=state]").inner_text() == "Đã tiếp nhận"
    report.refresh_from_db()
    assert report.state == "accepted" and report.decided_by == c.bloc_user
    page.goto(f"{page.base_url}/reports/periodic/?{Q3}")
    total = page.locator("[data-testid=consolidation] tr[data-key='members.total']").inner_text()
    assert total.split()[-3:] == ["3", "3", "0"]
