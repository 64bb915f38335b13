"""The small demo of inspection: plans, quarterly supervisions near the seeds' figures, the discipline cases."""

import datetime

import pytest

from dangbo.demo.builder import DemoBuilder
from dangbo.inspection import demo, figures
from dangbo.inspection.models import Appeal, Case, DisciplineCase, Plan, StateDiscipline
from dangbo.members.models import MemberEvent

D = datetime.date


@pytest.mark.django_db
def test_demo_inspection():
    # The demo builder's steps without the other apps' demos: this test is about ours.
    builder = DemoBuilder(members=300)
    builder.build_tree()
    builder.build_members()
    builder.build_users()
    demo.build(builder)
    assert Plan.objects.filter(year=2026).count() >= 5
    q1 = figures.counts(builder.bloc, D(2026, 1, 1), D(2026, 3, 31))
    assert q1["committee_supervised_orgs"] == 6
    # A small demo has fewer members to supervise than the seeds' 170 and 164 (the full demo has them).
    assert 20 <= q1["committee_supervised_members"] <= 180
    assert 10 <= q1["commission_supervised_orgs"] <= 35 and q1["commission_supervised_members"] > 0
    assert Case.objects.filter(kind__in=Case.INSPECTION_KINDS, state="concluded").count() >= 2
    decided = DisciplineCase.objects.filter(state="decided")
    assert sorted(decided.values_list("form", "deciding_body")) == [("reprimand", "cell"), ("warning", "standing")]
    assert MemberEvent.objects.filter(kind="disciplined").count() == 2
    assert Appeal.objects.filter(outcome="pending").count() == 1
    assert StateDiscipline.objects.count() == 1


@pytest.mark.django_db
def test_demo_secretary_is_not_the_subject_and_the_level_above_answers_the_appeal():
    """Issue 12: the demo's cell secretary was the disciplined member of case 1 and annulled her own
    reprimand. The appeal against the cell's decision is the grassroots committee's (or the bloc's)."""
    from io import StringIO

    from django.core.management import call_command

    from dangbo.accounts.models import User
    from dangbo.inspection import access

    call_command("load_demo", members=600, stdout=StringIO())
    chibo, coso, ubkt = (User.objects.get(username=n) for n in ("chibo", "coso", "ubkt"))
    assert DisciplineCase.objects.filter(state="decided").count() == 2
    assert not DisciplineCase.objects.filter(member__user__in=[chibo, coso, ubkt]).exists()
    case = Appeal.objects.get(outcome="pending").case
    assert case.deciding_body == "cell"
    assert not access.can_answer_appeal(chibo, case)
    assert access.can_answer_appeal(coso, case) and access.can_answer_appeal(ubkt, case)
