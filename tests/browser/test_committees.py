"""A proposal walks from a cell secretary (on a phone) to the bloc office's published answer, and back."""

from dangbo.committees.models import Proposal
from dangbo.core.models import Notification

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _as(page, browser_login, username, viewport):
    page.context.clear_cookies()
    page.set_viewport_size(viewport)
    browser_login(page, username)


def test_proposal_from_secretary_to_published_answer(page, browser_cast, browser_login):
    c = browser_cast
    _as(page, browser_login, "secretary_a1", PHONE)
    page.goto(f"{page.base_url}/committees/consultations/")
    page.click("[data-testid=new-proposal]")
    form = page.locator("[data-testid=proposal-form]")
    form.locator("#id_unit").select_option(str(c.cell_a1.pk))
    form.locator("#id_category").select_option("staffing")
    form.locator("#id_title").fill("Bố trí cán bộ chuyên trách công tác đảng")
    form.locator("#id_text").fill("Chi bộ chưa có người chuyên trách; đề nghị Đảng ủy Khối hướng dẫn.")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("[data-testid=state]").inner_text() == "Đã gửi"
    p = Proposal.objects.get()
    assert (p.asked_by, p.unit) == (c.secretary_a1, c.cell_a1)

    _as(page, browser_login, "bloc", DESKTOP)
    page.goto(f"{page.base_url}/committees/consultations/")
    page.get_by_role("link", name="Bố trí cán bộ chuyên trách công tác đảng").click()
    page.wait_for_load_state()
    assign = page.locator("[data-testid=assign-form]")
    assign.locator("#id_department").select_option("organization")
    assign.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("[data-testid=state]").inner_text() == "Đã giao xử lý"
    answer = page.locator("[data-testid=answer-form]")
    answer.locator("#id_answer").fill("Đảng ủy Khối hướng dẫn bố trí cán bộ kiêm nhiệm tại Công văn 15-CV/ĐUK.")
    answer.locator("button[type=submit]").click()
    page.wait_for_load_state()
    page.click("[data-testid=publish]")
    page.wait_for_load_state()
    assert page.locator("[data-testid=state]").inner_text() == "Đã trả lời"
    p.refresh_from_db()
    assert p.state == Proposal.State.PUBLISHED and p.department == "organization" and p.due_on

    _as(page, browser_login, "secretary_a1", PHONE)
    assert Notification.objects.filter(user=c.secretary_a1, kind="committees.answer").exists()
    page.goto(page.base_url + "/")
    assert "Bố trí cán bộ chuyên trách" in page.locator("[data-testid=panel-proposals]").inner_text()
    page.goto(f"{page.base_url}/committees/consultations/")
    assert "Công văn 15-CV/ĐUK" in page.locator("[data-testid=mine]").inner_text()
    page.locator("[data-testid=mine] a").first.click()
    page.wait_for_load_state()
    assert "Công văn 15-CV/ĐUK" in page.locator("[data-testid=answer]").inner_text()
