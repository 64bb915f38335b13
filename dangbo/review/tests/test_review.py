"""Review and classification (DOMAIN.md §8, Quy định 366 Điều 11; HD 21-HD/BTCTW for the quota and the
disqualifying cases): levels at the point boundaries, the gates, the quota, the two-year flag, scope, lock."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from dangbo.core.models import Notification
from dangbo.lifecycle.models import RemovalProposal
from dangbo.members.models import Member, MemberEvent
from dangbo.review import services
from dangbo.review.figures import period_figures
from dangbo.review.levels import classify, thresholds
from dangbo.review.models import Level, MemberReview, UnitReview
from dangbo.rules.models import Rule, RuleVersion
from dangbo.testing import make_member

D = datetime.date
E = Level


def fmt(day):
    return day.strftime("%d/%m/%Y")


def open_year(cast, year=2026, unit=None):
    return services.open_period(
        unit=unit or cast.bloc,
        kind="year",
        year=year,
        starts_on=D(year, 1, 1),
        ends_on=D(year, 12, 31),
        self_deadline=D(year, 11, 30),
        actor=cast.bloc_user,
    )


def scores_for(review, total):
    """Points per criterion adding up to ``total`` (filled in criterion order)."""
    left = Decimal(total)
    out = {}
    for c in review.period.criteria.filter(group=review.group):
        v = min(left, c.max_points)
        out[c.pk] = v
        left -= v
    return out


def run(review, score, actor, **gates):
    services.submit_self_assessment(review=review, scores=scores_for(review, score), comment="Tự nhận xét", actor=actor)
    gates.setdefault("exceeding", Decimal(40))
    return services.appraise(review=review, score=Decimal(score), actor=actor, **gates)


def review_of(period, member):
    return MemberReview.objects.get(period=period, member=member)


def vote_all(period, grassroots, actor, day=None):
    day = day or D(2026, 11, 30)
    for ur in UnitReview.objects.filter(period=period, grassroots=grassroots, state="open").exclude(
        unit__kind="grassroots_committee"
    ):
        services.record_vote(unit_review=ur, voted_on=day, resolution_no="01-NQ/CB", present=5, actor=actor)


def g_review(period, unit):
    return UnitReview.objects.get(period=period, unit=unit)


# ---- score → level, exactly at the boundaries (366 Điều 11) ---------------------------------------------
@pytest.mark.parametrize(
    "score, level",
    [
        ("49", E.NOT_COMPLETE),
        ("49.99", E.NOT_COMPLETE),
        ("50", E.COMPLETE),
        ("69", E.COMPLETE),
        ("69.5", E.COMPLETE),
        ("70", E.GOOD),
        ("89", E.GOOD),
        ("89.5", E.GOOD),
        ("90", E.EXCELLENT),
        ("100", E.EXCELLENT),
    ],
)
def test_level_follows_the_points_at_the_boundaries(db, score, level):
    t = thresholds(None, D(2026, 12, 31))
    assert classify(score=Decimal(score), t=t, exceeding=Decimal(30), late=Decimal(0))[0] == level


def test_gates_lower_the_level(db):
    t = thresholds(None, D(2026, 12, 31))
    s95 = Decimal(95)
    # Excellent needs ≥ 30 % of tasks exceeding requirements (exactly 30 is enough) and nothing late.
    assert classify(score=s95, t=t, exceeding=Decimal("29.99"))[0] == E.GOOD
    assert classify(score=s95, t=t, exceeding=Decimal(30))[0] == E.EXCELLENT
    assert classify(score=s95, t=t, exceeding=Decimal(50), late=Decimal(5))[0] == E.COMPLETE
    # Complete allows at most 20 % late.
    assert classify(score=Decimal(60), t=t, late=Decimal(20))[0] == E.COMPLETE
    assert classify(score=Decimal(60), t=t, late=Decimal("20.5"))[0] == E.NOT_COMPLETE
    # Under 50 % of the assigned targets, or a disqualifying case: not complete whatever the points.
    assert classify(score=s95, t=t, exceeding=Decimal(50), targets=Decimal(49))[0] == E.NOT_COMPLETE
    assert classify(score=s95, t=t, exceeding=Decimal(50), targets=Decimal(50))[0] == E.EXCELLENT
    level, reasons = classify(score=s95, t=t, disqualifier="degradation", disqualifier_note="Kết luận 12-KL/UBKT")
    assert level == E.NOT_COMPLETE and "12-KL/UBKT" in reasons[0]
    assert classify(score=s95, t=t, status=Member.Status.EXEMPTED)[0] == E.NOT_CLASSIFIED
    assert classify(score=s95, t=t, status=Member.Status.SUSPENDED)[0] == E.NOT_CLASSIFIED


# ---- the whole year-end review of a committee, through the pages ----------------------------------------
def test_year_end_review_from_self_assessment_to_announcement(cast, login, django_assert_max_num_queries):
    client = login(cast.bloc_user)
    resp = client.post(
        reverse("review:period_open"),
        {
            "unit": cast.bloc.pk,
            "kind": "year",
            "year": 2026,
            "starts_on": "01/01/2026",
            "ends_on": "31/12/2026",
            "self_deadline": "30/11/2026",
        },
    )
    assert resp.status_code == 302
    period = services.ReviewPeriod.objects.get()
    assert MemberReview.objects.filter(period=period).count() == 5
    assert period.criteria.filter(group="member").count() == 6
    # A discipline decision in force in the year (written by the inspection app).
    MemberEvent.objects.create(
        member=cast.m_a1_other, kind=MemberEvent.Kind.DISCIPLINED, date=D(2026, 6, 3), note="Khiển trách"
    )

    # The member's own self-assessment.
    own = review_of(period, cast.m_a1)
    client = login(cast.member_a1)
    criteria = list(period.criteria.filter(group=own.group))
    data = {f"self-c{c.pk}": str(c.max_points) for c in criteria}
    data[f"self-c{criteria[0].pk}"] = "99"  # over the criterion's maximum: refused, input kept
    data["self-comment"] = "Hoàn thành tốt nhiệm vụ"
    resp = client.post(reverse("review:member_action", args=[own.pk, "self"]), data)
    assert resp.status_code == 200 and resp.context["forms"]["self"].errors
    assert 'value="99"' in resp.content.decode()
    data[f"self-c{criteria[0].pk}"] = str(criteria[0].max_points - 2)
    resp = client.post(reverse("review:member_action", args=[own.pk, "self"]), data)
    assert resp.status_code == 302
    own.refresh_from_db()
    assert own.self_score == Decimal(98) and own.self_submitted_at
    # The member cannot appraise themself.
    assert client.post(reverse("review:member_action", args=[own.pk, "appraise"]), {}).status_code == 404

    # The secretary records the other member's paper form and appraises both.
    client = login(cast.secretary_a1)
    other = review_of(period, cast.m_a1_other)
    services.submit_self_assessment(
        review=other, scores=scores_for(other, 92), comment="Bản tự kiểm điểm giấy", actor=cast.secretary_a1
    )
    resp = client.post(
        reverse("review:member_action", args=[own.pk, "appraise"]),
        {"appraise-score": "92", "appraise-exceeding": "35", "appraise-late": "0"},
    )
    assert resp.status_code == 302
    own.refresh_from_db()
    assert own.level == E.EXCELLENT
    resp = client.post(
        reverse("review:member_action", args=[other.pk, "appraise"]),
        {"appraise-score": "92", "appraise-exceeding": "35", "appraise-disqualifier": "degradation"},
    )
    assert "Hãy ghi căn cứ" in str(resp.context["forms"]["appraise"].non_field_errors())
    resp = client.post(
        reverse("review:member_action", args=[other.pk, "appraise"]),
        {"appraise-score": "92", "appraise-exceeding": "35"},
    )
    other.refresh_from_db()
    assert other.level == E.NOT_COMPLETE and "03/06/2026" in other.level_reasons

    # The vote of cell_a1; the decision waits for cell_a2.
    cell = g_review(period, cast.cell_a1)
    resp = client.post(
        reverse("review:unit_action", args=[cell.pk, "vote"]),
        {"vote-voted_on": "30/11/2026", "vote-resolution_no": "05-NQ/CB", "vote-present": "2"},
    )
    assert resp.status_code == 302
    cell.refresh_from_db()
    assert cell.state == "proposed"
    client = login(cast.staff_a)
    gr = g_review(period, cast.gr_a)
    decide = {"decide-decided_on": "01/12/2026", "decide-decision_no": "12-QĐ/ĐU"}
    resp = client.post(reverse("review:unit_action", args=[gr.pk, "decide"]), decide)
    assert "Chi bộ Phòng Tin học" in str(resp.context["forms"]["decide"].non_field_errors())
    # cell_a2: the probationary member, good.
    run(review_of(period, cast.m_a2), 80, cast.staff_a)
    vote_all(period, cast.gr_a, cast.staff_a)
    # One excellent of one good is over 20 %: blocked (the default mode).
    resp = client.post(reverse("review:unit_action", args=[gr.pk, "decide"]), decide)
    assert "20" in str(resp.context["forms"]["decide"].non_field_errors())
    gr.refresh_from_db()
    assert gr.state == "open"
    # The cell is past its vote: the appraisal can no longer change there.
    with pytest.raises(ValidationError):
        services.appraise(review=own, score=Decimal(88), actor=cast.secretary_a1)
    # The committee switches its quota rule to warn: the decision then needs the confirmation, recorded.
    RuleVersion.objects.create(
        rule=Rule.objects.get(key="review.excellent_quota_mode"),
        value="warn",
        legal_basis="Nghị quyết của Đảng ủy",
        effective_from=D(2026, 1, 1),
        scope_unit=cast.gr_a,
    )
    resp = client.post(reverse("review:unit_action", args=[gr.pk, "decide"]), decide)
    assert "Đánh dấu ô xác nhận" in str(resp.context["forms"]["decide"].non_field_errors())
    resp = client.post(
        reverse("review:unit_action", args=[gr.pk, "decide"]), {**decide, "decide-accept_quota_warning": "on"}
    )
    assert resp.status_code == 302
    gr.refresh_from_db()
    assert gr.state == "decided" and gr.quota_warning and gr.rule_values["quota_mode"] == "warn"
    assert set(UnitReview.objects.filter(period=period, grassroots=cast.gr_a).values_list("state", flat=True)) == {
        "decided"
    }

    resp = client.post(reverse("review:unit_action", args=[gr.pk, "announce"]), {"announce-announced_on": "01/12/2026"})
    assert resp.status_code == 302
    assert Notification.objects.filter(user=cast.member_a1, kind="review.announced").exists()
    # Locked after the announcement.
    with pytest.raises(ValidationError, match="đã được công bố"):
        services.appraise(review=own, score=Decimal(60), actor=cast.staff_a)
    with pytest.raises(ValidationError, match="đã được công bố"):
        services.classify_organization(unit_review=cell, score=Decimal(80), clean_strong=True, actor=cast.staff_a)
    assert client.post(reverse("review:unit_action", args=[gr.pk, "decide"]), decide).status_code == 404
    own.refresh_from_db()
    assert own.level == E.EXCELLENT

    # The unit page stays within a bounded number of queries (each rule lookup asks the unit history
    # once whether the cell's chain changed since the period: org.dated).
    with django_assert_max_num_queries(30):
        assert client.get(reverse("review:unit", args=[cell.pk])).status_code == 200


def test_exempted_and_suspended_members_are_not_classified(cast):
    Member.objects.filter(pk=cast.m_a2.pk).update(status=Member.Status.EXEMPTED)
    Member.objects.filter(pk=cast.m_b1.pk).update(status=Member.Status.SUSPENDED)
    period = open_year(cast)
    r = review_of(period, cast.m_a2)
    assert r.level == E.NOT_CLASSIFIED and "miễn công tác" in r.level_reasons
    assert review_of(period, cast.m_b1).level == E.NOT_CLASSIFIED
    with pytest.raises(ValidationError):
        services.submit_self_assessment(review=r, scores={}, comment="x", actor=cast.staff_a)
    # The cell of the exempted member votes without appraising them.
    vote_all(period, cast.gr_b, cast.staff_b)
    assert g_review(period, cast.cell_b1).state == "proposed"


def _cell_c_members(cast, n):
    return [make_member(f"Đảng viên {i}", cast.cell_c) for i in range(n)]


@pytest.mark.parametrize("excellent, good, blocked", [(1, 5, False), (2, 9, True), (2, 10, False), (3, 10, True)])
def test_quota_excellent_at_most_20_percent_of_good(cast, excellent, good, blocked):
    """HD 21-HD/BTCTW: excellent ≤ 20 % of good in the grassroots organization; exactly 20 % is allowed."""
    extra = _cell_c_members(cast, excellent + good - 1)
    period = open_year(cast)
    members = [cast.m_c, *extra]
    for i, m in enumerate(members):
        run(review_of(period, m), 95 if i < excellent else 80, cast.bloc_user)
    vote_all(period, cast.cell_c, cast.bloc_user)
    ur = g_review(period, cast.cell_c)
    if blocked:
        with pytest.raises(ValidationError, match="vượt quá 20%"):
            services.decide(unit_review=ur, decided_on=D(2026, 12, 1), decision_no="1-QĐ", actor=cast.bloc_user)
        ur.refresh_from_db()
        assert ur.state == "proposed"
    else:
        assert (
            services.decide(unit_review=ur, decided_on=D(2026, 12, 1), decision_no="1-QĐ", actor=cast.bloc_user) == ""
        )
        ur.refresh_from_db()
        assert ur.state == "decided"


def test_discipline_recorded_after_the_appraisal_still_forces_not_complete(cast):
    period = open_year(cast)
    run(review_of(period, cast.m_c), 85, cast.bloc_user)
    vote_all(period, cast.cell_c, cast.bloc_user)
    # Dated in the year: counts. A discipline of the previous year does not.
    MemberEvent.objects.create(
        member=cast.m_c, kind=MemberEvent.Kind.DISCIPLINED, date=D(2025, 12, 31), note="Cảnh cáo"
    )
    services.decide(
        unit_review=g_review(period, cast.cell_c), decided_on=D(2026, 12, 1), decision_no="1", actor=cast.bloc_user
    )
    assert review_of(period, cast.m_c).level == E.GOOD


def test_discipline_in_the_year_at_decision(cast):
    period = open_year(cast)
    run(review_of(period, cast.m_c), 85, cast.bloc_user)
    vote_all(period, cast.cell_c, cast.bloc_user)
    MemberEvent.objects.create(member=cast.m_c, kind=MemberEvent.Kind.DISCIPLINED, date=D(2026, 1, 1), note="Cảnh cáo")
    services.decide(
        unit_review=g_review(period, cast.cell_c), decided_on=D(2026, 12, 1), decision_no="1", actor=cast.bloc_user
    )
    r = review_of(period, cast.m_c)
    assert r.level == E.NOT_COMPLETE and "Cảnh cáo" in r.level_reasons


def _announced_year(cast, year, score):
    period = open_year(cast, year)
    run(review_of(period, cast.m_c), score, cast.bloc_user)
    vote_all(period, cast.cell_c, cast.bloc_user, day=D(year, 11, 20))
    ur = g_review(period, cast.cell_c)
    services.decide(unit_review=ur, decided_on=D(year, 11, 25), decision_no="1", actor=cast.bloc_user)
    services.announce(unit_review=ur, announced_on=D(year, 11, 28), actor=cast.bloc_user)
    return period


def test_two_consecutive_years_not_complete_hand_off_to_removal(cast, login):
    _announced_year(cast, 2025, 40)
    p2026 = open_year(cast)
    assert services.failed_years(cast.m_c.pk, 2025) == 1
    r = review_of(p2026, cast.m_c)
    run(r, 45, cast.bloc_user)
    vote_all(p2026, cast.cell_c, cast.bloc_user)
    ur = g_review(p2026, cast.cell_c)
    services.decide(unit_review=ur, decided_on=D(2026, 12, 1), decision_no="1", actor=cast.bloc_user)
    client = login(cast.bloc_user)
    assert client.get(reverse("review:member", args=[r.pk])).context["flag"] is None  # not announced yet
    services.announce(unit_review=ur, announced_on=D(2026, 12, 1), actor=cast.bloc_user)
    assert services.failed_years(cast.m_c.pk, 2026) == 2
    resp = client.get(reverse("review:member", args=[r.pk]))
    assert resp.context["flag"] == 2 and resp.context["may_propose"]
    assert client.get(reverse("review:unit", args=[ur.pk])).context["flags"] == {r.pk: 2}
    resp = client.post(reverse("review:member_action", args=[r.pk, "propose_removal"]))
    assert resp.status_code == 302
    p = RemovalProposal.objects.get(member=cast.m_c)
    assert p.ground == RemovalProposal.Ground.FAILED_REVIEW and p.count == 2 and "2025" in p.evidence


def test_one_failed_year_is_not_flagged(cast):
    _announced_year(cast, 2025, 80)
    p = _announced_year(cast, 2026, 40)
    assert services.flagged_reviews(p, [review_of(p, cast.m_c)]) == {}
    with pytest.raises(ValidationError):
        services.propose_removal_after_review(review=review_of(p, cast.m_c), actor=cast.bloc_user)


def test_scope_outside_is_404(cast, login):
    period = open_year(cast)
    own = review_of(period, cast.m_a1)
    other = review_of(period, cast.m_a1_other)
    assert login(cast.staff_b).get(reverse("review:member", args=[own.pk])).status_code == 404
    assert login(cast.staff_b).get(reverse("review:unit", args=[g_review(period, cast.cell_a1).pk])).status_code == 404
    client = login(cast.member_a1)
    assert client.get(reverse("review:member", args=[own.pk])).status_code == 200
    assert client.get(reverse("review:member", args=[other.pk])).status_code == 404
    assert client.post(reverse("review:member_action", args=[other.pk, "self"]), {}).status_code == 404
    # staff_b cannot open a review for gr_a.
    with pytest.raises(ValidationError):
        services.open_period(
            unit=cast.gr_a,
            kind="year",
            year=2027,
            starts_on=D(2027, 1, 1),
            ends_on=D(2027, 12, 31),
            self_deadline=D(2027, 11, 30),
            actor=cast.staff_b,
        )


def test_overlapping_period_and_template_rules(cast, login):
    period = open_year(cast)
    with pytest.raises(ValidationError, match="Đã có kỳ đánh giá"):
        services.open_period(
            unit=cast.gr_a,
            kind="year",
            year=2026,
            starts_on=D(2026, 1, 1),
            ends_on=D(2026, 12, 31),
            self_deadline=D(2026, 11, 30),
            actor=cast.staff_a,
        )
    # A criterion added to the template breaks the 30 + 70 sums: submissions are refused until fixed.
    c = services.save_criterion(
        period=period, group="member", section="common", title="Thêm", max_points=Decimal(5), actor=cast.bloc_user
    )
    r = review_of(period, cast.m_c)
    with pytest.raises(ValidationError, match="35"):
        services.submit_self_assessment(review=r, scores=scores_for(r, 80), comment="x", actor=cast.bloc_user)
    services.delete_criterion(criterion=c, actor=cast.bloc_user)
    services.submit_self_assessment(review=r, scores=scores_for(r, 80), comment="x", actor=cast.bloc_user)
    with pytest.raises(ValidationError, match="không thể sửa khung điểm"):
        services.save_criterion(
            period=period, group="member", section="common", title="Y", max_points=Decimal(1), actor=cast.bloc_user
        )


def test_results_figures_and_export(cast, login, django_assert_max_num_queries):
    _announced_year(cast, 2025, 60)
    p = _announced_year(cast, 2026, 75)
    ur = g_review(p, cast.cell_c)
    assert ur.state == "announced"
    client = login(cast.bloc_user)
    with django_assert_max_num_queries(12):
        resp = client.get(reverse("review:results"), {"year": 2026})
    rows = resp.context["rows"]
    assert [(u.pk, c["good"]) for u, c in rows] == [(cast.cell_c.pk, 1)]
    by_year = {y: m for y, m, _o in resp.context["by_year"]}
    assert by_year[2025]["complete"] == 1 and by_year[2026]["good"] == 1
    resp = client.get(reverse("review:export"), {"year": 2026})
    assert resp["Content-Type"].startswith("application/vnd.openxmlformats")
    figures = {f.key: f.value for f in period_figures(cast.bloc, D(2026, 1, 1), D(2026, 12, 31))}
    assert figures["review.members_good"] == 1 and figures["review.members_classified"] == 1
    assert figures["review.members_excellent"] == 0
    figures = {f.key: f.value for f in period_figures(cast.bloc, D(2025, 1, 1), D(2025, 12, 31))}
    assert figures["review.members_complete"] == 1
    # staff_a sees nothing of cell_c.
    assert login(cast.staff_a).get(reverse("review:results"), {"year": 2026}).context["rows"] == []


def test_reminders_notify_late_members(cast):
    period = open_year(cast)
    call_command("review_reminders", today=fmt(period.self_deadline + datetime.timedelta(days=1)))
    assert Notification.objects.filter(user=cast.member_a1, kind="review.self_late").exists()
    assert Notification.objects.filter(user=cast.secretary_a1, kind="review.self_late_cell").exists()


def test_reviews_follow_members_who_move_or_leave(cast, login):
    period = open_year(cast)
    moving, leaving = cast.m_a1_other, cast.m_a2
    Member.objects.filter(pk=moving.pk).update(unit=cast.cell_b1)
    Member.objects.filter(pk=leaving.pk).update(status=Member.Status.TRANSFERRED_OUT)
    newcomer = make_member("Đảng viên mới", cast.cell_c)
    resp = login(cast.bloc_user).post(reverse("review:period_sync", args=[period.pk]))
    assert resp.status_code == 302
    r = review_of(period, moving)
    assert r.unit == cast.cell_b1 and r.grassroots == cast.gr_b
    assert not MemberReview.objects.filter(period=period, member=leaving).exists()
    assert review_of(period, newcomer).unit == cast.cell_c
    # A member who moves out of a cell does not block its vote.
    Member.objects.filter(pk=cast.m_a1.pk).update(status=Member.Status.DECEASED)
    vote_all(period, cast.gr_a, cast.staff_a)
    assert g_review(period, cast.cell_a1).state == "proposed"


def test_over_the_quota_the_cell_is_sent_back_lowers_and_votes_again(cast, login):
    extra = _cell_c_members(cast, 5)
    period = open_year(cast)
    members = [cast.m_c, *extra]
    for i, m in enumerate(members):
        run(review_of(period, m), 95 if i < 2 else 80, cast.bloc_user)
    vote_all(period, cast.cell_c, cast.bloc_user)
    ur = g_review(period, cast.cell_c)
    with pytest.raises(ValidationError, match="vượt quá 20%"):
        services.decide(unit_review=ur, decided_on=D(2026, 12, 1), decision_no="1-QĐ", actor=cast.bloc_user)
    client = login(cast.bloc_user)
    resp = client.post(reverse("review:unit_action", args=[ur.pk, "return"]), {"return-reason": ""})
    assert resp.status_code == 200 and resp.context["forms"]["return"].errors
    resp = client.post(reverse("review:unit_action", args=[ur.pk, "return"]), {"return-reason": "Vượt tỷ lệ 20%"})
    assert resp.status_code == 302
    ur.refresh_from_db()
    assert ur.state == "open"
    # Only the competent level sends back: the secretary of another cell cannot (the page is out of scope).
    assert login(cast.secretary_a1).post(reverse("review:unit_action", args=[ur.pk, "return"])).status_code == 404
    services.appraise(
        review=review_of(period, cast.m_c), score=Decimal(88), exceeding=Decimal(35), actor=cast.bloc_user
    )
    vote_all(period, cast.cell_c, cast.bloc_user)
    assert services.decide(unit_review=ur, decided_on=D(2026, 12, 1), decision_no="1-QĐ", actor=cast.bloc_user) == ""
    assert review_of(period, cast.m_c).level == E.GOOD
