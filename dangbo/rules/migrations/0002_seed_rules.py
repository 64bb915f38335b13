"""Seed the rule registry with the rules of DOMAIN.md that the product needs.

Each row: key, name, unit, DOMAIN.md section, and its versions
(value, legal basis, effective from, effective to, verified). Later changes are
made as dated versions through the rules pages, not by editing this file."""

import datetime

D = datetime.date
DL = "Điều lệ Đảng (Đại hội XI, 2011)"
QD294 = "Quy định 294-QĐ/TW (26/5/2025)"
HD06 = "Hướng dẫn 06-HD/TW (09/6/2025)"
HD42 = "Hướng dẫn 42-HD/BTCTW (28/10/2025) thực hiện Chỉ thị 50-CT/TW"
HD12_2018 = "Hướng dẫn 12-HD/BTCTW (06/7/2018) về sinh hoạt chi bộ"
HD12_2022 = "Hướng dẫn 12-HD/BTCTW (18/01/2022) về nghiệp vụ công tác đảng viên"
QD01_2026 = "Quy định 01-QĐ/TW (03/02/2026) về chế độ đảng phí"
QD342 = "Quyết định 342-QĐ/TW (28/12/2010) về chế độ đảng phí"
QD366 = "Quy định 366-QĐ/TW (30/8/2025) về kiểm điểm, đánh giá, xếp loại"
STATUTE_FROM = D(2011, 1, 19)
QD294_FROM = D(2025, 7, 1)

RULES = [
    # key, name, unit, section, [(value, basis, from, to, verified)]
    (
        "meeting.min_minutes.regular",
        "Thời lượng tối thiểu buổi sinh hoạt chi bộ thường kỳ",
        "minutes",
        "§5",
        [(90, HD12_2018, D(2018, 7, 6), D(2025, 10, 28), False), (90, HD42, D(2025, 10, 28), None, True)],
    ),
    (
        "meeting.min_minutes.combined",
        "Thời lượng tối thiểu khi sinh hoạt thường kỳ kết hợp chuyên đề",
        "minutes",
        "§5",
        [(120, HD42, D(2025, 10, 28), None, True)],
    ),
    (
        "meeting.min_minutes.thematic",
        "Thời lượng tối thiểu buổi sinh hoạt chuyên đề",
        "minutes",
        "§5",
        [(120, HD42 + " (mức cho buổi chuyên đề riêng chưa thấy văn bản gốc)", D(2018, 7, 6), None, False)],
    ),
    (
        "meeting.small_cell_threshold",
        "Chi bộ ít đảng viên: dưới số đảng viên này",
        "count",
        "§5",
        [(9, HD42 + ": cấp ủy có thẩm quyền quy định cho chi bộ ít đảng viên", D(2018, 7, 6), None, False)],
    ),
    (
        "meeting.min_minutes.small_cell",
        "Thời lượng tối thiểu của chi bộ ít đảng viên",
        "minutes",
        "§5",
        [(90, HD42 + ": quốc gia không quy định riêng, áp dụng như sinh hoạt thường kỳ", D(2018, 7, 6), None, False)],
    ),
    (
        "meeting.thematic_per_year",
        "Số buổi sinh hoạt chuyên đề tối thiểu mỗi năm",
        "count",
        "§5",
        [(4, HD12_2018 + " (ít nhất mỗi quý một lần)", D(2018, 7, 6), None, True)],
    ),
    (
        "meeting.documents_before_days",
        "Tài liệu sinh hoạt đăng trước buổi họp ít nhất",
        "days",
        "§5",
        [(1, HD42, D(2025, 10, 28), None, True)],
    ),
    (
        "meeting.minutes_publish_days",
        "Biên bản, nghị quyết công bố sau buổi họp trong vòng",
        "days",
        "§5",
        [
            (
                2,
                "Phiếu chấm điểm của một đảng ủy phường theo HD 42 (không phải quy định trung ương)",
                D(2025, 10, 28),
                None,
                False,
            )
        ],
    ),
    (
        "org.cell_min_official_members",
        "Số đảng viên chính thức tối thiểu để lập chi bộ",
        "count",
        "§1",
        [(3, DL + ", Điều 21", STATUTE_FROM, None, True)],
    ),
    (
        "org.chi_uy_threshold",
        "Chi bộ có từ số đảng viên chính thức này thì bầu chi ủy",
        "count",
        "§1",
        [(9, DL + ", Điều 24", STATUTE_FROM, None, True)],
    ),
    (
        "org.chi_uy_max_size",
        "Số chi ủy viên tối đa",
        "count",
        "§1",
        [(7, DL + ", Điều 24; " + QD294, STATUTE_FROM, None, False)],
    ),
    (
        "org.cell_congress_per_5_years",
        "Số lần đại hội chi bộ trong 5 năm",
        "count",
        "§1",
        [(2, DL + ", Điều 24.3", STATUTE_FROM, None, True)],
    ),
    (
        "org.congress_window_months",
        "Đại hội sớm hoặc muộn tối đa (cấp trên cho phép)",
        "months",
        "§1",
        [(6, DL + ", Điều 24.3", STATUTE_FROM, None, True)],
    ),
    ("member.probation_months", "Thời gian dự bị", "months", "§3", [(12, DL + ", Điều 5.1", STATUTE_FROM, None, True)]),
    (
        "admission.age_min_months",
        "Tuổi tối thiểu người vào Đảng (tính theo tháng)",
        "months",
        "§3",
        [(216, QD294 + ", Điều 1", QD294_FROM, None, True)],
    ),
    (
        "admission.age_max_months",
        "Tuổi tối đa người vào Đảng không cần cấp tỉnh quyết định (tính theo tháng)",
        "months",
        "§3",
        [(720, QD294 + ", Điều 1", QD294_FROM, None, True)],
    ),
    (
        "admission.awareness_certificate_months",
        "Hiệu lực giấy chứng nhận lớp bồi dưỡng nhận thức về Đảng",
        "months",
        "§3",
        [(60, HD06 + ", mục 5.4", D(2025, 6, 9), None, True)],
    ),
    (
        "admission.other_papers_months",
        "Hiệu lực các giấy tờ khác của hồ sơ kết nạp",
        "months",
        "§3",
        [(12, "Thực tiễn của một chi bộ trường học; giá trị trong HD 06 chưa kiểm chứng", D(2025, 6, 9), None, False)],
    ),
    (
        "admission.introducer_min_months",
        "Người giới thiệu cùng công tác, học tập, sinh sống với người vào Đảng ít nhất",
        "months",
        "§3",
        [(12, QD294 + ", Điều 4, mục 3.2.1", QD294_FROM, None, True)],
    ),
    (
        "admission.cell_vote_threshold",
        "Tỷ lệ tán thành tối thiểu của chi bộ (trên tổng số đảng viên chính thức)",
        "ratio",
        "§3",
        [([2, 3], HD06 + ", mục 3.6b", D(2025, 6, 9), None, True)],
    ),
    (
        "admission.committee_vote_threshold",
        "Tỷ lệ tán thành tối thiểu của đảng ủy cơ sở (trên tổng số cấp ủy viên)",
        "ratio",
        "§3",
        [([2, 3], HD06 + ", mục 3.7a", D(2025, 6, 9), None, True)],
    ),
    (
        "admission.ceremony_deadline_working_days",
        "Tổ chức lễ kết nạp trong vòng (kể từ khi nhận quyết định)",
        "working_days",
        "§3",
        [(30, QD294 + ", Điều 5.4", QD294_FROM, None, True)],
    ),
    (
        "admission.declaration_deadline_working_days",
        "Khai lý lịch đảng viên (1-HSĐV) trong vòng (kể từ lễ kết nạp)",
        "working_days",
        "§2",
        [(30, HD12_2022 + ", mục 2.2", D(2022, 1, 18), None, True)],
    ),
    (
        "recognition.review_deadline_working_days",
        "Xét công nhận chính thức trong vòng (sau khi hết 12 tháng dự bị)",
        "working_days",
        "§3",
        [(30, QD294 + "; " + HD06, QD294_FROM, None, True)],
    ),
    (
        "recognition.max_failed_votes",
        "Số lần biểu quyết không đạt tối đa trước khi báo cáo cấp trên",
        "count",
        "§3",
        [(3, HD06, D(2025, 6, 9), None, True)],
    ),
    (
        "transfer.official_deadline_working_days",
        "Làm thủ tục chuyển sinh hoạt đảng chính thức trong vòng",
        "working_days",
        "§4",
        [(60, QD294 + ", mục 6.3.1a", QD294_FROM, None, True)],
    ),
    (
        "transfer.present_letter_working_days",
        "Nộp giấy giới thiệu cho chi ủy nơi đến trong vòng",
        "working_days",
        "§4",
        [(30, QD294 + ", mục 6.3.1a", QD294_FROM, None, True)],
    ),
    (
        "transfer.temporary_min_months",
        "Chuyển sinh hoạt tạm thời khi vắng từ",
        "months",
        "§4",
        [(3, QD294 + ", mục 6.3.2", QD294_FROM, None, True)],
    ),
    (
        "transfer.temporary_max_months",
        "Chuyển sinh hoạt tạm thời khi vắng dưới",
        "months",
        "§4",
        [(12, QD294 + ", mục 6.3.2", QD294_FROM, None, True)],
    ),
    (
        "removal.missed_meeting_months_per_year",
        "Bỏ sinh hoạt không lý do trong một năm: đề nghị xóa tên từ",
        "months",
        "§2",
        [(3, DL + ", Điều 8.1", STATUTE_FROM, None, True)],
    ),
    (
        "removal.unpaid_fee_months_per_year",
        "Không đóng đảng phí không lý do trong một năm: đề nghị xóa tên từ",
        "months",
        "§10",
        [(3, DL + ", Điều 8.1", STATUTE_FROM, D(2026, 2, 1), True), (3, QD01_2026, D(2026, 2, 1), None, True)],
    ),
    (
        "removal.failed_review_years",
        "Số năm liền xếp loại không hoàn thành nhiệm vụ: đề nghị xóa tên",
        "years",
        "§2",
        [(2, DL + ", Điều 8; 24-QĐ/TW (tóm tắt)", STATUTE_FROM, None, False)],
    ),
    (
        "badge.milestones_years",
        "Các mốc tuổi đảng xét tặng Huy hiệu Đảng",
        "list",
        "§11",
        [
            (
                [30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90],
                "Hướng dẫn 01-HD/TW (28/9/2021), mục 18; HD 06 giả định giữ nguyên",
                D(2021, 9, 28),
                None,
                False,
            )
        ],
    ),
    (
        "badge.early_months_ill_30_65",
        "Tặng sớm cho đảng viên ốm nặng (mốc 30–65 năm) tối đa",
        "months",
        "§11",
        [(12, "Hướng dẫn 01-HD/TW (28/9/2021), mục 18", D(2021, 9, 28), None, False)],
    ),
    (
        "badge.early_months_ill_70_90",
        "Tặng sớm cho đảng viên ốm nặng (mốc 70–90 năm) tối đa",
        "months",
        "§11",
        [(24, "Hướng dẫn 01-HD/TW (28/9/2021), mục 18", D(2021, 9, 28), None, False)],
    ),
    (
        "fee.rate_insured_percent",
        "Đảng phí của đảng viên tham gia BHXH bắt buộc (% tiền lương đóng BHXH)",
        "percent",
        "§10",
        [(1, QD342, D(2011, 1, 1), D(2026, 2, 1), False), (1, QD01_2026, D(2026, 2, 1), None, True)],
    ),
    (
        "fee.rate_pension_percent",
        "Đảng phí của đảng viên hưởng lương hưu (% lương hưu)",
        "percent",
        "§10",
        [(0.5, QD342, D(2011, 1, 1), D(2026, 2, 1), False), (0.5, QD01_2026, D(2026, 2, 1), None, True)],
    ),
    (
        "fee.student_vnd",
        "Đảng phí của đảng viên là học sinh, sinh viên (đồng/tháng)",
        "count",
        "§10",
        [(5000, QD01_2026, D(2026, 2, 1), None, True)],
    ),
    (
        "fee.exempt_party_years",
        "Miễn đảng phí khi tuổi đảng từ",
        "years",
        "§10",
        [(50, QD01_2026 + " (theo tóm tắt của một đảng ủy)", D(2026, 2, 1), None, False)],
    ),
    (
        "fee.reduction_max_months",
        "Thời hạn tối đa mỗi lần giảm đảng phí",
        "months",
        "§10",
        [(12, QD01_2026 + " (theo tóm tắt của một đảng ủy)", D(2026, 2, 1), None, False)],
    ),
    (
        "review.excellent_min_points",
        "Điểm tối thiểu xếp loại Hoàn thành xuất sắc nhiệm vụ",
        "count",
        "§8",
        [(90, QD366, D(2025, 8, 30), None, True)],
    ),
    (
        "review.good_min_points",
        "Điểm tối thiểu xếp loại Hoàn thành tốt nhiệm vụ",
        "count",
        "§8",
        [(70, QD366, D(2025, 8, 30), None, True)],
    ),
    (
        "review.complete_min_points",
        "Điểm tối thiểu xếp loại Hoàn thành nhiệm vụ",
        "count",
        "§8",
        [(50, QD366, D(2025, 8, 30), None, True)],
    ),
    (
        "review.excellent_quota_percent_of_good",
        "Tỷ lệ tối đa Hoàn thành xuất sắc so với Hoàn thành tốt",
        "percent",
        "§8",
        [(20, "Hướng dẫn 21-HD/BTCTW (2019); điều khoản trong QĐ 366 chưa kiểm chứng", D(2019, 10, 1), None, False)],
    ),
    (
        "reminders.offset_days",
        "Nhắc việc trước hạn (ngày)",
        "list",
        "§3",
        [([90, 60, 30, 15, 7], "Cấu hình của hệ thống (không phải quy định của Đảng)", D(2020, 1, 1), None, True)],
    ),
]

from django.db import migrations  # noqa: E402


def seed(apps, schema_editor):
    Rule = apps.get_model("rules", "Rule")
    RuleVersion = apps.get_model("rules", "RuleVersion")
    for key, name, unit, section, versions in RULES:
        rule = Rule.objects.create(key=key, name=name, value_unit=unit, domain_ref=section)
        for value, basis, start, end, verified in versions:
            RuleVersion.objects.create(
                rule=rule, value=value, legal_basis=basis, effective_from=start, effective_to=end, verified=verified
            )


class Migration(migrations.Migration):
    dependencies = [("rules", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]


# tests/browser/conftest.py seeds the rules again after a transactional test flushed them.
seed_rules = seed
