"""A member studies a resolution on a phone: reads, passes the quiz (after saving half-way), submits the
learning report; the secretary accepts it and the cell's completion shows it."""

from dangbo.study.models import Progress
from dangbo.study.tests.factories import make_campaign

PHONE = {"width": 390, "height": 844}


def _fits(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_member_studies_on_a_phone(page, browser_cast, browser_login):
    c = browser_cast
    campaign = make_campaign(c, questions=4, pass_mark=75)
    page.set_viewport_size(PHONE)
    browser_login(page, "member_a1")
    page.click(f"[data-testid=study-panel] >> text={campaign.title}")
    assert _fits(page)
    page.click("[data-testid=mark-read]")
    page.wait_for_load_state()
    page.click("[data-testid=start-quiz]")
    page.wait_for_load_state()
    questions = page.locator("[data-testid=quiz-form] fieldset")
    assert questions.count() == 4
    questions.nth(0).get_by_label("Đúng").check()
    page.click("text=Lưu và làm tiếp sau")  # leave half-way …
    page.wait_for_load_state()
    page.click("[data-testid=go-quiz]")  # … and resume: the answer is still ticked
    page.wait_for_load_state()
    assert page.locator("[data-testid=quiz-form] fieldset").nth(0).get_by_label("Đúng").is_checked()
    assert _fits(page)
    for i in range(1, 4):
        page.locator("[data-testid=quiz-form] fieldset").nth(i).get_by_label("Đúng").check()
    page.click("[data-testid=submit-quiz]")
    page.wait_for_load_state()
    assert "100" in page.locator("[data-testid=last-score]").inner_text()
    page.click("text=Tiếp tục")
    page.click("[data-testid=go-report]")
    page.fill("#id_text", "Qua học tập nghị quyết, tôi nhận thức rõ vai trò đột phá của khoa học, công nghệ. " * 4)
    page.click("[data-testid=submit-report]")
    page.wait_for_load_state()
    p = Progress.objects.get(campaign=campaign, member=c.m_a1)
    assert p.quiz_passed_at and p.report_state == Progress.ReportState.SUBMITTED and p.completed_at is None

    page.context.clear_cookies()
    browser_login(page, "secretary_a1")
    page.goto(f"{page.base_url}/study/{campaign.pk}/reports/")
    page.click("[data-testid=reports] >> text=Lê Thị Hoa")
    form = page.locator("[data-testid=review-form]")
    form.locator("[name=outcome]").select_option("accept")
    form.locator("[name=grade]").select_option("good")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(f"{page.base_url}/study/{campaign.pk}/completion/?unit={c.cell_a1.pk}")
    assert "1/2" in page.locator("[data-testid=completion-total]").inner_text()
    p.refresh_from_db()
    assert p.completed_at is not None
