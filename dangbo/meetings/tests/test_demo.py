"""The small demo: a year of meetings in Sở Tài chính with its non-compliant cases, and figures."""

import datetime

import pytest

from dangbo.accounts.models import User
from dangbo.demo.builder import DemoBuilder
from dangbo.meetings import compliance, figures, services
from dangbo.meetings.demo import build, rejudge_small_cells
from dangbo.meetings.models import Meeting
from dangbo.org.models import OrgUnit

D = datetime.date


@pytest.mark.django_db
def test_demo_meetings():
    # Only the steps this demo needs (the other apps' demos have their own tests).
    builder = DemoBuilder(members=300, seed=2026)
    builder.build_tree()
    builder.build_members()
    builder.build_users()
    build(builder)
    builder.local_rule_override()
    rejudge_small_cells()  # run on commit by the demo; the test's transaction does not commit
    chibo = User.objects.get(username="chibo")
    cell = OrgUnit.objects.get(pk=chibo.roles.get().unit_id)
    finance = cell.parent
    held = Meeting.objects.filter(unit=cell, state="held")
    assert held.filter(kind__in=Meeting.REGULAR_KINDS).count() == 11
    assert held.filter(kind__in=Meeting.THEMATIC_KINDS).count() == 4
    assert Meeting.objects.filter(unit=cell, state="noticed", planned_date__month=12).exists()
    assert all(m.locked for m in held)
    cells = OrgUnit.objects.filter(parent=finance)
    assert sum(len(services.removal_flags(c, 2026)[0]) for c in cells) == 1
    report = compliance.compute(finance, D(2026, 1, 1), D(2026, 11, 30), today=D(2026, 12, 1))
    found = {b.kind for b in report.breaches}
    assert {compliance.NO_REGULAR, compliance.TOO_SHORT, compliance.WITH_WORK, compliance.NOT_PUBLISHED} <= found
    # The bloc's small-cell override (60 minutes from 2019) applies to the small cells' regular meetings.
    small = Meeting.objects.filter(state="held", kind="regular", cell_size__lt=9)
    assert small.exists() and set(small.values_list("min_minutes", flat=True)) == {60}
    found = {f.key: f for f in figures.period_figures(finance, D(2026, 1, 1), D(2026, 9, 30))}
    assert found["meetings.regular_held"].value > 0 and found["meetings.thematic_held"].value > 0
    assert found["meetings.cells_without_regular"].value >= 1 and found["meetings.noncompliant"].value >= 1
    assert 0 < found["meetings.attendance_percent"].value <= 100
