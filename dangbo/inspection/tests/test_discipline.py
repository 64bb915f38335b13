"""Discipline cases through the pages and services (DOMAIN.md §7: QĐ 69 Điều 4, 15; 296 Điều 8, 10, 12, 25)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from dangbo.core.dates import add_months, years_before
from dangbo.core.models import AuditLog, Notification
from dangbo.inspection import figures, services
from dangbo.inspection.models import Appeal, DisciplineCase, StateDiscipline, Vote
from dangbo.lifecycle import badges
from dangbo.members.models import Member, MemberEvent, MemberInterval

TODAY = timezone.localdate()


def ago(days):
    return TODAY - datetime.timedelta(days=days)


def fmt(day):
    return day.strftime("%d/%m/%Y")


def _post(client, case, action, **data):
    return client.post(
        reverse("inspection:discipline_action", args=[case.pk, action]), {f"{action}-{k}": v for k, v in data.items()}
    )


def _errors(resp):
    return " ".join(str(e) for _a, _t, f in resp.context["action_forms"] for e in f.non_field_errors())


def _open(cast, *, member=None, form="reprimand", body="cell", unit=None, violation_on=None, **extra):
    member = member or cast.m_a1_other
    return services.open_discipline(
        member=member,
        violation="Vi phạm quy định về những điều đảng viên không được làm",
        violation_on=violation_on or ago(100),
        proposed_form=form,
        deciding_unit=unit or member.unit,
        deciding_body=body,
        actor=None,
        **extra,
    )


def test_the_cell_reprimands_its_member_end_to_end(cast, login):
    client = login(cast.secretary_a1)
    url = reverse("inspection:discipline_new") + f"?member={cast.m_a1_other.pk}"
    resp = client.get(url)
    assert resp.status_code == 200 and resp.context["form"].initial["deciding_body"] == "cell"
    resp = client.post(
        url,
        {
            "member": cast.m_a1_other.pk,
            "violation": "Sử dụng mạng xã hội sai quy định",
            "violation_on": fmt(ago(60)),
            "category": "ordinary",
            "proposed_form": "reprimand",
            "deciding_unit": cast.cell_a1.pk,
            "deciding_body": "cell",
        },
    )
    case = DisciplineCase.objects.get()
    assert resp.status_code == 302 and case.member == cast.m_a1_other and case.unit == cast.cell_a1

    # The member is met and heard, then the vote: exactly half is not enough.
    assert _post(client, case, "hearing", day=fmt(ago(20)), attended="yes").status_code == 302
    resp = _post(
        client,
        case,
        "vote",
        stage="decision",
        form="reprimand",
        held_on=fmt(ago(10)),
        total=10,
        in_favour=5,
        decision_no="01-QĐ/CB",
    )
    assert resp.status_code == 302
    case.refresh_from_db()
    assert case.state == "open" and Vote.objects.get().passed is False
    assert not MemberEvent.objects.filter(kind=MemberEvent.Kind.DISCIPLINED).exists()

    resp = _post(
        client,
        case,
        "vote",
        stage="decision",
        form="reprimand",
        held_on=fmt(ago(9)),
        total=10,
        in_favour=6,
        decision_no="01-QĐ/CB",
    )
    assert resp.status_code == 302
    case.refresh_from_db()
    # A cell's decision is in force from the day the vote result is announced.
    assert case.state == "decided" and case.form == "reprimand" and case.effective_on == ago(9)
    assert case.decided_on == ago(9) and case.decision_no == "01-QĐ/CB"
    event = MemberEvent.objects.get(member=cast.m_a1_other, kind=MemberEvent.Kind.DISCIPLINED)
    assert (event.date, event.decision_no, event.note, event.actor) == (
        ago(9),
        "01-QĐ/CB",
        "Khiển trách",
        cast.secretary_a1,
    )
    assert AuditLog.objects.filter(action="inspection.decide", object_id=str(case.pk)).exists()

    docx = client.get(reverse("inspection:discipline_docx", args=[case.pk]))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    assert "01-QĐ/CB" in client.get(case.get_absolute_url()).content.decode()
    # The figures count the member in the period.
    assert figures.counts(cast.bloc, ago(30), TODAY)["discipline_members"] == 1
    assert figures.counts(cast.bloc, ago(8), TODAY)["discipline_members"] == 0


def test_a_decision_outside_the_authority_is_refused_with_the_reason(cast, login):
    client = login(cast.secretary_a1)
    url = reverse("inspection:discipline_new") + f"?member={cast.m_a1_other.pk}"
    data = {
        "member": cast.m_a1_other.pk,
        "violation": "Vi phạm nhiệm vụ cấp trên giao",
        "violation_on": fmt(ago(60)),
        "category": "ordinary",
        "proposed_form": "warning",
        "higher_task": "on",
        "deciding_unit": cast.cell_a1.pk,
        "deciding_body": "cell",
    }
    resp = client.post(url, data)
    assert resp.status_code == 200
    assert "cấp trên giao" in " ".join(resp.context["form"].non_field_errors())
    assert resp.context["form"]["violation"].value() == "Vi phạm nhiệm vụ cấp trên giao"  # nothing lost
    assert not DisciplineCase.objects.exists()
    # The chi ủy has no power at all.
    resp = client.post(url, {**data, "higher_task": "", "deciding_body": "cell_committee"})
    assert "Chi ủy không có thẩm quyền" in " ".join(resp.context["form"].non_field_errors())
    # Proposed to the grassroots committee instead: accepted.
    staff = login(cast.staff_a)
    resp = staff.post(url, {**data, "deciding_unit": cast.gr_a.pk, "deciding_body": "standing"})
    assert resp.status_code == 302 and DisciplineCase.objects.get().deciding_body == "standing"


def test_the_authority_is_checked_again_at_the_vote(cast, login):
    case = _open(cast, form="warning")
    services.record_hearing(case=case, day=ago(5), attended=True, actor=None)
    resp = _post(
        login(cast.secretary_a1),
        case,
        "vote",
        stage="decision",
        form="expulsion",
        held_on=fmt(ago(1)),
        total=5,
        in_favour=5,
        decision_no="2",
    )
    assert "chỉ quyết định khiển trách hoặc cảnh cáo" in _errors(resp)
    assert not Vote.objects.exists()


def test_the_member_is_heard_before_the_vote_and_deferrals_hold_it(cast):
    case = _open(cast, member=cast.m_a1)

    def vote(day):
        return services.record_vote(
            case=case,
            stage="decision",
            form="reprimand",
            held_on=day,
            total=3,
            in_favour=2,
            decision_no="3-QĐ/CB",
            actor=None,
        )

    with pytest.raises(ValidationError, match="nghe đảng viên trình bày"):
        vote(ago(30))
    # Repeated unexcused refusals (the rule's number, 2) do not stop the case.
    services.record_hearing(case=case, day=ago(40), attended=False, actor=None)
    with pytest.raises(ValidationError, match="nghe đảng viên trình bày"):
        vote(ago(30))
    services.record_hearing(case=case, day=ago(35), attended=False, actor=None)
    # A child born 100 days ago: deferred until the day before it is 12 months old.
    d = services.add_deferral(case=case, reason="infant", starts_on=ago(100), actor=None)
    assert d.ends_on == add_months(ago(100), 12) - datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="12 tháng"):
        services.add_deferral(
            case=case, reason="infant", starts_on=ago(100), ends_on=add_months(ago(100), 12), actor=None
        )
    with pytest.raises(ValidationError, match="tạm hoãn"):
        vote(ago(30))
    # Pregnancy and illness: the stated dates, both ends included.
    case2 = _open(cast, member=cast.m_b1, unit=cast.cell_b1)
    services.record_hearing(case=case2, day=ago(60), attended=True, actor=None)
    services.add_deferral(case=case2, reason="pregnancy", starts_on=ago(50), ends_on=ago(20), actor=None)
    for day in (ago(50), ago(20)):
        with pytest.raises(ValidationError, match="tạm hoãn"):
            services.record_vote(
                case=case2,
                stage="decision",
                form="reprimand",
                held_on=day,
                total=3,
                in_favour=2,
                decision_no="4",
                actor=None,
            )
    v = services.record_vote(
        case=case2,
        stage="decision",
        form="reprimand",
        held_on=ago(19),
        total=3,
        in_favour=2,
        decision_no="4",
        actor=None,
    )
    assert v.passed
    with pytest.raises(ValidationError):
        services.add_deferral(case=case2, reason="illness", starts_on=ago(5), ends_on=ago(1), actor=None)


@pytest.mark.parametrize(
    ("form", "body", "unit", "years"), [("reprimand", "cell", "cell_a1", 5), ("warning", "committee", "gr_a", 10)]
)
def test_limitation_period_boundaries(cast, form, body, unit, years):
    """QĐ 69 Điều 4: 5 years for a reprimand, 10 for a warning; the last day is the anniversary itself (Bộ luật
    Dân sự 2015, Điều 148; docs/rules.md), the first day out the next."""
    ends = ago(10)
    violation_on = years_before(ends - datetime.timedelta(days=1), years)
    case = _open(cast, form=form, body=body, unit=getattr(cast, unit), violation_on=violation_on)
    services.record_hearing(case=case, day=ago(40), attended=True, actor=None)
    kw = {
        "case": case,
        "stage": "decision",
        "form": form,
        "total": 3,
        "in_favour": 2,
        "decision_no": "5",
        "actor": None,
    }
    with pytest.raises(ValidationError, match="Thời hiệu"):
        services.record_vote(held_on=ends, decided_on=ends, **kw)
    assert not Vote.objects.exists()
    vote = services.record_vote(held_on=ends - datetime.timedelta(days=1), decided_on=ago(5), **kw)
    assert vote.passed and DisciplineCase.objects.get().rule_values["limitation_ends"] == ends.isoformat()


def test_a_new_violation_restarts_the_limitation_and_exempt_categories_have_none(cast):
    old = years_before(ago(10), 5)
    restarted = _open(cast, violation_on=old, new_violation_on=old + datetime.timedelta(days=400))
    one_day = datetime.timedelta(days=1)
    assert (
        services.limitation_end(restarted, "reprimand")
        == years_before(old + datetime.timedelta(days=400), -5) + one_day
    )
    services.record_hearing(case=restarted, day=ago(30), attended=True, actor=None)
    assert services.record_vote(
        case=restarted,
        stage="decision",
        form="reprimand",
        held_on=ago(5),
        total=3,
        in_favour=2,
        decision_no="6",
        actor=None,
    ).passed
    # Another case of the same member counts as a new violation too.
    first = _open(cast, member=cast.m_a1, violation_on=years_before(ago(10), 5))
    assert services.limitation_end(first, "reprimand") == ago(10) + one_day
    _open(cast, member=cast.m_a1, violation_on=ago(300))
    assert services.limitation_end(first, "reprimand") == years_before(ago(300), -5) + one_day
    # Security, defence or foreign affairs: no limitation at all; nor for expulsion.
    exempt = _open(cast, member=cast.m_c, violation_on=datetime.date(2001, 1, 1), category="security")
    assert services.limitation_end(exempt, "reprimand") is None
    assert services.limitation_end(first, "expulsion") is None


def test_expulsion_needs_a_two_thirds_proposal_then_a_majority(cast, login):
    from dangbo.members.intervals import rebuild_intervals

    m = cast.m_a1_other
    MemberEvent.objects.create(
        member=m, kind="admitted", date=datetime.date(2015, 1, 1), to_unit=m.unit, status_after="official"
    )
    rebuild_intervals([m.pk])
    case = _open(cast, form="expulsion", body="standing", unit=cast.gr_a)
    client = login(cast.staff_a)
    _post(client, case, "hearing", day=fmt(ago(30)), attended="yes")
    resp = _post(
        client,
        case,
        "vote",
        stage="decision",
        form="expulsion",
        held_on=fmt(ago(5)),
        total=9,
        in_favour=9,
        decision_no="9-QĐ/ĐU",
        decided_on=fmt(ago(5)),
    )
    assert "hai phần ba" in _errors(resp)
    _post(client, case, "vote", stage="proposal", form="expulsion", held_on=fmt(ago(20)), total=9, in_favour=5)
    assert Vote.objects.get().passed is False  # 5 of 9 < 2/3
    _post(client, case, "vote", stage="proposal", form="expulsion", held_on=fmt(ago(19)), total=9, in_favour=6)
    assert Vote.objects.filter(stage="proposal", passed=True).count() == 1  # exactly 2/3 is enough
    _post(
        client,
        case,
        "vote",
        stage="decision",
        form="expulsion",
        held_on=fmt(ago(6)),
        total=8,
        in_favour=4,
        decision_no="9-QĐ/ĐU",
        decided_on=fmt(ago(5)),
    )
    case.refresh_from_db()
    assert case.state == "open"  # 4 of 8 is not more than half
    resp = _post(
        client,
        case,
        "vote",
        stage="decision",
        form="expulsion",
        held_on=fmt(ago(6)),
        total=8,
        in_favour=5,
        decision_no="9-QĐ/ĐU",
        decided_on=fmt(ago(5)),
    )
    assert resp.status_code == 302
    case.refresh_from_db()
    m.refresh_from_db()
    assert case.state == "decided" and case.effective_on == ago(5)  # a committee: the decision's date
    assert m.status == Member.Status.EXPELLED
    assert m.events.filter(kind="expelled", decision_no="9-QĐ/ĐU", status_after="expelled", actor=cast.staff_a).exists()
    assert m.events.filter(kind="disciplined", note="Khai trừ", date=ago(5)).exists()
    assert MemberInterval.objects.filter(member=m, status="expelled", valid_from=ago(5)).exists()


def _decided(cast, received_on):
    case = _open(cast)
    services.record_hearing(case=case, day=received_on - datetime.timedelta(days=5), attended=True, actor=None)
    services.record_vote(
        case=case,
        stage="decision",
        form="reprimand",
        held_on=received_on,
        total=3,
        in_favour=2,
        decision_no="7-QĐ/CB",
        actor=None,
    )
    return services.record_receipt(case=case, day=received_on, actor=None)


def test_appeals_within_the_window_and_their_answer(cast, login):
    received = ago(40)
    case = _decided(cast, received)
    assert services.appeal_deadline(case) == received + datetime.timedelta(days=30)
    client = login(cast.secretary_a1)
    resp = _post(client, case, "appeal", filed_on=fmt(received + datetime.timedelta(days=31)), content="Xin xem lại")
    assert "quá thời hạn" in _errors(resp) and not Appeal.objects.exists()
    resp = _post(
        client,
        case,
        "appeal",
        filed_on=fmt(received + datetime.timedelta(days=30)),
        content="Xin xem lại",
        on_behalf="on",
    )
    assert "khiếu nại hộ" in _errors(resp)
    resp = _post(client, case, "appeal", filed_on=fmt(received + datetime.timedelta(days=30)), content="Xin xem lại")
    assert resp.status_code == 302 and Appeal.objects.get().outcome == "pending"
    assert [a.case for a in login(cast.inspector).get(reverse("inspection:home")).context["appeals"]] == [case]
    answer = {
        "appeal": Appeal.objects.get().pk,
        "outcome": "changed",
        "new_form": "warning",
        "decided_on": fmt(ago(1)),
        "answer": "Tăng hình thức",
    }
    # The cell that decided does not answer the appeal against its own decision: the level above does.
    resp = _post(login(cast.secretary_a1), case, "answer", **answer)
    assert resp.status_code == 404 and Appeal.objects.get().outcome == "pending"
    resp = _post(login(cast.staff_a), case, "answer", **answer)
    assert resp.status_code == 302  # the grassroots committee above the cell
    case.refresh_from_db()
    assert case.form == "warning"
    assert MemberEvent.objects.get(kind="disciplined").note == "Cảnh cáo"


def test_an_annulled_decision_leaves_the_record_and_the_figures(cast):
    case = _decided(cast, ago(20))
    appeal = services.file_appeal(case=case, filed_on=ago(10), content="Oan", actor=None)
    assert figures.counts(cast.bloc, ago(30), TODAY)["discipline_members"] == 1
    services.answer_appeal(appeal=appeal, outcome="annulled", decided_on=ago(2), answer="Xóa kỷ luật", actor=None)
    assert not MemberEvent.objects.filter(kind="disciplined").exists()
    assert figures.counts(cast.bloc, ago(30), TODAY)["discipline_members"] == 0


def test_state_discipline_is_notified_within_five_days(cast, login):
    client = login(cast.staff_a)
    url = reverse("inspection:notices")
    resp = client.post(
        url,
        {
            "member": cast.m_a1_other.pk,
            "authority_name": "Giám đốc Sở",
            "form": "Khiển trách",
            "decision_no": "12/QĐ",
            "decided_on": fmt(ago(10)),
        },
    )
    assert resp.status_code == 302
    n = StateDiscipline.objects.get()
    assert n.due_on == ago(5) and n.notified_on is None
    call_command("inspection_reminders")
    assert Notification.objects.filter(user=cast.secretary_a1, kind="inspection.state_notice").exists()
    client.post(reverse("inspection:notice_notified", args=[n.pk]), {"notified-day": fmt(ago(5))})
    n.refresh_from_db()
    assert n.notified_on == ago(5) and not n.late  # on the fifth day: in time
    n2 = services.record_state_discipline(
        member=cast.m_a1,
        authority_name="Sở",
        form="Cảnh cáo",
        decision_no="13",
        decided_on=ago(10),
        notified_on=ago(4),
        actor=None,
    )
    assert n2.late
    # Out of scope: staff_b cannot record for a member of gr_a.
    assert login(cast.staff_b).get(url + f"?member={cast.m_a1_other.pk}").status_code == 404


def test_discipline_defers_the_party_badge(cast):
    """DOMAIN.md §11: not awarded for the rule's months of good correction after a warning (9)."""
    m = cast.m_a1_other
    start = years_before(TODAY, 31)
    Member.objects.filter(pk=m.pk).update(admission_date=start, admission_decision_date=start)
    m.refresh_from_db()
    case = _open(cast, form="warning")
    services.record_hearing(case=case, day=ago(40), attended=True, actor=None)
    services.record_vote(
        case=case, stage="decision", form="warning", held_on=ago(30), total=3, in_favour=2, decision_no="8", actor=None
    )
    occasion = TODAY
    row = badges.evaluate(m, occasion)
    assert row is not None and row.deferred_until == add_months(ago(30), 9)
    rows = badges.eligibility(Member.objects.filter(pk=m.pk), occasion)
    assert rows[0].deferred_until == add_months(ago(30), 9)
    later = add_months(ago(30), 9)
    assert badges.evaluate(m, later).deferred_until is None


def test_the_daily_reminders(cast):
    case = _open(cast, member=cast.m_a1)
    services.add_deferral(
        case=case, reason="illness", starts_on=ago(30), ends_on=TODAY + datetime.timedelta(days=3), actor=None
    )
    n = __import__("dangbo.inspection.reminders", fromlist=["send"]).send()
    assert n >= 1
    assert Notification.objects.filter(user=cast.secretary_a1, kind="inspection.deferral_ending").exists()


def test_an_organization_is_disciplined_by_the_committee_above(cast, login):
    client = login(cast.staff_a)
    url = reverse("inspection:discipline_new") + "?org=1"
    data = {
        "org": cast.cell_a2.pk,
        "violation": "Không sinh hoạt định kỳ 6 tháng",
        "violation_on": fmt(ago(200)),
        "category": "ordinary",
        "proposed_form": "warning",
        "deciding_unit": cast.bloc.pk,
        "deciding_body": "standing",
    }
    resp = client.post(url, data)
    assert "trực tiếp" in " ".join(resp.context["form"].non_field_errors())
    resp = client.post(url, {**data, "deciding_unit": cast.gr_a.pk})
    case = DisciplineCase.objects.get()
    assert resp.status_code == 302 and case.org == cast.cell_a2 and case.unit == cast.cell_a2
    # No hearing of a member is needed for an organization.
    services.record_vote(
        case=case,
        stage="decision",
        form="warning",
        held_on=ago(3),
        total=9,
        in_favour=7,
        decision_no="20-QĐ/ĐU",
        decided_on=ago(2),
        actor=cast.staff_a,
    )
    case.refresh_from_db()
    assert case.state == "decided" and case.effective_on == ago(2)
    assert not MemberEvent.objects.filter(kind="disciplined").exists()
    c = figures.counts(cast.bloc, ago(10), TODAY)
    assert (c["discipline_orgs"], c["discipline_members"]) == (1, 0)
    assert client.get(reverse("inspection:discipline_docx", args=[case.pk])).status_code == 200
