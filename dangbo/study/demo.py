"""Demo study campaign: the bloc office's study of Nghị quyết 57-NQ/TW (science, technology, innovation and
digital transformation) by the whole bloc, with a ten-question quiz and a learning report. Most of
Đảng bộ Sở Tài chính has finished; elsewhere progress is partial. The demo member login ``dangvien`` has only
read the material, so the quiz and the report are left for the visitor."""

import datetime

from django.utils import timezone

from dangbo.accounts.models import Role, RoleAssignment, User
from dangbo.documents.models import Document
from dangbo.members.models import Member
from dangbo.study.models import (
    STUDY_STATUSES,
    Attempt,
    Attendance,
    Campaign,
    Choice,
    Progress,
    Question,
    Session,
    Target,
)

NUMBER = "57-NQ/TW"
TITLE = "Học tập, quán triệt Nghị quyết số 57-NQ/TW của Bộ Chính trị"

MATERIAL = """Ngày 22/12/2024, Bộ Chính trị ban hành Nghị quyết số 57-NQ/TW về đột phá phát triển khoa học, công nghệ, \
đổi mới sáng tạo và chuyển đổi số quốc gia.

Nghị quyết xác định phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số là đột phá quan trọng hàng \
đầu, là động lực chính để phát triển nhanh lực lượng sản xuất hiện đại, hoàn thiện quan hệ sản xuất, đổi mới \
phương thức quản trị quốc gia, phát triển kinh tế – xã hội.

Mục tiêu đến năm 2030: tiềm lực, trình độ khoa học, công nghệ và đổi mới sáng tạo đạt mức tiên tiến ở nhiều lĩnh \
vực quan trọng; Việt Nam thuộc nhóm 3 nước dẫn đầu Đông Nam Á về nghiên cứu và phát triển trí tuệ nhân tạo; quy \
mô kinh tế số đạt tối thiểu 30% GDP; kinh phí chi cho nghiên cứu phát triển đạt 2% GDP; tỷ lệ sử dụng dịch vụ \
công trực tuyến của người dân và doanh nghiệp đạt trên 80%. Tầm nhìn đến năm 2045.

Nghị quyết yêu cầu bố trí ít nhất 3% tổng chi ngân sách hằng năm cho phát triển khoa học, công nghệ, đổi mới \
sáng tạo và chuyển đổi số quốc gia; thành lập Ban Chỉ đạo Trung ương do Tổng Bí thư làm Trưởng ban.

Liên hệ tại cơ quan: mỗi chi bộ xây dựng chương trình hành động, đẩy mạnh số hóa hồ sơ, giải quyết thủ tục hành \
chính trên môi trường điện tử và nâng cao kỹ năng số của cán bộ, đảng viên."""

# (question, kind, [(answer, correct)])
QUESTIONS = [
    (
        "Nghị quyết số 57-NQ/TW do cơ quan nào ban hành?",
        "single",
        [("Bộ Chính trị", True), ("Ban Chấp hành Trung ương", False), ("Quốc hội", False), ("Chính phủ", False)],
    ),
    (
        "Nghị quyết số 57-NQ/TW được ban hành ngày nào?",
        "single",
        [("22/12/2024", True), ("30/4/2025", False), ("02/9/2024", False), ("01/01/2025", False)],
    ),
    (
        "Theo Nghị quyết, phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số là gì?",
        "single",
        [
            ("Đột phá quan trọng hàng đầu", True),
            ("Nhiệm vụ thường xuyên", False),
            ("Nhiệm vụ của riêng ngành khoa học", False),
        ],
    ),
    (
        "Mục tiêu quy mô kinh tế số đến năm 2030 theo Nghị quyết là bao nhiêu?",
        "single",
        [("Tối thiểu 30% GDP", True), ("Tối thiểu 10% GDP", False), ("Tối thiểu 50% GDP", False)],
    ),
    (
        "Kinh phí chi cho nghiên cứu phát triển (R&D) đến năm 2030 đạt bao nhiêu?",
        "single",
        [("2% GDP", True), ("0,5% GDP", False), ("5% GDP", False)],
    ),
    (
        "Tỷ lệ tối thiểu tổng chi ngân sách hằng năm bố trí cho khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi "
        "số là bao nhiêu?",
        "single",
        [("3%", True), ("1%", False), ("10%", False)],
    ),
    (
        "Ai làm Trưởng Ban Chỉ đạo Trung ương về phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số?",
        "single",
        [("Tổng Bí thư", True), ("Thủ tướng Chính phủ", False), ("Chủ tịch Quốc hội", False)],
    ),
    (
        "Mục tiêu về trí tuệ nhân tạo đến năm 2030 của Nghị quyết là gì?",
        "single",
        [
            ("Thuộc nhóm 3 nước dẫn đầu Đông Nam Á về nghiên cứu và phát triển trí tuệ nhân tạo", True),
            ("Dẫn đầu châu Á về trí tuệ nhân tạo", False),
            ("Không đặt mục tiêu về trí tuệ nhân tạo", False),
        ],
    ),
    (
        "Những mục tiêu nào dưới đây có trong Nghị quyết 57-NQ/TW đến năm 2030? (chọn tất cả ý đúng)",
        "multiple",
        [
            ("Tỷ lệ sử dụng dịch vụ công trực tuyến đạt trên 80%", True),
            ("Quy mô kinh tế số đạt tối thiểu 30% GDP", True),
            ("Xóa bỏ hoàn toàn hồ sơ giấy trong mọi cơ quan", False),
        ],
    ),
    (
        "Đảng viên cơ quan cần làm gì để thực hiện Nghị quyết? (chọn tất cả ý đúng)",
        "multiple",
        [
            ("Nâng cao kỹ năng số, sử dụng dịch vụ công trực tuyến", True),
            ("Tham gia xây dựng chương trình hành động của chi bộ", True),
            ("Chờ cấp trên hướng dẫn mới thực hiện", False),
        ],
    ),
]

REPORT = (
    "Qua học tập Nghị quyết số 57-NQ/TW, tôi nhận thức sâu sắc khoa học, công nghệ, đổi mới sáng tạo và chuyển "
    "đổi số là đột phá quan trọng hàng đầu. Liên hệ bản thân, tôi đăng ký: sử dụng thành thạo phần mềm quản lý "
    "văn bản, xử lý hồ sơ trên môi trường điện tử, tham gia tích cực chương trình hành động của chi bộ."
)


def _document(builder, today):
    doc = Document.objects.filter(number=NUMBER).first()
    if doc is None:
        doc = Document.objects.create(
            kind=Document.Kind.RESOLUTION,
            number=NUMBER,
            title="Nghị quyết về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia",
            summary="Bộ Chính trị ban hành ngày 22/12/2024; mục tiêu đến năm 2030, tầm nhìn đến năm 2045.",
            issued_on=datetime.date(2024, 12, 22),
            issuer="Bộ Chính trị",
            unit=builder.bloc,
        )
    return doc


def build(builder):
    rng = builder.rng
    today = timezone.localdate()
    now = timezone.now()
    bloc = builder.bloc
    finance = builder.units["finance"]
    office = User.objects.filter(username="khoi").first()
    campaign = Campaign.objects.create(
        title=TITLE,
        unit=bloc,
        material=MATERIAL,
        opens_on=today - datetime.timedelta(days=30),
        deadline=today + datetime.timedelta(days=30),
        makeup_deadline=today + datetime.timedelta(days=45),
        quiz_required=True,
        report_required=True,
        pass_mark=80,
        max_attempts=3,
        state=Campaign.State.PUBLISHED,
        published_at=now - datetime.timedelta(days=30),
        created_by=office,
    )
    campaign.documents.add(_document(builder, today))
    Target.objects.create(campaign=campaign, unit=bloc, subtree=True)
    correct, wrong = {}, {}
    for i, (text, kind, answers) in enumerate(QUESTIONS, 1):
        q = Question.objects.create(campaign=campaign, text=text, kind=kind, position=i)
        choices = Choice.objects.bulk_create([Choice(question=q, text=t, correct=c) for t, c in answers])
        correct[q.pk] = [c.pk for c in choices if c.correct]
        wrong[q.pk] = [c.pk for c in choices if not c.correct][:1]

    # One in-person session per grassroots organization of Sở Tài chính, one online for the bloc.
    sessions = {
        finance.pk: Session.objects.create(
            campaign=campaign,
            unit=finance,
            held_on=today - datetime.timedelta(days=20),
            place="Hội trường Sở Tài chính",
            created_by=office,
        )
    }
    Session.objects.create(
        campaign=campaign,
        unit=bloc,
        held_on=today - datetime.timedelta(days=25),
        mode=Session.Mode.ONLINE,
        place="Hội nghị trực tuyến toàn Đảng bộ Khối",
        created_by=office,
    )

    dangvien = Member.objects.filter(user__username="dangvien").values_list("pk", flat=True).first()
    members = list(
        Member.objects.filter(unit__path__startswith=bloc.path, status__in=STUDY_STATUSES)
        .order_by("pk")
        .values_list("pk", "unit__path")
    )
    qids = list(correct)
    progress, plans = [], []
    for pk, path in members:
        in_finance = path.startswith(finance.path)
        r = rng.random()
        if pk == dangvien:
            plan = "read"
        elif in_finance:
            plan = "done" if r < 0.88 else "quiz" if r < 0.94 else None
        else:
            plan = "done" if r < 0.45 else "report" if r < 0.55 else "quiz" if r < 0.65 else "read" if r < 0.8 else None
        if plan is None:
            continue
        started = now - datetime.timedelta(days=rng.randint(3, 25), minutes=rng.randint(0, 600))
        p = Progress(campaign=campaign, member_id=pk, started_at=started, read_at=started)
        p.attended = in_finance and rng.random() < 0.7
        if plan in ("quiz", "report", "done"):
            p.attempts = 1 if plan != "quiz" else rng.randint(1, 2)
            p.best_score = 100 if plan != "quiz" else 60
            if plan != "quiz":
                p.quiz_passed_at = started + datetime.timedelta(minutes=30)
        if plan in ("report", "done"):
            p.report_text = REPORT
            p.report_submitted_at = started + datetime.timedelta(hours=2)
            p.report_state = Progress.ReportState.SUBMITTED
        if plan == "done":
            p.report_state = Progress.ReportState.ACCEPTED
            p.report_grade = rng.choice([Progress.Grade.EXCELLENT, Progress.Grade.GOOD, Progress.Grade.GOOD])
            p.report_reviewed_at = started + datetime.timedelta(days=2)
            p.completed_at = p.report_reviewed_at
            p.step = Progress.Step.DONE
        else:
            p.step = {"read": "quiz", "quiz": "quiz", "report": "report"}[plan]
        progress.append(p)
        plans.append(plan)
    Progress.objects.bulk_create(progress, batch_size=2000)
    # bulk_create sets the primary keys (SQLite ≥ 3.35, PostgreSQL): no need to read the rows back.
    attempts, attendance = [], []
    for p, plan in zip(progress, plans, strict=True):
        row = p
        if row.attended:
            attendance.append(Attendance(session=sessions[finance.pk], member_id=p.member_id))
        if plan in ("quiz", "report", "done"):
            answers = {str(q): (correct[q] if plan != "quiz" or i % 3 else wrong[q]) for i, q in enumerate(qids)}
            attempts.append(
                Attempt(
                    progress=row,
                    order=qids,
                    answers=answers,
                    started_at=p.read_at,
                    submitted_at=p.read_at + datetime.timedelta(minutes=30),
                    score=p.best_score,
                    passed=plan != "quiz",
                )
            )
    Attempt.objects.bulk_create(attempts, batch_size=2000)
    Attendance.objects.bulk_create(attendance, batch_size=2000)
    # The secretary of the demo cell reviews the reports of the cell.
    chibo = RoleAssignment.objects.filter(user__username="chibo", role=Role.CELL_SECRETARY).first()
    if chibo:
        # The ids first: PostgreSQL plans "UPDATE … WHERE id IN (SELECT … JOIN …)" on freshly filled,
        # unanalysed tables as a subplan per row, minutes at 7,200 members.
        reviewed = list(
            Progress.objects.filter(
                campaign=campaign, report_state=Progress.ReportState.ACCEPTED, member__unit_id=chibo.unit_id
            ).values_list("pk", flat=True)
        )
        Progress.objects.filter(pk__in=reviewed).update(report_reviewed_by=chibo.user)
