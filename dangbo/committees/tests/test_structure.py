"""Structure warnings at the rule boundaries, terms from the rules, reinforcement counts."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from dangbo.committees import services
from dangbo.committees.structure import structure_warnings, term_end
from dangbo.committees.tests.helpers import committee, members, seat
from dangbo.members.models import Member
from dangbo.org.models import OrgUnit
from dangbo.rules.models import Rule, RuleVersion

D = datetime.date
TODAY = D(2026, 12, 1)


def codes(unit, on=TODAY):
    return {w.code for w in structure_warnings([unit], on=on).get(unit, [])}


@pytest.fixture
def cell(cast):
    return cast.cell_a2


def test_eight_official_members_allow_only_a_secretary_and_deputy(cell):
    people = members(cell, 8)
    committee(cell, people[:3])
    assert "no_chi_uy" in codes(cell)
    # The ninth official member allows a cell committee: the same three are now fine.
    members(cell, 1, prefix="Thứ chín")
    assert "no_chi_uy" not in codes(cell)


def test_probationary_members_do_not_count_towards_the_threshold(cell):
    people = members(cell, 8)
    members(cell, 2, status=Member.Status.PROBATIONARY, prefix="Dự bị")
    committee(cell, people[:3])
    assert "no_chi_uy" in codes(cell)


def test_committee_size_at_most_the_rule(cell):
    people = members(cell, 12)
    committee(cell, people[:7])
    assert "too_large" not in codes(cell)
    seat(cell, people[7], start=D(2026, 1, 5), method="elected")
    assert "too_large" in codes(cell)


def test_cell_below_minimum_official_members(cell):
    people = members(cell, 3)
    committee(cell, people[:2])
    assert "below_min" not in codes(cell)
    people[2].status = Member.Status.TRANSFERRED_OUT
    people[2].save()
    assert "below_min" in codes(cell)


def test_congress_due_window_boundaries(cell):
    people = members(cell, 5)
    committee(cell, people[:2], start=D(2024, 6, 15))
    ends = term_end(cell, D(2024, 6, 15))
    assert ends == D(2026, 12, 15)  # two congresses in five years: 30 months
    assert not codes(cell, D(2026, 6, 14)) & {"congress_due", "congress_overdue"}
    assert "congress_due" in codes(cell, D(2026, 6, 15))
    assert "congress_due" in codes(cell, D(2027, 6, 15))
    assert "congress_overdue" in codes(cell, D(2027, 6, 16))


def test_grassroots_committee_term_is_five_years(cast):
    assert term_end(cast.gr_a, D(2025, 8, 20)) == D(2030, 8, 20)


def test_standing_committee_needs_enough_committee_members(cast):
    gr = cast.gr_b
    people = members(cast.cell_b1, 9)
    committee(gr, people[:8])
    seat(gr, people[0], "standing", start=D(2025, 6, 15))
    assert "standing_not_allowed" in codes(gr)
    seat(gr, people[8], start=D(2025, 6, 15))
    assert "standing_not_allowed" not in codes(gr)


def test_no_secretary_and_appointed_secretary(cell):
    people = members(cell, 4)
    services.record_congress(unit=cell, congress_date=D(2025, 6, 15), actor=None)
    assert "no_secretary" in codes(cell)
    seat(cell, people[0], "secretary", method="appointed", start=D(2025, 7, 1))
    assert codes(cell) & {"no_secretary", "appointed_secretary"} == {"appointed_secretary"}


def test_a_committee_override_of_the_rule_applies_to_its_subtree(cast, cell):
    people = members(cell, 8)
    committee(cell, people[:3])
    RuleVersion.objects.create(
        rule=Rule.objects.get(key="org.chi_uy_threshold"),
        value=7,
        legal_basis="thử nghiệm",
        effective_from=D(2026, 1, 1),
        scope_unit=cast.gr_a,
    )
    assert "no_chi_uy" not in codes(cell)
    assert "no_chi_uy" in codes(cell, D(2025, 12, 31))


def test_inspection_positions_only_from_grassroots_committee(cast, cell):
    person = members(cell, 1)[0]
    with pytest.raises(ValidationError):
        seat(cell, person, "inspection_chair")
    seat(cast.gr_a, person, "inspection_chair", start=D(2025, 6, 15), method="appointed")


def test_seat_requires_a_member_of_the_subtree(cast, cell):
    with pytest.raises(ValidationError):
        seat(cell, cast.m_b1, "secretary", method="appointed")


def test_whole_tree_in_bounded_queries(cast, django_assert_max_num_queries):
    for unit in (cast.cell_a1, cast.cell_a2, cast.cell_b1):
        committee(unit, members(unit, 4, prefix=f"U{unit.pk}")[:2])
    units = list(OrgUnit.objects.all())
    with django_assert_max_num_queries(4):
        result = structure_warnings(units, on=TODAY)
    assert cast.cell_c in result  # no congress, no secretary


def _reinforced(cast, start, end):
    return services.reinforced_units(OrgUnit.objects.in_subtree(cast.bloc), start, end)


def test_reinforcement_counts_for_a_period_stay_after_later_changes(cast):
    a1, a2, b1 = cast.cell_a1, cast.cell_a2, cast.cell_b1
    pa1, pa2, pb1 = members(a1, 4, prefix="A1"), members(a2, 4, prefix="A2"), members(b1, 4, prefix="B1")
    for unit, people in ((a1, pa1), (a2, pa2), (b1, pb1)):
        committee(unit, people[:2], start=D(2025, 6, 15))
    q1 = (D(2026, 1, 1), D(2026, 3, 31))
    assert _reinforced(cast, *q1) == set()  # congress elections are not reinforcements
    # Q1: a deputy appointed in a1, a secretary relieved in a2 and replaced.
    seat(a1, pa1[2], "deputy_secretary", method="appointed", start=D(2026, 2, 10))
    old = a2.seats.get(position="secretary")
    services.end_seat(seat=old, end_date=D(2026, 3, 31), reason="retired", actor=None)
    assert _reinforced(cast, *q1) == {a1.pk, a2.pk}
    # Later changes: the a1 deputy leaves in Q3, b1 is reinforced in Q3.
    deputy = a1.seats.get(member=pa1[2])
    services.end_seat(seat=deputy, end_date=D(2026, 8, 1), reason="transferred", actor=None)
    seat(b1, pb1[2], method="elected", start=D(2026, 8, 2))
    assert _reinforced(cast, *q1) == {a1.pk, a2.pk}
    assert _reinforced(cast, D(2026, 7, 1), D(2026, 9, 30)) == {a1.pk, b1.pk}
    # An end at the end of the term is no reinforcement.
    services.end_seat(seat=b1.seats.get(member=pb1[0]), end_date=D(2026, 10, 1), reason="term_end", actor=None)
    assert _reinforced(cast, D(2026, 10, 1), D(2026, 12, 31)) == set()


def test_change_between_congresses_needs_a_decision(cast):
    person = members(cast.cell_a2, 1)[0]
    with pytest.raises(ValidationError):
        services.add_seat(
            unit=cast.cell_a2,
            member=person,
            position="member",
            method="appointed",
            start_date=D(2026, 1, 1),
            actor=None,
        )
