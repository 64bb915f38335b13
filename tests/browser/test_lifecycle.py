import datetime

from django.utils import timezone

from dangbo.core.dates import years_before
from dangbo.lifecycle.badges import next_occasion
from dangbo.lifecycle.models import BadgeAward, RemovalProposal
from dangbo.members.models import Member, MemberEvent


def _as(page, browser_login, username):
    page.context.clear_cookies()
    browser_login(page, username)


def _form(page, testid, fields=None, selects=None):
    form = page.locator(f"[data-testid={testid}]")
    for field, value in (selects or {}).items():
        form.locator(f"[name$={field}]").select_option(value)
    for field, value in (fields or {}).items():
        form.locator(f"[name$={field}]").fill(str(value))
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def test_a_removal_proposed_by_the_cell_is_decided_by_the_committee(page, browser_cast, browser_login):
    c = browser_cast
    today = timezone.localdate()
    day = (today - datetime.timedelta(days=3)).strftime("%d/%m/%Y")
    browser_login(page, "secretary_a1")
    page.click("#members-menu")
    page.click("text=Miễn sinh hoạt, ra khỏi Đảng, thẻ và huy hiệu")
    page.fill("#id_q", "dang van duc")
    page.click("main form button[type=submit]")
    page.click("[data-testid=found] >> text=Đặng Văn Đức")
    # Below the rule (3 months): refused with the rule's number.
    page.click("[data-testid=open-propose_removal]")
    _form(
        page,
        "action-propose_removal",
        {"count": 2, "evidence": "Vắng tháng 3, 5", "raised_on": day},
        {"ground": "missed_meetings"},
    )
    assert "từ 3 tháng" in page.locator("[data-testid=error]").inner_text()
    _form(
        page,
        "action-propose_removal",
        {"count": 3, "evidence": "Vắng tháng 3, 5, 8", "raised_on": day},
        {"ground": "missed_meetings"},
    )
    assert page.locator("[data-testid=state]").inner_text() == "Đã đề nghị"
    assert page.locator("[data-testid=decide]").count() == 0  # the cell cannot decide

    _as(page, browser_login, "staff_a")
    page.goto(f"{page.base_url}/lifecycle/removals/")
    page.click("[data-testid=proposals] >> text=Đặng Văn Đức")
    _form(page, "decide", {"decision_no": "15-QĐ/ĐU", "day": today.strftime("%d/%m/%Y")}, {"outcome": "remove"})
    assert page.locator("[data-testid=state]").inner_text() == "Đã quyết định xóa tên"
    m = Member.objects.get(pk=c.m_a1_other.pk)
    assert m.status == "removed" and RemovalProposal.objects.get().decided_by.username == "staff_a"
    assert m.events.filter(kind="removed", decision_no="15-QĐ/ĐU").exists()


def test_the_badge_list_for_the_next_2_9_and_its_decision(page, browser_cast, browser_login):
    c = browser_cast
    sept_2 = next_occasion((2, 9))
    start = years_before(sept_2, 30) - datetime.timedelta(days=20)
    Member.objects.filter(pk=c.m_a1_other.pk).update(admission_date=start, admission_decision_date=start)
    MemberEvent.objects.create(
        member=c.m_a1_other, kind="admitted", date=start, to_unit=c.cell_a1, status_after="official"
    )
    browser_login(page, "staff_a")
    page.goto(f"{page.base_url}/lifecycle/badges/")
    page.click(f"[data-testid=occasion] >> text={sept_2:%d/%m/%Y}")
    table = page.locator("[data-testid=eligible]")
    assert "Đặng Văn Đức" in table.inner_text() and "30 năm" in table.inner_text()
    page.fill("[name=decision-number]", "120-QĐ/TU")
    page.click("[data-testid=award]")
    page.wait_for_load_state()
    assert "Đặng Văn Đức" in page.locator("[data-testid=register]").inner_text()
    award = BadgeAward.objects.get()
    assert award.member_id == c.m_a1_other.pk and award.years == 30 and award.occasion == sept_2
