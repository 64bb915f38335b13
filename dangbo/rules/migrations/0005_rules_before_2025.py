"""Rules in force before the 2025 instruments, back to 01/01/2015, so that a bloc can enter its past.

Most versions seeded so far start with the 2025 texts (Quy định 294-QĐ/TW, Hướng dẫn 06-HD/TW,
Quy định 296-QĐ/TW, Hướng dẫn 42-HD/BTCTW, Quy định 366-QĐ/TW): an admission of 2019 or a review of
2024 could not be recorded. For every national rule whose first version starts after 01/01/2015,
this adds versions for the earlier years, one per instrument then in force, each with its legal
basis. The value is that of the first known version (the later texts restated these figures);
where that is not confirmed against the earlier text, the version is marked unverified and its
note says so, so that the rules page flags "chưa kiểm chứng" for a person to confirm or correct by
adding a dated version. Fee rules (DOMAIN.md §10) are left to the fees work: their categories
changed with 01-QĐ/TW.
"""

import datetime

from django.db import migrations

D = datetime.date
START = D(2015, 1, 1)
NOTE = (
    "Bổ sung để ghi nhận dữ liệu trước khi có văn bản hiện hành; giá trị lấy theo văn bản sau, "
    "chưa đối chiếu với văn bản gốc của giai đoạn này — cấp ủy có thẩm quyền cần xác nhận."
)

# The instruments implementing the Statute (Điều lệ Đảng 2011), in force one after another.
STATUTE = [
    (START, D(2016, 7, 25), "Quy định 45-QĐ/TW (01/11/2011) và Hướng dẫn 01-HD/TW (05/01/2012) thi hành Điều lệ Đảng"),
    (
        D(2016, 7, 25),
        D(2021, 7, 30),
        "Quy định 29-QĐ/TW (25/7/2016) và Hướng dẫn 01-HD/TW (20/9/2016) thi hành Điều lệ Đảng",
    ),
    (
        D(2021, 7, 30),
        D(2025, 1, 20),
        "Quy định 24-QĐ/TW (30/7/2021) và Hướng dẫn 01-HD/TW (28/9/2021) thi hành Điều lệ Đảng",
    ),
    (D(2025, 1, 20), D(2025, 7, 1), "Quy định 232-QĐ/TW (20/01/2025) thi hành Điều lệ Đảng"),
]
# Inspection, supervision and discipline procedure (appeals, hearings, notices).
INSPECTION = [
    (START, D(2016, 7, 26), "Quy định 46-QĐ/TW (01/11/2011) về công tác kiểm tra, giám sát, thi hành kỷ luật"),
    (D(2016, 7, 26), D(2021, 7, 28), "Quy định 30-QĐ/TW (26/7/2016) thi hành Chương VII, VIII Điều lệ Đảng"),
    (D(2021, 7, 28), D(2025, 5, 30), "Quy định 22-QĐ/TW (28/7/2021) về công tác kiểm tra, giám sát và kỷ luật"),
]
# The catalogue of violations and the limitation periods.
DISCIPLINE = [
    (START, D(2017, 11, 15), "Quy định 181-QĐ/TW (30/3/2013) về xử lý kỷ luật đảng viên vi phạm"),
    (D(2017, 11, 15), D(2022, 7, 6), "Quy định 102-QĐ/TW (15/11/2017) về xử lý kỷ luật đảng viên vi phạm"),
]
# Cell meetings.
MEETINGS = [
    (START, D(2018, 7, 6), "Hướng dẫn 09-HD/BTCTW (02/3/2012) về nâng cao chất lượng sinh hoạt chi bộ"),
    (D(2018, 7, 6), D(2025, 10, 28), "Hướng dẫn 12-HD/BTCTW (06/7/2018) về sinh hoạt chi bộ"),
]
# Annual review and classification.
REVIEW = [
    (START, D(2018, 3, 8), "Hướng dẫn 27-HD/BTCTW (25/9/2014) về kiểm điểm và đánh giá, xếp loại"),
    (D(2018, 3, 8), D(2023, 10, 4), "Quy định 132-QĐ/TW (08/3/2018) và Hướng dẫn 21-HD/BTCTW (2019)"),
    (D(2023, 10, 4), D(2025, 8, 30), "Quy định 124-QĐ/TW (04/10/2023) về kiểm điểm, đánh giá, xếp loại"),
]
REVIEW_POINTS_NOTE = (
    "Trước Quy định 366-QĐ/TW không có thang 100 điểm: xếp loại theo tiêu chí. Hệ thống dùng thang "
    "điểm này để ghi lại kết quả đã xếp loại của các năm trước — cấp ủy cần xác nhận."
)
# Member-work operations (forms and registers).
MEMBER_WORK = [
    (START, D(2017, 6, 5), "Hướng dẫn nghiệp vụ công tác đảng viên trước 2017 (văn bản chưa xác định)"),
    (D(2017, 6, 5), D(2022, 1, 18), "Hướng dẫn 09-HD/BTCTW (05/6/2017) về nghiệp vụ công tác đảng viên"),
]
# System settings that are not Party rules: the same value back to 2015.
SETTING = None

# key → (segments, verified, note). The Statute's own figures were in the Statute of 2011 already.
BACKFILL = {
    "admission.age_max_months": (STATUTE, False, NOTE),
    "admission.awareness_certificate_months": (STATUTE, False, NOTE),
    "admission.cell_vote_threshold": (STATUTE, True, "Điều lệ Đảng (2011), Điều 4: ít nhất 2/3 đảng viên chính thức."),
    "admission.committee_vote_threshold": (STATUTE, True, "Điều lệ Đảng (2011), Điều 4: ít nhất 2/3 cấp ủy viên."),
    "admission.ceremony_deadline_working_days": (STATUTE, False, NOTE),
    "admission.introducer_min_months": (STATUTE, True, "Điều lệ Đảng (2011), Điều 4: cùng công tác ít nhất một năm."),
    "admission.other_papers_months": (STATUTE, False, NOTE),
    "admission.declaration_deadline_working_days": (MEMBER_WORK, False, NOTE),
    "member.register_reconcile_months": (MEMBER_WORK, False, NOTE),
    "recognition.max_failed_votes": (STATUTE, False, NOTE),
    "recognition.review_deadline_working_days": (STATUTE, False, NOTE),
    "transfer.official_deadline_working_days": (STATUTE, False, NOTE),
    "transfer.present_letter_working_days": (STATUTE, False, NOTE),
    "transfer.temporary_max_months": (STATUTE, False, NOTE),
    "transfer.temporary_min_months": (STATUTE, False, NOTE),
    "transfer.temporary_study_max_months": (STATUTE, False, NOTE),
    "org.secretary_election_max_rounds": (STATUTE, False, NOTE),
    "removal.no_improvement_months": (STATUTE, False, NOTE),
    "badge.deferral_months_dismissal": (STATUTE, False, NOTE),
    "badge.deferral_months_reprimand": (STATUTE, False, NOTE),
    "badge.deferral_months_warning": (STATUTE, False, NOTE),
    "badge.early_months_ill_30_65": (STATUTE, False, NOTE),
    "badge.early_months_ill_70_90": (STATUTE, False, NOTE),
    "badge.milestones_years": (STATUTE, False, NOTE),
    "badge.occasions": (STATUTE, False, NOTE),
    "badge.posthumous_early_months": (STATUTE, False, NOTE),
    "discipline.appeal_window_days": (
        INSPECTION,
        False,
        NOTE + " Các quy định trước ghi thời hạn khiếu nại là một tháng.",
    ),
    "discipline.deferral_infant_months": (INSPECTION, False, NOTE),
    "discipline.hearing_refusals": (INSPECTION, False, NOTE),
    "discipline.state_notice_days": (INSPECTION, False, NOTE),
    "discipline.expulsion_proposal_threshold": (
        DISCIPLINE,
        True,
        "Điều lệ Đảng (2011), Điều 38: khai trừ phải có ít nhất 2/3 đảng viên chính thức đề nghị.",
    ),
    "discipline.vote_majority": (DISCIPLINE, True, "Điều lệ Đảng (2011), Điều 38: quá nửa số thành viên tán thành."),
    "discipline.limitation_years_reprimand": (DISCIPLINE, False, NOTE),
    "discipline.limitation_years_warning": (DISCIPLINE, False, NOTE),
    "meeting.documents_before_days": (MEETINGS, False, NOTE),
    "meeting.low_attendance_percent": (MEETINGS, False, NOTE),
    "meeting.min_minutes.combined": (MEETINGS, False, NOTE),
    "meeting.min_minutes.regular": (MEETINGS, False, NOTE),
    "meeting.min_minutes.small_cell": (MEETINGS, False, NOTE),
    "meeting.min_minutes.thematic": (MEETINGS, False, NOTE),
    "meeting.minutes_publish_days": (MEETINGS, False, NOTE),
    "meeting.small_cell_threshold": (MEETINGS, False, NOTE),
    "meeting.thematic_per_year": (MEETINGS, False, NOTE),
    "meeting.month_end_reminder_days": (SETTING, None, ""),
    "meeting.team_meeting_min_members": (SETTING, False, "Trước thí điểm của Hướng dẫn 03-HD/TW (27/12/2022)."),
    "review.common_max_points": (REVIEW, False, REVIEW_POINTS_NOTE),
    "review.results_max_points": (REVIEW, False, REVIEW_POINTS_NOTE),
    "review.complete_min_points": (REVIEW, False, REVIEW_POINTS_NOTE),
    "review.good_min_points": (REVIEW, False, REVIEW_POINTS_NOTE),
    "review.excellent_min_points": (REVIEW, False, REVIEW_POINTS_NOTE),
    "review.complete_max_late_percent": (REVIEW, False, NOTE),
    "review.excellent_exceeding_min_percent": (REVIEW, False, NOTE),
    "review.excellent_quota_mode": (REVIEW, False, NOTE),
    "review.excellent_quota_percent_of_good": (REVIEW, False, NOTE),
    "review.targets_min_percent": (REVIEW, False, NOTE),
    "consultation.answer_working_days": (SETTING, None, ""),
    "consultation.reminder_working_days": (SETTING, None, ""),
    "documents.reminder_days": (SETTING, None, ""),
    "reminders.offset_days": (SETTING, None, ""),
    "report.due_days_after_period": (SETTING, None, ""),
}
# Values that differ from the first known version.
VALUES = {
    # Before the pilot of party-team meetings, no team meeting replaced a cell meeting.
    "meeting.team_meetings_max_per_year": 0,
}
BACKFILL["meeting.team_meetings_max_per_year"] = (SETTING, False, "Trước thí điểm của Hướng dẫn 03-HD/TW (27/12/2022).")


def seed(apps, schema_editor):
    Rule = apps.get_model("rules", "Rule")
    RuleVersion = apps.get_model("rules", "RuleVersion")
    for key, (segments, verified, note) in BACKFILL.items():
        rule = Rule.objects.filter(key=key).first()
        if rule is None:
            continue
        first = RuleVersion.objects.filter(rule=rule, scope_unit__isnull=True).order_by("effective_from").first()
        if first is None or first.effective_from <= START:
            continue
        value = VALUES.get(key, first.value)
        if segments is None:
            segments = [(START, first.effective_from, first.legal_basis)]
        for begin, end, basis in segments:
            end = min(end, first.effective_from)
            if begin >= end:
                continue
            RuleVersion.objects.create(
                rule=rule,
                value=value,
                legal_basis=basis[:500],
                effective_from=begin,
                effective_to=end,
                verified=first.verified if verified is None else verified,
                note=note,
            )


class Migration(migrations.Migration):
    # After every app that seeds rules.
    dependencies = [
        ("rules", "0004_statute_min_age"),
        ("admission", "0001_initial"),
        ("committees", "0002_seed_rules"),
        ("documents", "0003_rules"),
        ("inspection", "0002_seed_rules"),
        ("meetings", "0002_seed_meeting_rules"),
        ("reports", "0002_seed_report_rules"),
        ("review", "0002_seed_rules"),
    ]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]


# tests/browser/conftest.py seeds the rules again after a flush: this one after all the others.
seed_rules_late = seed
