"""Rules of the review that 0002/0003 of the rules app do not hold (DOMAIN.md §8): the maxima of the two
sections of the 100-point scale, and what happens when the "excellent" quota is exceeded (block or warn)."""

import datetime

from django.db import migrations

D = datetime.date
QD366 = "Quy định 366-QĐ/TW (30/8/2025) về kiểm điểm, đánh giá, xếp loại"
RULES = [
    # key, name, unit, section, [(value, basis, from, to, verified)]
    (
        "review.common_max_points",
        "Điểm tối đa nhóm tiêu chí chung",
        "count",
        "§8",
        [(30, QD366, D(2025, 8, 30), None, True)],
    ),
    (
        "review.results_max_points",
        "Điểm tối đa nhóm kết quả thực hiện nhiệm vụ",
        "count",
        "§8",
        [(70, QD366, D(2025, 8, 30), None, True)],
    ),
    (
        "review.excellent_quota_mode",
        "Vượt tỷ lệ Hoàn thành xuất sắc: block = không cho quyết định, warn = cảnh báo và ghi lại",
        "text",
        "§8",
        [("block", "Hướng dẫn 21-HD/BTCTW (2019); điều khoản trong QĐ 366 chưa kiểm chứng", D(2019, 10, 1), None, False)],
    ),
]


def seed_rules(apps, schema_editor):
    Rule = apps.get_model("rules", "Rule")
    RuleVersion = apps.get_model("rules", "RuleVersion")
    for key, name, unit, section, versions in RULES:
        rule, _created = Rule.objects.get_or_create(
            key=key, defaults={"name": name, "value_unit": unit, "domain_ref": section}
        )
        if rule.versions.exists():
            continue
        for value, basis, start, end, verified in versions:
            RuleVersion.objects.create(
                rule=rule, value=value, legal_basis=basis, effective_from=start, effective_to=end, verified=verified
            )


class Migration(migrations.Migration):
    dependencies = [("review", "0001_initial"), ("rules", "0004_statute_min_age")]
    operations = [migrations.RunPython(seed_rules, migrations.RunPython.noop)]
