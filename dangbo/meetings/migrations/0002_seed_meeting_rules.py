"""Rules the meetings app adds to the registry: the attendance rate below which a meeting counts as
poorly attended, and the days before a month's end on which a cell without a meeting is reminded.
Both are system settings of the bloc, not Party rules (DOMAIN.md §5 scoring sheet for the first)."""

import datetime

from django.db import migrations

RULES = [
    (
        "meeting.low_attendance_percent",
        "Sinh hoạt chi bộ có tỷ lệ dự họp dưới mức này bị coi là dự họp thấp",
        "percent",
        "§5",
        75,
        "Phiếu chấm điểm chất lượng sinh hoạt chi bộ của một đảng ủy phường theo HD 42 (75% là mức 3 điểm); "
        "cấu hình của hệ thống",
    ),
    (
        "meeting.month_end_reminder_days",
        "Nhắc bí thư chi bộ chưa có buổi sinh hoạt trong tháng trước cuối tháng (ngày)",
        "list",
        "§5",
        [7, 3, 1],
        "Cấu hình của hệ thống (không phải quy định của Đảng)",
    ),
]


def seed_rules(apps, schema_editor):
    Rule = apps.get_model("rules", "Rule")
    RuleVersion = apps.get_model("rules", "RuleVersion")
    for key, name, unit, section, value, basis in RULES:
        rule, _created = Rule.objects.get_or_create(
            key=key, defaults={"name": name, "value_unit": unit, "domain_ref": section}
        )
        if not RuleVersion.objects.filter(rule=rule, scope_unit__isnull=True).exists():
            RuleVersion.objects.create(
                rule=rule, value=value, legal_basis=basis, effective_from=datetime.date(2018, 7, 6), verified=False
            )


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial"), ("rules", "0004_statute_min_age")]
    operations = [migrations.RunPython(seed_rules, migrations.RunPython.noop)]
