"""Points typed and shown the Vietnamese way (issue 14 §3): "8,5" is eight and a half, not 85; "8.5" too;
"1.234" is refused as ambiguous; the self-assessment reads "8,5/10", the total its real maximum."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from dangbo.core.numbers import fmt
from dangbo.review import services
from dangbo.review.models import MemberReview

D = datetime.date


@pytest.fixture
def own(cast):
    period = services.open_period(
        unit=cast.bloc,
        kind="year",
        year=2026,
        starts_on=D(2026, 1, 1),
        ends_on=D(2026, 12, 31),
        self_deadline=D(2026, 11, 30),
        actor=cast.bloc_user,
    )
    return MemberReview.objects.get(period=period, member=cast.m_a1)


def _data(review, first):
    criteria = list(review.period.criteria.filter(group=review.group))
    data = {f"self-c{c.pk}": str(c.max_points) for c in criteria}
    data[f"self-c{criteria[0].pk}"] = first
    data["self-comment"] = "Hoàn thành tốt nhiệm vụ"
    return criteria, data


def test_self_assessment_reads_a_decimal_comma(own, cast, login):
    client = login(cast.member_a1)
    url = reverse("review:member", args=[own.pk])
    page = client.get(url).content.decode()
    criteria, data = _data(own, "8,5")
    maximum = sum(c.max_points for c in criteria)
    # the total is out of the criteria's real maximum, with the warning ready for the script
    with translation.override("vi"):
        top, first_max = fmt(maximum), fmt(criteria[0].max_points)
    assert top == "100"
    assert f'data-max="{top}"' in page and 'data-testid="over-total"' in page
    assert 'type="number"' not in page and 'inputmode="decimal"' in page
    first = criteria[0]
    resp = client.post(reverse("review:member_action", args=[own.pk, "self"]), data)
    assert resp.status_code == 302
    own.refresh_from_db()
    assert own.self_scores[str(first.pk)] == "8.5"
    assert own.self_score == maximum - first.max_points + Decimal("8.5")
    page = client.get(url).content.decode()
    assert f"8,5/{first_max}" in page and "8.5" not in page


@pytest.mark.parametrize("typed", ["8.5", "8,50", " 8,5 "])
def test_self_assessment_reads_a_decimal_point_too(own, cast, login, typed):
    criteria, data = _data(own, typed)
    resp = login(cast.member_a1).post(reverse("review:member_action", args=[own.pk, "self"]), data)
    assert resp.status_code == 302
    own.refresh_from_db()
    assert Decimal(own.self_scores[str(criteria[0].pk)]) == Decimal("8.5")


@pytest.mark.parametrize(
    "typed, message",
    [
        ("1.234", "có thể hiểu theo hai cách"),
        ("85", "không lớn hơn"),
        ("tám", "Hãy nhập một số"),
        ("8,555", "có thể hiểu theo hai cách"),
    ],
)
def test_self_assessment_refuses_in_vietnamese(own, cast, login, typed, message):
    criteria, data = _data(own, typed)
    resp = login(cast.member_a1).post(reverse("review:member_action", args=[own.pk, "self"]), data)
    assert resp.status_code == 200
    errors = str(resp.context["forms"]["self"].errors)
    assert message in errors, errors
    own.refresh_from_db()
    assert own.self_submitted_at is None and own.self_scores in ({}, None)
