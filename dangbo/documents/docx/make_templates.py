"""Writes the Word templates of the standard documents of a party cell or grassroots committee (run once;
the .docx files are committed).

    .venv/bin/python dangbo/documents/docx/make_templates.py

Layout after Hướng dẫn 36-HD/VPTW (03/4/2018) on the format of Party documents: issuing body on the left
(superior, then the unit, a star, number and symbol), "ĐẢNG CỘNG SẢN VIỆT NAM" and place and date on the
right, the kind of document and its summary in the centre, recipients ("Nơi nhận") and the signature at
the foot. Variables are the ones of dangbo.documents.templating.VARIABLES.
"""

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

HERE = Path(__file__).resolve().parent


def _doc(symbol):
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(14)
    table = doc.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.text = "{{ superior_upper }}\n{{ unit_upper }}\n*\nSố     -" + symbol + "/{{ code }}"
    right.text = "ĐẢNG CỘNG SẢN VIỆT NAM\n\n{{ place }}, ngày {{ day }} tháng {{ month }} năm {{ year }}"
    for cell in (left, right):
        for p in cell.paragraphs:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return doc


def _title(doc, kind, summary):
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run(kind).bold = True
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run(summary).bold = True
    doc.add_paragraph("-----").alignment = WD_ALIGN_PARAGRAPH.CENTER


def _heading(doc, text):
    doc.add_paragraph().add_run(text).bold = True


def _foot(doc, recipients, signer="T/M {{ collective_upper }}\nBÍ THƯ"):
    table = doc.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.text = "Nơi nhận:\n" + "\n".join(f"- {r}," for r in recipients[:-1]) + f"\n- {recipients[-1]}."
    right.text = signer + "\n\n\n\n{{ secretary }}"
    for p in right.paragraphs:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for run in p.runs:
            run.bold = True


def plan():
    doc = _doc("KH")
    _title(doc, "KẾ HOẠCH", "công tác xây dựng Đảng {{ period }}")
    doc.add_paragraph(
        "Căn cứ Điều lệ Đảng Cộng sản Việt Nam; căn cứ nghị quyết, chương trình công tác của {{ superior }} "
        "và nghị quyết đại hội {{ unit_name }} nhiệm kỳ {{ term }}, {{ collective }} xây dựng kế hoạch "
        "công tác {{ period }} như sau:"
    )
    _heading(doc, "I. MỤC ĐÍCH, YÊU CẦU")
    doc.add_paragraph(
        "1. Cụ thể hóa các nhiệm vụ chính trị, công tác xây dựng Đảng của {{ unit_name }} {{ period }}; "
        "phân công rõ người, rõ việc, rõ thời gian hoàn thành."
    )
    doc.add_paragraph(
        "2. Phát huy vai trò lãnh đạo của {{ collective }}, tinh thần trách nhiệm, tính tiền phong, gương mẫu "
        "của {{ members_total }} đảng viên ({{ members_official }} chính thức, {{ members_probationary }} dự bị)."
    )
    _heading(doc, "II. NỘI DUNG")
    doc.add_paragraph("1. Công tác chính trị, tư tưởng; học tập, quán triệt và triển khai nghị quyết của Đảng: …")
    doc.add_paragraph("2. Công tác tổ chức, xây dựng Đảng; sinh hoạt chi bộ định kỳ và chuyên đề: …")
    doc.add_paragraph("3. Công tác phát triển đảng viên: …")
    doc.add_paragraph("4. Công tác kiểm tra, giám sát: …")
    doc.add_paragraph("5. Lãnh đạo thực hiện nhiệm vụ chuyên môn, xây dựng đoàn thể: …")
    _heading(doc, "III. TỔ CHỨC THỰC HIỆN")
    doc.add_paragraph(
        "1. Đồng chí bí thư {{ secretary }} chịu trách nhiệm chung, chỉ đạo triển khai kế hoạch.\n"
        "2. Các đồng chí cấp ủy viên, đảng viên theo nhiệm vụ được phân công tổ chức thực hiện; định kỳ "
        "báo cáo kết quả tại kỳ sinh hoạt chi bộ."
    )
    _foot(doc, ["{{ superior }} (để báo cáo)", "Đảng viên trong {{ collective }}", "Lưu"])
    return doc


def report():
    doc = _doc("BC")
    _title(doc, "BÁO CÁO", "kết quả công tác xây dựng Đảng {{ period }}")
    _heading(doc, "I. ĐẶC ĐIỂM TÌNH HÌNH")
    doc.add_paragraph(
        "{{ unit_name }} trực thuộc {{ superior }}, nhiệm kỳ {{ term }}. Đến ngày {{ date }}, {{ unit_name }} "
        "có {{ members_total }} đảng viên, trong đó {{ members_official }} đảng viên chính thức và "
        "{{ members_probationary }} đảng viên dự bị."
    )
    _heading(doc, "II. KẾT QUẢ THỰC HIỆN")
    doc.add_paragraph("1. Công tác chính trị, tư tưởng: …")
    doc.add_paragraph("2. Công tác tổ chức, cán bộ, đảng viên: …")
    doc.add_paragraph("3. Công tác kiểm tra, giám sát: …")
    doc.add_paragraph("4. Lãnh đạo thực hiện nhiệm vụ chính trị: …")
    _heading(doc, "III. ĐÁNH GIÁ CHUNG")
    doc.add_paragraph("1. Ưu điểm: …\n2. Hạn chế, nguyên nhân: …")
    _heading(doc, "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI")
    doc.add_paragraph("…")
    _foot(doc, ["{{ superior }} (để báo cáo)", "Lưu"])
    return doc


def resolution():
    doc = _doc("NQ")
    _title(doc, "NGHỊ QUYẾT", "lãnh đạo thực hiện nhiệm vụ {{ period }}")
    doc.add_paragraph(
        "Ngày {{ date }}, {{ unit_name }} tổ chức sinh hoạt để đánh giá kết quả thực hiện nhiệm vụ và bàn "
        "phương hướng, nhiệm vụ {{ period }}. Tổng số đảng viên: {{ members_total }} (chính thức "
        "{{ members_official }}, dự bị {{ members_probationary }}); có mặt: …; vắng mặt: … (lý do: …)."
    )
    _heading(doc, "I. ĐÁNH GIÁ KẾT QUẢ THỰC HIỆN NHIỆM VỤ")
    doc.add_paragraph("…")
    _heading(doc, "II. NHIỆM VỤ, GIẢI PHÁP")
    doc.add_paragraph("1. …\n2. …\n3. …")
    _heading(doc, "III. TỔ CHỨC THỰC HIỆN")
    doc.add_paragraph(
        "Nghị quyết được đảng viên trong {{ collective }} thảo luận và biểu quyết thông qua với tỷ lệ …% "
        "(tán thành …/{{ members_total }})."
    )
    _foot(doc, ["{{ superior }} (để báo cáo)", "Đảng viên trong {{ collective }}", "Lưu"])
    return doc


def minutes():
    doc = _doc("BB")
    _title(doc, "BIÊN BẢN", "sinh hoạt {{ collective }} {{ period }}")
    doc.add_paragraph(
        "Thời gian: … giờ … phút, ngày {{ date }}.\nĐịa điểm: …\n"
        "Chủ trì: đồng chí {{ secretary }}, Bí thư.\nThư ký: đồng chí …"
    )
    doc.add_paragraph(
        "Tổng số đảng viên của {{ unit_name }}: {{ members_total }} (chính thức {{ members_official }}, "
        "dự bị {{ members_probationary }}); có mặt: …; vắng mặt có lý do: …; vắng không lý do: …"
    )
    _heading(doc, "NỘI DUNG")
    doc.add_paragraph("1. Thông tin thời sự, phổ biến văn bản mới của cấp trên: …")
    doc.add_paragraph("2. Đánh giá kết quả thực hiện nhiệm vụ và nghị quyết kỳ trước: …")
    doc.add_paragraph("3. Ý kiến thảo luận của đảng viên: …")
    doc.add_paragraph("4. Kết luận của đồng chí chủ trì và biểu quyết: tán thành …/…, không tán thành …/…")
    doc.add_paragraph("Buổi sinh hoạt kết thúc lúc … giờ … phút cùng ngày.")
    table = doc.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.text = "THƯ KÝ\n\n\n\n"
    right.text = "CHỦ TRÌ\n\n\n\n{{ secretary }}"
    for cell in (left, right):
        for p in cell.paragraphs:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return doc


BUILDERS = {"ke-hoach.docx": plan, "bao-cao.docx": report, "nghi-quyet.docx": resolution, "bien-ban.docx": minutes}

if __name__ == "__main__":
    for name, build in BUILDERS.items():
        build().save(HERE / name)
        print("wrote", name)
