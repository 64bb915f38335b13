"""A cell secretary holds a meeting on a phone: plan it, send the notice, take attendance, record the
times, write the minutes with a speaker's opinion, lock them."""

from django.utils import timezone

from dangbo.core.models import Notification
from dangbo.meetings.models import Meeting

PHONE = {"width": 390, "height": 844}


def test_a_secretary_holds_a_meeting_on_a_phone(page, browser_cast, browser_login):
    c = browser_cast
    today = timezone.localdate()
    page.set_viewport_size(PHONE)
    browser_login(page, "secretary_a1")
    page.goto(page.base_url + "/meetings/")
    page.locator("[data-testid=my-cells] a", has_text=c.cell_a1.name).click()
    page.locator("[data-testid=new-meeting]").click()
    form = page.locator("[data-testid=meeting-form]")
    form.locator("#id_planned_date").fill(today.strftime("%d/%m/%Y"))
    form.locator("#id_planned_time").fill("14:00")
    form.locator("#id_place").fill("Phòng họp tầng 3")
    form.locator("#id_agenda").fill("1. Kết quả tháng\n2. Tình hình tư tưởng đảng viên")
    form.locator("[data-testid=save]").click()
    page.locator("[data-testid=notice]").click()
    assert "Đã thông báo" in page.locator("[data-testid=state]").inner_text()
    meeting = Meeting.objects.get(unit=c.cell_a1)
    assert Notification.objects.filter(user=c.member_a1).exists()
    # Roll call: one member present, the other excused.
    page.locator("[data-testid=attendance-link]").click()
    page.locator(f"label[for=s_{c.m_a1.pk}_present]").click()
    page.locator(f"label[for=s_{c.m_a1_other.pk}_excused]").click()
    page.locator(f"input[name=e_{c.m_a1_other.pk}]").fill("Ốm")
    page.locator("[data-testid=attendance-save]").click()
    # Times: 95 minutes for a two-member cell, above the national 90.
    page.locator("[data-testid=held-link]").click()
    held = page.locator("[data-testid=held-form]")
    held.locator("#id_started_at").fill("14:00")
    held.locator("#id_ended_at").fill("15:35")
    page.locator("[data-testid=held-save]").click()
    assert "95" in page.locator("[data-testid=held]").inner_text()
    assert page.locator("[data-testid=issue]").count() == 0
    assert "1/2" in page.locator("[data-testid=attendance-rate]").inner_text()  # excused still counts
    # Minutes: a speaker's opinion, the content and conclusions, then lock.
    page.locator("[data-testid=minutes-link]").click()
    speech = page.locator("[data-testid=speech-form]")
    speech.locator("#id_speech-member").select_option(str(c.m_a1.pk))
    speech.locator("#id_speech-content").fill("Nhất trí với báo cáo, đề nghị bổ sung giải pháp.")
    page.locator("[data-testid=speech-add]").click()
    assert "1/1" in page.locator("[data-testid=speakers]").inner_text()
    minutes = page.locator("[data-testid=minutes-form]")
    minutes.locator("#id_content").fill("Chi bộ đánh giá kết quả tháng.")
    minutes.locator("#id_conclusions").fill("Thống nhất nhiệm vụ tháng tới.")
    page.locator("[data-testid=minutes-save]").click()
    page.once("dialog", lambda d: d.accept())
    page.locator("[data-testid=lock]").click()
    assert "Đã khóa biên bản" in page.locator("[data-testid=state]").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    meeting.refresh_from_db()
    assert meeting.locked and meeting.duration_minutes == 95 and not meeting.too_short
    assert (meeting.present_count, meeting.denominator) == (1, 2)
    assert meeting.attendance.get(member=c.m_a1_other).excuse == "Ốm"
    assert meeting.speeches.count() == 1
