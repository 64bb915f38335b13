"""Through the front door: appraisal access and logging, the proposal workflow, good models, committee
pages, lists in bounded queries, figures, panels and the daily reminders."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from dangbo.committees import services
from dangbo.committees.models import Appraisal, GoodModel, Proposal, Seat, Term
from dangbo.committees.tests.helpers import committee, members, seat
from dangbo.core.figures import collect
from dangbo.core.models import AuditLog, Notification, ReadLog
from dangbo.core.workdays import add_working_days

D = datetime.date


# Political standards appraisals


def _appraisal(cast, **extra):
    return services.request_appraisal(
        unit=cast.gr_a,
        member=cast.m_a1_other,
        subject_name="",
        purpose="promotion",
        proposed_position="Phó Giám đốc Sở",
        scope="Lịch sử bản thân, quan hệ gia đình",
        secrecy="confidential",
        requested_on=D(2026, 10, 1),
        actor=cast.bloc_user,
        **extra,
    )


@pytest.mark.parametrize("name", ["inspector", "staff_a", "secretary_a1", "member_a1", "staff_b"])
def test_appraisal_not_entitled_is_404_and_not_logged(cast, login, name):
    a = _appraisal(cast)
    client = login(cast.users[name])
    assert client.get(reverse("committees:appraisal", args=[a.pk])).status_code == 404
    assert client.get(reverse("committees:appraisals")).status_code == 404
    assert not AuditLog.objects.filter(action="committees.appraisal_viewed").exists()


def test_every_view_of_an_appraisal_is_logged(cast, login):
    a = _appraisal(cast)
    client = login(cast.bloc_user)
    for _ in range(2):
        resp = client.get(reverse("committees:appraisal", args=[a.pk]))
        assert resp.status_code == 200
    views = AuditLog.objects.filter(action="committees.appraisal_viewed", object_id=str(a.pk))
    assert views.count() == 2 and views.first().actor == cast.bloc_user
    assert ReadLog.objects.filter(member_id=cast.m_a1_other.pk, view="committees:appraisal").count() == 2


def test_appraisal_request_and_conclusion_are_what_the_user_records(cast, login):
    client = login(cast.bloc_user)
    resp = client.post(
        reverse("committees:appraisal_new"),
        {
            "unit": cast.bloc.pk,
            "subject_name": "Nguyễn Văn Quần",
            "purpose": "admission",
            "requested_on": "01/10/2026",
            "secrecy": "confidential",
            "scope": "Thẩm tra lý lịch",
        },
    )
    a = Appraisal.objects.get()
    assert resp.status_code == 302 and a.conclusion == Appraisal.Conclusion.PENDING
    url = reverse("committees:appraisal_conclude", args=[a.pk])
    resp = client.post(url, {"conclusion": "meets", "concluded_on": "01/09/2026", "conclusion_text": "Đủ"})
    assert resp.status_code == 200 and "Thẩm tra" in resp.content.decode()
    a.refresh_from_db()
    assert a.conclusion == Appraisal.Conclusion.PENDING  # before the request: refused, nothing saved
    client.post(url, {"conclusion": "meets", "concluded_on": "05/10/2026", "conclusion_text": "Đủ tiêu chuẩn"})
    a.refresh_from_db()
    assert (a.conclusion, a.concluded_on, a.concluded_by) == ("meets", D(2026, 10, 5), cast.bloc_user)


# Proposals


def _submit(client, cast, title="Bố trí cán bộ chuyên trách công tác đảng"):
    return client.post(
        reverse("committees:proposal_new"),
        {
            "unit": cast.cell_a1.pk,
            "category": "staffing",
            "title": title,
            "text": "Chi bộ thiếu người làm công tác đảng.",
        },
    )


def test_proposal_workflow_submit_assign_answer_publish(cast, login, client):
    login(cast.secretary_a1)
    assert _submit(client, cast).status_code == 302
    p = Proposal.objects.get()
    assert (p.asked_by, p.unit, p.state) == (cast.secretary_a1, cast.cell_a1, "submitted")
    # A grassroots secretary cannot assign.
    step = reverse("committees:proposal_step", args=[p.pk, "assign"])
    assert client.post(step, {"department": "office"}).status_code == 404

    login(cast.bloc_user)
    client.post(step, {"department": "organization", "due_on": ""})
    p.refresh_from_db()
    assert p.state == "assigned" and p.department == "organization"
    assert p.due_on == add_working_days(p.assigned_on, 15)  # consultation.answer_working_days
    client.post(reverse("committees:proposal_step", args=[p.pk, "answer"]), {"answer": "Đảng ủy Khối sẽ kiến nghị."})
    p.refresh_from_db()
    assert p.state == "answered" and p.answered_by == cast.bloc_user

    # The asker does not see the draft answer.
    login(cast.secretary_a1)
    page = client.get(p.get_absolute_url()).content.decode()
    assert "sẽ kiến nghị" not in page

    login(cast.bloc_user)
    client.post(reverse("committees:proposal_step", args=[p.pk, "publish"]))
    p.refresh_from_db()
    assert p.state == "published" and p.published_on is not None
    note = Notification.objects.get(user=cast.secretary_a1, kind="committees.answer")
    assert note.url == p.get_absolute_url()

    login(cast.secretary_a1)
    assert "sẽ kiến nghị" in client.get(p.get_absolute_url()).content.decode()
    mine = client.get(reverse("committees:consultations")).content.decode()
    assert "sẽ kiến nghị" in mine
    assert AuditLog.objects.filter(action__startswith="committees.proposal_").count() == 4


def test_publish_needs_an_answer(cast, login, client):
    p = services.submit_proposal(
        asker_name="Bí thư chi bộ", unit=cast.cell_a1, category="it", title="X", text="Y", actor=None
    )
    login(cast.bloc_user)
    client.post(reverse("committees:proposal_step", args=[p.pk, "publish"]))
    p.refresh_from_db()
    assert p.state == "submitted"


def test_only_the_asker_and_staff_in_scope_see_a_proposal(cast, login, client):
    p = services.submit_proposal(
        asker_name="Bí thư chi bộ",
        unit=cast.cell_a1,
        category="it",
        title="Máy tính",
        text="…",
        asked_by=cast.member_a1,
        actor=None,
    )
    other = services.submit_proposal(
        asker_name="Bí thư chi bộ", unit=cast.cell_b1, category="it", title="Đề nghị của Sở Y tế", text="…", actor=None
    )
    url = p.get_absolute_url()
    for user, status in (
        (cast.member_a1, 200),
        (cast.staff_a, 200),
        (cast.secretary_a1, 200),
        (cast.bloc_user, 200),
        (cast.staff_b, 404),
    ):
        login(user)
        assert client.get(url).status_code == status
    login(cast.staff_a)
    listing = client.get(reverse("committees:consultations")).content.decode()
    assert "Máy tính" in listing and "Đề nghị của Sở Y tế" not in listing
    login(cast.member_a1)
    assert client.get(other.get_absolute_url()).status_code == 404


def test_overdue_answers_are_flagged(cast, login, client):
    late = services.submit_proposal(
        asker_name="Bí thư chi bộ",
        unit=cast.cell_a1,
        category="funding",
        title="Kinh phí hoạt động",
        text="…",
        submitted_on=D(2026, 9, 1),
        actor=None,
    )
    services.assign_proposal(proposal=late, department="office", day=D(2026, 10, 1), due_on=D(2026, 10, 22), actor=None)
    answered = services.submit_proposal(
        asker_name="Bí thư chi bộ",
        unit=cast.cell_a1,
        category="it",
        title="Đường truyền",
        text="…",
        submitted_on=D(2026, 9, 1),
        actor=None,
    )
    services.assign_proposal(
        proposal=answered, department="office", day=D(2026, 10, 1), due_on=D(2026, 10, 22), actor=None
    )
    services.answer_proposal(proposal=answered, answer="Đã xử lý", day=D(2026, 10, 20), actor=None)
    login(cast.bloc_user)
    resp = client.get(reverse("committees:consultations") + "?overdue=on")
    body = resp.content.decode()
    assert "Kinh phí hoạt động" in body and "Đường truyền" not in body
    assert resp.context["counts"]["overdue"] == 1
    assert 'data-testid="overdue"' in client.get(late.get_absolute_url()).content.decode()


def test_session_with_three_clusters_records_proposals(cast, login, client):
    login(cast.bloc_user)
    resp = client.post(
        reverse("committees:session_new"),
        {"title": "Tham vấn Cụm 1", "held_on": "21/09/2026", "cluster": cast.cluster.pk, "chaired_by": "Bí thư Khối"},
    )
    assert resp.status_code == 302
    s = cast.cluster.consultations.get()
    assert set(s.invited.all()) == {cast.gr_a, cast.cell_c}  # the cluster's grassroots organizations
    resp = client.post(
        s.get_absolute_url(),
        {
            "unit": cast.gr_a.pk,
            "asker_name": "Bí thư Đảng ủy Sở Tài chính",
            "category": "documents",
            "title": "Văn bản hướng dẫn",
            "text": "…",
        },
    )
    assert resp.status_code == 302
    p = s.proposals.get()
    assert p.asked_by is None and p.asker_name.startswith("Bí thư")
    resp = client.post(
        s.get_absolute_url(),
        {"unit": cast.gr_b.pk, "asker_name": "X", "category": "it", "title": "Không mời", "text": "…"},
    )
    # A unit the consultation did not invite is not offered: refused outright, nothing recorded.
    assert resp.status_code == 404 and s.proposals.count() == 1


# Good models


def test_good_model_approved_before_others_find_it(cast, login, client):
    login(cast.secretary_a1)
    client.post(
        reverse("committees:model_new"),
        {
            "unit": cast.cell_a1.pk,
            "title": "Sổ tay chi bộ điện tử",
            "field": "digital",
            "summary": "Chi bộ dùng sổ tay điện tử để ghi biên bản.",
        },
    )
    m = GoodModel.objects.get()
    assert m.state == "submitted"
    login(cast.staff_b)
    assert client.get(m.get_absolute_url()).status_code == 404
    assert "Sổ tay" not in client.get(reverse("committees:models")).content.decode()
    login(cast.bloc_user)
    client.post(reverse("committees:model_review", args=[m.pk]), {"decision": "approve"})
    m.refresh_from_db()
    assert m.state == "published"
    login(cast.staff_b)
    found = client.get(reverse("committees:models"), {"q": "so tay dien tu"}).content.decode()
    assert "Sổ tay chi bộ điện tử" in found
    assert "Sổ tay" not in client.get(reverse("committees:models"), {"q": "kiem tra"}).content.decode()
    assert "Sổ tay" not in client.get(reverse("committees:models"), {"field": "study"}).content.decode()


# Committee pages


def test_committee_page_shows_warnings_and_is_corrected(cast, login, client):
    people = members(cast.cell_a2, 8)
    committee(cast.cell_a2, people[:3])
    login(cast.staff_a)
    page = client.get(reverse("committees:unit", args=[cast.cell_a2.pk])).content.decode()
    assert 'data-code="no_chi_uy"' in page
    s = Seat.objects.get(unit=cast.cell_a2, member=people[2])
    resp = client.post(
        reverse("committees:seat_end", args=[s.pk]),
        {"end_date": "01/11/2026", "reason": "resigned", "decision_no": "5-QĐ/ĐU"},
    )
    assert resp.status_code == 302
    page = client.get(reverse("committees:unit", args=[cast.cell_a2.pk])).content.decode()
    assert 'data-code="no_chi_uy"' not in page
    # The committee as it was before the change.
    page = client.get(reverse("committees:unit", args=[cast.cell_a2.pk]), {"on": "01/10/2026"}).content.decode()
    assert 'data-code="no_chi_uy"' in page


def test_home_finds_an_organization_without_warnings(cast, login, client):
    login(cast.staff_a)
    resp = client.get(reverse("committees:home"), {"q": "tin hoc"})
    assert [u for u, _ws in resp.context["page"]] == [cast.cell_a2]
    resp = client.get(reverse("committees:home"), {"q": "dan van"})  # outside staff_a's scope
    assert list(resp.context["page"]) == []


def test_seat_entered_by_mistake_is_deleted_and_audited(cast, login, client):
    people = members(cast.cell_a2, 3)
    s = seat(cast.cell_a2, people[0], "secretary", method="appointed", start=D(2026, 3, 1))
    login(cast.secretary_a1)  # a cell secretary does not correct the committee
    assert client.post(reverse("committees:seat_delete", args=[s.pk])).status_code == 404
    login(cast.staff_a)
    assert client.post(reverse("committees:seat_delete", args=[s.pk])).status_code == 302
    assert not Seat.objects.exists()
    log = AuditLog.objects.get(action="committees.seat_deleted")
    assert log.changes["position"] == ["secretary", None]


def test_add_seat_form_keeps_input_on_refusal(cast, login, client):
    people = members(cast.cell_a2, 3)
    login(cast.bloc_user)
    resp = client.post(
        reverse("committees:seat_new", args=[cast.cell_a2.pk]),
        {"member": people[0].pk, "position": "secretary", "method": "appointed", "start_date": "01/10/2026"},
    )
    assert resp.status_code == 200 and 'data-testid="form-error"' in resp.content.decode()
    assert not Seat.objects.exists()
    resp = client.post(
        reverse("committees:seat_new", args=[cast.cell_a2.pk]),
        {
            "member": people[0].pk,
            "position": "secretary",
            "method": "appointed",
            "start_date": "01/10/2026",
            "decision_no": "3-QĐ/ĐU",
        },
    )
    assert resp.status_code == 302 and Seat.objects.get().decision_no == "3-QĐ/ĐU"


def test_congress_records_the_term_end_from_the_rules(cast, login, client):
    login(cast.bloc_user)
    client.post(reverse("committees:congress", args=[cast.gr_a.pk]), {"congress_date": "20/08/2025"})
    assert Term.objects.get(unit=cast.gr_a).ends_on == D(2030, 8, 20)


def test_reinforcement_page_counts_a_past_period(cast, login, client):
    people = members(cast.cell_a2, 4)
    committee(cast.cell_a2, people[:2])
    seat(cast.cell_a2, people[2], "deputy_secretary", method="appointed", start=D(2026, 2, 1))
    login(cast.bloc_user)
    resp = client.get(reverse("committees:reinforcement"), {"start": "01/01/2026", "end": "31/03/2026"})
    assert resp.context["reinforced"] == 1
    assert resp.context["after"]["members"] == 3 and resp.context["before"]["members"] == 2


@pytest.mark.parametrize(
    "name,n",
    [("committees:home", 12), ("committees:consultations", 12), ("committees:models", 10), ("committees:sessions", 10)],
)
def test_lists_in_bounded_queries(cast, login, client, django_assert_max_num_queries, name, n):
    for i in range(6):
        people = members(cast.cell_a2, 2, prefix=f"L{i}")
        services.submit_proposal(
            asker_name="Bí thư chi bộ", unit=cast.cell_a1, category="it", title=f"P{i}", text="…", actor=None
        )
        services.submit_model(unit=cast.cell_a1, title=f"M{i}", field="study", summary="…", actor=None)
    committee(cast.cell_a2, people)
    services.hold_session(
        unit=cast.bloc, title="S", held_on=D(2026, 9, 1), chaired_by="X", invited=[cast.gr_a], actor=None
    )
    login(cast.bloc_user)
    with django_assert_max_num_queries(n):
        assert client.get(reverse(name)).status_code == 200


# Figures, panels, reminders


def test_period_figures(cast):
    people = members(cast.cell_a2, 4)
    committee(cast.cell_a2, people[:2])
    seat(cast.cell_a2, people[2], method="appointed", start=D(2026, 2, 1))
    p = services.submit_proposal(
        asker_name="Bí thư chi bộ",
        unit=cast.cell_a1,
        category="it",
        title="A",
        text="…",
        submitted_on=D(2026, 2, 2),
        actor=None,
    )
    services.assign_proposal(proposal=p, department="office", day=D(2026, 2, 3), due_on=D(2026, 2, 20), actor=None)
    figures = collect(cast.bloc, D(2026, 1, 1), D(2026, 3, 31))
    assert all(
        isinstance(figures[k].value, Decimal) for k in ("committees.women_percent", "committees.under_40_percent")
    )
    assert figures["committees.reinforced_units"].value == 1
    assert figures["committees.committee_members"].value == 3
    assert figures["committees.units_with_committee"].value == 1
    assert figures["consultations.proposals"].value == 1
    assert figures["consultations.overdue"].value == 1
    assert figures["consultations.answered"].value == 0
    services.answer_proposal(proposal=p, answer="OK", day=D(2026, 4, 2), actor=None)
    # Still overdue at the end of Q1, as the data stood then.
    assert collect(cast.bloc, D(2026, 1, 1), D(2026, 3, 31))["consultations.overdue"].value == 1
    assert collect(cast.bloc, D(2026, 4, 1), D(2026, 6, 30))["consultations.overdue"].value == 0


def test_home_panels(cast, login, client):
    p = services.submit_proposal(
        asker_name="Bí thư chi bộ",
        unit=cast.cell_a1,
        category="it",
        title="Câu hỏi của tôi",
        text="…",
        asked_by=cast.member_a1,
        actor=None,
    )
    services.assign_proposal(proposal=p, department="office", actor=None)
    services.answer_proposal(proposal=p, answer="Trả lời", actor=None)
    services.publish_answer(proposal=p, actor=None)
    login(cast.member_a1)
    assert "Câu hỏi của tôi" in client.get("/").content.decode()
    login(cast.staff_a)
    assert 'data-testid="panel-committees"' in client.get("/").content.decode()


def test_committee_reminders(cast):
    people = members(cast.cell_a2, 4)
    committee(cast.cell_a2, people[:2], start=D(2024, 6, 15))  # ends 15/12/2026: due now
    p = services.submit_proposal(
        asker_name="Bí thư chi bộ",
        unit=cast.cell_a1,
        category="it",
        title="A",
        text="…",
        submitted_on=D(2026, 9, 1),
        actor=None,
    )
    services.assign_proposal(proposal=p, department="office", day=D(2026, 10, 1), due_on=D(2026, 10, 10), actor=None)
    call_command("committee_reminders", stdout=io.StringIO())
    assert Notification.objects.filter(user=cast.staff_a, kind="committees.congress").exists()
    assert Notification.objects.filter(user=cast.bloc_user, kind="committees.proposals").exists()
    assert not Notification.objects.filter(user=cast.staff_b).exists()


def test_a_proposal_of_the_past_keeps_the_days_it_was_assigned_and_answered(cast, login, client):
    """Issue on history §3: the steps take the day they happened (before: today, and a past-dated
    assignment was a server error when no rule was in force); a future day or one before the previous
    step is refused with a Vietnamese message and changes nothing."""
    login(cast.secretary_a1)
    assert _submit(client, cast).status_code == 302
    p = Proposal.objects.get()
    Proposal.objects.filter(pk=p.pk).update(submitted_on=datetime.date(2021, 4, 1))
    login(cast.bloc_user)
    step = reverse("committees:proposal_step", args=[p.pk, "assign"])
    resp = client.post(step, {"department": "organization", "day": "31/03/2021"}, follow=True)
    assert "không được trước ngày gửi kiến nghị (01/04/2021)" in resp.content.decode()
    future = (datetime.date.today() + datetime.timedelta(days=3)).strftime("%d/%m/%Y")
    resp = client.post(step, {"department": "organization", "day": future}, follow=True)
    assert "không được sau ngày hôm nay" in resp.content.decode()
    p.refresh_from_db()
    assert p.state == "submitted" and p.assigned_on is None
    assert client.post(step, {"department": "organization", "day": "15/04/2021"}).status_code == 302
    p.refresh_from_db()
    assert p.assigned_on == datetime.date(2021, 4, 15) and p.due_on == add_working_days(datetime.date(2021, 4, 15), 15)
    answer = reverse("committees:proposal_step", args=[p.pk, "answer"])
    client.post(answer, {"answer": "Đã trả lời.", "day": "20/04/2021"})
    p.refresh_from_db()
    assert p.answered_on == datetime.date(2021, 4, 20) and not p.answered_late
