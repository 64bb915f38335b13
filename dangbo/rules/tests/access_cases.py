import datetime

from dangbo.rules.models import RuleVersion, UnknownRuleCase
from dangbo.testing import STAFF, Case


def _unknown_case(c):
    """A meeting of 2012 in cell A1 judged by the 2015 minimum length, waiting for confirmation."""
    assumed = RuleVersion.objects.filter(rule__key="meeting.min_minutes.regular", scope_unit__isnull=True).earliest(
        "effective_from"
    )
    case, _ = UnknownRuleCase.objects.get_or_create(
        rule=assumed.rule, day=datetime.date(2012, 3, 15), unit=c.cell_a1, page="/meetings/", assumed=assumed
    )
    return {"pk": case.pk}


CASES = [
    Case("rules:list", allowed=STAFF),
    Case("rules:detail", kwargs=lambda c: {"key": "member.probation_months"}, allowed=STAFF),
    Case("rules:add_version", kwargs=lambda c: {"key": "member.probation_months"}, allowed={"bloc"}),
    Case("rules:search_units", allowed={"bloc"}, query="?q=chi+bo"),
    Case("rules:search_list_units", allowed=STAFF, query="?q=chi+bo"),
    Case(
        "rules:end_version",
        kwargs=lambda c: {"pk": RuleVersion.objects.get(rule__key="member.probation_months").pk},
        method="post",
        data=lambda c: {"effective_to": "01/01/2030"},
        allowed={"bloc"},
    ),
    Case(
        "rules:add_version",
        kwargs=lambda c: {"key": "member.probation_months"},
        method="post",
        data=lambda c: {
            "value": "12",
            "legal_basis": "Quy định thử nghiệm",
            "effective_from": "01/01/2027",
            "scope_unit": c.cell_a1.pk,
            "verified": "on",
        },
        allowed={"bloc"},
    ),
    Case("rules:unknown", allowed=STAFF),
    Case(
        "rules:unknown_confirm", kwargs=_unknown_case, method="post", data=lambda c: {"note": "Đúng"}, allowed={"bloc"}
    ),
]
