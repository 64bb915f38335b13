"""A grassroots staff user adopts the bloc's programme and reports progress for a quarter."""

import datetime

from dangbo.programmes.models import Programme, Report, Task
from dangbo.programmes.tests.helpers import bloc_programme

D = datetime.date


def test_grassroots_adopts_and_reports_progress(page, browser_cast, browser_login):
    c = browser_cast
    parent = bloc_programme(c)
    browser_login(page, "staff_a")
    page.click("#work-menu")
    page.click("a.dropdown-item[href='/programmes/']")
    page.get_by_role("link", name=parent.title).click()
    page.click("[data-testid=adopt-link]")
    form = page.locator("[data-testid=adopt-form]")
    form.locator("#id_adopted_on").fill("10/01/2026")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    child = Programme.objects.get(parent=parent, unit=c.gr_a)
    assert child.indicators.count() == 2 and child.tasks.count() == 2

    page.click("[data-testid=report-link]")
    form = page.locator("[data-testid=report-form]")
    form.locator("#id_period").select_option("2026-01-01")
    rate, paper = child.indicators.all()
    early = child.tasks.order_by("due_on").first()
    form.locator(f"#id_v_{rate.pk}").fill("65")
    form.locator(f"#id_v_{paper.pk}").fill("125")
    form.locator(f"#id_s_{early.pk}").select_option("done")
    form.locator(f"#id_d_{early.pk}").fill("28/03/2026")
    form.locator("#id_narrative").fill("Quý I: 65% văn bản xử lý trên môi trường mạng.")
    form.locator("[data-testid=submit-report]").click()
    page.wait_for_load_state()
    assert page.locator("[data-testid=report-state]").inner_text() == "Đã gửi cấp trên"

    r = Report.objects.get(programme=child)
    assert (r.state, r.period_start, r.submitted_by.username) == (Report.State.SUBMITTED, D(2026, 1, 1), "staff_a")
    assert sorted(r.values.values_list("value", flat=True)) == [65, 125]
    early.refresh_from_db()
    assert (early.status, early.done_on) == (Task.Status.DONE, D(2026, 3, 28))
    page.goto(f"{page.base_url}/programmes/{child.pk}/")
    assert "50,0%" in page.locator("[data-testid=indicators]").inner_text()
