from dangbo.rules.models import RuleVersion
from dangbo.testing import STAFF, Case

CASES = [
    Case("rules:list", allowed=STAFF),
    Case("rules:detail", kwargs=lambda c: {"key": "member.probation_months"}, allowed=STAFF),
    Case("rules:add_version", kwargs=lambda c: {"key": "member.probation_months"}, allowed={"bloc"}),
    Case("rules:search_units", allowed={"bloc"}, query="?q=chi+bo"),
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
]
