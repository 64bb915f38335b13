"""More rules of DOMAIN.md for later features: fee rates outside insurance (both periods), reductions
and the old allocation (§10), committee thresholds (§1), temporary study transfers (§4), resolution
majority and team meetings (§5), review gates (§8), badge deferral and occasions (§11).
Same row shape as 0002_seed_rules."""

import datetime

from django.db import migrations

D = datetime.date
DL = "Điều lệ Đảng (Đại hội XI, 2011)"
QD294 = "Quy định 294-QĐ/TW (26/5/2025)"
QD24 = "Quy định 24-QĐ/TW (30/7/2021)"
HD01_2021 = "Hướng dẫn 01-HD/TW (28/9/2021), mục 18"
QD01_2026 = "Quy định 01-QĐ/TW (03/02/2026) về chế độ đảng phí"
QD342 = "Quyết định 342-QĐ/TW (28/12/2010) về chế độ đảng phí"
QD366 = "Quy định 366-QĐ/TW (30/8/2025) về kiểm điểm, đánh giá, xếp loại, Điều 11"
FEES_FROM = D(2026, 2, 1)
FEES_2028 = D(2028, 1, 1)
THIRD_PARTY = " (chỉ thấy trong mã nguồn ứng dụng bên thứ ba, chưa kiểm chứng)"

RULES = [
    # key, name, unit, section, [(value, basis, from, to, verified)]
    (
        "fee.rate_sick_leave_percent",
        "Đảng phí khi nghỉ ốm, thai sản do cơ quan BHXH chi trả (% trợ cấp)",
        "percent",
        "§10",
        [(1, QD01_2026, FEES_FROM, None, True)],
    ),
    (
        "fee.rate_no_pension_below_retirement_percent",
        "Đảng phí của đảng viên không tham gia BHXH, không có lương hưu, chưa đến tuổi nghỉ hưu "
        "(% lương tối thiểu vùng)",
        "percent",
        "§10",
        [
            (0.3, QD01_2026 + THIRD_PARTY, FEES_FROM, FEES_2028, False),
            (0.5, QD01_2026 + THIRD_PARTY, FEES_2028, None, False),
        ],
    ),
    (
        "fee.rate_no_pension_retirement_age_percent",
        "Đảng phí của đảng viên đã đến tuổi nghỉ hưu nhưng không có lương hưu (% lương tối thiểu vùng)",
        "percent",
        "§10",
        [
            (0.2, QD01_2026 + THIRD_PARTY, FEES_FROM, FEES_2028, False),
            (0.3, QD01_2026 + THIRD_PARTY, FEES_2028, None, False),
        ],
    ),
    (
        "fee.reduction_percents",
        "Các mức giảm đảng phí (%)",
        "list",
        "§10",
        [([30, 50, 70], QD01_2026 + " (theo tóm tắt của một đảng ủy)", FEES_FROM, None, False)],
    ),
    (
        "fee.subordinate_cell_retained_percent",
        "Tỷ lệ đảng phí chi bộ trực thuộc được giữ lại (phần còn lại nộp đảng ủy cơ sở)",
        "percent",
        "§10",
        # Under 01-QĐ/TW the split is not known yet: a new dated version is added when it is.
        [(30, QD342, D(2011, 1, 1), FEES_FROM, False)],
    ),
    (
        "org.standing_committee_threshold",
        "Đảng ủy cơ sở có từ số ủy viên này thì bầu ban thường vụ",
        "count",
        "§1",
        [(9, DL + " (theo hướng dẫn của một tỉnh ủy, chưa thấy điều khoản)", D(2011, 1, 19), None, False)],
    ),
    (
        "org.secretary_election_max_rounds",
        "Bầu bí thư không đạt sau số lần này thì cấp trên chỉ định",
        "count",
        "§1",
        [(3, QD24 + "; giả định giữ nguyên trong " + QD294, D(2021, 7, 30), None, False)],
    ),
    (
        "org.grassroots_term_years",
        "Nhiệm kỳ đại hội đảng bộ cơ sở",
        "years",
        "§1",
        [(5, DL, D(2011, 1, 19), None, True)],
    ),
    (
        "member.register_reconcile_months",
        "Đối chiếu sổ danh sách đảng viên (7-HSĐV) với cấp trên, cấp dưới mỗi",
        "months",
        "§2",
        [(3, "Hướng dẫn 12-HD/BTCTW (18/01/2022) về nghiệp vụ công tác đảng viên", D(2022, 1, 18), None, False)],
    ),
    (
        "removal.no_improvement_months",
        "Phai nhạt lý tưởng, đã giáo dục mà không tiến bộ sau: đề nghị xóa tên",
        "months",
        "§2",
        [(12, QD24 + " (tóm tắt); lời văn trong " + QD294 + " chưa kiểm chứng", D(2021, 7, 30), None, False)],
    ),
    (
        "transfer.temporary_study_max_months",
        "Chuyển sinh hoạt tạm thời khi đi học tập trung trong nước dưới",
        "months",
        "§4",
        [(24, QD294 + ", mục 6.3.2", D(2025, 7, 1), None, True)],
    ),
    (
        "meeting.resolution_majority",
        "Nghị quyết của cơ quan lãnh đạo cần số tán thành quá (lớn hơn) tỷ lệ",
        "ratio",
        "§5",
        [([1, 2], DL + ", Điều 9.5", D(2011, 1, 19), None, True)],
    ),
    (
        "meeting.team_meeting_min_members",
        "Thí điểm sinh hoạt theo tổ đảng: chi bộ có từ số đảng viên",
        "count",
        "§5",
        [(50, "Hướng dẫn 03-HD/TW (27/12/2022), thí điểm (nguồn thứ cấp)", D(2022, 12, 27), None, False)],
    ),
    (
        "meeting.team_meetings_max_per_year",
        "Thí điểm sinh hoạt theo tổ đảng thay sinh hoạt chi bộ tối đa số lần mỗi năm",
        "count",
        "§5",
        [(3, "Hướng dẫn 03-HD/TW (27/12/2022), thí điểm (nguồn thứ cấp)", D(2022, 12, 27), None, False)],
    ),
    (
        "review.excellent_exceeding_min_percent",
        "Hoàn thành xuất sắc: tỷ lệ nhiệm vụ vượt yêu cầu tối thiểu",
        "percent",
        "§8",
        [(30, QD366, D(2025, 8, 30), None, True)],
    ),
    (
        "review.complete_max_late_percent",
        "Hoàn thành nhiệm vụ: tỷ lệ nhiệm vụ chậm tiến độ tối đa",
        "percent",
        "§8",
        [(20, QD366, D(2025, 8, 30), None, True)],
    ),
    (
        "review.targets_min_percent",
        "Không hoàn thành nhiệm vụ khi thực hiện dưới tỷ lệ chỉ tiêu được giao",
        "percent",
        "§8",
        [
            (
                50,
                "Hướng dẫn 21-HD/BTCTW (2019); Quy định 124-QĐ/TW (04/10/2023); danh sách trong QĐ 366 chưa kiểm chứng",
                D(2019, 10, 1),
                None,
                False,
            )
        ],
    ),
    (
        "badge.posthumous_early_months",
        "Truy tặng Huy hiệu Đảng sớm cho đảng viên từ trần tối đa",
        "months",
        "§11",
        [(12, HD01_2021, D(2021, 9, 28), None, False)],
    ),
    (
        "badge.deferral_months_reprimand",
        "Xét tặng Huy hiệu Đảng sau kỷ luật khiển trách: sau số tháng sửa chữa tốt",
        "months",
        "§11",
        [(6, QD24 + " (các nguồn khác nhau; quy định theo 294 chưa kiểm chứng)", D(2021, 7, 30), None, False)],
    ),
    (
        "badge.deferral_months_warning",
        "Xét tặng Huy hiệu Đảng sau kỷ luật cảnh cáo: sau số tháng sửa chữa tốt",
        "months",
        "§11",
        [(9, QD24 + " (các nguồn khác nhau; quy định theo 294 chưa kiểm chứng)", D(2021, 7, 30), None, False)],
    ),
    (
        "badge.deferral_months_dismissal",
        "Xét tặng Huy hiệu Đảng sau kỷ luật cách chức: sau số tháng sửa chữa tốt",
        "months",
        "§11",
        [(12, QD24 + " (các nguồn khác nhau; quy định theo 294 chưa kiểm chứng)", D(2021, 7, 30), None, False)],
    ),
    (
        "badge.occasions",
        "Các dịp trao Huy hiệu Đảng (ngày/tháng)",
        "text",
        "§11",
        [("03/02, 19/05, 02/09, 07/11", HD01_2021 + " (theo hỏi đáp pháp luật)", D(2021, 9, 28), None, False)],
    ),
]


def seed(apps, schema_editor):
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
    dependencies = [("rules", "0002_seed_rules")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]


# tests/browser/conftest.py seeds the rules again after a transactional test flushed them.
seed_rules = seed
