"""The write matrix of inspection (inspection/access.py) and "nobody acts on their own case" (issue 12,
findings 3 and 5; DOMAIN.md §7: 296 Điều 3, 10; appeals to the level above)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dangbo.accounts.models import Role, RoleAssignment
from dangbo.inspection import services
from dangbo.inspection.models import Appeal, Case, DisciplineCase, Step, Target
from dangbo.members.models import MemberEvent
from dangbo.testing import make_member
from tests.test_write_matrix import fingerprint

TODAY = timezone.localdate()


def ago(days):
    return TODAY - datetime.timedelta(days=days)


def fmt(day):
    return day.strftime("%d/%m/%Y")


def _post(client, case, action, **data):
    return client.post(
        reverse("inspection:discipline_action", args=[case.pk, action]), {f"{action}-{k}": v for k, v in data.items()}
    )


def _open(member, *, unit=None, body="cell", form="reprimand"):
    return services.open_discipline(
        member=member,
        violation="Vi phạm những điều đảng viên không được làm",
        violation_on=ago(100),
        proposed_form=form,
        deciding_unit=unit or member.unit,
        deciding_body=body,
        actor=None,
    )


def _decide(case, *, body_date=None):
    services.record_hearing(case=case, day=ago(30), attended=True, actor=None)
    services.record_vote(
        case=case,
        stage="decision",
        form=case.proposed_form,
        held_on=ago(20),
        total=3,
        in_favour=2,
        decision_no="01-QĐ/CB",
        decided_on=body_date,
        actor=None,
    )
    services.record_receipt(case=case, day=ago(19), actor=None)
    return DisciplineCase.objects.get(pk=case.pk)


def _appealed(case):
    case = _decide(case, body_date=None if case.deciding_body == "cell" else ago(20))
    services.file_appeal(case=case, filed_on=ago(10), content="Đề nghị xem xét lại", actor=None)
    return case


ANSWER = {"outcome": "annulled", "decided_on": fmt(ago(1)), "answer": "Hủy quyết định"}


@pytest.fixture
def own(cast):
    """The demo situation: the cell secretary is herself a member of her cell, linked to her login."""
    return make_member("Hoàng Văn Bình", cast.cell_a1, user=cast.secretary_a1)


# ---- finding 3: the subject never acts on their own case ------------------------------------------------
def test_the_secretary_who_is_the_subject_tries_every_action_and_is_refused(cast, own, login):
    client = login(cast.secretary_a1)
    case = _open(own)
    url = reverse("inspection:discipline", args=[case.pk])
    page = client.get(url)
    assert page.status_code == 200 and page.context["action_forms"] == []  # she reads it, no form is offered
    before = fingerprint()
    tries = {
        "hearing": {"day": fmt(ago(5)), "attended": "yes"},
        "deferral": {"reason": "illness", "starts_on": fmt(ago(5)), "ends_on": fmt(ago(1))},
        "vote": {"stage": "decision", "form": "reprimand", "held_on": fmt(ago(2)), "total": 3, "in_favour": 0},
        "not_disciplined": {"day": fmt(ago(2)), "note": "Không kỷ luật"},
    }
    for action, data in tries.items():
        resp = _post(client, case, action, **data)
        assert resp.status_code == 403, action
        assert "chính mình" in resp.content.decode()  # the Vietnamese reason on the page
    assert fingerprint() == before
    # Decided by the cell (as in the demo), appealed: no receipt, no appeal, no answer, no annulment by her.
    case = _appealed(case)
    appeal = Appeal.objects.get(case=case)
    before = fingerprint()
    assert _post(client, case, "receipt", day=fmt(ago(1))).status_code == 403
    assert _post(client, case, "appeal", filed_on=fmt(ago(1)), content="Xin xem lại").status_code == 403
    # Old code: her cell covered the deciding unit, so she annulled her own reprimand here.
    assert _post(client, case, "answer", appeal=appeal.pk, **ANSWER).status_code in (403, 404)
    assert fingerprint() == before
    assert MemberEvent.objects.filter(member=own, kind="disciplined").exists()
    assert client.get(url).context["answer_form"] is None
    # Nor does she open a discipline case about herself.
    resp = client.get(reverse("inspection:discipline_new") + f"?member={own.pk}")
    assert resp.status_code == 403


def test_a_subject_above_the_deciding_body_does_not_answer_their_own_appeal(cast, login):
    """staff_a (grassroots committee) is herself a member of cell_a1, disciplined by it: the committee
    answers the cell's appeals, but not hers."""
    me = make_member("Phạm Thị An", cast.cell_a1, user=cast.staff_a)
    case = _appealed(_open(me))
    appeal = Appeal.objects.get(case=case)
    before = fingerprint()
    resp = _post(login(cast.staff_a), case, "answer", appeal=appeal.pk, **ANSWER)
    assert resp.status_code == 403 and "chính mình" in resp.content.decode()
    assert fingerprint() == before
    # The bloc's inspection commission, above both, answers it.
    assert _post(login(cast.inspector), case, "answer", appeal=appeal.pk, **ANSWER).status_code == 302
    assert Appeal.objects.get(pk=appeal.pk).outcome == "annulled"


def test_a_member_who_voted_the_cell_decision_does_not_answer_the_appeal(cast, login):
    """staff_a is a member of cell_a1, whose meeting voted the reprimand of another member."""
    make_member("Phạm Thị An", cast.cell_a1, user=cast.staff_a)
    case = _appealed(_open(cast.m_a1_other))
    appeal = Appeal.objects.get(case=case)
    before = fingerprint()
    resp = _post(login(cast.staff_a), case, "answer", appeal=appeal.pk, **ANSWER)
    assert resp.status_code == 403 and "biểu quyết" in resp.content.decode()
    assert fingerprint() == before
    with pytest.raises(Exception, match="biểu quyết"):
        services.answer_appeal(appeal=appeal, actor=cast.staff_a, **{**ANSWER, "decided_on": ago(1)})


def test_the_services_refuse_the_subject_too(cast, own):
    from django.core.exceptions import ValidationError

    case = _open(own)
    with pytest.raises(ValidationError, match="chính mình"):
        services.record_hearing(case=case, day=ago(5), attended=True, actor=cast.secretary_a1)
    with pytest.raises(ValidationError, match="chính mình"):
        services.open_discipline(
            member=own,
            violation="Vi phạm",
            violation_on=ago(50),
            proposed_form="reprimand",
            deciding_unit=cast.cell_a1,
            deciding_body="cell",
            actor=cast.secretary_a1,
        )
    assert DisciplineCase.objects.count() == 1


# ---- appeals go to the level above -------------------------------------------------------------------------
def test_the_deciding_cell_does_not_answer_the_appeal_the_level_above_does(cast, login):
    case = _appealed(_open(cast.m_a1_other))
    appeal = Appeal.objects.get(case=case)
    before = fingerprint()
    for user in (cast.secretary_a1, cast.staff_b, cast.member_a1):
        assert _post(login(user), case, "answer", appeal=appeal.pk, **ANSWER).status_code == 404
    assert fingerprint() == before
    page = login(cast.secretary_a1).get(reverse("inspection:discipline", args=[case.pk]))
    assert page.context["answer_form"] is None
    page = login(cast.staff_a).get(reverse("inspection:discipline", args=[case.pk]))
    assert page.context["answer_form"] is not None
    assert _post(login(cast.staff_a), case, "answer", appeal=appeal.pk, **ANSWER).status_code == 302
    case.refresh_from_db()
    assert case.state == "closed" and not MemberEvent.objects.filter(kind="disciplined").exists()


def test_a_grassroots_committee_does_not_answer_appeals_against_its_own_decision(cast, login):
    case = _appealed(_open(cast.m_a1_other, unit=cast.gr_a, body="standing", form="warning"))
    appeal = Appeal.objects.get(case=case)
    before = fingerprint()
    assert _post(login(cast.staff_a), case, "answer", appeal=appeal.pk, **ANSWER).status_code == 404
    assert fingerprint() == before
    with pytest.raises(Exception, match="cấp trên"):
        services.answer_appeal(appeal=appeal, actor=cast.staff_a, **{**ANSWER, "decided_on": ago(1)})
    # The bloc: its standing committee (the bloc office keeps its records) or its inspection commission.
    assert _post(login(cast.bloc_user), case, "answer", appeal=appeal.pk, **ANSWER).status_code == 302
    assert Appeal.objects.get(pk=appeal.pk).outcome == "annulled"


# ---- finding 5: the inspection commission writes only its own cases ---------------------------------------
def _case(subject_unit, subject, unit, **extra):
    c = Case.objects.create(
        subject_unit=subject_unit,
        subject=subject,
        kind="regular",
        unit=unit,
        title="Giám sát thường xuyên",
        state="running",
        started_on=ago(30),
        **extra,
    )
    Target.objects.create(case=c, org=unit)
    return c


def _step(client, case):
    return client.post(
        reverse("inspection:case_action", args=[case.pk, "step"]), {"step-title": "Làm việc", "step-due_on": ""}
    )


def test_the_inspector_reads_a_grassroots_committees_case_but_does_not_write_it(cast, login):
    case = _case(cast.gr_a, "committee", cast.cell_a1)
    client = login(cast.inspector)
    page = client.get(reverse("inspection:case", args=[case.pk]))
    assert page.status_code == 200 and page.context["action_forms"] == [] and not page.context["may_write"]
    before = fingerprint()
    assert _step(client, case).status_code == 404
    for action, data in {
        "cancel": {},
        "conclude": {"conclude-concluded_on": fmt(ago(1)), "conclude-conclusion": "Tốt", "conclude-conclusion_no": "1"},
    }.items():
        assert client.post(reverse("inspection:case_action", args=[case.pk, action]), data).status_code == 404
    assert fingerprint() == before
    assert _step(login(cast.staff_a), case).status_code == 302 and Step.objects.filter(case=case).count() == 1


def test_the_commission_writes_its_own_case_and_nobody_else_does(cast, login):
    case = _case(cast.bloc, "commission", cast.gr_a)
    before = fingerprint()
    assert _step(login(cast.bloc_user), case).status_code == 404  # the bloc office keeps the committee's records
    assert fingerprint() == before
    assert _step(login(cast.inspector), case).status_code == 302
    assert Step.objects.filter(case=case).count() == 1
    # A grassroots committee's commission: its staff keep the records, not the bloc's commission.
    gr_case = _case(cast.gr_a, "commission", cast.cell_a1)
    before = fingerprint()
    assert _step(login(cast.inspector), gr_case).status_code == 404
    assert fingerprint() == before
    assert _step(login(cast.staff_a), gr_case).status_code == 302


def test_the_inspector_writes_only_discipline_its_commission_decides(cast, login):
    cell_case = _open(cast.m_a1_other)
    client = login(cast.inspector)
    before = fingerprint()
    assert _post(client, cell_case, "hearing", day=fmt(ago(1)), attended="yes").status_code == 404
    assert _post(client, cell_case, "not_disciplined", day=fmt(ago(1)), note="Không").status_code == 404
    assert fingerprint() == before
    own_case = _open(cast.m_b1, unit=cast.bloc, body="commission", form="warning")
    assert _post(client, own_case, "hearing", day=fmt(ago(1)), attended="yes").status_code == 302
    assert DisciplineCase.objects.get(pk=own_case.pk).heard_on == ago(1)
    # The bloc office does not keep the commission's records.
    assert _post(login(cast.bloc_user), own_case, "hearing", day=fmt(ago(2)), attended="yes").status_code == 404


def test_the_inspector_plans_only_for_its_commission(cast, login):
    client = login(cast.inspector)
    url = reverse("inspection:plan_new")
    data = {"unit": cast.gr_a.pk, "subject": "committee", "year": 2026}
    assert client.post(url, data).status_code == 404  # gr_a is none of the units it writes for
    resp = client.post(url, {**data, "unit": cast.bloc.pk})  # the bloc committee's plan: the bloc office's
    assert resp.status_code == 200 and resp.context["form"].non_field_errors()
    from dangbo.inspection.models import Plan

    assert not Plan.objects.exists()
    resp = client.post(url, {**data, "unit": cast.bloc.pk, "subject": "commission"})
    assert resp.status_code == 302 and Plan.objects.get().subject == "commission"


def test_a_member_concerned_by_an_inspection_takes_no_step_in_it(cast, own, login):
    case = _case(cast.cell_a1, "cell", cast.cell_a1)
    Target.objects.create(case=case, member=own)
    before = fingerprint()
    resp = _step(login(cast.secretary_a1), case)
    assert resp.status_code == 403 and "chính mình" in resp.content.decode()
    assert fingerprint() == before
    assert _step(login(cast.staff_a), case).status_code == 302


def test_a_grassroots_inspection_role_writes_its_commissions_cases(cast, login):
    """An inspection role on a grassroots committee: that committee's commission, nothing else."""
    RoleAssignment.objects.create(user=cast.member_a1, unit=cast.gr_a, role=Role.INSPECTION)
    mine = _case(cast.gr_a, "commission", cast.cell_a1)
    other = _case(cast.gr_a, "committee", cast.cell_a1)
    client = login(cast.member_a1)
    assert _step(client, other).status_code == 404
    assert _step(client, mine).status_code == 302
