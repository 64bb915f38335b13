"""Writes the Word template of the summary report (run once; the .docx file is committed).

    .venv/bin/python dangbo/reports/docx/make_templates.py

The template uses docxtpl's Jinja tags ({{ … }}, {%p … %}); an office may replace the file with its own
layout keeping the same tags.
"""

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

HERE = Path(__file__).resolve().parent


def summary():
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    table = doc.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.text = "{{ parent_upper }}\n{{ issuer_upper }}\n*\nSố …-BC"
    right.text = "ĐẢNG CỘNG SẢN VIỆT NAM\n\n…, ngày {{ day }} tháng {{ month }} năm {{ year }}"
    for cell in (left, right):
        for p in cell.paragraphs:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for i, line in enumerate(["BÁO CÁO", "kết quả công tác xây dựng Đảng {{ period }}"]):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run(line).bold = i == 0
    doc.add_paragraph().add_run("I. TÌNH HÌNH CHUNG").bold = True
    doc.add_paragraph("{%p for text in paragraphs %}")
    doc.add_paragraph("{{ text }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph(
        "Đã có {{ submitted }}/{{ expected }} tổ chức cơ sở đảng gửi báo cáo định kỳ; "
        "{{ accepted }} báo cáo đã được tiếp nhận."
    )
    doc.add_paragraph().add_run("II. SỐ LIỆU THỐNG KÊ").bold = True
    doc.add_paragraph("{%p for s in sections %}")
    doc.add_paragraph().add_run("{{ s.title }}").bold = True
    t = doc.add_table(rows=3, cols=2)
    t.style = "Table Grid"
    t.cell(0, 0).text = "{%tr for r in s.rows %}"
    t.cell(1, 0).text = "{{ r.label }}"
    t.cell(1, 1).text = "{{ r.value }}"
    t.cell(2, 0).text = "{%tr endfor %}"
    doc.add_paragraph("{%p endfor %}")
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    p.add_run("T/M BAN THƯỜNG VỤ\n\n\n").bold = True
    doc.save(HERE / "summary.docx")


if __name__ == "__main__":
    summary()
