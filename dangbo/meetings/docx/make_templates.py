"""Writes the Word template of the meeting minutes (run once; the .docx file is committed).

    .venv/bin/python dangbo/meetings/docx/make_templates.py

The layout follows the usual biên bản sinh hoạt chi bộ: the cell and the Party heading, the time and
place, chair and secretary, attendance, content, opinions by speaker, conclusions, the vote, the
signatures; amendments recorded after locking follow. The tags are docxtpl's ({{ … }}); an office may
replace the file with its own layout keeping the same tags.
"""

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

HERE = Path(__file__).resolve().parent


def minutes():
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    table = doc.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.text = "{{ parent_upper }}\n{{ cell_upper }}\n*"
    right.text = "ĐẢNG CỘNG SẢN VIỆT NAM\n\n{{ place_name }}, ngày {{ day }} tháng {{ month }} năm {{ year }}"
    for c in (left, right):
        for p in c.paragraphs:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for i, line in enumerate(["BIÊN BẢN", "{{ title }}"]):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run(line).bold = i == 0
    doc.add_paragraph(
        "Thời gian: bắt đầu lúc {{ start }}, ngày {{ held_on }}; kết thúc lúc {{ end }} "
        "(thời lượng {{ duration }} phút)."
    )
    doc.add_paragraph("Địa điểm: {{ where }}.")
    doc.add_paragraph("Chủ trì: đồng chí {{ chair }}. Thư ký: đồng chí {{ recorder }}.")
    doc.add_paragraph(
        "Tổng số đảng viên của chi bộ: {{ roll }}; số phải dự: {{ denominator }}; có mặt: {{ present }} "
        "({{ percent }}%); vắng có lý do: {{ excused }}; vắng không lý do: {{ unexcused }}."
    )
    doc.add_paragraph("{% for a in absent %}Vắng: đồng chí {{ a }}\n{% endfor %}")
    doc.add_paragraph("{% if topic %}Chuyên đề: {{ topic }}{% endif %}")
    h = doc.add_paragraph()
    h.add_run("I. NỘI DUNG").bold = True
    doc.add_paragraph("{{ content }}")
    h = doc.add_paragraph()
    h.add_run("II. Ý KIẾN THẢO LUẬN").bold = True
    doc.add_paragraph("{% for s in speeches %}- Đồng chí {{ s.speaker }}: {{ s.content }}\n{% endfor %}")
    doc.add_paragraph("Số đảng viên phát biểu: {{ spoke }}/{{ present }}.")
    h = doc.add_paragraph()
    h.add_run("III. KẾT LUẬN").bold = True
    doc.add_paragraph("{{ conclusions }}")
    doc.add_paragraph("{% if resolution %}Nghị quyết: {{ resolution }}{% endif %}")
    doc.add_paragraph(
        "{% if votes %}Biểu quyết: tán thành {{ votes_for }}, không tán thành {{ votes_against }}, "
        "không biểu quyết {{ votes_abstain }}.{% endif %}"
    )
    doc.add_paragraph("Biên bản được thông qua tại buổi sinh hoạt lúc {{ locked }}.")
    doc.add_paragraph(
        "{% for a in amendments %}Đính chính ngày {{ a.day }} ({{ a.reason }}): {{ a.text }}\n{% endfor %}"
    )
    sign = doc.add_table(rows=1, cols=2)
    sign.rows[0].cells[0].text = "THƯ KÝ\n\n\n{{ recorder }}"
    sign.rows[0].cells[1].text = "CHỦ TRÌ\n\n\n{{ chair }}"
    for c in sign.rows[0].cells:
        for p in c.paragraphs:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return doc


if __name__ == "__main__":
    minutes().save(HERE / "bien-ban.docx")
    print("wrote bien-ban.docx")
