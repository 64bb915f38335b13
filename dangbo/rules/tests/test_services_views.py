import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dangbo.core.models import AuditLog
from dangbo.rules import services
from dangbo.rules.models import Rule, RuleVersion
from dangbo.rules.registry import rule

D = datetime.date
KEY = "meeting.min_minutes.small_cell"


def test_parse_value_by_unit():
    assert services.parse_value("90", "minutes") == 90
    assert services.parse_value("4/6", "ratio") == [2, 3]
    assert services.parse_value("0,5", "percent") == 0.5
    assert services.parse_value("30, 40 45", "list") == [30, 40, 45]
    for text, unit in [("abc", "minutes"), ("3/2", "ratio"), ("150", "percent"), ("30, x", "list"), ("", "count")]:
        with pytest.raises(ValidationError):
            services.parse_value(text, unit)


def test_new_national_version_closes_the_open_one(cast):
    r = Rule.objects.get(key="member.probation_months")
    services.add_rule_version(
        rule=r, value=18, legal_basis="Giả định", effective_from=D(2027, 1, 1), actor=cast.bloc_user
    )
    old = r.versions.get(value=12)
    assert old.effective_to == D(2027, 1, 1)
    assert rule("member.probation_months", on=D(2026, 12, 31)) == 12
    assert rule("member.probation_months", on=D(2027, 1, 1)) == 18
    assert AuditLog.objects.filter(action="rules.add_version", actor=cast.bloc_user).exists()
    assert AuditLog.objects.filter(action="rules.close_version").exists()


def test_overlap_that_cannot_be_resolved_is_refused_and_nothing_saved(cast):
    r = Rule.objects.get(key="fee.rate_insured_percent")
    before = list(r.versions.values_list("pk", "effective_to"))
    with pytest.raises(ValidationError) as e:
        services.add_rule_version(
            rule=r, value=2, legal_basis="x", effective_from=D(2020, 1, 1), effective_to=D(2021, 1, 1), actor=None
        )
    assert "trùng" in e.value.messages[0]
    assert list(r.versions.values_list("pk", "effective_to")) == before


def test_bloc_adds_an_override_for_a_subtree_through_the_page(cast, login):
    client = login(cast.bloc_user)
    url = reverse("rules:add_version", args=[KEY])
    resp = client.post(
        url, {"value": "sáu mươi", "legal_basis": "x", "effective_from": "01/01/2019", "scope_unit": cast.gr_a.pk}
    )
    assert resp.status_code == 200 and resp.context["form"].errors["value"]
    resp = client.post(
        url,
        {
            "value": "60",
            "legal_basis": "Quy định của Đảng ủy Sở (2019)",
            "effective_from": "01/01/2019",
            "scope_unit": cast.gr_a.pk,
            "verified": "on",
        },
    )
    assert resp.status_code == 302
    v = RuleVersion.objects.get(rule__key=KEY, scope_unit=cast.gr_a)
    assert v.value == 60 and v.created_by == cast.bloc_user
    assert rule(KEY, on=D(2025, 1, 1), unit=cast.cell_a1) == 60
    assert rule(KEY, on=D(2025, 1, 1), unit=cast.cell_b1) == 90
    assert rule(KEY, on=D(2018, 12, 31), unit=cast.cell_a1) == 90
    # The list page for a unit inside shows the override; for one outside it does not.
    resp = client.get(reverse("rules:list"), {"unit": cast.cell_a1.pk, "on": "01/06/2025"})
    row = next(r for r in resp.context["rows"] if r[0].key == KEY)
    assert row[1] == v and row[2] == "60 phút"
    resp = client.get(reverse("rules:list"), {"unit": cast.cell_b1.pk, "on": "01/06/2025"})
    assert next(r for r in resp.context["rows"] if r[0].key == KEY)[1].scope_unit is None


def test_staff_read_rules_but_cannot_change_them(cast, login):
    client = login(cast.staff_a)
    resp = client.get(reverse("rules:list"))
    assert resp.status_code == 200
    assert resp.context["unit"] == cast.gr_a
    assert client.get(reverse("rules:add_version", args=[KEY])).status_code == 404
    v = RuleVersion.objects.filter(rule__key=KEY).first()
    assert client.post(reverse("rules:end_version", args=[v.pk]), {"effective_to": "01/01/2030"}).status_code == 404
    v.refresh_from_db()
    assert v.effective_to is None


def test_end_version(cast, login):
    v = RuleVersion.objects.get(rule__key="member.probation_months")
    resp = login(cast.bloc_user).post(reverse("rules:end_version", args=[v.pk]), {"effective_to": "01/01/2030"})
    assert resp.status_code == 302
    v.refresh_from_db()
    assert v.effective_to == D(2030, 1, 1)
