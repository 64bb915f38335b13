"""Roll call for a bigger cell on a phone (issue 14 §5): everyone starts present, one tap marks an
exception, the reason box appears for an excused absence only, and the members the register knows to be
exempted or away are shown so and not asked."""

from django.utils import timezone

from dangbo.meetings import services
from dangbo.meetings.models import Attendance
from dangbo.members.models import Member
from dangbo.testing import make_member

PHONE = {"width": 390, "height": 844}
A = Attendance.Status


def test_one_absent_with_a_reason_in_three_taps(page, browser_cast, browser_login):
    c = browser_cast
    others = [make_member(f"Đảng viên Số {i:02d}", c.cell_a1) for i in range(1, 21)]
    exempt = make_member("Nguyễn Văn Miễn", c.cell_a1, status=Member.Status.EXEMPTED)
    away = make_member("Trần Thị Vắng", c.cell_a1, temporary_unit=c.cell_b1)
    meeting = services.create_meeting(
        unit=c.cell_a1, kind="regular", planned_date=timezone.localdate(), place="Phòng họp", actor=None
    )
    services.send_notice(meeting=meeting, actor=None)

    page.set_viewport_size(PHONE)
    browser_login(page, "secretary_a1")
    page.goto(page.base_url + f"/meetings/{meeting.pk}/attendance/")
    rows = page.locator("[data-testid=attendance-rows] > li")
    assert rows.count() == 22  # Hoa, Đức and the twenty: the exempted and the away member are not asked
    assert page.locator(f"#s_{others[0].pk}_present").is_checked()  # present by default
    assert page.locator(f"[name=s_{exempt.pk}]").count() == 0 and page.locator(f"[name=s_{away.pk}]").count() == 0
    known = page.locator("[data-testid=attendance-known]").inner_text()
    assert (
        "Nguyễn Văn Miễn" in known
        and "Miễn công tác và sinh hoạt đảng" in known
        and "Sinh hoạt tạm thời nơi khác" in known
    )
    assert "Trần Thị Vắng" in known
    assert "22/22" in page.locator("[data-testid=attendance-summary]").inner_text()
    # no reason box until an absence is excused
    reason = page.locator(f"#e_{c.m_a1_other.pk}")
    assert not reason.is_visible()
    page.locator(f"label[for=s_{c.m_a1_other.pk}_excused]").click()  # tap 1
    assert reason.is_visible()
    reason.fill("Đi công tác")
    assert "21/22" in page.locator("[data-testid=attendance-summary]").inner_text()
    assert page.locator(f"label[for=e_{c.m_a1_other.pk}]").count() == 1  # labelled for screen readers
    page.locator("[data-testid=attendance-save-top]").click()  # tap 2
    page.wait_for_url(f"**/meetings/{meeting.pk}/")

    status = dict(meeting.attendance.values_list("member_id", "status"))
    assert status[c.m_a1_other.pk] == A.EXCUSED
    assert meeting.attendance.get(member=c.m_a1_other).excuse == "Đi công tác"
    assert status[c.m_a1.pk] == A.PRESENT and all(status[m.pk] == A.PRESENT for m in others)
    assert status[exempt.pk] == A.EXEMPT and status[away.pk] == A.AWAY
    meeting.refresh_from_db()
    assert meeting.present_count == 21
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
