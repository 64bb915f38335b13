"""The rule registry (DESIGN.md §5; DOMAIN.md §0: rules are data with dates and a legal basis)."""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangbo.rules.models import Rule, RuleVersion
from dangbo.rules.registry import RuleMissing, rule, rule_version, rules_in_force

D = datetime.date


@pytest.mark.django_db
def test_seeded_rules_carry_their_legal_basis():
    # DOMAIN.md §5: regular meetings at least 90 minutes, combined at least 120 (HD 42-HD/BTCTW).
    assert rule("meeting.min_minutes.regular", on=D(2026, 1, 5)) == 90
    assert rule("meeting.min_minutes.combined", on=D(2026, 1, 5)) == 120
    assert "42-HD/BTCTW" in rule_version("meeting.min_minutes.regular", on=D(2026, 1, 5)).legal_basis
    # Before HD 42 the 2018 guidance applied.
    assert "12-HD/BTCTW" in rule_version("meeting.min_minutes.regular", on=D(2020, 1, 5)).legal_basis
    # DOMAIN.md §3: probation 12 months, 2/3 vote, 30 working days for the ceremony.
    assert rule("member.probation_months") == 12
    assert rule("admission.cell_vote_threshold") == [2, 3]
    assert rule("admission.ceremony_deadline_working_days") == 30
    # DOMAIN.md §11: badge milestones, marked unverified.
    v = rule_version("badge.milestones_years")
    assert v.value[:3] == [30, 40, 45] and v.verified is False
    # DOMAIN.md §10: the 2026 fee regulation replaced 342 on 01/02/2026.
    assert "342" in rule_version("fee.rate_insured_percent", on=D(2026, 1, 31)).legal_basis
    assert "01-QĐ/TW" in rule_version("fee.rate_insured_percent", on=D(2026, 2, 1)).legal_basis


@pytest.mark.django_db
def test_missing_rule_has_a_vietnamese_message():
    with pytest.raises(RuleMissing) as e:
        rule("member.probation_months", on=D(2000, 1, 1))
    assert "Không có quy định" in str(e.value)


@pytest.mark.django_db
def test_nearest_override_wins_inside_its_subtree_only(cast):
    key = "meeting.min_minutes.small_cell"
    r = Rule.objects.get(key=key)
    RuleVersion.objects.create(
        rule=r, value=60, legal_basis="Đảng ủy Khối", effective_from=D(2019, 1, 1), scope_unit=cast.bloc
    )
    RuleVersion.objects.create(
        rule=r, value=75, legal_basis="Đảng ủy Sở", effective_from=D(2024, 1, 1), scope_unit=cast.gr_a
    )
    assert rule(key, on=D(2025, 1, 1), unit=cast.cell_a1) == 75
    assert rule(key, on=D(2023, 1, 1), unit=cast.cell_a1) == 60  # before the grassroots override
    assert rule(key, on=D(2025, 1, 1), unit=cast.cell_b1) == 60
    assert rule(key, on=D(2025, 1, 1)) == 90  # national
    assert rules_in_force(on=D(2025, 1, 1), unit=cast.cell_a1)[key].value == 75


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    national=st.lists(
        st.tuples(st.integers(0, 3000), st.integers(1, 500)), min_size=1, max_size=4, unique_by=lambda x: x[0]
    ),
    override=st.one_of(st.none(), st.tuples(st.integers(0, 3000), st.integers(1, 500))),
    probe=st.integers(0, 3500),
)
def test_resolution_property(cast, national, override, probe):
    """For any set of dated versions: an override in force for an ancestor wins; otherwise the
    latest national version that has started applies (DESIGN.md §5)."""
    r = Rule.objects.create(key=f"test.prop.{probe}.{len(national)}.{override}", name="t", value_unit="count")
    base = D(2015, 1, 1)
    for offset, value in national:
        RuleVersion.objects.create(
            rule=r, value=value, legal_basis="x", effective_from=base + datetime.timedelta(offset)
        )
    if override:
        RuleVersion.objects.create(
            rule=r,
            value=override[1] + 1000,
            legal_basis="y",
            effective_from=base + datetime.timedelta(override[0]),
            scope_unit=cast.gr_a,
        )
    day = base + datetime.timedelta(probe)
    started = sorted((o, v) for o, v in national if o <= probe)
    if override and override[0] <= probe:
        expected = override[1] + 1000
    elif started:
        expected = started[-1][1]
    else:
        expected = None
    if expected is None:
        with pytest.raises(RuleMissing):
            rule(r.key, on=day, unit=cast.cell_a1)
    else:
        assert rule(r.key, on=day, unit=cast.cell_a1) == expected
    # Outside the overriding subtree the override never applies.
    if started:
        assert rule(r.key, on=day, unit=cast.cell_b1) == started[-1][1]
    r.versions.all().delete()
    r.delete()
