"""The completion page of a campaign whose deadline is past counts it as it stood on its deadline (issue on
history §1): the members on the books that day, in the tree of that day — as the periodic reports do
(dangbo.study.figures.target_member_ids_on). A cell moved away after the deadline still counts where it
stood; a member admitted after the deadline was never asked to study."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dangbo.members.intervals import rebuild_intervals
from dangbo.members.models import Member, MemberEvent
from dangbo.study.models import STUDY_STATUSES, Campaign, Progress, Target
from dangbo.testing import make_member

pytestmark = pytest.mark.django_db
D = datetime.date


def _admit(member, unit, day):
    MemberEvent.objects.create(
        member=member, kind=MemberEvent.Kind.ADMITTED, date=day, to_unit=unit, status_after="official"
    )


def _rows(resp):
    assert resp.status_code == 200
    total = resp.context["total"]
    rows = {r.unit.name: (r.target, r.started, r.completed) for r in resp.context["rows"]}
    return rows, (total.target, total.completed)


def test_the_completion_page_of_a_closed_campaign_counts_the_tree_and_members_of_its_deadline(cast, client):
    for m in Member.objects.all():
        _admit(m, m.unit, D(2019, 1, 10))
    rebuild_intervals()
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
    a1 = list(Member.objects.filter(unit=cast.cell_a1, status__in=STUDY_STATUSES).order_by("pk"))
    a2 = list(Member.objects.filter(unit=cast.cell_a2, status__in=STUDY_STATUSES).order_by("pk"))
    assert a1 and a2
    done = timezone.make_aware(datetime.datetime(2021, 3, 20, 9, 0))
    for m in a2:
        Progress.objects.create(campaign=campaign, member=m, completed_at=done)
    # After the deadline: a member admitted in cell_a1, and cell_a2 moves from gr_a to gr_b.
    late = make_member("Lê Văn Muộn", cast.cell_a1)
    _admit(late, cast.cell_a1, D(2021, 9, 1))
    rebuild_intervals([late.pk])
    client.force_login(cast.bloc_user)
    resp = client.post(
        reverse("org:move", args=[cast.cell_a2.pk]),
        {"new_parent": cast.gr_b.pk, "date": "15/04/2021", "decision_no": "45"},
    )
    assert resp.status_code == 302
    cast.cell_a2.refresh_from_db()
    assert cast.cell_a2.parent == cast.gr_b

    url = reverse("study:completion", args=[campaign.pk])
    expected = {cast.cell_a1.name: (len(a1), 0, 0), cast.cell_a2.name: (len(a2), len(a2), len(a2))}
    # Sở Tài chính: both its cells of 31/03/2021, without the member admitted later (today's tree would
    # give one cell of len(a1) + 1 members, none studied).
    rows, total = _rows(client.get(url, {"unit": cast.gr_a.pk}))
    assert rows == expected and total == (len(a1) + len(a2), len(a2))
    # The bloc: one row for Sở Tài chính, as it stood; Sở Y tế, where the cell is now, has nothing.
    rows, total = _rows(client.get(url))
    assert rows == {cast.gr_a.name: (len(a1) + len(a2), len(a2), len(a2))}
    assert _rows(client.get(url, {"unit": cast.gr_b.pk}))[1] == (0, 0)
    # A cell lists the members it had to make study; the late member is not among them.
    resp = client.get(url, {"unit": cast.cell_a1.pk})
    assert sorted(m.pk for m, _p in resp.context["members"].rows) == [m.pk for m in a1]
    resp = client.get(url, {"unit": cast.cell_a1.pk, "pending": 1})
    assert late.pk not in [m.pk for m, _p in resp.context["members"].rows]
    # The campaign's page reads the same total.
    resp = client.get(reverse("study:detail", args=[campaign.pk]), {"unit": cast.gr_a.pk})
    assert (resp.context["total"].target, resp.context["total"].completed) == (len(a1) + len(a2), len(a2))

    # An open campaign (deadline ahead) counts the members and the tree of today.
    campaign.deadline = timezone.localdate() + datetime.timedelta(days=30)
    campaign.state = Campaign.State.PUBLISHED
    campaign.save()
    rows, total = _rows(client.get(url, {"unit": cast.gr_a.pk}))
    assert rows == {cast.cell_a1.name: (len(a1) + 1, 0, 0)} and total == (len(a1) + 1, 0)
