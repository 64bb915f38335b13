"""A member fills in their year-end self-assessment on a phone, from the home card."""

import datetime

from dangbo.review import services
from dangbo.review.models import MemberReview

PHONE = {"width": 390, "height": 844}


def test_a_member_self_assesses_on_a_phone(page, browser_cast, browser_login):
    c = browser_cast
    period = services.open_period(
        unit=c.bloc,
        kind="year",
        year=2026,
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
        self_deadline=datetime.date(2026, 12, 15),
        actor=c.bloc_user,
    )
    review = MemberReview.objects.get(period=period, member=c.m_a1)
    criteria = list(period.criteria.filter(group=review.group))
    page.set_viewport_size(PHONE)
    browser_login(page, "member_a1")
    card = page.locator("[data-testid=review-panel]")
    assert "15/12/2026" in card.inner_text()
    card.locator("a").click()
    page.wait_for_load_state()
    form = page.locator("[data-testid=form-self]")
    # The first criterion over its maximum: the browser refuses (max attribute), so type a valid set.
    for i, crit in enumerate(criteria):
        form.locator(f"#id_self-c{crit.pk}").fill(str(crit.max_points - (1 if i == 0 else 0)))
    assert form.locator("[data-testid=live-total]").inner_text() == "99"
    form.locator("#id_self-comment").fill(
        "Hoàn thành tốt nhiệm vụ chuyên môn; cần chủ động hơn trong công tác đoàn thể."
    )
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("[data-testid=self-score]").inner_text() == "99"
    assert page.locator("[data-testid=form-self]").count() == 1  # still editable until the cell appraises
    review.refresh_from_db()
    assert review.self_score == 99 and review.self_submitted_at is not None
    # The page fits the phone: no horizontal scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # Back home, the card is gone.
    page.goto(page.base_url + "/")
    assert page.locator("[data-testid=review-panel]").count() == 0
