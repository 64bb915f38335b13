"""Rules of consultations: how long the bloc's departments have to answer a proposal from the grassroots,
and how early the daily reminder warns. No central text fixes them; they are the bloc committee's
working rules, to be confirmed with the client (dated versions are added through the rules pages)."""

import datetime

from django.db import migrations

WORKING_RULES = "Quy chế làm việc của Đảng ủy Khối (giá trị mặc định, cần xác nhận với khách hàng)"
FROM = datetime.date(2025, 7, 1)

RULES = [
    (
        "consultation.answer_working_days",
        "Thời hạn trả lời kiến nghị của cấp ủy cơ sở, đảng viên",
        "working_days",
        "§1",
        [(15, WORKING_RULES, FROM, None, False)],
    ),
    (
        "consultation.reminder_working_days",
        "Nhắc việc trước hạn trả lời kiến nghị",
        "working_days",
        "§1",
        [(3, WORKING_RULES, FROM, None, False)],
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
    dependencies = [("committees", "0001_initial"), ("rules", "0004_statute_min_age")]
    operations = [migrations.RunPython(seed_rules, migrations.RunPython.noop)]
