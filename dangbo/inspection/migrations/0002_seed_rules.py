"""Rules of inspection and discipline (DOMAIN.md §7): vote thresholds, limitation periods, the appeal window,
the notification of state discipline, the hearing and the infant deferral. Same row shape as
rules/0002_seed_rules."""

import datetime

from django.db import migrations

D = datetime.date
QD69 = "Quy định 69-QĐ/TW (06/7/2022) về kỷ luật tổ chức đảng, đảng viên vi phạm"
QD296 = "Quy định 296-QĐ/TW (30/5/2025) về công tác kiểm tra, giám sát và kỷ luật của Đảng"
QD69_FROM = D(2022, 7, 6)
QD296_FROM = D(2025, 5, 30)

RULES = [
    # key, name, unit, section, [(value, basis, from, to, verified)]
    (
        "discipline.vote_majority",
        "Kỷ luật khiển trách, cảnh cáo, cách chức, khai trừ: số tán thành phải quá (lớn hơn) tỷ lệ",
        "ratio",
        "§7",
        [([1, 2], QD69 + ", Điều 15", QD69_FROM, None, True)],
    ),
    (
        "discipline.expulsion_proposal_threshold",
        "Đề nghị khai trừ: số tán thành ít nhất (từ) tỷ lệ",
        "ratio",
        "§7",
        [([2, 3], QD69 + ", Điều 15", QD69_FROM, None, True)],
    ),
    (
        "discipline.limitation_years_reprimand",
        "Thời hiệu kỷ luật đối với vi phạm đến mức khiển trách",
        "years",
        "§7",
        [(5, QD69 + ", Điều 4", QD69_FROM, None, True)],
    ),
    (
        "discipline.limitation_years_warning",
        "Thời hiệu kỷ luật đối với vi phạm đến mức cảnh cáo, cách chức (tổ chức: cảnh cáo, giải tán)",
        "years",
        "§7",
        [(10, QD69 + ", Điều 4 (giải tán tổ chức: chưa kiểm chứng)", QD69_FROM, None, True)],
    ),
    (
        "discipline.appeal_window_days",
        "Khiếu nại kỷ luật trong thời hạn (ngày, kể từ khi nhận quyết định)",
        "days",
        "§7",
        [(30, QD296 + ", Điều 25.1 (theo bộ câu hỏi; ngày lịch hay ngày làm việc chưa kiểm chứng)", QD296_FROM,
          None, False)],
    ),
    (
        "discipline.state_notice_days",
        "Thông báo kỷ luật chính quyền, đoàn thể cho tổ chức đảng trong thời hạn (ngày)",
        "days",
        "§7",
        [(5, QD296 + ", Điều 8.5", QD296_FROM, None, True)],
    ),
    (
        "discipline.hearing_refusals",
        "Đảng viên cố tình không dự buổi gặp, nghe trình bày: số lần vắng không lý do để vẫn xem xét kỷ luật",
        "count",
        "§7",
        [(2, QD296 + ", Điều 12.2.1 (\"nhiều lần\"; số lần chưa kiểm chứng)", QD296_FROM, None, False)],
    ),
    (
        "discipline.deferral_infant_months",
        "Chưa xem xét kỷ luật đảng viên đang nuôi con nhỏ dưới (tháng tuổi)",
        "months",
        "§7",
        [(12, QD296 + ", Điều 8.7", QD296_FROM, None, True)],
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
    dependencies = [("inspection", "0001_initial"), ("rules", "0004_statute_min_age")]
    operations = [migrations.RunPython(seed_rules, migrations.RunPython.noop)]
