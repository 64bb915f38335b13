"""Fee rates as data in the rule registry (DOMAIN.md §10).

``fees.rates``: per category either ``{"percent": p}`` of the member's base (previous month's
social-insurance salary, the allowance, the pension, or — for members outside insurance without a
pension — the regional minimum wage) or ``{"fixed": vnd}``.

* 342-QĐ/TW (28/12/2010) for months before 02/2026: DOMAIN.md gives the decision but not its rate
  table; the values below repeat the 01-QĐ/TW structure and are marked unverified.
* 01-QĐ/TW (effective 01/02/2026): 1% insured salary, 1% sickness/maternity allowance, 0.5% pension,
  5,000 VND students (verified against DOMAIN.md §10); the no-pension categories (0.3%/0.2% in
  2026–27, 0.5%/0.3% from 2028) come only from third-party code [S63] and are marked unverified.
* ``fees.rounding_vnd``: amounts are rounded to this many VND (1 = whole đồng). No official rounding
  rule was found: unverified, configurable.
* ``fees.retained_share_percent``: the share a cell keeps; no official figure under 01-QĐ/TW (0 is a
  placeholder to configure, not a legal fact): unverified.
"""

import datetime

from django.db import migrations

D = datetime.date
Q342_FROM = D(2010, 12, 28)
Q01_FROM = D(2026, 2, 1)
FROM_2028 = D(2028, 1, 1)

RATES_01_2026 = {
    "insured": {"percent": "1"},
    "allowance": {"percent": "1"},
    "pension": {"percent": "0.5"},
    "student": {"fixed": 5000},
    "no_pension": {"percent": "0.3"},
    "retired_no_pension": {"percent": "0.2"},
}
RATES_01_2028 = dict(RATES_01_2026, no_pension={"percent": "0.5"}, retired_no_pension={"percent": "0.3"})

VERSIONS = [
    (
        RATES_01_2026,
        "Quyết định 342-QĐ/TW ngày 28/12/2010 (bảng mức chưa đối chiếu với văn bản gốc)",
        Q342_FROM,
        Q01_FROM,
        False,
        "342-QĐ/TW: bảng mức lặp lại cấu trúc 01-QĐ/TW, chưa kiểm chứng.",
    ),
    (
        RATES_01_2026,
        "Quy định 01-QĐ/TW ngày 03/02/2026, có hiệu lực từ 01/02/2026",
        Q01_FROM,
        FROM_2028,
        False,
        "Mức 1%, 1%, 0,5%, 5.000 đồng đã kiểm chứng; mức cho người không có lương hưu (0,3%/0,2%) chưa kiểm chứng.",
    ),
    (
        RATES_01_2028,
        "Quy định 01-QĐ/TW ngày 03/02/2026 (mức từ năm 2028)",
        FROM_2028,
        None,
        False,
        "Mức cho người không có lương hưu (0,5%/0,3% từ 2028) chưa kiểm chứng.",
    ),
]

RULES = [
    ("fees.rates", "Mức đóng đảng phí theo đối tượng", "list"),
    ("fees.rounding_vnd", "Làm tròn số đảng phí (đồng)", "count"),
    ("fees.retained_share_percent", "Tỷ lệ đảng phí chi bộ được giữ lại", "percent"),
]


def seed(apps, schema_editor):
    Rule = apps.get_model("rules", "Rule")
    RuleVersion = apps.get_model("rules", "RuleVersion")
    rules = {}
    for key, name, unit in RULES:
        rules[key], _ = Rule.objects.get_or_create(
            key=key, defaults={"name": name, "value_unit": unit, "domain_ref": "§10"}
        )
    if RuleVersion.objects.filter(rule=rules["fees.rates"]).exists():
        return
    for value, basis, start, end, verified, note in VERSIONS:
        RuleVersion.objects.create(
            rule=rules["fees.rates"], value=value, legal_basis=basis, effective_from=start,
            effective_to=end, verified=verified, note=note,
        )
    RuleVersion.objects.create(
        rule=rules["fees.rounding_vnd"], value=1, legal_basis="Chưa tìm thấy quy định làm tròn (cấu hình được)",
        effective_from=Q342_FROM, verified=False, note="Chưa kiểm chứng.",
    )
    RuleVersion.objects.create(
        rule=rules["fees.retained_share_percent"], value=0,
        legal_basis="Chưa có số liệu chính thức theo 01-QĐ/TW (cấu hình được)",
        effective_from=Q342_FROM, verified=False, note="Giá trị giữ chỗ, phải cấu hình; chưa kiểm chứng.",
    )


def unseed(apps, schema_editor):
    apps.get_model("rules", "Rule").objects.filter(key__in=[k for k, _, _ in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("fees", "0001_initial"), ("rules", "0005_rules_before_2025")]
    operations = [migrations.RunPython(seed, unseed)]


seed_rules = seed
