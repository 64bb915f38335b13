"""The bloc inspection commission takes a member's discipline case from opening to the decision and the appeal
window (DOMAIN.md §7), with the authority matrix and the vote threshold enforced on the way."""

import datetime

from django.utils import timezone

from dangbo.inspection.models import DisciplineCase
from dangbo.members.models import MemberEvent


def _open(page, name):
    page.click(f"[data-testid=open-{name}]")


def _action(page, name, fields=None, selects=None):
    form = page.locator(f"[data-testid=action-{name}]")
    for field, value in (selects or {}).items():
        form.locator(f"[name={name}-{field}]").select_option(str(value))
    for field, value in (fields or {}).items():
        form.locator(f"[name={name}-{field}]").fill(str(value))
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def test_the_inspection_commission_decides_a_warning(page, browser_cast, browser_login):
    c = browser_cast
    today = timezone.localdate()

    def day(n):
        return (today - datetime.timedelta(days=n)).strftime("%d/%m/%Y")

    browser_login(page, "inspector")
    page.click("#work-menu")
    page.click("a.dropdown-item[href='/inspection/']")
    page.click("[data-testid=inspection-tabs] >> text=Kỷ luật")
    page.click("[data-testid=new-discipline]")
    page.fill("#id_q", "dang van duc")
    page.click("[data-testid=search] button[type=submit]")
    page.click("[data-testid=found] >> text=Đặng Văn Đức")

    form = page.locator("[data-testid=main-form]")
    form.locator("#id_violation").fill("Vi phạm quy định về công tác cán bộ")
    form.locator("#id_violation_on").fill(day(90))
    # The commission decides for its own committee: the bloc and its commission are proposed.
    assert form.locator("#id_deciding_unit").input_value() == str(c.bloc.pk)
    assert form.locator("#id_deciding_body").input_value() == "commission"
    form.locator("#id_proposed_form").select_option("dismissal")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    # Removal from post for a member who holds none: refused with the reason, nothing lost, nothing saved.
    assert "Cách chức chỉ áp dụng với đảng viên giữ chức vụ" in page.locator("[data-testid=error]").inner_text()
    assert form.locator("#id_violation").input_value() == "Vi phạm quy định về công tác cán bộ"
    assert not DisciplineCase.objects.exists()

    form.locator("#id_proposed_form").select_option("warning")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("[data-testid=state]").inner_text() == "Đang xem xét"

    # The vote before the member is heard is refused.
    _open(page, "vote")
    _action(
        page,
        "vote",
        {"held_on": day(10), "total": 7, "in_favour": 6, "decision_no": "15-QĐ/UBKT", "decided_on": day(9)},
        {"form": "warning", "stage": "decision"},
    )
    assert "nghe đảng viên trình bày" in page.locator("[data-testid=error]").inner_text()
    _open(page, "hearing")
    _action(page, "hearing", {"day": day(20)}, {"attended": "yes"})
    assert page.locator("[data-testid=hearing]").inner_text().startswith(day(20))

    # Exactly half of the commission is not enough; more than half decides.
    _open(page, "vote")
    _action(
        page,
        "vote",
        {"held_on": day(10), "total": 6, "in_favour": 3, "decision_no": "15-QĐ/UBKT", "decided_on": day(9)},
        {"form": "warning", "stage": "decision"},
    )
    assert "không đạt" in page.locator("[data-testid=votes]").inner_text()
    assert page.locator("[data-testid=state]").inner_text() == "Đang xem xét"
    _open(page, "vote")
    _action(
        page,
        "vote",
        {"held_on": day(10), "total": 6, "in_favour": 4, "decision_no": "15-QĐ/UBKT", "decided_on": day(9)},
        {"form": "warning", "stage": "decision"},
    )
    assert page.locator("[data-testid=state]").inner_text() == "Đã quyết định"
    assert "15-QĐ/UBKT" in page.locator("[data-testid=decision]").inner_text()
    event = MemberEvent.objects.get(member=c.m_a1_other, kind="disciplined")
    assert (event.note, event.decision_no, event.date) == ("Cảnh cáo", "15-QĐ/UBKT", today - datetime.timedelta(days=9))
    assert page.locator("[data-testid=docx]").is_visible()

    # Received five days later: an appeal after the 30 days is refused, one within them is taken.
    _open(page, "receipt")
    _action(page, "receipt", {"day": day(4)})
    assert page.locator("[data-testid=appeal-due]").inner_text() == (
        today - datetime.timedelta(days=4) + datetime.timedelta(days=30)
    ).strftime("%d/%m/%Y")
    _open(page, "appeal")
    _action(page, "appeal", {"filed_on": day(1), "content": "Đề nghị xem xét lại"})
    assert "Đang giải quyết" in page.locator("[data-testid=appeal-list]").inner_text()
