"""Targets and shares as the reports say them (issue on history §5; seeds 001, 003, 004).

A target may be a number or a share of the members at the end of the previous year ("3 % of the
members"); every period prints the admitted, the per cent of the year's plan ("237 = 53 % kế hoạch")
and of the members at the end of the previous year ("59 = 1,14 %"), and a share target's excess
("vượt 2 %")."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from dangbo.admission.models import Target
from dangbo.core.figures import collect
from dangbo.members.intervals import rebuild_intervals
from dangbo.members.models import Member, MemberEvent

pytestmark = pytest.mark.django_db
D = datetime.date
YEAR = 2025


def _members(cast, n, admitted_on, status="official"):
    rows = []
    for i in range(n):
        m = Member(unit=cast.cell_a1, sex="M", status=status)
        m.set_name(f"Đảng Viên Số {admitted_on.year}-{i}")
        rows.append(m)
    Member.objects.bulk_create(rows)
    created = Member.objects.filter(full_name__startswith=f"Đảng Viên Số {admitted_on.year}-")
    MemberEvent.objects.bulk_create(
        MemberEvent(
            member=m, kind=MemberEvent.Kind.ADMITTED, date=admitted_on, to_unit=cast.cell_a1, status_after=status
        )
        for m in created
    )


@pytest.fixture
def bloc_year(cast):
    _members(cast, 100, D(2015, 5, 1))  # 100 members at 31/12/2024 in gr_a's subtree
    _members(cast, 5, D(YEAR, 3, 10), status="probationary")  # 5 admitted in the first quarter
    rebuild_intervals()
    return cast


def test_a_share_target_and_its_excess(bloc_year, login):
    cast = bloc_year
    client = login(cast.bloc_user)
    resp = client.post(
        reverse("admission:targets"), {"unit": cast.gr_a.pk, "year": YEAR, "share_percent": "3", "students": 0}
    )
    assert resp.status_code == 302, resp.content.decode()[:3000]
    target = Target.objects.get(unit=cast.gr_a, year=YEAR)
    assert target.share_percent == Decimal("3") and target.count == 3
    f = collect(cast.gr_a, D(YEAR, 1, 1), D(YEAR, 12, 31))
    assert f["admission.admitted"].value == 5
    assert f["admission.members_at_year_start"].value == 100
    assert f["admission.percent_of_members"].value == Decimal("5.00")
    assert f["admission.share_exceeded_by"].value == Decimal("2.00")  # "vượt 2 %"


def test_per_cent_of_plan_and_of_the_previous_year_end_for_any_period(bloc_year, login):
    cast = bloc_year
    client = login(cast.bloc_user)
    assert (
        client.post(
            reverse("admission:targets"), {"unit": cast.gr_a.pk, "year": YEAR, "count": 8, "students": 0}
        ).status_code
        == 302
    )
    q1 = collect(cast.gr_a, D(YEAR, 1, 1), D(YEAR, 3, 31))
    assert q1["admission.admitted"].value == 5
    assert q1["admission.percent_of_target"].value == Decimal("62.50")  # 5 = 62,5 % kế hoạch
    assert q1["admission.percent_of_members"].value == Decimal("5.00")
    assert q1["admission.share_target"].value is None and q1["admission.share_exceeded_by"].value is None
    # Neither a number nor a share: refused in Vietnamese, nothing saved.
    resp = client.post(reverse("admission:targets"), {"unit": cast.gr_b.pk, "year": YEAR, "students": 0})
    assert resp.status_code == 200 and "hoặc theo tỷ lệ" in resp.content.decode()
    assert not Target.objects.filter(unit=cast.gr_b).exists()
