"""The fee rules the rules app did not seed (DOMAIN.md §10), next to its ``fee.*`` keys.

The rates themselves are the rules app's ``fee.*`` keys (0002_seed_rules, 0003_seed_more_rules): one
key per category, dated, 342-QĐ/TW before 01/02/2026 and 01-QĐ/TW from it. This migration adds only
what is missing, each version with its legal basis and ``verified`` set honestly:

* ``fee.student_vnd`` and ``fee.rate_sick_leave_percent`` before 02/2026 (342-QĐ/TW and Hướng dẫn
  03-HD/VPTW, from a secondary source: unverified).
* ``fee.other_member_vnd``: under 342-QĐ/TW the members outside the salaried categories paid a fixed
  amount by area (Hướng dẫn 03-HD/VPTW 06/7/2016: 10.000 / 8.000 / 6.000 / 4.000 đồng). Its four areas
  are held against the minimum-wage zones I–IV, which is an approximation: unverified.
* ``fee.other_member_retirement_age_share_percent``: those beyond working age paid 50 % of that.
* ``fee.regional_min_wage_vnd``: the regional minimum wage by zone [I, II, III, IV], the base of the
  no-pension categories of 01-QĐ/TW (Nghị định 74/2024/NĐ-CP, Nghị định 293/2025/NĐ-CP; not confirmed
  against the gazette here: unverified).
* ``fee.rounding_vnd``: no official rounding rule was found; 1 đồng, configurable, unverified.
"""

import datetime

from django.db import migrations

D = datetime.date
QD342_FROM = D(2011, 1, 1)
QD01_FROM = D(2026, 2, 1)
QD342 = "Quyết định 342-QĐ/TW (28/12/2010) về chế độ đảng phí"
HD03 = "Hướng dẫn 03-HD/VPTW (06/7/2016) thực hiện chế độ đảng phí theo Quyết định 342-QĐ/TW"
SECONDARY = " (theo nguồn thứ cấp, chưa đối chiếu văn bản gốc)"

NEW_RULES = [
    # key, name, unit, [(value, basis, from, to, verified, note)]
    (
        "fee.regional_min_wage_vnd",
        "Mức lương tối thiểu vùng theo tháng, vùng I, II, III, IV (đồng)",
        "list",
        [
            (
                [4960000, 4410000, 3860000, 3450000],
                "Nghị định 74/2024/NĐ-CP (30/6/2024) quy định mức lương tối thiểu đối với người lao động",
                D(2024, 7, 1),
                D(2026, 1, 1),
                False,
                "Chưa đối chiếu với công báo.",
            ),
            (
                [5310000, 4730000, 4140000, 3700000],
                "Nghị định 293/2025/NĐ-CP quy định mức lương tối thiểu đối với người lao động",
                D(2026, 1, 1),
                None,
                False,
                "Chưa đối chiếu với công báo.",
            ),
        ],
    ),
    (
        "fee.other_member_vnd",
        "Đảng phí của đảng viên khác trong độ tuổi lao động theo khu vực (đồng/tháng, vùng I–IV)",
        "list",
        [
            (
                [10000, 8000, 6000, 4000],
                HD03 + SECONDARY,
                QD342_FROM,
                QD01_FROM,
                False,
                "Bốn khu vực của Hướng dẫn 03-HD/VPTW (nội thành thành phố trực thuộc Trung ương; nội thành đô "
                "thị loại I–III; còn lại; miền núi, vùng sâu, vùng xa) được gán tạm cho vùng I–IV: chưa kiểm chứng.",
            )
        ],
    ),
    (
        "fee.other_member_retirement_age_share_percent",
        "Đảng viên ngoài độ tuổi lao động đóng bằng tỷ lệ này của mức đảng viên trong độ tuổi lao động",
        "percent",
        [(50, QD342 + SECONDARY, QD342_FROM, QD01_FROM, False, "Chưa kiểm chứng.")],
    ),
    (
        "fee.rounding_vnd",
        "Làm tròn số đảng phí phải đóng (đồng)",
        "count",
        [
            (
                1,
                "Chưa tìm thấy quy định làm tròn (cấu hình được)",
                QD342_FROM,
                None,
                False,
                "Giá trị mặc định (làm tròn đến đồng), chưa kiểm chứng.",
            )
        ],
    ),
]

# Versions for the months of 342-QĐ/TW on keys the rules app seeded only from 01/02/2026.
EARLIER = [
    ("fee.student_vnd", 3000, HD03 + SECONDARY, "Học sinh, sinh viên không hưởng lương, phụ cấp: chưa kiểm chứng."),
    (
        "fee.rate_sick_leave_percent",
        1,
        QD342 + SECONDARY,
        "Theo mức 1 % thu nhập của người hưởng lương; chưa kiểm chứng.",
    ),
]


def seed(apps, schema_editor):
    Rule = apps.get_model("rules", "Rule")
    RuleVersion = apps.get_model("rules", "RuleVersion")
    for key, name, unit, versions in NEW_RULES:
        rule, _ = Rule.objects.get_or_create(
            key=key,
            defaults={"name": name, "value_unit": unit, "domain_ref": "§10", "first_version_covers_past": False},
        )
        if rule.versions.exists():
            continue
        for value, basis, start, end, verified, note in versions:
            RuleVersion.objects.create(
                rule=rule,
                value=value,
                legal_basis=basis,
                effective_from=start,
                effective_to=end,
                verified=verified,
                note=note,
            )
    for key, value, basis, note in EARLIER:
        rule = Rule.objects.filter(key=key).first()
        if rule is None or rule.versions.filter(effective_from__lt=QD01_FROM).exists():
            continue
        RuleVersion.objects.create(
            rule=rule,
            value=value,
            legal_basis=basis,
            effective_from=QD342_FROM,
            effective_to=QD01_FROM,
            verified=False,
            note=note,
        )


def unseed(apps, schema_editor):
    apps.get_model("rules", "RuleVersion").objects.filter(
        rule__key__in=[k for k, *_ in EARLIER], effective_to=QD01_FROM, legal_basis__endswith=SECONDARY
    ).delete()
    Rule = apps.get_model("rules", "Rule")
    apps.get_model("rules", "RuleVersion").objects.filter(rule__key__in=[k for k, *_ in NEW_RULES]).delete()
    Rule.objects.filter(key__in=[k for k, *_ in NEW_RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("fees", "0001_initial"), ("rules", "0006_unknown_rule_cases")]
    operations = [migrations.RunPython(seed, unseed)]


seed_rules = seed
