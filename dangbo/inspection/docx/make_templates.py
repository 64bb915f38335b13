"""Writes the Word templates of the discipline decision and the inspection conclusion (run once; the .docx
files are committed).

    .venv/bin/python dangbo/inspection/docx/make_templates.py

The templates use docxtpl's Jinja tags ({{ … }}); an office may replace a file with its own layout keeping
the same tags. Form codes under HD 08-HD/TW are [unverified] (DOMAIN.md §7): the files carry none.
"""

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

HERE = Path(__file__).resolve().parent


def _doc():
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
    return doc


def _title(doc, *lines):
    for i, line in enumerate(lines):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(line)
        run.bold = i == 0


def _sign(doc):
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    p.add_run("{{ signer_role }}\n\n\n{{ signer }}").bold = True


def decision():
    doc = _doc()
    _title(doc, "QUYẾT ĐỊNH", "thi hành kỷ luật {{ object_kind }}")
    doc.add_paragraph("Căn cứ Điều lệ Đảng Cộng sản Việt Nam;")
    doc.add_paragraph("Căn cứ Quy định 296-QĐ/TW ngày 30/5/2025 và Quy định 69-QĐ/TW ngày 06/7/2022;")
    doc.add_paragraph(
        "Xét vi phạm của {{ object_name }}: {{ violation }} (vi phạm ngày {{ violation_day }}); "
        "{% if heard %}đã nghe {{ object_name }} trình bày ý kiến ngày {{ heard }};{% endif %}"
    )
    doc.add_paragraph(
        "{% for v in votes %}Biểu quyết {{ v.stage }} ngày {{ v.day }}: {{ v.in_favour }}/{{ v.total }} tán thành "
        "({{ v.percent }}%).\n{% endfor %}"
    )
    _title(doc, "QUYẾT ĐỊNH")
    doc.add_paragraph(
        "Điều 1. Thi hành kỷ luật bằng hình thức {{ form_upper }} đối với {{ object_name }}{% if unit %}, "
        "{{ unit }}{% endif %}."
    )
    doc.add_paragraph("Điều 2. Quyết định có hiệu lực kể từ ngày {{ effective_day }}.")
    doc.add_paragraph(
        "Điều 3. {{ object_name }} có quyền khiếu nại trong thời hạn {{ appeal_days }} ngày kể từ ngày nhận "
        "quyết định. {{ unit_or_issuer }} và {{ object_name }} thi hành quyết định này."
    )
    _sign(doc)
    return doc


def conclusion():
    doc = _doc()
    _title(doc, "THÔNG BÁO", "kết luận {{ kind }}")
    doc.add_paragraph(
        "Thực hiện {% if decision_no %}Quyết định số {{ decision_no }} và {% endif %}kế hoạch của {{ issuer }}, "
        "từ ngày {{ started }} đoàn {{ kind }} do đồng chí {{ leader }} làm trưởng đoàn đã tiến hành {{ kind }} "
        "đối với {{ object }} về nội dung: {{ title }}."
    )
    doc.add_paragraph(
        "Đối tượng: {% for o in orgs %}{{ o }}; {% endfor %}{% if members %}{{ members|length }} đảng viên: "
        "{% for m in members %}{{ m }}{% if not loop.last %}, {% endif %}{% endfor %}{% endif %}."
    )
    doc.add_paragraph("Xét báo cáo của đoàn, {{ issuer }} kết luận như sau:")
    doc.add_paragraph("{{ conclusion }}")
    doc.add_paragraph("Kiến nghị:\n{% for r in recommendations %}{{ loop.index }}. {{ r }}\n{% endfor %}")
    _sign(doc)
    return doc


if __name__ == "__main__":
    for name, build in {"quyet-dinh-ky-luat.docx": decision, "thong-bao-ket-luan.docx": conclusion}.items():
        build().save(HERE / name)
        print("wrote", name)
