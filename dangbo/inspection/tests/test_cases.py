"""Plans, supervision and inspection cases, and the figures of the seeds (DOMAIN.md §7; seed 002)."""

import datetime

from django.urls import reverse
from django.utils import timezone

from dangbo.core.models import AuditLog
from dangbo.inspection import figures, services
from dangbo.inspection.models import Case, Plan, Recommendation, Step, Target
from dangbo.testing import make_member

TODAY = timezone.localdate()


def ago(days):
    return TODAY - datetime.timedelta(days=days)


def fmt(day):
    return day.strftime("%d/%m/%Y")


def _act(client, case, action, **data):
    return client.post(
        reverse("inspection:case_action", args=[case.pk, action]), {f"{action}-{k}": v for k, v in data.items()}
    )


def test_the_commission_plans_and_runs_a_supervision_end_to_end(cast, login):
    client = login(cast.inspector)
    resp = client.post(
        reverse("inspection:plan_new"),
        {"unit": cast.bloc.pk, "subject": "commission", "year": TODAY.year, "number": "05-KH/UBKT", "content": "…"},
    )
    plan = Plan.objects.get()
    assert resp.status_code == 302 and plan.subject == "commission" and plan.created_by == cast.inspector
    # The same subject cannot have two plans for one year.
    resp = client.post(
        reverse("inspection:plan_new"), {"unit": cast.bloc.pk, "subject": "commission", "year": TODAY.year}
    )
    assert "đã có kế hoạch" in " ".join(resp.context["form"].non_field_errors())

    url = reverse("inspection:case_new") + f"?plan={plan.pk}"
    assert client.get(url).context["form"].initial["subject"] == "commission"
    resp = client.post(
        url,
        {
            "subject_unit": cast.bloc.pk,
            "subject": "commission",
            "kind": "thematic",
            "unit": cast.gr_a.pk,
            "title": "Giám sát chuyên đề công tác đảng viên",
            "planned_start": fmt(ago(60)),
        },
    )
    case = Case.objects.get()
    assert resp.status_code == 302 and case.plan == plan and case.state == "planned"

    assert _act(client, case, "start", started_on=fmt(ago(50)), team_leader="Trần Văn Kiểm").status_code == 302
    case.refresh_from_db()
    assert case.state == "running" and case.steps.count() == 6
    # Steps whose date has passed are flagged overdue, on the case and on the overview.
    assert client.get(case.get_absolute_url()).context["steps"][1].overdue
    assert any(s.case_id == case.pk for s in client.get(reverse("inspection:home")).context["overdue"])

    # Concluding needs the objects first.
    resp = _act(client, case, "conclude", concluded_on=fmt(ago(2)), conclusion="Tốt")
    assert "đối tượng" in " ".join(str(e) for _a, _t, f in resp.context["action_forms"] for e in f.non_field_errors())
    resp = _act(client, case, "targets", orgs=[cast.cell_a1.pk, cast.cell_a2.pk], members=[cast.m_a1.pk])
    assert resp.status_code == 302 and Target.objects.filter(case=case).count() == 3
    resp = _act(client, case, "targets", all_members="on")
    assert Target.objects.filter(case=case, member__isnull=False).count() == 3  # m_a1 once, m_a1_other, m_a2

    step = case.steps.get(order=1)
    _act(
        client,
        case,
        "step_done",
        step=step.pk,
        done_on=fmt(ago(49)),
        document_no="12-QĐ/UBKT",
        document_date=fmt(ago(50)),
    )
    step.refresh_from_db()
    assert step.done_on == ago(49) and step.document_no == "12-QĐ/UBKT"

    resp = _act(
        client,
        case,
        "conclude",
        concluded_on=fmt(ago(2)),
        conclusion_no="3-TB/UBKT",
        conclusion="Chấp hành tốt; còn chậm báo cáo.",
    )
    case.refresh_from_db()
    assert case.state == "concluded" and case.conclusion_no == "3-TB/UBKT"
    _act(client, case, "recommendation", text="Báo cáo đúng hạn", due_on=fmt(TODAY + datetime.timedelta(days=30)))
    rec = Recommendation.objects.get()
    _act(client, case, "follow_up", recommendation=rec.pk, done_on=fmt(ago(1)), follow_up="Đã khắc phục")
    rec.refresh_from_db()
    assert rec.done_on == ago(1) and rec.follow_up == "Đã khắc phục"
    assert AuditLog.objects.filter(action="inspection.conclude", object_id=str(case.pk)).exists()
    docx = client.get(reverse("inspection:case_docx", args=[case.pk]))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"

    # The figures: a commission's thematic supervision of 2 organizations and 3 members.
    c = figures.counts(cast.bloc, ago(60), TODAY)
    assert (c["commission_supervised_orgs"], c["commission_supervised_members"]) == (2, 3)
    assert (c["committee_supervised_orgs"], c["supervised_orgs"], c["inspected_orgs"]) == (0, 2, 0)


def test_case_new_takes_kind_unit_and_title_from_another_app(cast, login):
    client = login(cast.staff_a)
    url = reverse("inspection:case_new") + f"?kind=implementation&unit={cast.cell_a1.pk}&title=Nghị quyết 05"
    form = client.get(url).context["form"]
    assert form.initial["kind"] == "implementation" and form.initial["unit"] == cast.cell_a1
    assert form.initial["subject_unit"] == cast.gr_a and form.initial["title"] == "Nghị quyết 05"
    # A unit outside the user's scope is not found.
    assert login(cast.staff_b).get(url).status_code == 404
    client = login(cast.staff_a)
    # An object outside the subject's subtree is refused.
    resp = client.post(
        url,
        {"subject_unit": cast.cell_a2.pk, "subject": "cell", "kind": "regular", "unit": cast.cell_a1.pk, "title": "X"},
    )
    assert resp.status_code == 200 and not Case.objects.exists()
    assert "không trực thuộc" in " ".join(resp.context["form"].non_field_errors())
    # An inspection starts with its decision and its team leader.
    case = services.create_case(
        subject_unit=cast.gr_a,
        subject="commission",
        kind="implementation",
        unit=cast.cell_a1,
        title="Nghị quyết 05",
        actor=cast.staff_a,
    )
    resp = _act(client, case, "start", started_on=fmt(ago(1)))
    assert "quyết định" in " ".join(str(e) for _a, _t, f in resp.context["action_forms"] for e in f.non_field_errors())


def _case(cast, subject_unit, subject, kind, start, *, orgs=(), members=(), state="running"):
    case = Case.objects.create(
        subject_unit=subject_unit,
        subject=subject,
        kind=kind,
        unit=subject_unit,
        title="x",
        started_on=start,
        state=state,
    )
    Target.objects.bulk_create(
        [Target(case=case, org=o) for o in orgs] + [Target(case=case, member=m) for m in members]
    )
    return case


def test_the_seeds_figures_for_a_quarter(cast):
    q1, q2 = datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)
    extra = [make_member(f"Đảng viên {i}", cast.cell_a1) for i in range(4)]
    # Committees (and cells): organizations and members, regular supervision.
    _case(cast, cast.gr_a, "committee", "regular", q1, orgs=[cast.cell_a1, cast.cell_a2])
    _case(cast, cast.cell_a1, "cell", "regular", q2, members=[cast.m_a1, *extra])
    _case(cast, cast.bloc, "standing", "thematic", datetime.date(2026, 2, 1), orgs=[cast.cell_a1])  # counted once
    # Inspection commissions.
    _case(
        cast,
        cast.bloc,
        "commission",
        "regular",
        datetime.date(2026, 2, 10),
        orgs=[cast.gr_a, cast.gr_b],
        members=[cast.m_b1, cast.m_c],
    )
    _case(cast, cast.gr_a, "commission", "implementation", datetime.date(2026, 3, 5), orgs=[cast.cell_a2])
    # Outside the period, cancelled: not counted.
    _case(cast, cast.gr_a, "committee", "regular", datetime.date(2025, 12, 31), orgs=[cast.cell_a2])
    _case(cast, cast.gr_a, "committee", "regular", datetime.date(2026, 4, 1), orgs=[cast.cell_a2])
    _case(cast, cast.gr_a, "committee", "regular", q1, orgs=[cast.cell_b1], state="cancelled")

    c = figures.counts(cast.bloc, q1, q2)
    assert (c["committee_supervised_orgs"], c["committee_supervised_members"]) == (2, 5)
    assert (c["commission_supervised_orgs"], c["commission_supervised_members"]) == (2, 2)
    assert (c["commission_inspected_orgs"], c["inspected_orgs"], c["inspected_members"]) == (1, 1, 0)
    assert (c["supervised_orgs"], c["supervised_members"]) == (4, 7)
    assert figures.sentence(c) == (
        "Cấp ủy các cấp đã tiến hành giám sát 2 tổ chức, 5 đảng viên; Ủy ban kiểm tra các cấp giám sát "
        "2 đảng viên, 2 tổ chức đảng."
    )
    # A subtree: the grassroots committee of Sở Tài chính sees its own subjects only.
    c = figures.counts(cast.gr_a, q1, q2)
    assert (c["committee_supervised_orgs"], c["committee_supervised_members"], c["commission_inspected_orgs"]) == (
        2,
        5,
        1,
    )
    assert c["commission_supervised_orgs"] == 0
    # Offered to periodic reports under the task's keys.
    keys = {f.key for f in figures.period_figures(cast.bloc, q1, q2)}
    for key in [
        "supervised_orgs",
        "supervised_members",
        "inspected_orgs",
        "inspected_members",
        "committee_supervised_orgs",
        "commission_supervised_members",
        "discipline_members",
        "discipline_orgs",
    ]:
        assert f"inspection.{key}" in keys


def test_the_overview_shows_the_sentence_and_lists_stay_bounded(cast, login, django_assert_max_num_queries):
    for i in range(5):
        case = _case(cast, cast.gr_a, "committee", "regular", ago(10 + i), orgs=[cast.cell_a1])
        Step.objects.create(case=case, order=1, title="Báo cáo", due_on=ago(3))
        services.open_discipline(
            member=cast.m_a1_other,
            violation="v",
            violation_on=ago(40 + i),
            proposed_form="reprimand",
            deciding_unit=cast.cell_a1,
            deciding_body="cell",
            actor=None,
        )
    client = login(cast.inspector)
    resp = client.get(
        reverse("inspection:home"), {"unit": cast.bloc.pk, "date_from": fmt(ago(30)), "date_to": fmt(TODAY)}
    )
    assert "giám sát 1 tổ chức" in resp.content.decode()
    assert len(resp.context["overdue"]) == 5
    chart = resp.context["chart"]
    assert chart["labels"][0] == f"Q1 {TODAY.year}" and sum(chart["committee_orgs"]) >= 1
    for name in ("cases", "disciplines", "plans", "notices"):
        with django_assert_max_num_queries(12):
            assert client.get(reverse(f"inspection:{name}")).status_code == 200
    # The home page card of staff.
    assert any(p.get("overdue") == 5 for p in client.get(reverse("core:home")).context["app_panels"])
