"""The small demo: committees everywhere, 19 reinforced organizations, the consultation of seed 000."""

import datetime

import pytest

from dangbo.accounts.models import User
from dangbo.committees.demo import build, counts
from dangbo.committees.models import Proposal, Seat
from dangbo.demo.builder import DemoBuilder
from dangbo.members.models import Member
from dangbo.org.models import OrgUnit

D = datetime.date


@pytest.mark.django_db
def test_demo_committees():
    # The demo builder's steps without the other apps' demos: this test is about ours.
    builder = DemoBuilder(members=600)
    builder.build_tree()
    builder.build_members()
    builder.build_users()
    build(builder)
    c = counts()
    assert c["terms"] > 100
    assert c["reinforced"] == 19
    assert c["overdue"] == 2
    assert c["proposals"] == 14 and c["published"] == 9
    assert c["models"] == 4
    chibo = User.objects.get(username="chibo")
    cell = OrgUnit.objects.get(pk=chibo.roles.get().unit_id)
    # A 300-member demo may leave the cell with the demo member alone; then it has no secretary to show.
    if Member.objects.filter(unit=cell, user__isnull=True).exists():
        secretary = Seat.objects.get(unit=cell, position="secretary", end_date__isnull=True)
        assert secretary.member.unit == cell and secretary.member.user == chibo
    assert Proposal.objects.filter(asked_by=chibo, state="published").exists()
