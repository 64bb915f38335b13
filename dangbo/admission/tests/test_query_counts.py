"""Pages of the offices above whose cost must not grow with the number of candidates (issue 15)."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangbo.admission.models import Candidate, Vote

D = datetime.date


def _on_probation(cast, n, prefix):
    for i in range(n):
        cell = cast.cell_a1 if i % 2 else cast.cell_a2
        c = Candidate(
            cell=cell, sex="M", birth_date=D(1990, 1, 1), stage="probation", decision_no="1",
            decision_date=D(2024, 1, 1), ceremony_date=D(2024, 2, 1),
        )  # fmt: skip
        c.set_name(f"{prefix} Văn {i}")
        c.save()
        if i % 3 == 0:
            Vote.objects.create(
                candidate=c, level="recognition", date=D(2025, 2, 10), denominator=3, in_favour=3, threshold=[2, 3],
                passed=True,
            )  # fmt: skip


def _count(client, url):
    with CaptureQueriesContext(connection) as q:
        resp = client.get(url)
    assert resp.status_code == 200
    return len(q), resp


def test_overdue_and_targets_cost_the_same_for_5_and_40_candidates(cast, login):
    client = login(cast.staff_a)
    _on_probation(cast, 5, "Lê")
    small = [_count(client, reverse(name))[0] for name in ("admission:overdue", "admission:targets")]
    _on_probation(cast, 35, "Vũ")
    large = [_count(client, reverse(name))[0] for name in ("admission:overdue", "admission:targets")]
    assert small == large
    _n, resp = _count(client, reverse("admission:overdue"))
    assert len(resp.context["rows"]) == 40  # all late: probation ended in 2025, nobody recognized


def _grow_tree(cast, n, year):
    """``n`` more grassroots committees under the bloc, each with two cells, a member on the books at the
    end of the previous year, an admission in March and a student's ceremony."""
    from dangbo.members.intervals import rebuild_intervals
    from dangbo.members.models import MemberEvent
    from dangbo.org.models import OrgUnit
    from dangbo.testing import make_member, make_unit

    start = OrgUnit.objects.count()
    for i in range(n):
        gr = make_unit(f"Đảng bộ Sở Thử {start + i}", "grassroots_committee", cast.bloc, sector="state_agency")
        cells = [make_unit(f"Chi bộ Phòng {start + i}.{j}", "subordinate_cell", gr) for j in (1, 2)]
        old = make_member(f"Cũ Văn {start + i}", cells[0])
        MemberEvent.objects.create(
            member=old, kind="admitted", date=D(2015, 1, 1), to_unit=cells[0], status_after="official"
        )
        new = make_member(f"Mới Văn {start + i}", cells[1], status="probationary", admission_date=D(year, 3, 10))
        MemberEvent.objects.create(
            member=new, kind="admitted", date=D(year, 3, 10), to_unit=cells[1], status_after="probationary"
        )
        c = Candidate(cell=cells[1], sex="F", birth_date=D(2004, 1, 1), is_student=True, stage="probation")
        c.set_name(f"Sinh Thị {start + i}")
        c.decision_no, c.decision_date, c.ceremony_date = "1", D(year, 5, 2), D(year, 5, 19)
        c.save()
    rebuild_intervals()


def _expected(unit, year):
    """The figures of ``unit`` the way the page used to compute them, one unit at a time."""
    from dangbo.members.intervals import members_on
    from dangbo.members.models import MemberEvent
    from dangbo.org.dated import subtree_on

    end = D(year, 12, 31)
    return (
        MemberEvent.objects.filter(kind="admitted", date__year=year, to_unit__in=subtree_on(unit, end)).count(),
        members_on(D(year - 1, 12, 31), unit).count(),
        Candidate.objects.filter(is_student=True, ceremony_date__year=year, cell__in=subtree_on(unit, end)).count(),
    )


def test_targets_and_overdue_cost_the_same_for_3_and_23_grassroots(cast, login):
    """The targets page reads each figure for the unit and all its sub-units in one grouped query: its
    cost does not grow with the tree (it used to run four queries per sub-unit)."""
    year = datetime.date.today().year
    client = login(cast.bloc_user)
    _on_probation(cast, 4, "Lê")
    _grow_tree(cast, 2, year)
    targets = reverse("admission:targets") + f"?year={year}"
    small = [_count(client, url)[0] for url in (targets, reverse("admission:overdue"))]
    _grow_tree(cast, 20, year)
    _on_probation(cast, 10, "Vũ")
    large = [_count(client, url)[0] for url in (targets, reverse("admission:overdue"))]
    assert small == large
    _n, resp = _count(client, targets)
    rows = resp.context["rows"]
    assert len(rows) == 25  # gr_a, gr_b, cell_c and the 22 new committees
    assert all(
        r["admitted"] == 1 and r["members_before"] == 1 and r["students_admitted"] == 1
        for r in rows
        if "Thử" in r["unit"].name
    )
    for r in [resp.context["main"], *rows]:
        assert (r["admitted"], r["members_before"], r["students_admitted"]) == _expected(r["unit"], year)
    assert resp.context["main"]["admitted"] == 22 and sum(resp.context["main"]["monthly"]) == 22
    assert resp.context["main"]["monthly"][2] == 22


def test_candidates_list_costs_the_same_for_4_and_40_candidates(cast, login):
    client = login(cast.bloc_user)
    url = reverse("admission:home") + f"?unit={cast.gr_a.pk}&stage=probation"
    _on_probation(cast, 4, "Lê")
    small, resp = _count(client, url)
    assert resp.context["page"].paginator.count == 4
    _on_probation(cast, 36, "Vũ")
    large, resp = _count(client, url)
    assert small == large
    assert resp.context["page"].paginator.count == 40
