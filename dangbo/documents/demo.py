"""Demo documents: central resolutions and directives, a plan of the bloc committee, news items, sent to the
whole tree with a realistic share read (members without a login: conveyed at their cell meeting), the two
latest left unread for the demo logins so their inbox shows them; one confidential notice sent only to the
committees (grassroots staff and cell secretaries); Quy định 24-QĐ/TW replaced by Quy định 294-QĐ/TW."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dangbo.accounts.models import Role
from dangbo.documents import services
from dangbo.documents.models import Receipt, Target
from dangbo.members.models import Member

D = datetime.date
TK = Target.Kind

DOCUMENTS = [
    # kind, number, title, issuer, issued, sent, share read, summary
    (
        "regulation",
        "24-QĐ/TW",
        "Quy định thi hành Điều lệ Đảng",
        "Ban Chấp hành Trung ương",
        D(2021, 7, 30),
        None,
        0,
        "Quy định thi hành Điều lệ Đảng khóa XIII.",
    ),
    (
        "resolution",
        "57-NQ/TW",
        "Nghị quyết về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia",
        "Bộ Chính trị",
        D(2024, 12, 22),
        D(2025, 1, 10),
        0.86,
        "Khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số là đột phá quan trọng hàng đầu; yêu cầu các cấp "
        "ủy, tổ chức đảng quán triệt sâu sắc và xây dựng chương trình hành động.",
    ),
    (
        "regulation",
        "294-QĐ/TW",
        "Quy định thi hành Điều lệ Đảng",
        "Ban Chấp hành Trung ương",
        D(2025, 5, 26),
        D(2025, 6, 10),
        0.8,
        "Quy định thi hành Điều lệ Đảng, thay thế Quy định số 24-QĐ/TW ngày 30/7/2021.",
    ),
    (
        "directive",
        "50-CT/TW",
        "Chỉ thị về tiếp tục đổi mới, nâng cao chất lượng sinh hoạt chi bộ",
        "Ban Bí thư",
        D(2025, 7, 23),
        D(2025, 8, 5),
        0.74,
        "Đổi mới nội dung, hình thức sinh hoạt chi bộ; bảo đảm thời lượng và tính lãnh đạo, tính giáo dục, "
        "tính chiến đấu của sinh hoạt chi bộ.",
    ),
    (
        "guidance",
        "42-HD/BTCTW",
        "Hướng dẫn thực hiện Chỉ thị số 50-CT/TW về nâng cao chất lượng sinh hoạt chi bộ",
        "Ban Tổ chức Trung ương",
        D(2025, 10, 28),
        D(2025, 11, 10),
        0.62,
        "Hướng dẫn nội dung, quy trình và thời lượng sinh hoạt chi bộ thường kỳ và chuyên đề.",
    ),
    (
        "plan",
        "125-KH/ĐUK",
        "Kế hoạch học tập, quán triệt và triển khai thực hiện Nghị quyết số 57-NQ/TW trong Đảng bộ Khối",
        "Ban Thường vụ Đảng ủy Khối",
        D(2026, 10, 15),
        D(2026, 11, 2),
        0.41,
        "Các đảng bộ, chi bộ cơ sở tổ chức học tập, quán triệt trước ngày 31/12/2026 và báo cáo kết quả về "
        "Đảng ủy Khối.",
    ),
    (
        "news",
        "",
        "Hội nghị trực tuyến học tập, quán triệt Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIV của Đảng",
        "Văn phòng Đảng ủy Khối",
        D(2026, 11, 25),
        D(2026, 11, 25),
        0.35,
        "Hội nghị tổ chức tại các điểm cầu của đảng bộ, chi bộ cơ sở; đảng viên dự đầy đủ và viết bài thu "
        "hoạch theo hướng dẫn.",
    ),
    (
        "news",
        "",
        "Thông báo đổi thẻ đảng viên theo Chỉ thị số 51-CT/TW",
        "Ban Tổ chức Đảng ủy Khối",
        D(2026, 11, 28),
        D(2026, 11, 28),
        0.18,
        "Các chi bộ rà soát, lập danh sách đảng viên chính thức đã được cấp thẻ để đổi thẻ mới gắn với cơ sở dữ "
        "liệu đảng viên và thẻ điện tử.",
    ),
]


def _docx(title, text):
    from docx import Document as Docx

    doc = Docx()
    doc.add_paragraph(title)
    doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return SimpleUploadedFile("van-ban.docx", out.getvalue())


def build(builder):
    rng = builder.rng
    bloc = builder.bloc
    members = list(Member.objects.current().in_subtree(bloc).values_list("pk", "user_id").order_by("pk"))
    by_number = {}
    receipts = []
    latest = sorted(d[5] for d in DOCUMENTS if d[5])[-2:]
    for kind, number, title, issuer, issued, sent, share, summary in DOCUMENTS:
        doc = services.publish(
            actor=None,
            unit=bloc,
            kind=kind,
            number=number,
            title=title,
            summary=summary,
            issued_on=issued,
            issuer=issuer,
            files=[_docx(f"{number} {title}", summary)] if kind != "news" else [],
            replaces=by_number.get("24-QĐ/TW") if number == "294-QĐ/TW" else None,
        )
        by_number[number] = doc
        if sent is None:
            continue
        services.distribute(document=doc, actor=None, targets=[{"kind": TK.SUBTREE, "unit": bloc}], sent_on=sent)
        read_at = timezone.make_aware(datetime.datetime.combine(sent, datetime.time(9)))
        for pk, user_id in members:
            if user_id is not None and sent in latest:
                continue  # the demo logins still have these to read
            if rng.random() < share:
                when = read_at + datetime.timedelta(hours=rng.randint(1, 24 * 20))
                receipts.append(Receipt(document=doc, member_id=pk, user_id=user_id, read_at=when))
    Receipt.objects.bulk_create(receipts, batch_size=5000)

    secret = services.publish(
        actor=None,
        unit=bloc,
        kind="notice",
        number="318-TB/ĐUK",
        title="Thông báo kết luận của Ban Thường vụ Đảng ủy Khối về công tác cán bộ",
        summary="Chỉ phổ biến đến cấp ủy cơ sở.",
        issued_on=D(2026, 11, 18),
        issuer="Ban Thường vụ Đảng ủy Khối",
        secrecy="confidential",
    )
    services.distribute(
        document=secret,
        actor=None,
        targets=[
            {"kind": TK.ROLE, "unit": bloc, "role": Role.GRASSROOTS_STAFF},
            {"kind": TK.ROLE, "unit": bloc, "role": Role.CELL_SECRETARY},
        ],
        sent_on=D(2026, 11, 18),
    )
