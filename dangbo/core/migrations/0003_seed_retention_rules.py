"""Retention of the dossier read log and the audit log (Nghị định 13/2023/NĐ-CP on personal data): rows older
than the rule's number of months are deleted by ``manage.py daily``. The decree sets no period; the values
are the bloc office's proposal, flagged unverified, and a committee may change them in the registry."""

import datetime

from django.db import migrations

D = datetime.date
BASIS = (
    "Thời hạn lưu do Đảng ủy Khối quyết định (đề xuất, chưa kiểm chứng); từ 01/7/2023 áp dụng cùng "
    "Nghị định 13/2023/NĐ-CP, Điều 16 (xóa dữ liệu khi không còn cần cho mục đích xử lý)"
)
# From 2015 like every other rule (rules/0005): the periods apply to log rows of any age.
RULES = [
    # key, name, unit, section, [(value, basis, from, to, verified)]
    (
        "core.retention.read_log_months",
        "Thời hạn lưu nhật ký xem hồ sơ đảng viên (tháng)",
        "months",
        "§2",
        [(36, BASIS, D(2015, 1, 1), None, False)],
    ),
    (
        "core.retention.audit_log_months",
        "Thời hạn lưu nhật ký thao tác (tháng)",
        "months",
        "§2",
        [(120, BASIS, D(2015, 1, 1), None, False)],
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
    dependencies = [("core", "0002_ops_heartbeat_dailyrun"), ("rules", "0004_statute_min_age")]
    operations = [migrations.RunPython(seed_rules, migrations.RunPython.noop)]
