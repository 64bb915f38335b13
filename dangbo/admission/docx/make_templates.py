"""Writes the Word templates of the admission forms (run once; the .docx files are committed).

    .venv/bin/python dangbo/admission/docx/make_templates.py

The templates use docxtpl's Jinja tags ({{ … }}); an office may replace a file with its own layout
keeping the same tags. Form codes follow HD 12/2022 [titles to verify against its appendix].
"""

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

HERE = Path(__file__).resolve().parent


def _doc(code):
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    table = doc.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.text = "{{ parent_upper }}\n{{ issuer_upper }}\n*\nSố {{ number }}"
    right.text = "ĐẢNG CỘNG SẢN VIỆT NAM\n\n{{ place }}, ngày {{ day }} tháng {{ month }} năm {{ year }}"
    for cell in (left, right):
        for p in cell.paragraphs:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    p.add_run(f"Mẫu {code}-KNĐ").italic = True
    return doc


def _title(doc, *lines):
    for i, line in enumerate(lines):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(line)
        run.bold = i == 0


def _sign(doc, role):
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    p.add_run(f"{role}\n\n\n{{{{ signer }}}}").bold = True


def cell_resolution():
    doc = _doc(6)
    _title(doc, "NGHỊ QUYẾT", "đề nghị kết nạp đảng viên")
    doc.add_paragraph(
        "Ngày {{ vote_day }}, {{ cell }} họp xét đơn xin vào Đảng của quần chúng {{ name }}, "
        "sinh ngày {{ birth }}, quê quán {{ hometown }}; nghề nghiệp: {{ occupation }}."
    )
    doc.add_paragraph(
        "Tổng số đảng viên chính thức được triệu tập: {{ denominator }}; số đảng viên chính thức tán thành: "
        "{{ in_favour }} ({{ percent }}%), không tán thành: {{ against }}."
    )
    doc.add_paragraph("{% for e in excluded %}Không tính: {{ e }}\n{% endfor %}")
    doc.add_paragraph(
        "Người giới thiệu: {% for i in introducers %}{{ i }}{% if not loop.last %}; {% endif %}{% endfor %}."
    )
    doc.add_paragraph(
        "Chi bộ đề nghị cấp ủy cấp trên xem xét, kết nạp quần chúng {{ name }} vào Đảng Cộng sản Việt Nam."
    )
    _sign(doc, "T/M CHI BỘ\nBÍ THƯ")
    return doc


def admission_decision():
    doc = _doc(9)
    _title(doc, "QUYẾT ĐỊNH", "kết nạp đảng viên")
    doc.add_paragraph("Căn cứ Điều lệ Đảng Cộng sản Việt Nam và Quy định thi hành Điều lệ Đảng;")
    doc.add_paragraph(
        "Xét nghị quyết của {{ cell }} ngày {{ cell_vote_day }} và nghị quyết của {{ issuer }} ngày "
        "{{ committee_vote_day }},"
    )
    _title(doc, "QUYẾT ĐỊNH")
    doc.add_paragraph(
        "Điều 1. Kết nạp quần chúng {{ name }}, sinh ngày {{ birth }}, quê quán {{ hometown }} vào Đảng Cộng sản "
        "Việt Nam. Thời gian dự bị 12 tháng kể từ ngày tổ chức lễ kết nạp."
    )
    doc.add_paragraph(
        "Điều 2. {{ cell }} tổ chức lễ kết nạp trong thời hạn 30 ngày làm việc kể từ ngày nhận quyết định; "
        "đồng chí {{ name }} và chi bộ thi hành quyết định này."
    )
    _sign(doc, "T/M ĐẢNG ỦY")
    return doc


def recognition_resolution():
    doc = _doc(14)
    _title(doc, "NGHỊ QUYẾT", "đề nghị công nhận đảng viên chính thức")
    doc.add_paragraph(
        "Ngày {{ vote_day }}, {{ cell }} họp xét công nhận đảng viên chính thức cho đồng chí {{ name }}, "
        "kết nạp ngày {{ ceremony }} theo quyết định số {{ decision_no }}; "
        "hết thời gian dự bị ngày {{ probation_end }}."
    )
    doc.add_paragraph(
        "Tổng số đảng viên chính thức được triệu tập: {{ denominator }}; tán thành: {{ in_favour }} "
        "({{ percent }}%), không tán thành: {{ against }}."
    )
    doc.add_paragraph("Chi bộ đề nghị cấp ủy cấp trên công nhận đồng chí {{ name }} là đảng viên chính thức.")
    _sign(doc, "T/M CHI BỘ\nBÍ THƯ")
    return doc


def recognition_decision():
    doc = _doc(16)
    _title(doc, "QUYẾT ĐỊNH", "công nhận đảng viên chính thức")
    doc.add_paragraph("Căn cứ Điều lệ Đảng Cộng sản Việt Nam; xét nghị quyết của {{ cell }} ngày {{ vote_day }},")
    _title(doc, "QUYẾT ĐỊNH")
    doc.add_paragraph(
        "Điều 1. Công nhận đồng chí {{ name }}, sinh ngày {{ birth }}, là đảng viên chính thức kể từ ngày "
        "{{ probation_end }}. Tuổi đảng tính từ ngày {{ decision_day }}."
    )
    doc.add_paragraph("Điều 2. {{ cell }} và đồng chí {{ name }} thi hành quyết định này.")
    _sign(doc, "T/M ĐẢNG ỦY")
    return doc


if __name__ == "__main__":
    for name, build in {
        "6-KND.docx": cell_resolution,
        "9-KND.docx": admission_decision,
        "14-KND.docx": recognition_resolution,
        "16-KND.docx": recognition_decision,
    }.items():
        build().save(HERE / name)
        print("wrote", name)
