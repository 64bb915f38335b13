import datetime

import pytest
from django.core.exceptions import ValidationError

from dangbo.core.models import Notification
from dangbo.meetings import compliance, services
from dangbo.meetings.models import Attendance, Meeting
from dangbo.meetings.tests.helpers import held, locked, planned, today, upload
from dangbo.members.models import Member
from dangbo.testing import make_member

A = Attendance.Status
K = Meeting.Kind


def test_attendance_denominator_excludes_away_exempt_and_suspended(cast):
    """DOMAIN.md §3 (9.3.2): members on temporary transfer, absent exempted members and suspended members
    are not in the denominator; an exempted member who comes is counted."""
    cell = cast.cell_a1
    prob = make_member("Phạm Văn Dự Bị", cell, status=Member.Status.PROBATIONARY)
    exempt_absent = make_member("Lý Văn Miễn", cell, status=Member.Status.EXEMPTED)
    exempt_present = make_member("Lý Thị Miễn", cell, status=Member.Status.EXEMPTED)
    suspended = make_member("Võ Văn Đình", cell, status=Member.Status.SUSPENDED)
    away = make_member("Hồ Văn Vắng", cell, temporary_unit=cast.cell_b1)
    excused = make_member("Mai Văn Phép", cell)
    m = planned(cell, days=0)
    services.build_roll(m)
    roll = dict(m.attendance.values_list("member_id", "status"))
    assert roll[away.pk] == A.AWAY and roll[exempt_absent.pk] == A.EXEMPT
    services.record_attendance(
        meeting=m,
        statuses={
            cast.m_a1.pk: A.PRESENT,
            cast.m_a1_other.pk: A.UNEXCUSED,
            prob.pk: A.PRESENT,
            exempt_present.pk: A.PRESENT,
            suspended.pk: A.UNEXCUSED,
            excused.pk: A.EXCUSED,
        },
        excuses={excused.pk: "Đi công tác"},
        actor=None,
    )
    m.refresh_from_db()
    # Roll 8: away, absent exempt, absent suspended are out -> 5; present: m_a1, prob, exempt_present.
    assert (m.present_count, m.denominator) == (3, 5)
    assert m.attendance_percent == 60
    assert m.attendance.get(member=excused).excuse == "Đi công tác"


def test_exempt_status_only_for_exempted_members(cast):
    m = planned(cast.cell_a1, days=0)
    with pytest.raises(ValidationError):
        services.record_attendance(meeting=m, statuses={cast.m_a1.pk: A.EXEMPT}, actor=None)


def test_locked_minutes_refuse_changes_and_take_amendments(cast):
    m = locked(cast.cell_a1)
    for call in (
        lambda: services.save_minutes(meeting=m, content="x", conclusions="y", actor=None),
        lambda: services.record_attendance(meeting=m, statuses={cast.m_a1.pk: A.UNEXCUSED}, actor=None),
        lambda: services.add_speech(meeting=m, member=cast.m_a1, content="z", actor=None),
        lambda: services.record_held(
            meeting=m, held_on=today(), started_at=datetime.time(8), ended_at=datetime.time(9), actor=None
        ),
        lambda: services.lock_minutes(meeting=m, actor=None),
    ):
        with pytest.raises(ValidationError):
            call()
    m.refresh_from_db()
    assert m.minutes_content == "Đánh giá tình hình tháng"
    assert m.attendance.get(member=cast.m_a1).status == A.PRESENT
    services.amend_minutes(meeting=m, text="Sửa tên người phát biểu", reason="Ghi nhầm", actor=None)
    assert m.amendments.count() == 1
    assert m.minutes_content == "Đánh giá tình hình tháng"


def test_lock_needs_attendance_and_content(cast):
    m = planned(cast.cell_a1, days=0)
    services.record_held(
        meeting=m, held_on=today(), started_at=datetime.time(14), ended_at=datetime.time(16), actor=None
    )
    with pytest.raises(ValidationError, match="(?i)điểm danh|attendance"):
        services.lock_minutes(meeting=m, actor=None)
    services.record_attendance(meeting=m, statuses={cast.m_a1.pk: A.PRESENT, cast.m_a1_other.pk: A.PRESENT}, actor=None)
    with pytest.raises(ValidationError):
        services.lock_minutes(meeting=m, actor=None)
    m.refresh_from_db()
    assert m.locked_at is None


def test_amend_only_locked(cast):
    m = held(cast.cell_a1)
    with pytest.raises(ValidationError):
        services.amend_minutes(meeting=m, text="a", reason="b", actor=None)


def test_votes_cannot_exceed_present(cast):
    m = held(cast.cell_a1, present={cast.m_a1.pk})
    with pytest.raises(ValidationError):
        services.save_minutes(meeting=m, content="c", conclusions="k", votes_for=2, actor=None)


def test_speakers_share(cast):
    m = held(cast.cell_a1)
    services.add_speech(meeting=m, member=cast.m_a1, content="Đồng ý", actor=None)
    services.add_speech(meeting=m, member=cast.m_a1, content="Bổ sung", actor=None)
    assert services.speakers_share(m) == (1, 2)
    s = m.speeches.first()
    services.delete_speech(speech=s, actor=None)
    assert services.speakers_share(m) == (1, 2)
    services.delete_speech(speech=m.speeches.first(), actor=None)
    assert services.speakers_share(m) == (0, 2)


def test_absent_member_cannot_speak(cast):
    m = held(cast.cell_a1, present={cast.m_a1.pk})
    with pytest.raises(ValidationError):
        services.add_speech(meeting=m, member=cast.m_a1_other, content="x", actor=None)


def test_plan_year_regular_and_thematic(cast):
    created = services.plan_year(
        unit=cast.cell_a1, year=2027, day=25, time=datetime.time(14), combine_thematic=False, place="P1", actor=None
    )
    kinds = sorted(m.kind for m in created)
    assert kinds.count(K.REGULAR) == 12 and kinds.count(K.THEMATIC) == 4
    assert all(m.planned_date.weekday() < 5 for m in created)
    thematic_months = sorted(m.planned_date.month for m in created if m.kind == K.THEMATIC)
    assert thematic_months == [3, 6, 9, 12]
    with pytest.raises(ValidationError):
        services.plan_year(
            unit=cast.cell_a1, year=2027, day=10, time=datetime.time(14), combine_thematic=False, place="P", actor=None
        )


def test_plan_year_combined_skips_existing_months(cast):
    services.create_meeting(
        unit=cast.cell_a1, kind=K.REGULAR, planned_date=datetime.date(2027, 1, 8), place="P", actor=None
    )
    created = services.plan_year(
        unit=cast.cell_a1, year=2027, day=20, time=datetime.time(8), combine_thematic=True, place="P", actor=None
    )
    assert len(created) == 11
    assert sorted(m.planned_date.month for m in created if m.kind == K.COMBINED) == [3, 6, 9, 12]


def test_notice_goes_to_members_and_supervisor(cast):
    services.assign_supervisor(unit=cast.cell_a1, user=cast.staff_a, actor=None)
    m = planned(cast.cell_a1)
    services.send_notice(meeting=m, actor=None)
    m.refresh_from_db()
    assert m.state == Meeting.State.NOTICED and m.attendance.count() == 2
    assert Notification.objects.filter(user=cast.member_a1).count() == 1
    assert Notification.objects.filter(user=cast.staff_a).count() == 1
    with pytest.raises(ValidationError):
        services.send_notice(meeting=m, actor=None)


def test_document_late_flag(cast):
    on_time = planned(cast.cell_a1, days=1)
    late = planned(cast.cell_a1, days=0)
    assert services.add_document(meeting=on_time, title="Dự thảo", file=upload(), actor=None).late is False
    assert services.add_document(meeting=late, title="Dự thảo", file=upload(), actor=None).late is True


def test_online_needs_link_and_venue_clash(cast):
    with pytest.raises(ValidationError) as e:
        planned(cast.cell_a1, mode=Meeting.Mode.ONLINE)
    assert "video_link" in e.value.error_dict
    venue = services.create_venue(owner_unit=cast.gr_a, name="Hội trường A", actor=None)
    planned(cast.cell_a1, venue=venue, planned_time=datetime.time(14))
    with pytest.raises(ValidationError) as e:
        planned(cast.cell_a2, venue=venue, planned_time=datetime.time(15, 30))
    assert "venue" in e.value.error_dict
    planned(cast.cell_a2, venue=venue, planned_time=datetime.time(17, 0))


def test_removal_flag_after_three_unexcused_months(cast):
    year = today().year - 1
    for month in (1, 2):
        held(cast.cell_a1, day=datetime.date(year, month, 5), present={cast.m_a1.pk})
    flags, threshold = services.removal_flags(cast.cell_a1, year)
    assert threshold == 3 and flags == []
    held(cast.cell_a1, day=datetime.date(year, 4, 5), present={cast.m_a1.pk})
    flags, _t = services.removal_flags(cast.cell_a1, year)
    assert [f["member"] for f in flags] == [cast.m_a1_other]
    assert flags[0]["months"] == [1, 2, 4] and flags[0]["streak"] == 3
    proposal = services.propose_missed_removal(unit=cast.cell_a1, member=cast.m_a1_other, year=year, actor=None)
    assert proposal.ground == "missed_meetings" and proposal.count == 3


def test_compliance_reasons(cast):
    day = today().replace(day=1) - datetime.timedelta(days=20)  # last month
    held(cast.cell_a1, day=day, minutes=45)
    held(cast.cell_a2, day=day, minutes=100, with_work=True)
    start = day.replace(day=1)
    end = (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    report = compliance.compute(cast.bloc, start, end)
    kinds = {(b.unit_id, b.kind) for b in report.breaches}
    assert (cast.cell_a1.pk, compliance.TOO_SHORT) in kinds
    assert (cast.cell_a2.pk, compliance.WITH_WORK) in kinds
    assert (cast.cell_b1.pk, compliance.NO_REGULAR) in kinds
    assert (cast.cell_c.pk, compliance.NO_REGULAR) in kinds
    assert (cast.cell_a1.pk, compliance.NO_REGULAR) not in kinds
    assert report.noncompliant_meetings == 2


def test_quality_fill_and_review(cast):
    m = held(cast.cell_a1)
    scores = {c["code"]: c["max"] for c in services.DEFAULT_CRITERIA}
    sheet = services.fill_quality(meeting=m, scores=scores, actor=None)
    assert (sheet.total, sheet.rating) == (100, "good")
    scores["results"] = 0
    sheet = services.review_quality(meeting=m, scores=scores, note="Chưa đánh giá nghị quyết kỳ trước", actor=None)
    assert (sheet.reviewed_total, sheet.reviewed_rating) == (70, "fair")
    with pytest.raises(ValidationError):
        services.fill_quality(meeting=m, scores=scores, actor=None)


def test_committee_template_applies_below(cast):
    services.create_template(
        unit=cast.gr_a,
        name="Phiếu Sở Tài chính",
        criteria_text="a | Thời gian | 50\nb | Nội dung | 50",
        good=80,
        fair=60,
        average=40,
        actor=None,
    )
    sheet = services.fill_quality(meeting=held(cast.cell_a1), scores={"a": 40, "b": 30}, actor=None)
    assert (sheet.total, sheet.rating) == (70, "fair")
    with pytest.raises(ValidationError):
        services.parse_criteria("x | thiếu điểm")
