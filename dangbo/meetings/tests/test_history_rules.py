"""Rule decisions at their boundaries (issue on history §4; docs/rules.md).

- A suspended member is out of the denominator even when present (Quy định 24-QĐ/TW 9.3.2, DOMAIN.md §3).
- Probationary members do not vote on a resolution; the vote counts official members present.
- Whether a resolution passed is read from ``meeting.resolution_majority`` (Điều lệ 9.5: more than half
  of the body's official members).
- A meeting recorded after the fact is judged with the cell of its day: a ninth member admitted later
  does not make an eight-member cell's meeting of before "too short" under the small-cell override.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dangbo.meetings import services
from dangbo.meetings.models import Attendance, Meeting
from dangbo.meetings.tests.helpers import T, planned, today
from dangbo.members.intervals import rebuild_intervals
from dangbo.members.models import Member, MemberEvent
from dangbo.rules.models import Rule, RuleVersion
from dangbo.testing import make_member

pytestmark = pytest.mark.django_db
A = Attendance.Status
D = datetime.date


def test_a_suspended_member_present_is_not_in_the_denominator(cast):
    cell = cast.cell_a1
    suspended = make_member("Võ Văn Đình", cell, status=Member.Status.SUSPENDED)
    m = planned(cell, days=0)
    services.build_roll(m)
    services.record_attendance(
        meeting=m,
        statuses={cast.m_a1.pk: A.PRESENT, cast.m_a1_other.pk: A.PRESENT, suspended.pk: A.PRESENT},
        actor=None,
    )
    m.refresh_from_db()
    assert m.denominator == 2 and m.present_count == 3


def _held_today(cell):
    m = planned(cell, days=0)
    services.record_held(meeting=m, held_on=today(), started_at=T(14), ended_at=T(16), actor=None)
    return m


def test_probationary_members_do_not_vote_and_the_majority_is_read(cast, login):
    cell = cast.cell_a1
    prob = make_member("Phạm Văn Dự Bị", cell, status=Member.Status.PROBATIONARY)
    third = make_member("Đinh Văn Ba", cell)
    m = _held_today(cell)
    statuses = {cast.m_a1.pk: A.PRESENT, cast.m_a1_other.pk: A.PRESENT, prob.pk: A.PRESENT, third.pk: A.UNEXCUSED}
    services.record_attendance(meeting=m, statuses=statuses, actor=None)
    # Three present, but only the two official members vote.
    with pytest.raises(ValidationError) as e:
        services.save_minutes(meeting=m, content="x", conclusions="y", votes_for=3, votes_against=0, actor=None)
    assert "2" in str(e.value)
    m.refresh_from_db()
    assert m.votes_for is None
    # 2 of the 3 official members in favour: more than half, passed.
    services.save_minutes(meeting=m, content="x", conclusions="y", votes_for=2, votes_against=0, actor=None)
    m.refresh_from_db()
    assert services.resolution_outcome(m) == (True, 2, 3)
    page = login(cast.secretary_a1).get(reverse("meetings:detail", args=[m.pk])).content.decode()
    assert "Nghị quyết được thông qua: 2 trên 3" in page
    # Exactly half of an even body is not more than half.
    fourth = make_member("Đinh Văn Bốn", cell)
    Attendance.objects.create(meeting=m, member=fourth, member_status="official", status=A.UNEXCUSED)
    services.save_minutes(meeting=m, content="x", conclusions="y", votes_for=2, votes_against=0, actor=None)
    m.refresh_from_db()
    assert services.resolution_outcome(m) == (False, 2, 4)
    page = login(cast.secretary_a1).get(reverse("meetings:detail", args=[m.pk])).content.decode()
    assert "Nghị quyết chưa được thông qua" in page


def test_a_past_meeting_is_judged_with_the_cell_of_its_day(cast):
    """An eight-member cell met on 03/03 (60 minutes under the bloc's small-cell override); a ninth member
    was admitted on 01/04; the meeting, recorded after that, is still a small cell's and compliant."""
    year = today().year - 1
    cell = cast.cell_a1
    RuleVersion.objects.create(
        rule=Rule.objects.get(key="meeting.min_minutes.small_cell"),
        value=60,
        legal_basis="Đảng ủy Khối",
        effective_from=D(2019, 1, 1),
        scope_unit=cast.bloc,
    )
    members = [cast.m_a1, cast.m_a1_other] + [make_member(f"Đảng Viên {i}", cell) for i in range(6)]
    for mem in members:
        MemberEvent.objects.create(
            member=mem, kind=MemberEvent.Kind.ADMITTED, date=D(2015, 1, 1), to_unit=cell, status_after="official"
        )
    ninth = make_member("Người Thứ Chín", cell)
    MemberEvent.objects.create(
        member=ninth, kind=MemberEvent.Kind.ADMITTED, date=D(year, 4, 1), to_unit=cell, status_after="probationary"
    )
    Member.objects.filter(pk=ninth.pk).update(status="probationary")
    rebuild_intervals()
    m = services.create_meeting(unit=cell, kind=Meeting.Kind.REGULAR, planned_date=D(year, 3, 3), place="P", actor=None)
    services.record_held(meeting=m, held_on=D(year, 3, 3), started_at=T(14), ended_at=T(15), actor=None)
    m.refresh_from_db()
    assert ninth.pk not in set(m.attendance.values_list("member_id", flat=True))
    assert m.cell_size == 8 and m.min_minutes == 60 and m.too_short is False
