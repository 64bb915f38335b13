"""Study campaigns through the pages: scope, quiz scoring, reports, completion, reminders (DOMAIN.md §6)."""

import datetime
import io
import random
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dangbo.accounts.models import Role
from dangbo.core.models import AuditLog, Notification
from dangbo.members.models import Member
from dangbo.study import panels, services
from dangbo.study.figures import period_figures
from dangbo.study.models import Attempt, Campaign, Progress, Question, ReminderSent, Session
from dangbo.study.tests.factories import correct_answers, make_campaign, make_session, submitted_report
from dangbo.testing import make_member, make_user

TODAY = timezone.localdate()


def fmt(day):
    return day.strftime("%d/%m/%Y")


def _quiz_post(client, campaign, attempt, answers, action="submit"):
    data = {"action": action}
    for qid, cids in answers.items():
        data[f"q{qid}"] = cids
    return client.post(reverse("study:quiz", args=[campaign.pk]), data)


def _start(client, campaign):
    client.post(reverse("study:quiz", args=[campaign.pk]), {"action": "start"})
    return Attempt.objects.filter(progress__campaign=campaign, submitted_at__isnull=True).latest("pk")


# ---- target scope ----------------------------------------------------------------------------------


def test_members_outside_the_targets_never_see_the_campaign(cast, client):
    campaign = make_campaign(cast)  # Sở Tài chính and its cells
    outsider_user = make_user("dv_yte", Role.MEMBER, cast.cell_b1)
    cast.m_b1.user = outsider_user
    cast.m_b1.save()
    client.force_login(outsider_user)
    for name in ["detail", "study", "quiz", "report", "read"]:
        url = reverse(f"study:{name}", args=[campaign.pk])
        resp = client.post(url) if name == "read" else client.get(url)
        assert resp.status_code == 404, name
    assert campaign.title not in client.get(reverse("study:home")).content.decode()
    assert campaign.title not in client.get(reverse("core:home")).content.decode()
    assert not Progress.objects.exists()

    client.force_login(cast.member_a1)
    assert campaign.title in client.get(reverse("study:home")).content.decode()
    assert campaign.title in client.get(reverse("core:home")).content.decode()  # home panel
    assert client.get(reverse("study:study", args=[campaign.pk])).status_code == 200


def test_a_draft_or_a_single_unit_target_is_not_shown(cast, client):
    draft = make_campaign(cast, state=Campaign.State.DRAFT)
    only_a2 = make_campaign(cast, targets=[(cast.cell_a2, False)])
    client.force_login(cast.member_a1)
    assert client.get(reverse("study:study", args=[draft.pk])).status_code == 404
    assert client.get(reverse("study:study", args=[only_a2.pk])).status_code == 404
    # A unit targeted without its subtree: members of its sub-units are not targets.
    committee_only = make_campaign(cast, targets=[(cast.gr_a, False)])
    assert client.get(reverse("study:study", args=[committee_only.pk])).status_code == 404
    assert services.completion_by_unit(committee_only, cast.gr_a)[1].target == 0


def test_an_exempted_member_neither_studies_nor_counts(cast, client):
    campaign = make_campaign(cast)
    cast.m_a1.status = Member.Status.EXEMPTED
    cast.m_a1.save()
    client.force_login(cast.member_a1)
    assert client.get(reverse("study:study", args=[campaign.pk])).status_code == 404
    rows, total = services.completion_by_unit(campaign, cast.gr_a)
    assert total.target == 2  # m_a1_other and the probationer m_a2; not the exempted m_a1


# ---- quiz scoring ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("wrong", "passed", "score"), [(2, True, "80.0"), (3, False, "70.0"), (0, True, "100.0")])
def test_pass_mark_boundary(cast, client, wrong, passed, score):
    campaign = make_campaign(cast, questions=10, pass_mark=80)
    client.force_login(cast.member_a1)
    attempt = _start(client, campaign)
    assert sorted(attempt.order) == sorted(campaign.questions.values_list("pk", flat=True))
    resp = _quiz_post(client, campaign, attempt, correct_answers(attempt, wrong=wrong))
    assert resp.status_code == 302
    attempt.refresh_from_db()
    assert attempt.score == Decimal(score)
    assert attempt.passed is passed
    p = Progress.objects.get(campaign=campaign, member=cast.m_a1)
    assert (p.quiz_passed_at is not None) is passed
    assert p.attempts == 1


@pytest.mark.parametrize(("wrong", "shown"), [(1, "90%"), (0, "100%")])
def test_the_last_score_reads_the_vietnamese_way(cast, client, wrong, shown):
    """Issue on pages §3: a score of 90 printed "9E+1%" (``Decimal.normalize()``)."""
    campaign = make_campaign(cast, questions=10, pass_mark=80)
    client.force_login(cast.member_a1)
    attempt = _start(client, campaign)
    _quiz_post(client, campaign, attempt, correct_answers(attempt, wrong=wrong))
    page = client.get(reverse("study:quiz", args=[campaign.pk])).content.decode()
    assert f"Lần làm bài gần nhất: {shown}" in page and "E+" not in page


def test_pass_mark_is_compared_exactly_not_after_rounding(cast):
    # 2 of 3 is 66.67 %: it fails a 67 % mark although the score shows 66.7.
    campaign = make_campaign(cast, questions=3, pass_mark=67)
    attempt = services.start_attempt(campaign=campaign, member=cast.m_a1)
    done = services.submit_attempt(attempt=attempt, answers=correct_answers(attempt, wrong=1))
    assert done.score == Decimal("66.7") and not done.passed
    campaign.pass_mark = 66
    campaign.save()
    attempt = services.start_attempt(campaign=campaign, member=cast.m_a1)
    assert services.submit_attempt(attempt=attempt, answers=correct_answers(attempt, wrong=1)).passed


def test_multiple_choice_is_all_or_nothing(cast):
    campaign = make_campaign(cast, questions=0, multiple=1, pass_mark=100, max_attempts=0)
    q = campaign.questions.get()
    a, b, c = q.choices.order_by("pk")
    cases = [([a.pk], False), ([a.pk, b.pk, c.pk], False), ([c.pk], False), ([], False), ([b.pk, a.pk], True)]
    for ticked, ok in cases:
        attempt = services.start_attempt(campaign=campaign, member=cast.m_a1_other)
        done = services.submit_attempt(attempt=attempt, answers={str(q.pk): [str(x) for x in ticked]})
        assert done.passed is ok, ticked
        assert done.score == (Decimal(100) if ok else Decimal(0))


def test_answers_to_other_questions_are_ignored(cast):
    campaign = make_campaign(cast, questions=1, pass_mark=100)
    other = make_campaign(cast, questions=1)
    q = campaign.questions.get()
    foreign = other.questions.get().choices.get(correct=True)
    attempt = services.start_attempt(campaign=campaign, member=cast.m_a1)
    done = services.submit_attempt(attempt=attempt, answers={str(q.pk): [str(foreign.pk)]})
    assert not done.passed


def test_attempts_limit(cast, client):
    campaign = make_campaign(cast, questions=5, max_attempts=2)
    client.force_login(cast.member_a1)
    for _ in range(2):
        attempt = _start(client, campaign)
        _quiz_post(client, campaign, attempt, correct_answers(attempt, wrong=5))
    resp = client.post(reverse("study:quiz", args=[campaign.pk]), {"action": "start"})
    assert resp.status_code == 200
    assert "2" in resp.context["error"]
    assert Attempt.objects.filter(progress__campaign=campaign).count() == 2
    assert 'data-testid="no-attempts"' in client.get(reverse("study:quiz", args=[campaign.pk])).content.decode()
    p = Progress.objects.get(campaign=campaign, member=cast.m_a1)
    assert p.attempts == 2 and p.quiz_passed_at is None


def test_no_new_attempt_after_passing_and_random_order_per_attempt(cast):
    campaign = make_campaign(cast, questions=8, max_attempts=0)
    orders = set()
    for seed in range(6):
        a = services.start_attempt(campaign=campaign, member=cast.m_a1_other, rng=random.Random(seed))
        orders.add(tuple(a.order))
        services.submit_attempt(attempt=a, answers=correct_answers(a, wrong=8))
    assert len(orders) > 1
    a = services.start_attempt(campaign=campaign, member=cast.m_a1_other)
    services.submit_attempt(attempt=a, answers=correct_answers(a))
    with pytest.raises(ValidationError):
        services.start_attempt(campaign=campaign, member=cast.m_a1_other)


def test_quiz_size_draws_a_subset(cast):
    campaign = make_campaign(cast, questions=10, quiz_size=4)
    a = services.start_attempt(campaign=campaign, member=cast.m_a1)
    assert len(a.order) == 4
    done = services.submit_attempt(attempt=a, answers=correct_answers(a, wrong=1))
    assert done.score == Decimal("75.0") and not done.passed


def test_saved_answers_are_resumed(cast, client):
    campaign = make_campaign(cast, questions=3)
    client.force_login(cast.member_a1)
    attempt = _start(client, campaign)
    answers = correct_answers(attempt)
    first = {attempt.order[0]: answers[str(attempt.order[0])]}
    resp = _quiz_post(client, campaign, attempt, {str(k): v for k, v in first.items()}, action="save")
    assert resp.status_code == 302
    attempt.refresh_from_db()
    assert attempt.submitted_at is None
    assert attempt.answers[str(attempt.order[0])] == [int(x) for x in answers[str(attempt.order[0])]]
    page = client.get(reverse("study:quiz", args=[campaign.pk]))
    assert page.context["attempt"].pk == attempt.pk  # the same attempt, same order
    checked = [c.pk for _n, _q, choices in page.context["items"] for c, on in choices if on]
    assert checked == [int(x) for x in answers[str(attempt.order[0])]]


def test_the_quiz_is_refused_after_the_make_up_deadline(cast):
    campaign = make_campaign(
        cast, deadline=TODAY - datetime.timedelta(days=3), makeup_deadline=TODAY - datetime.timedelta(days=1)
    )
    with pytest.raises(ValidationError, match="đã kết thúc"):
        services.start_attempt(campaign=campaign, member=cast.m_a1)
    campaign.makeup_deadline = TODAY
    campaign.save()
    a = services.start_attempt(campaign=campaign, member=cast.m_a1)
    services.mark_read(campaign=campaign, member=cast.m_a1)
    services.submit_attempt(attempt=a, answers=correct_answers(a))


# ---- a member's whole study, and the office's review ------------------------------------------------


def test_member_reads_passes_reports_and_the_secretary_accepts(cast, client):
    campaign = make_campaign(cast, questions=4, pass_mark=75)
    client.force_login(cast.member_a1)
    resp = client.post(reverse("study:read", args=[campaign.pk]))
    assert resp["Location"] == reverse("study:quiz", args=[campaign.pk])
    p = Progress.objects.get(campaign=campaign, member=cast.m_a1)
    assert p.read_at and p.step == Progress.Step.QUIZ
    attempt = _start(client, campaign)
    _quiz_post(client, campaign, attempt, correct_answers(attempt, wrong=1))
    p.refresh_from_db()
    assert p.quiz_passed_at and p.step == Progress.Step.REPORT and p.completed_at is None

    url = reverse("study:report", args=[campaign.pk])
    resp = client.post(url, {"text": "Ngắn quá", "action": "submit"})
    assert resp.status_code == 200 and "200" in resp.content.decode()
    assert "Ngắn quá" in resp.content.decode()  # nothing typed is lost
    client.post(url, {"text": "Bản nháp", "action": "save"})
    p.refresh_from_db()
    assert p.report_state == Progress.ReportState.DRAFT and p.report_text == "Bản nháp"
    text = "Nghị quyết xác định khoa học, công nghệ là đột phá quan trọng hàng đầu. " * 4
    client.post(url, {"text": text, "action": "submit"})
    p.refresh_from_db()
    assert p.report_state == Progress.ReportState.SUBMITTED

    client.force_login(cast.secretary_a1)
    review = reverse("study:review", args=[campaign.pk, p.pk])
    resp = client.post(review, {"outcome": "return", "grade": "", "comment": ""})
    assert resp.status_code == 200
    client.post(review, {"outcome": "return", "grade": "", "comment": "Cần liên hệ thực tế đơn vị."})
    p.refresh_from_db()
    assert p.report_state == Progress.ReportState.RETURNED and p.completed_at is None
    assert Notification.objects.filter(user=cast.member_a1, kind="study.report_reviewed").exists()

    client.force_login(cast.member_a1)
    client.post(url, {"text": text + " Liên hệ thực tế: phòng Ngân sách số hóa hồ sơ.", "action": "submit"})
    client.force_login(cast.secretary_a1)
    client.post(review, {"outcome": "accept", "grade": "good", "comment": ""})
    p.refresh_from_db()
    assert p.report_state == Progress.ReportState.ACCEPTED and p.report_grade == "good"
    assert p.completed_at is not None and p.step == Progress.Step.DONE
    assert AuditLog.objects.filter(action="study.accept_report").exists()
    _rows, total = services.completion_by_unit(campaign, cast.gr_a)
    assert (total.completed, total.target) == (1, 3)


def test_staff_of_another_branch_cannot_review(cast, client):
    campaign = make_campaign(cast, targets=[(cast.bloc, True)])
    p = submitted_report(campaign, cast.m_a1)
    client.force_login(cast.staff_b)
    resp = client.post(reverse("study:review", args=[campaign.pk, p.pk]), {"outcome": "accept", "grade": "good"})
    assert resp.status_code == 404
    client.force_login(cast.inspector)  # reads, does not review
    resp = client.post(reverse("study:review", args=[campaign.pk, p.pk]), {"outcome": "accept", "grade": "good"})
    assert resp.status_code == 404
    p.refresh_from_db()
    assert p.report_state == Progress.ReportState.SUBMITTED


# ---- sessions and attendance --------------------------------------------------------------------


def test_attendance_counts_as_studying_when_no_quiz_or_report(cast, client):
    campaign = make_campaign(cast, quiz_required=False, report_required=False, questions=0)
    session = make_session(campaign, cast.cell_a1)
    client.force_login(cast.secretary_a1)
    url = reverse("study:attendance", args=[campaign.pk, session.pk])
    client.post(url, {"member": [cast.m_a1.pk, cast.m_a1_other.pk]})
    assert set(Progress.objects.filter(completed_at__isnull=False).values_list("member_id", flat=True)) == {
        cast.m_a1.pk,
        cast.m_a1_other.pk,
    }
    client.post(url, {"member": [cast.m_a1.pk]})  # corrected: the other member was not there
    p = Progress.objects.get(member=cast.m_a1_other)
    assert not p.attended and p.completed_at is None
    # A member of another cell cannot be ticked into this cell's session.
    resp = client.post(url, {"member": [cast.m_a2.pk]})
    assert resp.status_code == 200 and resp.context["error"]
    assert session.attendances.count() == 1


def test_sessions_added_through_the_page(cast, client):
    campaign = make_campaign(cast)
    client.force_login(cast.staff_a)
    url = reverse("study:sessions", args=[campaign.pk])
    resp = client.post(
        url, {"unit": cast.gr_a.pk, "held_on": fmt(TODAY), "mode": "online", "place": "https://hop.example"}
    )
    assert resp.status_code == 302
    s = campaign.sessions.get()
    assert s.mode == "online" and s.unit == cast.gr_a
    resp = client.post(url, {"unit": cast.gr_a.pk, "held_on": fmt(TODAY), "mode": "in_person", "makeup": "on"})
    assert resp.status_code == 200 and campaign.sessions.count() == 1  # make-up sessions come after the deadline
    # A unit the campaign does not target is not offered: refused outright.
    resp = client.post(url, {"unit": cast.gr_b.pk, "held_on": fmt(TODAY), "mode": "in_person"})
    assert resp.status_code == 404 and campaign.sessions.count() == 1


# ---- creating and publishing -----------------------------------------------------------------------


def test_office_creates_adds_questions_and_publishes(cast, client):
    client.force_login(cast.bloc_user)
    data = {
        "title": "Học tập Nghị quyết Đại hội",
        "unit": cast.bloc.pk,
        "targets": [cast.bloc.pk],
        "subtree": "on",
        "material": "Tài liệu",
        "opens_on": fmt(TODAY),
        "deadline": fmt(TODAY - datetime.timedelta(days=1)),
        "quiz_required": "on",
        "pass_mark": 80,
        "max_attempts": 3,
        "quiz_size": 0,
    }
    resp = client.post(reverse("study:new"), data)
    assert resp.status_code == 200 and not Campaign.objects.exists()
    assert "Học tập Nghị quyết Đại hội" in resp.content.decode()
    data["deadline"] = fmt(TODAY + datetime.timedelta(days=30))
    resp = client.post(reverse("study:new"), data)
    campaign = Campaign.objects.get()
    assert resp["Location"] == reverse("study:detail", args=[campaign.pk])
    assert campaign.state == Campaign.State.DRAFT

    client.post(reverse("study:publish", args=[campaign.pk]))
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.DRAFT  # a quiz is required and there is no question

    q_url = reverse("study:questions", args=[campaign.pk])
    resp = client.post(q_url, {"text": "Câu 1?", "kind": "single", "answers": "*Một\n*Hai\nBa"})
    assert resp.status_code == 200 and not Question.objects.exists()
    client.post(q_url, {"text": "Câu 1?", "kind": "single", "answers": "*Một\nHai\nBa"})
    client.post(q_url, {"text": "Câu 2?", "kind": "multiple", "answers": "*Một\n*Hai\nBa"})
    assert list(campaign.questions.values_list("kind", flat=True)) == ["single", "multiple"]
    client.post(reverse("study:publish", args=[campaign.pk]))
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.PUBLISHED
    # The committees and secretaries of the whole tree are told; members see it on their home page.
    assert Notification.objects.filter(user=cast.staff_b, kind="study.published").exists()
    assert Notification.objects.filter(user=cast.secretary_a1, kind="study.published").exists()
    client.force_login(cast.member_a1)
    assert campaign.title in client.get(reverse("core:home")).content.decode()


def test_targets_must_lie_under_the_organizer(cast):
    with pytest.raises(ValidationError):
        services.create_campaign(
            unit=cast.gr_a,
            targets=[(cast.gr_b, True)],
            actor=cast.staff_a,
            title="X",
            opens_on=TODAY,
            deadline=TODAY,
        )
    assert not Campaign.objects.exists()


# ---- completion and figures --------------------------------------------------------------------------


def _complete(campaign, member):
    services.mark_read(campaign=campaign, member=member)
    if campaign.quiz_required:
        a = services.start_attempt(campaign=campaign, member=member)
        services.submit_attempt(attempt=a, answers=correct_answers(a))


@pytest.mark.parametrize("member_driven_max", [60, 0], ids=["from-members", "from-progress-rows"])
def test_completion_by_unit_and_its_denominator(
    cast, client, django_assert_max_num_queries, monkeypatch, member_driven_max
):
    monkeypatch.setattr(services, "MEMBER_DRIVEN_MAX_UNITS", member_driven_max)
    campaign = make_campaign(cast, targets=[(cast.bloc, True)], report_required=False)
    make_member("Suspended One", cast.cell_a2, status=Member.Status.SUSPENDED)
    gone = make_member("Gone One", cast.cell_b1, status=Member.Status.TRANSFERRED_OUT)
    exempted = make_member("Exempt One", cast.cell_b1, status=Member.Status.EXEMPTED)
    _complete(campaign, cast.m_a1)
    _complete(campaign, cast.m_a2)
    _complete(campaign, exempted)  # studied, then exempted: not counted either way
    Member.objects.filter(pk=exempted.pk).update(status=Member.Status.EXEMPTED)
    services.mark_read(campaign=campaign, member=cast.m_b1)  # started only
    assert not Progress.objects.filter(member=gone).exists()

    rows, total = services.completion_by_unit(campaign, cast.bloc)
    by_name = {r.unit.name: (r.target, r.started, r.completed) for r in rows}
    assert by_name == {
        "Đảng bộ Sở Tài chính": (3, 2, 2),
        "Đảng bộ Sở Y tế": (1, 1, 0),
        "Chi bộ Ban Dân vận": (1, 0, 0),
    }
    assert (total.target, total.completed, total.percent) == (5, 2, Decimal("40.0"))

    client.force_login(cast.bloc_user)
    with django_assert_max_num_queries(14):
        resp = client.get(reverse("study:completion", args=[campaign.pk]))
    assert resp.context["total"].completed == 2
    assert "(40%)" in resp.content.decode() and "40,0" not in resp.content.decode()  # one number format
    # Grassroots staff see their own subtree.
    client.force_login(cast.staff_a)
    resp = client.get(reverse("study:completion", args=[campaign.pk]))
    assert resp.context["root"] == cast.gr_a
    assert (resp.context["total"].target, resp.context["total"].completed) == (3, 2)
    # A cell lists its members, the stragglers first asked for.
    resp = client.get(reverse("study:completion", args=[campaign.pk]) + f"?unit={cast.cell_a1.pk}&pending=1")
    assert [m.pk for m, _p in resp.context["members"].rows] == [cast.m_a1_other.pk]
    # Out of scope: another branch's unit.
    assert client.get(reverse("study:completion", args=[campaign.pk]) + f"?unit={cast.gr_b.pk}").status_code == 404

    figures = {f.key: f.value for f in period_figures(cast.bloc, TODAY, TODAY + datetime.timedelta(days=60))}
    assert figures == {"study.campaigns": 1, "study.members_studied": 2, "study.studied_percent": Decimal("40.0")}
    figures = {f.key: f.value for f in period_figures(cast.gr_a, TODAY, TODAY + datetime.timedelta(days=60))}
    assert figures["study.studied_percent"] == Decimal("66.7")
    figures = {f.key: f.value for f in period_figures(cast.bloc, TODAY - datetime.timedelta(days=60), TODAY)}
    assert figures == {"study.campaigns": 0, "study.members_studied": 0, "study.studied_percent": None}


def test_changing_the_definition_recomputes_completion(cast):
    campaign = make_campaign(cast, report_required=False)
    _complete(campaign, cast.m_a1)
    assert Progress.objects.get(member=cast.m_a1).completed_at
    fields = {k: getattr(campaign, k) for k in services.CAMPAIGN_FIELDS}
    fields["report_required"] = True
    services.update_campaign(campaign=campaign, targets=[(cast.gr_a, True)], actor=cast.bloc_user, **fields)
    assert Progress.objects.get(member=cast.m_a1).completed_at is None


def test_excel_export(cast, client):
    campaign = make_campaign(cast, targets=[(cast.bloc, True)], report_required=False)
    _complete(campaign, cast.m_c)
    client.force_login(cast.bloc_user)
    resp = client.get(reverse("study:export", args=[campaign.pk]))
    assert resp["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(resp.content)).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert ["Chi bộ Ban Dân vận", 1, 1, 1, 0, 100.0] in [r[1:7] for r in values]
    assert values[-1][2:5] == [5, 1, 1]


def test_list_pages_query_counts(cast, client, django_assert_max_num_queries):
    for i in range(5):
        make_campaign(cast, targets=[(cast.bloc, True)], title=f"Chiến dịch {i}")
    client.force_login(cast.bloc_user)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("study:home")).status_code == 200
    request = RequestFactory().get("/")
    request.user = cast.bloc_user
    with django_assert_max_num_queries(6 + 4 * panels.STAFF_PANEL_SIZE):
        cards = panels.home_panels(request)
    assert len(cards[0]["rows"]) == panels.STAFF_PANEL_SIZE
    client.force_login(cast.member_a1)
    with django_assert_max_num_queries(12):
        resp = client.get(reverse("study:home"))
    assert len(resp.context["mine"]) == 5


# ---- reminders -------------------------------------------------------------------------------------


def test_office_reminds_the_stragglers_and_secretaries(cast, client):
    campaign = make_campaign(cast, targets=[(cast.bloc, True)], report_required=False)
    other_login = make_user("dv_other", Role.MEMBER, cast.cell_a1)
    cast.m_a1_other.user = other_login
    cast.m_a1_other.save()
    _complete(campaign, cast.m_a1)
    client.force_login(cast.bloc_user)
    resp = client.post(reverse("study:remind", args=[campaign.pk]))
    assert resp.status_code == 302
    reminded = set(Notification.objects.filter(kind="study.reminder").values_list("user__username", flat=True))
    assert reminded == {"dv_other"}  # member_a1 finished; members without a login get nothing
    summary = Notification.objects.get(kind="study.summary")
    assert summary.user == cast.secretary_a1 and "còn 1 đảng viên" in summary.title


def test_daily_reminders_once_per_offset(cast, settings):
    campaign = make_campaign(cast, report_required=False, deadline=TODAY + datetime.timedelta(days=20))
    # Offsets of reminders.offset_days are 90, 60, 30, 15, 7: 20 days left falls in the 30-day round.
    assert services.send_reminders(TODAY) == 1
    assert ReminderSent.objects.get(campaign=campaign).days_before == 30
    assert Notification.objects.filter(user=cast.member_a1, kind="study.reminder").count() == 1
    assert services.send_reminders(TODAY) == 0
    assert services.send_reminders(TODAY + datetime.timedelta(days=6)) == 1  # 14 days left: the 15-day round
    _complete(campaign, cast.m_a1)
    out = io.StringIO()
    call_command("study_reminders", stdout=out)
    assert Notification.objects.filter(user=cast.member_a1, kind="study.reminder").count() == 2
    assert services.send_reminders(campaign.deadline + datetime.timedelta(days=1)) == 0


def test_demo_builds_a_campaign(db):
    # The demo builder's tree, members and logins, then this app's demo alone (other apps' demos are theirs).
    from dangbo.demo.builder import DemoBuilder
    from dangbo.study import demo

    builder = DemoBuilder(members=300)
    builder.build_tree()
    builder.build_members()
    builder.build_users()
    builder.build_member_logins()
    demo.build(builder)
    campaign = Campaign.objects.get(title__contains="57-NQ/TW")
    assert campaign.state == Campaign.State.PUBLISHED and campaign.questions.count() >= 10
    assert campaign.documents.filter(number="57-NQ/TW").exists()
    from dangbo.org.models import OrgUnit

    bloc = OrgUnit.objects.get(depth=0)
    _rows, total = services.completion_by_unit(campaign, bloc)
    assert 0 < total.completed < total.target
    finance = builder.units["finance"]
    _rows, finance_total = services.completion_by_unit(campaign, finance)
    assert finance_total.completed > 0
    dangvien = Progress.objects.get(campaign=campaign, member__user__username="dangvien")
    assert dangvien.read_at and dangvien.completed_at is None and not dangvien.quiz_attempts.exists()


def test_a_member_sees_only_unclassified_documents_of_the_campaign(cast, client):
    from dangbo.documents.models import Document

    campaign = make_campaign(cast)
    day = datetime.date(2024, 12, 22)
    normal = Document.objects.create(
        kind="resolution", number="57-NQ/TW", title="Nghị quyết công khai", issued_on=day, issuer="BCT", unit=cast.bloc
    )
    secret = Document.objects.create(
        kind="resolution",
        number="99-NQ/TW",
        title="Nghị quyết mật",
        issued_on=day,
        issuer="BCT",
        unit=cast.bloc,
        secrecy=Document.Secrecy.SECRET,
    )
    campaign.documents.set([normal, secret])
    client.force_login(cast.member_a1)
    page = client.get(reverse("study:study", args=[campaign.pk])).content.decode()
    assert "Nghị quyết công khai" in page and "Nghị quyết mật" not in page


def test_attendance_entered_later_completes_on_the_sessions_day(cast, client):
    """Issue on history §3: attendance of a session held on 15/04/2021, typed today, completes the study on
    15/04/2021, so the second quarter of 2021 counts it (before: stamped today, 0 % in the 2021 report)."""
    from dangbo.core.figures import collect

    campaign = make_campaign(cast, quiz_required=False, report_required=False, questions=0)
    Campaign.objects.filter(pk=campaign.pk).update(
        opens_on=datetime.date(2021, 3, 1), deadline=datetime.date(2021, 5, 31)
    )
    session = Session.objects.create(campaign=campaign, unit=cast.cell_a1, held_on=datetime.date(2021, 4, 15))
    client.force_login(cast.secretary_a1)
    resp = client.post(reverse("study:attendance", args=[campaign.pk, session.pk]), {"member": [cast.m_a1.pk]})
    assert resp.status_code in (200, 302)
    p = Progress.objects.get(member=cast.m_a1)
    assert timezone.localdate(p.completed_at) == datetime.date(2021, 4, 15)
    figures = collect(cast.cell_a1, datetime.date(2021, 4, 1), datetime.date(2021, 6, 30))
    assert figures["study.members_studied"].value == 1
