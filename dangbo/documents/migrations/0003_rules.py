"""Rules of the document library: the days after a distribution when the unread are reminded."""

import datetime

from django.db import migrations

RULES = [
    (
        "documents.reminder_days",
        "Nhắc người chưa đọc văn bản sau khi phát hành (ngày)",
        "days",
        "§6",
        7,
        "Cấu hình của hệ thống (không phải quy định của Đảng); cấp ủy có thể đặt mức riêng cho đơn vị",
    ),
]


def seed_rules(apps, schema_editor):
    Rule = apps.get_model("rules", "Rule")
    RuleVersion = apps.get_model("rules", "RuleVersion")
    for key, name, unit, section, value, basis in RULES:
        rule, _ = Rule.objects.get_or_create(key=key, defaults={"name": name, "value_unit": unit, "domain_ref": section})
        RuleVersion.objects.get_or_create(
            rule=rule,
            scope_unit=None,
            effective_from=datetime.date(2020, 1, 1),
            defaults={"value": value, "legal_basis": basis, "verified": True},
        )


class Migration(migrations.Migration):
    dependencies = [("documents", "0002_library"), ("rules", "0004_statute_min_age")]
    operations = [migrations.RunPython(seed_rules, migrations.RunPython.noop)]
