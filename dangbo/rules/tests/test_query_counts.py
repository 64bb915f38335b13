"""The rules list costs the same whatever the number of units and overrides (issue 15)."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangbo.rules.models import Rule, RuleVersion
from dangbo.testing import make_unit

D = datetime.date


def _count(client, url):
    with CaptureQueriesContext(connection) as q:
        resp = client.get(url)
    assert resp.status_code == 200
    return len(q), resp


def _overrides(cast, n):
    rule = Rule.objects.get(key="member.probation_months")
    national = rule.versions.filter(scope_unit__isnull=True).first()
    for _i in range(n):
        gr = make_unit(f"Đảng bộ Sở Số {RuleVersion.objects.count()}", "grassroots_committee", cast.bloc)
        RuleVersion.objects.create(
            rule=rule, value=national.value, legal_basis="Thử", effective_from=D(2020, 1, 1), scope_unit=gr
        )


def test_rules_list_costs_the_same_for_2_and_20_grassroots_overrides(cast, login):
    client = login(cast.bloc_user)
    url = reverse("rules:list") + f"?unit={cast.cell_a1.pk}&on=01/06/2026"
    _overrides(cast, 2)
    small, resp = _count(client, url)
    assert resp.context["unit"] == cast.cell_a1
    _overrides(cast, 18)
    large, resp = _count(client, url)
    assert small == large
    assert len(resp.context["rows"]) == Rule.objects.count()
