"""The minimum length of a meeting (DOMAIN.md §5; seed 001 for the small-cell override).

National: regular 90 minutes, thematic and combined 120 (HD 42); the national small-cell rule is the same
90. The bloc's override (here: gr_a's, from a date) lowers a small cell's regular meeting to 60 minutes,
only in its subtree, only from its effective date. Size = official + probationary members on the roll.
"""

import datetime

import pytest

from dangbo.meetings import rules
from dangbo.meetings.models import Meeting
from dangbo.meetings.tests.helpers import held, today
from dangbo.members.models import Member
from dangbo.rules.models import Rule, RuleVersion
from dangbo.testing import make_member

K = Meeting.Kind


def fill(unit, n, existing=0, status=Member.Status.OFFICIAL):
    for i in range(n - existing):
        make_member(f"Nguyễn Văn Thành Viên {unit.pk}-{i}", unit, status=status)


@pytest.fixture
def override_from():
    return today() - datetime.timedelta(days=30)


@pytest.fixture
def override(cast, override_from):
    return RuleVersion.objects.create(
        rule=Rule.objects.get(key="meeting.min_minutes.small_cell"),
        value=60,
        legal_basis="Ban Thường vụ Đảng ủy (seed 001): chi bộ dưới 9 đảng viên ít nhất 60 phút",
        effective_from=override_from,
        scope_unit=cast.gr_a,
    )


@pytest.mark.parametrize("size,expected", [(8, 60), (9, 90)], ids=["8 members: small cell", "9 members: ordinary"])
def test_threshold_after_override(cast, override, override_from, size, expected):
    assert rules.minimum(K.REGULAR, unit=cast.cell_a1, day=override_from, size=size)[0] == expected


def test_override_not_before_its_date(cast, override, override_from):
    day_before = override_from - datetime.timedelta(days=1)
    minutes, version = rules.minimum(K.REGULAR, unit=cast.cell_a1, day=day_before, size=8)
    assert minutes == 90 and version.scope_unit_id is None


def test_override_only_in_its_subtree(cast, override, override_from):
    assert rules.minimum(K.REGULAR, unit=cast.cell_b1, day=override_from, size=8)[0] == 90
    assert rules.minimum(K.REGULAR, unit=cast.cell_c, day=override_from, size=3)[0] == 90


def test_small_cell_rule_never_lowers_thematic_or_combined(cast, override, override_from):
    assert rules.minimum(K.THEMATIC, unit=cast.cell_a1, day=override_from, size=3)[0] == 120
    assert rules.minimum(K.COMBINED, unit=cast.cell_a1, day=override_from, size=3)[0] == 120


@pytest.mark.parametrize("minutes,short", [(59, True), (60, False)])
def test_small_cell_boundary_60(cast, override, override_from, minutes, short):
    fill(cast.cell_a1, 8, existing=2)
    m = held(cast.cell_a1, minutes=minutes, day=override_from)
    assert (m.cell_size, m.min_minutes, m.too_short) == (8, 60, short)
    assert m.min_rule_id == override.pk


@pytest.mark.parametrize("minutes,short", [(89, True), (90, False)])
def test_nine_members_boundary_90(cast, override, override_from, minutes, short):
    fill(cast.cell_a1, 9, existing=2)
    m = held(cast.cell_a1, minutes=minutes, day=override_from)
    assert (m.cell_size, m.min_minutes, m.too_short) == (9, 90, short)


@pytest.mark.parametrize("minutes,short", [(89, True), (90, False)])
def test_eight_members_before_override_needs_90(cast, override, override_from, minutes, short):
    fill(cast.cell_a1, 8, existing=2)
    m = held(cast.cell_a1, minutes=minutes, day=override_from - datetime.timedelta(days=1))
    assert (m.cell_size, m.min_minutes, m.too_short) == (8, 90, short)


@pytest.mark.parametrize("minutes,short", [(119, True), (120, False)])
@pytest.mark.parametrize("kind", [K.THEMATIC, K.COMBINED])
def test_thematic_and_combined_boundary_120(cast, override, override_from, minutes, short, kind):
    m = held(cast.cell_a1, minutes=minutes, day=override_from, kind=kind)
    assert (m.min_minutes, m.too_short) == (120, short)


def test_size_counts_official_and_probationary_only(cast, override, override_from):
    # 2 cast members + 6 probationary = 8; exempted and suspended members do not make the cell larger.
    fill(cast.cell_a1, 6, status=Member.Status.PROBATIONARY)
    make_member("Trần Văn Miễn", cast.cell_a1, status=Member.Status.EXEMPTED)
    make_member("Trần Văn Đình", cast.cell_a1, status=Member.Status.SUSPENDED)
    m = held(cast.cell_a1, minutes=60, day=override_from)
    assert (m.cell_size, m.min_minutes, m.too_short) == (8, 60, False)


def test_combined_with_work_meeting_is_noncompliant(cast):
    m = held(cast.cell_a1, minutes=150, with_work=True)
    assert not m.too_short
    assert m.with_work_meeting and len(m.issues()) == 1
