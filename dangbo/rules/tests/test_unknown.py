"""A fact of the past is never refused for want of a rule (issue 13 §2).

A meeting held in 2012, before the first version the registry holds of the meeting rules (2015), is
recorded through the pages: the rules' first versions are applied, the secretary is told so, and each
case waits in "Rules unknown for a date" for the bloc office — not the one who entered it — to confirm.
A post that saved nothing keeps no case; outside a posted form the registry still refuses the day.
"""

import datetime

import pytest
from django.urls import reverse

from dangbo.core.models import AuditLog
from dangbo.meetings.models import Meeting
from dangbo.rules.models import UnknownRuleCase
from dangbo.rules.registry import RuleMissing, noting_unknown_rules, rule, rule_version

pytestmark = pytest.mark.django_db
D = datetime.date


def _record_2012_meeting(c, cell):
    resp = c.post(
        reverse("meetings:new", args=[cell.pk]),
        {
            "kind": "regular",
            "mode": "in_person",
            "planned_date": "15/03/2012",
            "planned_time": "14:00",
            "place": "Phòng họp",
            "agenda": "Sinh hoạt tháng 3/2012",
        },
    )
    assert resp.status_code == 302, resp.content.decode()[:3000]
    m = Meeting.objects.get(unit=cell, planned_date=D(2012, 3, 15))
    resp = c.post(
        reverse("meetings:held", args=[m.pk]),
        {"held_on": "15/03/2012", "started_at": "14:00", "ended_at": "15:30"},
        follow=True,
    )
    assert resp.status_code == 200
    m.refresh_from_db()
    return m, resp.content.decode()


def test_a_meeting_of_2012_is_recorded_and_flagged_for_confirmation(cast, login):
    c = login(cast.secretary_a1)
    m, page = _record_2012_meeting(c, cast.cell_a1)
    assert (m.state, m.held_on, m.duration_minutes) == ("held", D(2012, 3, 15), 90)
    # The minimum length applied is the first version held, and the case says so.
    assert m.min_rule.effective_from == D(2015, 1, 1)
    cases = UnknownRuleCase.objects.filter(day=D(2012, 3, 15))
    keys = set(cases.values_list("rule__key", flat=True))
    assert "meeting.min_minutes.regular" in keys or "meeting.min_minutes.small_cell" in keys
    case = cases.first()
    assert case.unit == cast.cell_a1 and case.entered_by == cast.secretary_a1 and case.confirmed_at is None
    assert case.page.startswith(reverse("meetings:detail", args=[m.pk]))
    assert "đã được áp dụng" in page and "15/03/2012" in page
    assert AuditLog.objects.filter(action="rule_unknown", object_id=str(case.pk)).exists()
    # Recording the same step again keeps one case per rule, day, unit and page.
    before = cases.count()
    c.post(reverse("meetings:held", args=[m.pk]), {"held_on": "15/03/2012", "started_at": "14:00", "ended_at": "15:30"})
    assert UnknownRuleCase.objects.filter(day=D(2012, 3, 15)).count() == before

    # The secretary sees the cases of their cell, cannot confirm; the bloc office can, with a note.
    listing = c.get(reverse("rules:unknown")).content.decode()
    assert "15/03/2012" in listing and "unknown_confirm" not in listing and "/confirm/" not in listing
    assert c.post(reverse("rules:unknown_confirm", args=[case.pk]), {"note": "x"}).status_code == 404
    office = login(cast.bloc_user)
    page = office.get(reverse("rules:list")).content.decode()
    assert 'data-testid="unknown-waiting"' in page
    page = office.get(reverse("rules:unknown")).content.decode()
    assert case.rule.name in page and "15/03/2012" in page and cast.cell_a1.name in page
    office.post(reverse("rules:unknown_confirm", args=[case.pk]), {"note": "Hướng dẫn 2012 cùng mức"})
    case.refresh_from_db()
    assert case.confirmed_by == cast.bloc_user and case.note == "Hướng dẫn 2012 cùng mức"
    assert AuditLog.objects.filter(action="confirm", object_id=str(case.pk)).exists()
    # Confirmed cases leave the waiting list; a second confirmation is refused.
    resp = office.post(reverse("rules:unknown_confirm", args=[case.pk]), {"note": "lại"}, follow=True)
    assert "đã được xác nhận" in resp.content.decode()
    case.refresh_from_db()
    assert case.note == "Hướng dẫn 2012 cùng mức"


def test_nobody_confirms_what_they_entered(cast, login):
    office = login(cast.bloc_user)
    _record_2012_meeting(office, cast.cell_a1)
    case = UnknownRuleCase.objects.filter(entered_by=cast.bloc_user).first()
    resp = office.post(reverse("rules:unknown_confirm", args=[case.pk]), {"note": ""}, follow=True)
    assert "người khác" in resp.content.decode()
    case.refresh_from_db()
    assert case.confirmed_at is None


def test_a_post_that_saved_nothing_keeps_no_case(cast, login):
    c = login(cast.secretary_a1)
    resp = c.post(
        reverse("meetings:new", args=[cast.cell_a1.pk]),
        {"kind": "regular", "mode": "in_person", "planned_date": "15/03/2012", "planned_time": "14:00"},
    )
    m = Meeting.objects.filter(unit=cast.cell_a1, planned_date=D(2012, 3, 15)).first()
    if m is not None:  # the meeting needs no rule to be planned; now record it held with the end before the start
        resp = c.post(
            reverse("meetings:held", args=[m.pk]), {"held_on": "15/03/2012", "started_at": "15:00", "ended_at": "14:00"}
        )
        assert resp.status_code == 200
        m.refresh_from_db()
        assert m.held_on is None
    assert not UnknownRuleCase.objects.exists()


def test_outside_a_posted_form_the_registry_refuses_the_day_and_fees_never_stand_for_342():
    with pytest.raises(RuleMissing) as e:
        rule("meeting.min_minutes.regular", on=D(2012, 3, 15))
    assert "meeting.min_minutes.regular" not in str(e.value)  # people read the rule's name
    with noting_unknown_rules() as noted:
        v = rule_version("meeting.min_minutes.regular", on=D(2012, 3, 15))
        assert v.effective_from == D(2015, 1, 1) and len(noted) == 1
        # A future day is not a fact of the past; the fees of 01-QĐ/TW do not stand for the months before.
        with pytest.raises(RuleMissing):
            rule("fee.rate_no_pension_below_retirement_percent", on=D(2025, 12, 1))
        with pytest.raises(RuleMissing):
            rule("no.such.rule", on=D(2012, 1, 1))


def test_the_review_of_2013_opens_judged_by_the_first_thresholds(cast, login):
    from dangbo.review.models import ReviewPeriod

    office = login(cast.bloc_user)
    form = {"unit": cast.bloc.pk, "kind": "year", "year": 2013, "starts_on": "01/01/2013", "ends_on": "31/12/2013"}
    resp = office.post(reverse("review:period_open"), {**form, "self_deadline": "30/11/2013"})
    assert resp.status_code == 302, resp.content.decode()[:2000]
    period = ReviewPeriod.objects.get(year=2013)
    assert period.unit == cast.bloc and period.criteria.exists()
    cases = UnknownRuleCase.objects.filter(day=D(2013, 12, 31), unit=cast.bloc)
    assert cases.filter(rule__key__startswith="review.").exists()
    assert all(c.page.startswith("/") and c.entered_by == cast.bloc_user for c in cases)
