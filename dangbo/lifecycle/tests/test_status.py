"""Exemption, removal from the list, expulsion, death and restoration through the pages (DOMAIN.md §2)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from dangbo.core.models import AuditLog
from dangbo.lifecycle import services
from dangbo.lifecycle.models import CardRecord, Exemption, RemovalProposal
from dangbo.members.models import Member, MemberEvent, MemberInterval
from dangbo.testing import make_member

TODAY = timezone.localdate()


def ago(days):
    return TODAY - datetime.timedelta(days=days)


def fmt(day):
    return day.strftime("%d/%m/%Y")


def _admitted(member, day=datetime.date(2010, 5, 1)):
    """Give a cast member the admission event real members have, so intervals exist."""
    MemberEvent.objects.create(
        member=member, kind=MemberEvent.Kind.ADMITTED, date=day, to_unit=member.unit, status_after=member.status
    )


def _act(client, member, action, **data):
    return client.post(
        reverse("lifecycle:member_action", args=[member.pk, action]), {f"{action}-{k}": v for k, v in data.items()}
    )


def _error(resp):
    return " ".join(str(e) for _a, _t, f in resp.context["action_forms"] for e in f.non_field_errors())


# ---- exemption -----------------------------------------------------------------------------------------
def test_secretary_exempts_a_member_and_the_exemption_ends(cast, login):
    m = cast.m_a1_other
    _admitted(m)
    client = login(cast.secretary_a1)
    resp = _act(client, m, "exempt", reason="old_age", starts_on=fmt(ago(10)), decision_no="05-QĐ/CB")
    assert resp.status_code == 302
    m.refresh_from_db()
    assert m.status == Member.Status.EXEMPTED
    ev = m.events.get(kind=MemberEvent.Kind.EXEMPTED)
    assert ev.status_after == "exempted" and ev.to_unit is None and ev.date == ago(10)
    assert MemberInterval.objects.filter(member=m, status="exempted", valid_from=ago(10), valid_to=None).exists()
    assert AuditLog.objects.filter(action="lifecycle.exempt", object_id=str(m.pk)).exists()
    assert client.get(reverse("lifecycle:exemptions")).context["page"].paginator.count == 1

    # A second, overlapping exemption is refused.
    resp = _act(client, m, "exempt", reason="treatment", starts_on=fmt(ago(5)), decision_no="06-QĐ/CB")
    assert resp.status_code == 200 and _error(resp)
    assert Exemption.objects.filter(member=m).count() == 1

    resp = _act(client, m, "end_exemption", day=fmt(ago(2)))
    assert resp.status_code == 302
    m.refresh_from_db()
    assert m.status == Member.Status.OFFICIAL
    assert m.events.filter(kind=MemberEvent.Kind.EXEMPTION_ENDED, status_after="official", date=ago(2)).exists()
    assert Exemption.objects.get(member=m).ended_on == ago(2)


def test_overlapping_and_illegal_exemptions_are_refused(cast, login):
    m = cast.m_a1_other
    ex = services.exempt(
        member=m, reason="abroad", starts_on=ago(100), ends_on=ago(50), decision_no="1", actor=cast.secretary_a1
    )
    services.end_exemption(exemption=ex, day=ago(51), actor=cast.secretary_a1)
    client = login(cast.secretary_a1)
    # Overlaps the earlier period (which ran to ago(51)).
    resp = _act(client, m, "exempt", reason="maternity", starts_on=fmt(ago(60)), decision_no="2")
    assert "trùng" in _error(resp)
    # In the future.
    resp = _act(
        client, m, "exempt", reason="maternity", starts_on=fmt(TODAY + datetime.timedelta(days=3)), decision_no="2"
    )
    assert resp.status_code == 200 and _error(resp)
    # "Other" needs its details.
    resp = _act(client, m, "exempt", reason="other", starts_on=fmt(ago(1)), decision_no="2")
    assert _error(resp)
    # A member no longer on the books.
    gone = make_member("Trịnh Văn Xa", cast.cell_a1, status=Member.Status.TRANSFERRED_OUT)
    with pytest.raises(ValidationError):
        services.exempt(member=gone, reason="abroad", starts_on=ago(1), decision_no="3", actor=cast.secretary_a1)
    assert Exemption.objects.filter(member=m).count() == 1
    # Ends before it starts.
    resp = _act(client, m, "exempt", reason="abroad", starts_on=fmt(ago(5)), ends_on=fmt(ago(8)), decision_no="2")
    assert _error(resp)


def test_expired_exemptions_end_by_command_and_when_the_list_opens(cast, login):
    a, b = cast.m_a1_other, cast.m_b1
    services.exempt(member=a, reason="abroad", starts_on=ago(40), ends_on=ago(3), decision_no="1", actor=None)
    services.exempt(member=b, reason="abroad", starts_on=ago(40), ends_on=ago(3), decision_no="1", actor=None)
    login(cast.staff_a).get(reverse("lifecycle:exemptions"))
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.status == "official" and a.events.get(kind="exemption_ended").date == ago(2)
    assert b.status == "exempted"  # outside staff_a's scope: left to the command
    call_command("end_exemptions")
    b.refresh_from_db()
    assert b.status == "official"


def test_staff_b_cannot_exempt_in_gr_a(cast, login):
    resp = _act(login(cast.staff_b), cast.m_a1_other, "exempt", reason="abroad", starts_on=fmt(ago(1)), decision_no="1")
    assert resp.status_code == 404
    assert not Exemption.objects.exists()


# ---- removal from the list -----------------------------------------------------------------------------
def test_removal_is_proposed_by_the_cell_and_decided_by_the_grassroots_committee(cast, login):
    m = cast.m_a1_other
    _admitted(m)
    services.issue_card(member=m, number="83.123456", issued_on=ago(400), decision_no="1-QĐ", actor=cast.staff_a)
    sec = login(cast.secretary_a1)
    # Two months of missed meetings is below the rule (3 months in a year, Điều lệ 8.1).
    resp = _act(sec, m, "propose_removal", ground="missed_meetings", count=2, evidence="Vắng", raised_on=fmt(ago(5)))
    assert resp.status_code == 200 and "3" in _error(resp)
    assert not RemovalProposal.objects.exists()
    resp = _act(
        sec, m, "propose_removal", ground="missed_meetings", count=3, evidence="Vắng 3 kỳ", raised_on=fmt(ago(5))
    )
    p = RemovalProposal.objects.get()
    assert resp.status_code == 302 and resp["Location"] == p.get_absolute_url()
    assert p.state == "proposed" and p.raised_by_unit == cast.cell_a1 and p.rule_value == 3
    m.refresh_from_db()
    assert m.status == "official"  # nothing happens automatically
    # staff_a is notified; a second proposal is refused while this one is open.
    assert cast.staff_a.notifications.filter(kind="lifecycle.removal_proposed").exists()
    with pytest.raises(ValidationError):
        services.propose_removal(member=m, ground="card", evidence="x", raised_on=ago(1), actor=cast.secretary_a1)

    # The cell secretary cannot decide: the decide URL is not theirs, and the service refuses too.
    data = {"decide-outcome": "remove", "decide-day": fmt(ago(1)), "decide-decision_no": "15-QĐ/ĐU"}
    assert sec.post(reverse("lifecycle:proposal_decide", args=[p.pk]), data).status_code == 404
    with pytest.raises(ValidationError):
        services.decide_removal(proposal=p, approve=True, day=ago(1), decision_no="x", actor=cast.secretary_a1)
    assert sec.get(p.get_absolute_url()).context["form"] is None

    staff = login(cast.staff_a)
    resp = staff.post(reverse("lifecycle:proposal_decide", args=[p.pk]), {**data, "decide-decision_no": ""})
    assert resp.status_code == 200 and resp.context["form"].non_field_errors()
    resp = staff.post(reverse("lifecycle:proposal_decide", args=[p.pk]), data)
    assert resp.status_code == 302
    p.refresh_from_db()
    m.refresh_from_db()
    assert p.state == "removed" and p.decided_by == cast.staff_a and p.decision_no == "15-QĐ/ĐU"
    assert m.status == "removed" and m.card_number is None
    ev = m.events.get(kind="removed")
    assert ev.status_after == "removed" and ev.decision_no == "15-QĐ/ĐU" and ev.to_unit is None
    assert MemberInterval.objects.get(member=m, valid_to=None).status == "removed"
    assert CardRecord.objects.get(number="83.123456").recovered_on == ago(1)
    assert AuditLog.objects.filter(action="lifecycle.remove").exists()
    # Decided once only.
    with pytest.raises(ValidationError):
        services.decide_removal(proposal=p, approve=False, day=ago(1), note="x", actor=cast.bloc_user)


def test_whoever_raised_a_proposal_cannot_decide_it(cast):
    p = services.propose_removal(
        member=cast.m_a1_other, ground="unpaid_fees", count=4, evidence="4 tháng", raised_on=ago(3), actor=cast.staff_a
    )
    with pytest.raises(ValidationError):
        services.decide_removal(proposal=p, approve=True, day=ago(1), decision_no="1", actor=cast.staff_a)
    services.decide_removal(proposal=p, approve=False, day=ago(1), note="Đã đóng bù", actor=cast.bloc_user)
    p.refresh_from_db()
    cast.m_a1_other.refresh_from_db()
    assert p.state == "rejected" and cast.m_a1_other.status == "official"


def test_grassroots_cell_removal_is_decided_by_the_bloc(cast, login):
    p = services.propose_removal(
        member=cast.m_c, ground="failed_review", count=2, evidence="2024, 2025", raised_on=ago(3), actor=None
    )
    data = {"decide-outcome": "remove", "decide-day": fmt(ago(1)), "decide-decision_no": "3-QĐ/ĐUK"}
    assert login(cast.staff_a).post(reverse("lifecycle:proposal_decide", args=[p.pk]), data).status_code == 404
    assert login(cast.bloc_user).post(reverse("lifecycle:proposal_decide", args=[p.pk]), data).status_code == 302
    cast.m_c.refresh_from_db()
    assert cast.m_c.status == "removed"


def test_one_failed_review_year_is_not_a_ground(cast):
    with pytest.raises(ValidationError):
        services.propose_removal(
            member=cast.m_a1_other, ground="failed_review", count=1, evidence="2025", raised_on=ago(3), actor=None
        )


# ---- expulsion, death, restoration ---------------------------------------------------------------------
def test_expulsion_by_the_competent_level_recovers_the_card(cast, login):
    m = cast.m_a1_other
    services.issue_card(member=m, number="83.000777", issued_on=ago(100), decision_no="1", actor=cast.staff_a)
    assert _act(login(cast.secretary_a1), m, "expel", day=fmt(ago(1)), decision_no="9-QĐ").status_code == 404
    resp = _act(login(cast.staff_a), m, "expel", day=fmt(ago(1)), decision_no="9-QĐ/ĐU")
    assert resp.status_code == 302
    m.refresh_from_db()
    assert m.status == "expelled" and m.card_number is None
    assert m.events.get(kind="expelled").decision_no == "9-QĐ/ĐU"
    assert CardRecord.objects.get(number="83.000777").recovered_on == ago(1)


def test_a_probationary_member_cannot_be_expelled(cast, login):
    resp = _act(login(cast.staff_a), cast.m_a2, "expel", day=fmt(ago(1)), decision_no="9-QĐ/ĐU")
    assert resp.status_code == 200 and _error(resp)
    cast.m_a2.refresh_from_db()
    assert cast.m_a2.status == "probationary"


def test_death_keeps_the_card_and_cannot_be_restored(cast, login):
    m = cast.m_a1_other
    services.issue_card(member=m, number="83.000778", issued_on=ago(100), decision_no="1", actor=cast.staff_a)
    assert _act(login(cast.secretary_a1), m, "death", day=fmt(ago(4))).status_code == 302
    m.refresh_from_db()
    assert m.status == "deceased" and m.card_number == "83.000778"
    assert CardRecord.objects.get(number="83.000778").recovered_on is None  # the family keeps it
    with pytest.raises(ValidationError):
        services.restore(member=m, day=ago(1), decision_no="1", note="x", actor=cast.staff_a)
    # Nothing else may happen to a deceased member.
    resp = _act(login(cast.staff_a), m, "expel", day=fmt(ago(1)), decision_no="9")
    assert resp.status_code == 200 and _error(resp)


def test_restoration_after_an_annulled_removal(cast, login):
    m = cast.m_a1_other
    _admitted(m)
    p = services.propose_removal(
        member=m, ground="unpaid_fees", count=3, evidence="3 tháng", raised_on=ago(30), actor=cast.secretary_a1
    )
    services.decide_removal(proposal=p, approve=True, day=ago(20), decision_no="15-QĐ/ĐU", actor=cast.staff_a)
    staff = login(cast.staff_a)
    # The body that annulled it must be named.
    resp = _act(staff, m, "restore", day=fmt(ago(2)), decision_no="2-QĐ/ĐUK")
    assert resp.status_code == 200 and _error(resp)
    resp = _act(staff, m, "restore", day=fmt(ago(2)), decision_no="2-QĐ/ĐUK", note="Đảng ủy Khối hủy quyết định")
    assert resp.status_code == 302
    m.refresh_from_db()
    assert m.status == "official"
    assert m.events.get(kind="restored").status_after == "official"
    statuses = list(MemberInterval.objects.filter(member=m).order_by("valid_from").values_list("status", flat=True))
    assert statuses == ["official", "removed", "official"]
    # Restoring an official member is refused.
    resp = _act(staff, m, "restore", day=fmt(ago(1)), decision_no="3", note="x")
    assert resp.status_code == 404 or _error(resp)


def test_a_suspension_is_lifted_by_restoration(cast):
    m = cast.m_a1_other
    m.status = Member.Status.SUSPENDED
    m.save()
    MemberEvent.objects.create(member=m, kind="official", date=ago(400), to_unit=m.unit, status_after="official")
    MemberEvent.objects.create(member=m, kind="suspended", date=ago(100), status_after="suspended")
    services.restore(member=m, day=ago(1), decision_no="4-QĐ", actor=cast.staff_a)
    m.refresh_from_db()
    assert m.status == "official"


def test_member_page_offers_only_what_the_user_may_do(cast, login):
    sec = login(cast.secretary_a1).get(reverse("lifecycle:member", args=[cast.m_a1_other.pk]))
    names = [a for a, _t, _f in sec.context["action_forms"]]
    assert "exempt" in names and "propose_removal" in names and "death" in names
    assert "expel" not in names and "issue_card" not in names
    staff = login(cast.staff_a).get(reverse("lifecycle:member", args=[cast.m_a1_other.pk]))
    names = [a for a, _t, _f in staff.context["action_forms"]]
    assert "expel" in names and "issue_card" in names
    insp = login(cast.inspector).get(reverse("lifecycle:member", args=[cast.m_a1_other.pk]))
    assert insp.status_code == 200 and insp.context["action_forms"] == []
