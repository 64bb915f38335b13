import datetime

from django.urls import reverse

from dangbo.lifecycle.models import RemovalProposal
from dangbo.meetings import services
from dangbo.meetings.models import Attendance, Meeting
from dangbo.meetings.tests.helpers import held, locked, planned, today
from dangbo.testing import make_member

A = Attendance.Status


def test_secretary_walk_over_http(cast, login):
    c = login(cast.secretary_a1)
    resp = c.post(
        reverse("meetings:new", args=[cast.cell_a1.pk]),
        {
            "kind": "regular",
            "mode": "in_person",
            "planned_date": today().strftime("%d/%m/%Y"),
            "planned_time": "14:00",
            "place": "Phòng họp",
            "agenda": "Kiểm điểm tháng",
        },
    )
    m = Meeting.objects.get(unit=cast.cell_a1)
    assert resp.status_code == 302 and m.agenda == "Kiểm điểm tháng"
    assert c.post(reverse("meetings:notice", args=[m.pk])).status_code == 302
    m.refresh_from_db()
    assert m.state == "noticed"
    resp = c.post(
        reverse("meetings:attendance", args=[m.pk]),
        {f"s_{cast.m_a1.pk}": "present", f"s_{cast.m_a1_other.pk}": "excused", f"e_{cast.m_a1_other.pk}": "Ốm"},
    )
    assert resp.status_code == 302
    resp = c.post(
        reverse("meetings:held", args=[m.pk]),
        {"held_on": today().strftime("%d/%m/%Y"), "started_at": "14:00", "ended_at": "15:30"},
    )
    m.refresh_from_db()
    assert (m.state, m.duration_minutes, m.too_short, m.present_count, m.denominator) == ("held", 90, False, 1, 2)
    c.post(
        reverse("meetings:minutes", args=[m.pk]),
        {"action": "speech", "speech-member": cast.m_a1.pk, "speech-content": "Nhất trí"},
    )
    c.post(
        reverse("meetings:minutes", args=[m.pk]), {"content": "Nội dung", "conclusions": "Kết luận", "votes_for": "1"}
    )
    assert c.post(reverse("meetings:lock", args=[m.pk])).status_code == 302
    m.refresh_from_db()
    assert m.locked and m.votes_for == 1 and m.speeches.count() == 1
    # After locking the minutes form refuses and keeps the text.
    resp = c.post(reverse("meetings:minutes", args=[m.pk]), {"content": "Sửa lén", "conclusions": "K"})
    assert resp.status_code == 200
    m.refresh_from_db()
    assert m.minutes_content == "Nội dung"
    c.post(reverse("meetings:publish", args=[m.pk]))
    m.refresh_from_db()
    assert m.published_at is not None
    resp = c.get(reverse("meetings:minutes_docx", args=[m.pk]))
    assert resp.status_code == 200 and resp.content[:2] == b"PK"


def test_held_form_shows_error_and_keeps_input(cast, login):
    m = planned(cast.cell_a1, days=0)
    resp = login(cast.secretary_a1).post(
        reverse("meetings:held", args=[m.pk]),
        {"held_on": today().strftime("%d/%m/%Y"), "started_at": "15:00", "ended_at": "14:00"},
    )
    assert resp.status_code == 200 and "15:00" in resp.content.decode()
    m.refresh_from_db()
    assert m.state == "planned"


def test_too_short_meeting_shows_reason(cast, login):
    m = held(cast.cell_a1, minutes=45)
    body = login(cast.bloc_user).get(reverse("meetings:detail", args=[m.pk])).content.decode()
    assert 'data-testid="issue"' in body and "45" in body


def test_member_sends_excuse(cast, login):
    m = planned(cast.cell_a1)
    services.send_notice(meeting=m, actor=None)
    c = login(cast.member_a1)
    assert 'data-testid="panel-excuse"' in c.get("/").content.decode()
    resp = c.post(reverse("meetings:excuse", args=[m.pk]), {"reason": "Đi công tác tỉnh"})
    assert resp.status_code == 302
    row = m.attendance.get(member=cast.m_a1)
    assert (row.status, row.excuse) == (A.EXCUSED, "Đi công tác tỉnh")
    assert "Đi công tác tỉnh" not in c.get(reverse("meetings:excuse", args=[m.pk])).content.decode()


def test_cell_page_flag_and_proposal(cast, login):
    year = today().year - 1
    for month in (2, 3, 5):
        held(cast.cell_a1, day=datetime.date(year, month, 10), present={cast.m_a1.pk})
    c = login(cast.secretary_a1)
    body = c.get(reverse("meetings:cell", args=[cast.cell_a1.pk]) + f"?year={year}").content.decode()
    assert 'data-testid="removal-flags"' in body and cast.m_a1_other.full_name in body
    resp = c.post(
        reverse("meetings:propose_removal", args=[cast.cell_a1.pk]), {"member": cast.m_a1_other.pk, "year": year}
    )
    assert resp.status_code == 302
    p = RemovalProposal.objects.get(member=cast.m_a1_other)
    assert p.ground == "missed_meetings" and p.count == 3


def test_compliance_view_lists_breaches_fast(cast, login, django_assert_max_num_queries):
    day = today().replace(day=1) - datetime.timedelta(days=20)
    held(cast.cell_a1, day=day, minutes=45)
    for i in range(5):
        make_member(f"Đảng viên {i}", cast.cell_a2)
    held(cast.cell_a2, day=day, minutes=100, with_work=True)
    c = login(cast.bloc_user)
    url = reverse("meetings:compliance") + f"?unit={cast.bloc.pk}&year={day.year}&period=m{day.month}"
    with django_assert_max_num_queries(15):
        body = c.get(url).content.decode()
    assert 'data-testid="heatmap"' in body
    assert cast.cell_b1.name in body and "45" in body
    body = c.get(url + "&kind=too_short").content.decode()
    assert cast.cell_a1.name in body and cast.cell_b1.name not in body.split('data-testid="breaches"')[1]


def test_home_list_query_count(cast, login, django_assert_max_num_queries):
    for i in range(5):
        planned(cast.cell_a1, days=i + 1)
        planned(cast.cell_b1, days=i + 1)
    c = login(cast.bloc_user)
    with django_assert_max_num_queries(12):
        resp = c.get(reverse("meetings:home"))
    assert resp.content.decode().count('href="/meetings/') >= 10


def test_member_sees_minutes_only_when_published(cast, login):
    m = locked(cast.cell_a1)
    c = login(cast.member_a1)
    assert c.get(reverse("meetings:minutes_docx", args=[m.pk])).status_code == 404
    services.publish_minutes(meeting=m, actor=None)
    assert c.get(reverse("meetings:minutes_docx", args=[m.pk])).status_code == 200


def test_plan_form_and_quality_review(cast, login):
    c = login(cast.secretary_a1)
    resp = c.post(
        reverse("meetings:plan", args=[cast.cell_a1.pk]),
        {"year": today().year + 1, "day": 25, "time": "14:00", "place": "Phòng họp"},
    )
    assert resp.status_code == 302
    assert Meeting.objects.filter(unit=cast.cell_a1, planned_date__year=today().year + 1).count() == 16
    m = held(cast.cell_a1)
    data = {f"c_{c_['code']}": c_["max"] for c_ in services.DEFAULT_CRITERIA}
    assert c.post(reverse("meetings:quality", args=[m.pk]), data).status_code == 302
    data["c_results"] = 10
    staff = login(cast.staff_a)
    assert (
        staff.post(reverse("meetings:quality_review", args=[m.pk]), {**data, "note": "Cần cụ thể"}).status_code == 302
    )
    m.quality.refresh_from_db()
    assert (m.quality.total, m.quality.reviewed_total) == (100, 80)


def test_reminder_command(cast):
    from django.core.management import call_command

    from dangbo.core.models import Notification

    month_end = (today().replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)
    call_command("meeting_reminders", date=(month_end - datetime.timedelta(days=3)).isoformat())
    assert Notification.objects.filter(user=cast.secretary_a1).count() == 1


def test_shared_venue_lists_every_booking_but_links_only_the_users_own(cast, login):
    venue = services.create_venue(owner_unit=cast.gr_a, name="Hội trường A", actor=None)
    mine = planned(cast.cell_a1, venue=venue, planned_time=datetime.time(8))
    other = planned(cast.cell_a2, venue=venue, planned_time=datetime.time(14))
    body = login(cast.secretary_a1).get(reverse("meetings:venues")).content.decode()
    assert cast.cell_a2.name in body  # the other cell's booking shows, so the clash can be seen
    assert mine.get_absolute_url() in body
    assert other.get_absolute_url() not in body
    assert login(cast.secretary_a1).get(other.get_absolute_url()).status_code == 404
    assert reverse("meetings:templates") not in body  # score sheets are for the committees' staff
    body = login(cast.staff_a).get(reverse("meetings:venues")).content.decode()
    assert other.get_absolute_url() in body and reverse("meetings:templates") in body


def test_meeting_title_reads_as_a_phrase(cast, login):
    m = planned(cast.cell_a1, kind=Meeting.Kind.EXTRAORDINARY)
    day = f"{m.day:%d/%m/%Y}"
    assert str(m) == f"Sinh hoạt bất thường ngày {day}"
    resp = login(cast.secretary_a1).get(m.get_absolute_url())
    assert f"Sinh hoạt bất thường ngày {day}" in resp.content.decode()


def test_adding_an_opinion_keeps_the_typed_minutes_and_ids_are_unique(cast, login):
    import re
    from collections import Counter

    from dangbo.meetings.models import Speech

    m = held(cast.cell_a1)
    client = login(cast.secretary_a1)
    url = reverse("meetings:minutes", args=[m.pk])
    html = client.get(url).content.decode()
    ids = Counter(re.findall(r'\bid="([^"]+)"', html))
    assert [i for i, n in ids.items() if n > 1] == []
    resp = client.post(
        url,
        {
            "action": "speech",
            "speech-member": cast.m_a1.pk,
            "speech-content": "Nhất trí",
            "content": "Bản nháp biên bản",
        },
    )
    assert resp.status_code == 200
    assert Speech.objects.filter(meeting=m, content="Nhất trí").exists()
    assert "Bản nháp biên bản" in resp.content.decode()
