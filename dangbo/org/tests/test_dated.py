"""The tree of a given day (org.dated): figures, rule overrides and moves dated in the future.

Issue on history §1: after a cell moved from one grassroots committee to another, the first
committee's report for a quarter before the move still counts the cell and its members; a rule
override of the committee the cell stood under applies to the days before the move; a move dated in
the future changes nothing before its date and takes effect on it.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dangbo.core.figures import collect
from dangbo.members.intervals import rebuild_intervals
from dangbo.members.models import Member, MemberEvent
from dangbo.org import services
from dangbo.org.dated import ancestor_ids_on, subtree_ids_on, subtree_on
from dangbo.org.models import OrgUnit
from dangbo.rules.models import Rule, RuleVersion
from dangbo.rules.registry import rule
from dangbo.testing import make_member

pytestmark = pytest.mark.django_db
D = datetime.date
KEY = "meeting.min_minutes.small_cell"
MOVED_ON = D(2021, 4, 15)


def _admit(member, unit, day):
    MemberEvent.objects.create(
        member=member, kind=MemberEvent.Kind.ADMITTED, date=day, to_unit=unit, status_after="official"
    )


@pytest.fixture
def story(cast):
    """cell_a2 (two members) moves from gr_a to gr_b on 15/04/2021, recorded years later."""
    for m in Member.objects.all():
        _admit(m, m.unit, D(2019, 1, 10))
    extra = make_member("Trịnh Văn Sơn", cast.cell_a2)
    _admit(extra, cast.cell_a2, D(2019, 1, 10))
    rebuild_intervals()
    services.move_unit(unit=cast.cell_a2, new_parent=cast.gr_b, date=MOVED_ON, actor=cast.bloc_user)
    return cast


def _value(figures, key):
    return figures[key].value


def test_a_past_quarter_counts_the_tree_of_its_day(story):
    cast = story
    q1 = collect(cast.gr_a, D(2021, 1, 1), D(2021, 3, 31))
    # Before the move gr_a had cell_a1 (2 members) and cell_a2 (2 members).
    assert _value(q1, "members.total") == 4
    assert _value(q1, "org.cells_count") == 2
    q2 = collect(cast.gr_a, D(2021, 4, 1), D(2021, 6, 30))
    assert _value(q2, "members.total") == 2 and _value(q2, "org.cells_count") == 1
    gr_b_q1 = collect(cast.gr_b, D(2021, 1, 1), D(2021, 3, 31))
    gr_b_q2 = collect(cast.gr_b, D(2021, 4, 1), D(2021, 6, 30))
    assert _value(gr_b_q1, "members.total") == 1 and _value(gr_b_q2, "members.total") == 3
    # The bloc's totals do not depend on where the cell stood.
    assert _value(collect(cast.bloc, D(2021, 1, 1), D(2021, 3, 31)), "members.total") == 6
    # The same answer from the history and from the fast path.
    assert set(subtree_ids_on(cast.gr_a, D(2021, 3, 31))) == {cast.gr_a.pk, cast.cell_a1.pk, cast.cell_a2.pk}
    assert set(subtree_on(cast.gr_a, D(2021, 3, 31))) == {cast.gr_a.pk, cast.cell_a1.pk, cast.cell_a2.pk}
    assert [cast.bloc.pk, cast.gr_a.pk] == ancestor_ids_on(cast.cell_a2, D(2021, 4, 14))
    assert [cast.bloc.pk, cast.gr_b.pk] == ancestor_ids_on(cast.cell_a2, MOVED_ON)


def test_a_periodic_report_of_the_past_reads_the_tree_of_its_day(story, login):
    """Through the report page: gr_a's Q1/2021 report is pre-filled with the cell that left in April."""
    cast = story
    url = reverse("reports:report_edit", args=[cast.gr_a.pk, "quarter", 2021, 1])
    resp = login(cast.staff_a).get(url)
    assert resp.status_code == 200
    form = resp.context["form"]
    assert form.initial["f_members__total"] == 4 and form.initial["f_org__cells_count"] == 2


def test_an_override_applies_by_the_chain_of_the_day(story):
    cast = story
    RuleVersion.objects.create(
        rule=Rule.objects.get(key=KEY),
        value=60,
        legal_basis="Đảng ủy Sở Tài chính",
        effective_from=D(2019, 1, 1),
        scope_unit=cast.gr_a,
    )
    # Before the move the cell stood under gr_a and its override; from the move on, the national value.
    assert rule(KEY, on=D(2021, 4, 14), unit=cast.cell_a2) == 60
    assert rule(KEY, on=MOVED_ON, unit=cast.cell_a2) == 90
    assert rule(KEY, on=MOVED_ON, unit=cast.cell_a1) == 60


def test_a_move_dated_in_the_future_waits_for_its_date(cast, login):
    RuleVersion.objects.create(
        rule=Rule.objects.get(key=KEY),
        value=60,
        legal_basis="Đảng ủy Sở Tài chính",
        effective_from=D(2019, 1, 1),
        scope_unit=cast.gr_a,
    )
    today = timezone.localdate()
    later = today + datetime.timedelta(days=10)
    client = login(cast.bloc_user)
    resp = client.post(
        reverse("org:move", args=[cast.cell_a1.pk]),
        {"new_parent": cast.gr_b.pk, "date": later.strftime("%d/%m/%Y"), "decision_no": "12-QĐ/ĐUK"},
    )
    assert resp.status_code == 302, resp.content.decode()[:2000]
    cell = OrgUnit.objects.get(pk=cast.cell_a1.pk)
    # Nothing changes today: the tree, the figures and the rules are those before the move.
    assert cell.parent_id == cast.gr_a.pk and cell.path.startswith(cast.gr_a.path)
    assert rule(KEY, unit=cell) == 60 and rule(KEY, on=later, unit=cell) == 90
    assert cell.pk in set(subtree_on(cast.gr_a, today)) and cell.pk not in set(subtree_on(cast.gr_a, later))
    assert services.apply_scheduled_moves(today) == []
    # On its date the daily job applies it, once.
    assert [u.pk for u in services.apply_scheduled_moves(later)] == [cell.pk]
    cell.refresh_from_db()
    assert cell.parent_id == cast.gr_b.pk and cell.path.startswith(cast.gr_b.path)
    assert services.apply_scheduled_moves(later) == []


def test_a_bloc_under_a_bloc(cast, login):
    """Seed 003: the city's business bloc under the city committee; the upper level's figures include it."""
    client = login(cast.bloc_user)
    resp = client.post(
        reverse("org:create", args=[cast.bloc.pk]),
        {"name": "Đảng bộ Khối Doanh nghiệp", "kind": "bloc", "valid_from": "01/01/2020"},
    )
    assert resp.status_code == 302, resp.content.decode()[:2000]
    inner = OrgUnit.objects.get(name="Đảng bộ Khối Doanh nghiệp")
    assert inner.parent_id == cast.bloc.pk and inner.kind == "bloc"
    _admit(cast.m_b1, cast.cell_b1, D(2019, 1, 10))
    rebuild_intervals()
    services.move_unit(unit=cast.gr_b, new_parent=inner, date=D(2021, 1, 1), actor=None)
    gr_b = OrgUnit.objects.get(pk=cast.gr_b.pk)
    assert gr_b.path.startswith(inner.path)
    day = timezone.localdate()
    assert _value(collect(inner, day, day), "members.total") == 1
    assert _value(collect(inner, D(2020, 12, 31), D(2020, 12, 31)), "members.total") == 0
    assert _value(collect(cast.bloc, day, day), "org.grassroots_count") == 3


def test_meeting_compliance_of_a_past_quarter_counts_the_cells_of_its_day(story, login):
    """Issue on history §1: compliance pages use the tree of the period, like the figures."""
    cast = story
    client = login(cast.bloc_user)
    url = reverse("meetings:compliance")
    q1 = client.get(url, {"unit": cast.gr_a.pk, "year": 2021, "period": "q1"}).context["report"]
    assert set(q1.cells) == {cast.cell_a1.pk, cast.cell_a2.pk}
    q3 = client.get(url, {"unit": cast.gr_a.pk, "year": 2021, "period": "q3"}).context["report"]
    assert set(q3.cells) == {cast.cell_a1.pk}
    gr_b_q1 = client.get(url, {"unit": cast.gr_b.pk, "year": 2021, "period": "q1"}).context["report"]
    assert cast.cell_a2.pk not in gr_b_q1.cells


def test_admissions_month_by_month_follow_the_tree_of_each_month(story):
    from dangbo.admission import stats

    cast = story
    for day, name in ((D(2021, 2, 10), "Trước khi chuyển"), (D(2021, 5, 10), "Sau khi chuyển")):
        m = make_member(name, cast.cell_a2)
        _admit(m, cast.cell_a2, day)
    gr_a, gr_b = stats.admissions_by_month(cast.gr_a, 2021), stats.admissions_by_month(cast.gr_b, 2021)
    assert (gr_a[1], gr_a[4]) == (1, 0)  # February under gr_a, May no longer
    assert (gr_b[1], gr_b[4]) == (0, 1)
    assert sum(stats.admissions_by_month(cast.bloc, 2021)) == 2


def test_discipline_figures_of_a_past_quarter_count_the_cells_of_its_day(story):
    from dangbo.inspection import figures
    from dangbo.inspection.models import DisciplineCase

    cast = story
    DisciplineCase.objects.create(
        member=cast.m_a2,
        unit=cast.cell_a2,
        violation="Vi phạm",
        violation_on=D(2021, 1, 5),
        proposed_form="reprimand",
        deciding_unit=cast.cell_a2,
        deciding_body="cell",
        state=DisciplineCase.State.DECIDED,
        effective_on=D(2021, 2, 1),
    )
    assert figures.counts(cast.gr_a, D(2021, 1, 1), D(2021, 3, 31))["discipline_members"] == 1
    assert figures.counts(cast.gr_b, D(2021, 1, 1), D(2021, 3, 31))["discipline_members"] == 0


def test_study_completion_of_a_past_campaign_counts_the_tree_and_members_of_its_deadline(story):
    """A campaign for Sở Tài chính's subtree with its deadline on 31/03/2021: cell_a2's two members studied
    before it moved away, and a member admitted after the deadline was never asked to."""
    from dangbo.study.models import Campaign, Progress, Target

    cast = story
    campaign = Campaign.objects.create(
        title="Học tập Nghị quyết Đại hội XIII",
        unit=cast.bloc,
        material="Nội dung",
        opens_on=D(2021, 3, 1),
        deadline=D(2021, 3, 31),
        state=Campaign.State.CLOSED,
        quiz_required=False,
        report_required=False,
    )
    Target.objects.create(campaign=campaign, unit=cast.gr_a, subtree=True)
    done = timezone.make_aware(datetime.datetime(2021, 3, 20, 9, 0))
    for m in Member.objects.filter(unit=cast.cell_a2):
        Progress.objects.create(campaign=campaign, member=m, completed_at=done)
    late = make_member("Lê Văn Muộn", cast.cell_a1)
    _admit(late, cast.cell_a1, D(2021, 9, 1))
    rebuild_intervals([late.pk])
    q1 = collect(cast.gr_a, D(2021, 1, 1), D(2021, 3, 31))
    assert _value(q1, "study.campaigns") == 1
    assert _value(q1, "study.members_studied") == 2
    assert str(_value(q1, "study.studied_percent")) == "50.0"
    # The cell counts where it stood on the deadline: nothing of this campaign under gr_b.
    assert _value(collect(cast.gr_b, D(2021, 1, 1), D(2021, 3, 31)), "study.members_studied") == 0
