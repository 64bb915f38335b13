"""Party cards (DOMAIN.md §2) and party badges (DOMAIN.md §11) through the pages."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from dangbo.core.dates import add_months, years_before
from dangbo.lifecycle import badges, services
from dangbo.lifecycle.models import BadgeAward, BadgeFlag, CardRecord
from dangbo.members.models import Member, MemberEvent
from dangbo.testing import make_member

TODAY = timezone.localdate()


def ago(days):
    return TODAY - datetime.timedelta(days=days)


def fmt(day):
    return day.strftime("%d/%m/%Y")


def _issue(client, member, number, day=None, decision="1-QĐ/ĐU"):
    return client.post(
        reverse("lifecycle:member_action", args=[member.pk, "issue_card"]),
        {"issue_card-number": number, "issue_card-issued_on": fmt(day or ago(1)), "issue_card-decision_no": decision},
    )


def _error(resp):
    return " ".join(str(e) for _a, _t, f in resp.context["action_forms"] for e in f.non_field_errors())


# ---- cards ----------------------------------------------------------------------------------------------
def test_card_numbers_are_validated_and_unique(cast, login):
    staff = login(cast.staff_a)
    for bad in ["83-123456", "8.1234567", "831234", "AB.123456", "83.1234567"]:
        resp = _issue(staff, cast.m_a1_other, bad)
        assert resp.status_code == 200 and _error(resp), bad
    assert not CardRecord.objects.exists()
    assert _issue(staff, cast.m_a1_other, "83123456").status_code == 302  # dotted on save
    cast.m_a1_other.refresh_from_db()
    assert cast.m_a1_other.card_number == "83.123456"
    card = CardRecord.objects.get()
    assert card.number == "83.123456" and card.decision_no == "1-QĐ/ĐU" and card.issued_on == ago(1)
    # The same number for someone else, in this app or in the dossier.
    resp = _issue(staff, cast.m_a1, "83.123456")
    assert resp.status_code == 200 and "83.123456" in _error(resp)
    Member.objects.filter(pk=cast.m_b1.pk).update(card_number="83.999999")
    resp = _issue(staff, cast.m_a1, "83.999999")
    assert _error(resp)
    # A second card while one is held.
    resp = _issue(staff, cast.m_a1_other, "83.123457")
    assert _error(resp)
    assert CardRecord.objects.count() == 1


def test_no_card_for_a_probationary_member_and_only_the_competent_level_issues(cast, login):
    resp = _issue(login(cast.staff_a), cast.m_a2, "83.000001")
    assert resp.status_code == 200 and _error(resp)
    assert _issue(login(cast.secretary_a1), cast.m_a1_other, "83.000001").status_code == 404
    assert not CardRecord.objects.exists()


def test_cards_due_hand_over_loss_and_reissue(cast, login):
    m = cast.m_a1_other
    Member.objects.filter(pk=m.pk).update(official_date=ago(60))
    staff = login(cast.staff_a)
    due = staff.get(reverse("lifecycle:cards"))
    assert m in list(due.context["page"]) and cast.m_a2 not in list(due.context["page"])
    _issue(staff, m, "83.000050", day=ago(20))
    assert m not in list(staff.get(reverse("lifecycle:cards")).context["page"])
    card = CardRecord.objects.get()
    assert card in list(staff.get(reverse("lifecycle:cards") + "?show=handover").context["page"])

    sec = login(cast.secretary_a1)
    url = reverse("lifecycle:card_action", args=[card.pk, "hand_over"])
    sec.post(url, {"hand_over-day": fmt(ago(25))})  # before the issue: refused
    card.refresh_from_db()
    assert card.handed_over_on is None
    assert sec.post(url, {"hand_over-day": fmt(ago(10))}).status_code == 302
    card.refresh_from_db()
    assert card.handed_over_on == ago(10)

    url = reverse("lifecycle:card_action", args=[card.pk, "report_loss"])
    sec.post(url, {"report_loss-day": fmt(ago(5)), "report_loss-note": ""})  # circumstances required
    card.refresh_from_db()
    assert card.lost_on is None
    sec.post(url, {"report_loss-day": fmt(ago(5)), "report_loss-note": "Mất khi đi công tác"})
    card.refresh_from_db()
    m.refresh_from_db()
    assert card.lost_on == ago(5) and m.card_number is None
    # The secretary may not reissue; the committee does, with the same number.
    url = reverse("lifecycle:card_action", args=[card.pk, "reissue_card"])
    data = {"reissue_card-issued_on": fmt(ago(1)), "reissue_card-decision_no": "8-QĐ/ĐU"}
    assert sec.post(url, data).status_code == 404
    assert login(cast.staff_a).post(url, data).status_code == 302
    new = CardRecord.objects.get(reissue_of=card)
    m.refresh_from_db()
    assert new.number == "83.000050" and m.card_number == "83.000050"
    with pytest.raises(ValidationError):  # reissued once only
        services.reissue_card(card=card, issued_on=ago(1), decision_no="9", actor=cast.staff_a)
    log = login(cast.staff_a).get(reverse("lifecycle:cards") + "?show=log").context["page"]
    assert {c.pk for c in log} == {card.pk, new.pk}


def test_an_imported_card_number_is_recovered_on_removal(cast):
    Member.objects.filter(pk=cast.m_a1_other.pk).update(card_number="83.555555")
    cast.m_a1_other.refresh_from_db()
    p = services.propose_removal(
        member=cast.m_a1_other, ground="card", evidence="Tự hủy thẻ", raised_on=ago(3), actor=cast.secretary_a1
    )
    services.decide_removal(proposal=p, approve=True, day=ago(1), decision_no="1", actor=cast.staff_a)
    card = CardRecord.objects.get(number="83.555555")
    assert card.recovered_on == ago(1) and card.issued_on is None


# ---- badges -----------------------------------------------------------------------------------------------
SEPT_2 = badges.next_occasion((2, 9), TODAY)


def _veteran(name, unit, start, *, status=Member.Status.OFFICIAL, **flag):
    m = make_member(name, unit, status=status, admission_date=start, admission_decision_date=start)
    MemberEvent.objects.create(member=m, kind="admitted", date=start, to_unit=unit, status_after="probationary")
    if flag:
        BadgeFlag.objects.create(member=m, **flag)
    return m


@pytest.fixture
def veterans(cast):
    """Members around the 30-, 45- and 70-year milestones of the next 2/9 (HD 01-HD/TW 2021 mục 18)."""
    d = SEPT_2
    v = {
        "exact_30": _veteran("Nguyễn Văn Ba Mươi", cast.cell_a1, years_before(d, 30)),
        "day_late": _veteran("Trần Văn Trễ", cast.cell_a1, years_before(d, 30) + datetime.timedelta(days=1)),
        "ill_11": _veteran("Lê Văn Ốm", cast.cell_a1, add_months(years_before(d, 30), 11), seriously_ill=True),
        "ill_13": _veteran("Phạm Văn Ốm", cast.cell_a1, add_months(years_before(d, 30), 13), seriously_ill=True),
        "ill_70": _veteran("Hồ Văn Thọ", cast.cell_a2, add_months(years_before(d, 70), 23), seriously_ill=True),
        "past_45": _veteran("Võ Thị Bốn Lăm", cast.cell_a2, years_before(d, 46)),
        "deferred": _veteran(
            "Đinh Văn Hoãn",
            cast.cell_a1,
            years_before(d, 40),
            deferred_until=d + datetime.timedelta(days=30),
            deferral_reason="Cảnh cáo",
        ),
        "other_b": _veteran("Bùi Văn Khác", cast.cell_b1, years_before(d, 50)),
        "young": _veteran("Mai Văn Trẻ", cast.cell_a1, years_before(d, 12)),
    }
    # Died ten days ago, 11 months short of 30 years: posthumous award (up to 12 months early).
    dead = _veteran("Châu Văn Cố", cast.cell_a1, add_months(years_before(ago(10), 30), 11))
    services.record_death(member=dead, day=ago(10), actor=None)
    v["posthumous"] = dead
    return v


def _rows(client, **query):
    resp = client.get(reverse("lifecycle:badges"), query)
    assert resp.status_code == 200
    return {r.member.full_name: r for r in resp.context["rows"]}, resp


def test_the_badge_list_for_the_next_2_9(cast, login, veterans):
    rows, resp = _rows(login(cast.staff_a), on=fmt(SEPT_2))
    assert resp.context["occasion"] == SEPT_2
    assert set(rows) == {
        "Nguyễn Văn Ba Mươi",
        "Lê Văn Ốm",
        "Hồ Văn Thọ",
        "Võ Thị Bốn Lăm",
        "Đinh Văn Hoãn",
        "Châu Văn Cố",
    }  # not the day-late one, not 13 months early, not gr_b's member, not the young one
    assert rows["Nguyễn Văn Ba Mươi"].years == 30 and rows["Nguyễn Văn Ba Mươi"].early == ""
    assert rows["Lê Văn Ốm"].early == "illness" and rows["Lê Văn Ốm"].years == 30
    assert rows["Hồ Văn Thọ"].early == "illness" and rows["Hồ Văn Thọ"].years == 70  # 24 months for 70–90
    assert rows["Võ Thị Bốn Lăm"].years == 45
    assert rows["Đinh Văn Hoãn"].deferred_until == SEPT_2 + datetime.timedelta(days=30)
    assert rows["Châu Văn Cố"].early == "posthumous"
    # The unit filter and the bloc's wider scope.
    rows, _resp = _rows(login(cast.staff_a), on=fmt(SEPT_2), unit=cast.cell_a2.pk)
    assert set(rows) == {"Hồ Văn Thọ", "Võ Thị Bốn Lăm"}
    rows, _resp = _rows(login(cast.bloc_user), on=fmt(SEPT_2))
    assert "Bùi Văn Khác" in rows and rows["Bùi Văn Khác"].years == 50
    # A day later the late one is due too.
    rows, _resp = _rows(login(cast.staff_a), on=fmt(SEPT_2 + datetime.timedelta(days=1)))
    assert "Trần Văn Trễ" in rows


def test_the_next_2_9_is_among_the_occasions(cast, login):
    resp = login(cast.staff_a).get(reverse("lifecycle:badges"))
    assert SEPT_2 in resp.context["upcoming"]
    assert resp.context["occasion"] == resp.context["upcoming"][0]


def test_an_award_decision_fills_the_register(cast, login, veterans):
    client = login(cast.staff_a)
    chosen = [veterans[k].pk for k in ("exact_30", "ill_11", "posthumous", "past_45")]
    resp = client.post(
        reverse("lifecycle:badge_award"),
        {
            "occasion": SEPT_2.isoformat(),
            "member": chosen,
            "decision-number": "120-QĐ/TU",
            "decision-signed_on": fmt(TODAY),
        },
    )
    assert resp.status_code == 302, resp
    awards = {a.member_id: a for a in BadgeAward.objects.all()}
    assert set(awards) == set(chosen)
    assert awards[veterans["ill_11"].pk].early == "illness"
    assert awards[veterans["posthumous"].pk].early == "posthumous"
    assert awards[veterans["past_45"].pk].years == 45
    assert awards[veterans["exact_30"].pk].decision.number == "120-QĐ/TU"
    register = client.get(reverse("lifecycle:register")).context["page"]
    assert {a.member_id for a in register} == set(chosen)
    # They leave the list; awarding again is refused.
    rows, _resp = _rows(client, on=fmt(SEPT_2))
    assert "Nguyễn Văn Ba Mươi" not in rows
    with pytest.raises(ValidationError):
        badges.award(
            members=[veterans["exact_30"]],
            occasion=SEPT_2,
            number="2",
            signed_on=TODAY,
            unit=cast.gr_a,
            actor=cast.staff_a,
        )
    assert BadgeAward.objects.count() == 4


def test_awards_before_eligibility_deferred_or_out_of_scope_are_refused(cast, veterans):
    for key in ("day_late", "ill_13", "deferred", "young"):
        with pytest.raises(ValidationError):
            badges.award(
                members=[veterans[key]],
                occasion=SEPT_2,
                number="3",
                signed_on=TODAY,
                unit=cast.gr_a,
                actor=cast.staff_a,
            )
    with pytest.raises(ValidationError):  # staff_a does not decide for gr_b
        badges.award(
            members=[veterans["other_b"]],
            occasion=SEPT_2,
            number="3",
            signed_on=TODAY,
            unit=cast.gr_a,
            actor=cast.staff_a,
        )
    with pytest.raises(ValidationError):  # 1 June is not an occasion
        badges.award(
            members=[veterans["exact_30"]],
            occasion=datetime.date(SEPT_2.year, 6, 1),
            number="3",
            signed_on=TODAY,
            unit=cast.gr_a,
            actor=cast.staff_a,
        )
    assert not BadgeAward.objects.exists()


def test_the_secretary_sees_the_list_but_cannot_award(cast, login, veterans):
    client = login(cast.secretary_a1)
    rows, resp = _rows(client, on=fmt(SEPT_2))
    assert "Nguyễn Văn Ba Mươi" in rows and resp.context["decision_form"] is None
    data = {"occasion": SEPT_2.isoformat(), "member": [veterans["exact_30"].pk], "decision-number": "1"}
    assert client.post(reverse("lifecycle:badge_award"), data).status_code == 404
    assert not BadgeAward.objects.exists()


def test_gaps_after_an_exit_delay_the_milestone(cast):
    start = years_before(SEPT_2, 30)
    m = _veteran("Lý Văn Hở", cast.cell_a1, start)
    MemberEvent.objects.create(
        member=m, kind="removed", date=start.replace(year=start.year + 5), status_after="removed"
    )
    MemberEvent.objects.create(
        member=m, kind="admitted", date=start.replace(year=start.year + 7), status_after="probationary"
    )
    assert badges.gap_days(m) > 700
    assert badges.evaluate(m, SEPT_2, events=list(m.events.all())) is None
    # A manual adjustment with its reason moves it back.
    flag = badges.set_flag(
        member=m,
        seriously_ill=False,
        deferred_until=None,
        deferral_reason="",
        adjust_months=-30,
        adjust_reason="Quyết định công nhận tuổi đảng",
        actor=cast.staff_a,
    )
    assert badges.evaluate(m, SEPT_2, flag=flag, events=list(m.events.all())).years == 30
    with pytest.raises(ValidationError):
        badges.set_flag(
            member=m,
            seriously_ill=False,
            deferred_until=None,
            deferral_reason="",
            adjust_months=3,
            adjust_reason="",
            actor=None,
        )


def test_badge_list_exports_to_excel(cast, login, veterans):
    resp = login(cast.staff_a).get(reverse("lifecycle:badge_export"), {"on": fmt(SEPT_2)})
    assert resp.status_code == 200 and resp["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(resp.content)).active
    names = [row[1] for row in ws.iter_rows(min_row=4, values_only=True)]
    assert "Nguyễn Văn Ba Mươi" in names and "Bùi Văn Khác" not in names and len(names) == 6
    assert SEPT_2.strftime("%d/%m/%Y") in ws["A1"].value


# ---- list pages stay flat -----------------------------------------------------------------------------------
def _bulk(cast, n, start):
    for i in range(n):
        m = _veteran(f"Nguyễn Văn Số {start + i}", cast.cell_a1, years_before(SEPT_2, 31))
        services.exempt(member=m, reason="old_age", starts_on=ago(5), decision_no=str(i), actor=None)
        services.propose_removal(member=m, ground="other", evidence="x", raised_on=ago(2), actor=None)
        CardRecord.objects.create(member=m, number=f"83.{start + i:06d}", issued_on=ago(3))
        Member.objects.filter(pk=m.pk).update(status="official")


@pytest.mark.parametrize(
    "url",
    [
        "lifecycle:home",
        "lifecycle:exemptions",
        "lifecycle:removals",
        "lifecycle:cards",
        "lifecycle:register",
        "lifecycle:badges",
    ],
)
def test_list_query_counts_do_not_grow(cast, login, django_assert_max_num_queries, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(cast.staff_a)
    _bulk(cast, 3, 100)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(url) + "?show=handover").status_code == 200
    _bulk(cast, 12, 200)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse(url) + "?show=handover").status_code == 200


# ---- property tests of the eligibility rule (DOMAIN.md §11: milestones, early windows) ----------------------

SEEDED = {
    "badge.milestones_years": [30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90],
    "badge.early_months_ill_30_65": 12,
    "badge.early_months_ill_70_90": 24,
    "badge.posthumous_early_months": 12,
}
starts = st.dates(datetime.date(1930, 1, 1), datetime.date(2000, 12, 31))
occasions = st.builds(
    datetime.date, st.integers(2021, 2040), st.sampled_from([2, 5, 9, 11]), st.sampled_from([2, 3, 7])
)


def _eval(start, occasion, ill=False):
    m = Member(status=Member.Status.OFFICIAL, admission_decision_date=start)
    flag = BadgeFlag(seriously_ill=ill)
    return badges.evaluate(m, occasion, flag=flag, events=[], rules=lambda key, day: SEEDED[key])


@given(starts, occasions)
def test_on_time_award_is_the_highest_milestone_reached(start, occasion):
    row = _eval(start, occasion)
    reached = [y for y in SEEDED["badge.milestones_years"] if years_before(start, -y) <= occasion]
    assert (row.years if row else None) == (max(reached) if reached else None)
    if row:
        assert row.reached_on <= occasion and row.early == ""


@given(starts, occasions, st.integers(1, 400))
def test_eligibility_only_grows_with_time_and_illness(start, occasion, days):
    now, later = _eval(start, occasion), _eval(start, occasion + datetime.timedelta(days=days))
    assert (later.years if later else 0) >= (now.years if now else 0)
    ill = _eval(start, occasion, ill=True)
    assert (ill.years if ill else 0) >= (now.years if now else 0)
    if ill and ill.early:
        window = 12 if ill.years <= 65 else 24
        assert occasion < ill.reached_on <= add_months(occasion, window)
