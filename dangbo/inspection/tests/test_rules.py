"""The discipline rules of DOMAIN.md §7: the authority matrix (296 Điều 10; QĐ 69 Điều 7), the vote
thresholds (QĐ 69 Điều 15) and the limitation period (QĐ 69 Điều 4)."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangbo.inspection import authority
from dangbo.inspection.models import Body, Form
from dangbo.members.models import Member
from dangbo.org.models import OrgUnit

D = datetime.date
OK = None
K = OrgUnit.Kind


def _unit(pk, kind, path, parent=None):
    return OrgUnit(pk=pk, kind=kind, path=path, name=path, parent_id=parent.pk if parent else None)


def _tree():
    """The shape of the test cast (dangbo.testing), in memory: the matrix needs no database."""
    bloc = _unit(1, K.BLOC, "0001/")
    gr_a = _unit(2, K.GRASSROOTS_COMMITTEE, "0001/0002/", bloc)
    cell_a1 = _unit(3, K.SUBORDINATE_CELL, "0001/0002/0003/", gr_a)
    cell_a2 = _unit(4, K.SUBORDINATE_CELL, "0001/0002/0004/", gr_a)
    gr_b = _unit(5, K.GRASSROOTS_COMMITTEE, "0001/0005/", bloc)
    cell_c = _unit(7, K.GRASSROOTS_CELL, "0001/0007/", bloc)
    t = {"bloc": bloc, "gr_a": gr_a, "cell_a1": cell_a1, "cell_a2": cell_a2, "gr_b": gr_b, "cell_c": cell_c}
    t["m_a1"] = Member(pk=1, full_name="Lê Thị Hoa", unit=cell_a1, status=Member.Status.OFFICIAL)
    t["m_a2"] = Member(pk=2, full_name="Ngô Thị Lan", unit=cell_a2, status=Member.Status.PROBATIONARY)
    t["m_c"] = Member(pk=3, full_name="Đỗ Thị Mai", unit=cell_c, status=Member.Status.OFFICIAL)
    return t


T = _tree()


# (deciding body, deciding unit, member, form, extra) → None (allowed) or a fragment of the refusal.
MEMBER_MATRIX = [
    # a cell: reprimand or warning for its own official or probationary members
    (Body.CELL, "cell_a1", "m_a1", Form.REPRIMAND, {}, OK),
    (Body.CELL, "cell_a1", "m_a1", Form.WARNING, {}, OK),
    (Body.CELL, "cell_a1", "m_a1", Form.DISMISSAL, {"holds_post": True}, "chỉ quyết định khiển trách hoặc cảnh cáo"),
    (Body.CELL, "cell_a1", "m_a1", Form.EXPULSION, {}, "chỉ quyết định khiển trách hoặc cảnh cáo"),
    (Body.CELL, "cell_a2", "m_a2", Form.REPRIMAND, {}, OK),
    (Body.CELL, "cell_a2", "m_a2", Form.WARNING, {}, OK),
    (Body.CELL, "cell_a2", "m_a2", Form.DISMISSAL, {"holds_post": True}, "dự bị"),
    (Body.CELL, "cell_a2", "m_a2", Form.EXPULSION, {}, "dự bị"),
    (Body.CELL, "cell_c", "m_c", Form.WARNING, {}, OK),  # a grassroots cell too
    # … except on a task assigned by a higher level, and only its own members
    (Body.CELL, "cell_a1", "m_a1", Form.REPRIMAND, {"higher_task": True}, "cấp trên giao"),
    (Body.CELL, "cell_a2", "m_a1", Form.REPRIMAND, {}, "đảng viên của mình"),
    # the cell committee has no disciplinary power
    (Body.CELL_COMMITTEE, "cell_a1", "m_a1", Form.REPRIMAND, {}, "không có thẩm quyền"),
    (Body.CELL_COMMITTEE, "cell_a2", "m_a2", Form.WARNING, {}, "không có thẩm quyền"),
    # the grassroots committee and its standing committee: every form for its members
    (Body.COMMITTEE, "gr_a", "m_a1", Form.REPRIMAND, {}, OK),
    (Body.COMMITTEE, "gr_a", "m_a1", Form.WARNING, {"higher_task": True}, OK),
    (Body.COMMITTEE, "gr_a", "m_a1", Form.DISMISSAL, {"holds_post": True}, OK),
    (Body.COMMITTEE, "gr_a", "m_a1", Form.DISMISSAL, {}, "giữ chức vụ"),
    (Body.STANDING, "gr_a", "m_a1", Form.EXPULSION, {}, OK),
    (Body.COMMITTEE, "gr_a", "m_a2", Form.WARNING, {}, OK),
    (Body.COMMITTEE, "gr_a", "m_a2", Form.EXPULSION, {}, "dự bị"),
    (Body.STANDING, "gr_a", "m_a2", Form.DISMISSAL, {"holds_post": True}, "dự bị"),
    (Body.COMMITTEE, "gr_b", "m_a1", Form.REPRIMAND, {}, "không phải đảng viên thuộc"),
    (Body.COMMITTEE, "gr_a", "m_a1", Form.DISSOLUTION, {}, "không thể bị giải tán"),
    # inspection commissions: the bloc's every form, a grassroots one reprimand or warning
    (Body.COMMISSION, "gr_a", "m_a1", Form.WARNING, {}, OK),
    (Body.COMMISSION, "gr_a", "m_a1", Form.EXPULSION, {}, "Ủy ban kiểm tra của đảng ủy cơ sở"),
    (Body.COMMISSION, "bloc", "m_a1", Form.EXPULSION, {}, OK),
    (Body.COMMISSION, "bloc", "m_a2", Form.WARNING, {}, OK),
    (Body.COMMISSION, "bloc", "m_a2", Form.EXPULSION, {}, "dự bị"),
    (Body.STANDING, "bloc", "m_c", Form.DISMISSAL, {"holds_post": True}, OK),
    # a sub-unit that is not a committee with power
    (Body.COMMITTEE, "cell_a1", "m_a1", Form.REPRIMAND, {}, "không phải cấp ủy có thẩm quyền"),
]


@pytest.mark.parametrize(("body", "unit", "who", "form", "extra", "refused"), MEMBER_MATRIX)
def test_authority_matrix_for_members(body, unit, who, form, extra, refused):
    """296 Điều 10.1.1 and QĐ 69 Điều 7 (DOMAIN.md §7): deciding body × member kind × form."""
    reason = authority.refusal(body=body, deciding_unit=T[unit], form=form, member=T[who], **extra)
    if refused is None:
        assert reason is None
    else:
        assert reason and refused in reason


ORG_MATRIX = [
    # organizations are disciplined by the committee directly above them
    (Body.COMMITTEE, "gr_a", "cell_a1", Form.WARNING, OK),
    (Body.STANDING, "gr_a", "cell_a2", Form.DISSOLUTION, OK),
    (Body.STANDING, "bloc", "gr_a", Form.REPRIMAND, OK),
    (Body.COMMITTEE, "bloc", "cell_a1", Form.WARNING, "trực tiếp"),
    (Body.COMMISSION, "bloc", "gr_a", Form.WARNING, "Ủy ban kiểm tra không thi hành kỷ luật tổ chức"),
    (Body.CELL, "cell_a1", "cell_a1", Form.REPRIMAND, "Chi bộ không thi hành kỷ luật tổ chức"),
    (Body.COMMITTEE, "gr_a", "cell_a1", Form.EXPULSION, "khiển trách, cảnh cáo hoặc giải tán"),
    (Body.COMMITTEE, "gr_a", "cell_a1", Form.DISMISSAL, "khiển trách, cảnh cáo hoặc giải tán"),
]


@pytest.mark.parametrize(("body", "unit", "org", "form", "refused"), ORG_MATRIX)
def test_authority_matrix_for_organizations(body, unit, org, form, refused):
    """Organizations are disciplined by the level above (DOMAIN.md §7, [S8 q80])."""
    reason = authority.refusal(body=body, deciding_unit=T[unit], form=form, org=T[org])
    if refused is None:
        assert reason is None
    else:
        assert reason and refused in reason


@pytest.mark.parametrize(
    ("in_favour", "total", "passed"),
    [(5, 10, False), (6, 10, True), (4, 9, False), (5, 9, True), (1, 2, False), (2, 2, True), (0, 1, False)],
)
def test_more_than_half(in_favour, total, passed):
    """Reprimand, warning, removal from post: more than 1/2 — exactly half is not enough."""
    assert authority.more_than(in_favour, total, [1, 2]) is passed


@pytest.mark.parametrize(
    ("in_favour", "total", "passed"),
    [(6, 9, True), (5, 9, False), (2, 3, True), (1, 3, False), (7, 10, True), (6, 10, False), (20, 30, True)],
)
def test_expulsion_proposal_at_least_two_thirds(in_favour, total, passed):
    """Expulsion: at least 2/3 proposing — exactly two thirds is enough."""
    assert authority.at_least(in_favour, total, [2, 3]) is passed


@given(st.integers(min_value=1, max_value=500), st.data())
def test_thresholds_agree_with_fractions(total, data):
    from fractions import Fraction

    n = data.draw(st.integers(min_value=0, max_value=total))
    assert authority.more_than(n, total, [1, 2]) == (Fraction(n, total) > Fraction(1, 2))
    assert authority.at_least(n, total, [2, 3]) == (Fraction(n, total) >= Fraction(2, 3))


def test_limitation_runs_from_the_violation_and_restarts_on_a_new_one():
    """docs/rules.md: the anniversary day itself is inside the period; the first day out is the next."""
    first = D(2020, 3, 10)
    assert authority.limitation_ends(violation_on=first, later_violations=[], years=5) == D(2025, 3, 11)
    # A new violation inside the period starts it again from the new violation …
    assert authority.limitation_ends(violation_on=first, later_violations=[D(2024, 1, 1)], years=5) == D(2029, 1, 2)
    # … and again from a third one inside the restarted period.
    later = [D(2024, 1, 1), D(2028, 6, 30)]
    assert authority.limitation_ends(violation_on=first, later_violations=later, years=5) == D(2033, 7, 1)
    # A new violation on the anniversary is still inside the period; one the day after restarts nothing.
    assert authority.limitation_ends(violation_on=first, later_violations=[D(2025, 3, 10)], years=5) == D(2030, 3, 11)
    assert authority.limitation_ends(violation_on=first, later_violations=[D(2025, 3, 11)], years=5) == D(2025, 3, 11)
    # Earlier violations are not "new".
    assert authority.limitation_ends(violation_on=first, later_violations=[D(2019, 1, 1), None], years=5) == D(
        2025, 3, 11
    )
    # 29/02 + N years in a year without one: the period ends with 28/02.
    assert authority.limitation_ends(violation_on=D(2020, 2, 29), later_violations=[], years=5) == D(2025, 3, 1)


def test_limitation_years_by_form():
    assert authority.limitation_years_key(Form.REPRIMAND) == "discipline.limitation_years_reprimand"
    assert authority.limitation_years_key(Form.WARNING) == "discipline.limitation_years_warning"
    assert authority.limitation_years_key(Form.DISMISSAL) == "discipline.limitation_years_warning"
    assert authority.limitation_years_key(Form.EXPULSION) is None


def test_deferral_covers_both_ends_and_the_infant_rule():
    class Def:
        starts_on, ends_on = D(2026, 1, 1), D(2026, 6, 30)

    assert authority.deferral_covering([Def()], D(2026, 1, 1))
    assert authority.deferral_covering([Def()], D(2026, 6, 30))
    assert authority.deferral_covering([Def()], D(2026, 7, 1)) is None
    assert authority.deferral_covering([Def()], D(2025, 12, 31)) is None
    # A child born 15/03/2026 is under 12 months until 14/03/2027.
    assert authority.infant_deferral_end(D(2026, 3, 15), 12) == D(2027, 3, 14)
