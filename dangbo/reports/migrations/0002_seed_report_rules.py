"""Rule of the periodic reports: how many days after the end of the period a grassroots organization's
report is due to the level above (a setting of the bloc, not a Party regulation)."""

import datetime

from django.db import migrations


def seed_rules(apps, schema_editor):
    Rule = apps.get_model("rules", "Rule")
    RuleVersion = apps.get_model("rules", "RuleVersion")
    rule, _created = Rule.objects.get_or_create(
        key="report.due_days_after_period",
        defaults={
            "name": "Hạn gửi báo cáo định kỳ của tổ chức cơ sở đảng (số ngày sau khi hết kỳ)",
            "value_unit": "days",
            "domain_ref": "§12",
        },
    )
    RuleVersion.objects.get_or_create(
        rule=rule,
        scope_unit=None,
        effective_from=datetime.date(2020, 1, 1),
        defaults={
            "value": 5,
            "legal_basis": "Cấu hình của Đảng ủy Khối (không phải quy định của Đảng)",
            "verified": True,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_periodic_reports"), ("rules", "0004_statute_min_age")]
    operations = [migrations.RunPython(seed_rules, migrations.RunPython.noop)]
