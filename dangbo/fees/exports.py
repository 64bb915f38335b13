"""The fee book (``book.FeeBook``) as Excel (through ``dangbo.core.xlsx``: every cell literal) and as Word
(a docxtpl template built here with python-docx and filled through the sandboxed ``dangbo.core.docx``).

Amounts are whole VND: in Excel numbers with a grouping format (shown 1.234.567 by a Vietnamese Excel),
in Word text written the Vietnamese way (1.234.567)."""

import functools
import io

from django.utils import timezone
from django.utils.translation import gettext as _

from dangbo.core import docx, xlsx
from dangbo.fees.book import vnd

MONEY = "#,##0"
UNKNOWN = "?"


def _exempt_mark(line):
    if line.exempt:
        return "X"
    if line.reduction:
        return _("−%(p)d%%") % {"p": line.reduction}
    return ""


def part_one_headers():
    """(top row, second row) of Part I: a label spanning several columns is given once, then None."""
    top = [
        _("No."),
        _("Member's full name"),
        _("Exempt"),
        _("Income base"),
        _("Fee to pay"),
        None,
        None,
        _("Fees collected"),
        _("Still owed at the month's end"),
    ]
    second = [None, None, None, None, _("This month"), _("Arrears from earlier months"), _("Book total"), None, None]
    return top, second


def part_two_headers():
    top = [
        _("Remitted on"),
        _("Fees of the month"),
        _("Member situation"),
        None,
        _("Fee situation"),
        None,
        None,
        None,
        _("Remitted upward"),
        None,
    ]
    second = [
        None,
        None,
        _("Members at the month's end"),
        _("Exempt members"),
        _("Unpaid"),
        _("Collected"),
        _("Retained"),
        _("Owed upward"),
        _("Remitted"),
        _("Not remitted"),
    ]
    return top, second


def _line_values(i, line):
    if line.exempt:
        return [i, line.member.full_name, "X", None, None, None, None, line.paid or None, line.owed or None]
    return [
        i,
        line.member.full_name,
        _exempt_mark(line),
        line.income,
        line.due,
        line.arrears,
        line.total,
        line.paid,
        line.owed,
    ]


def _summary_values(row):
    def money(v):
        return UNKNOWN if v is None else v

    return [
        ", ".join(f"{d:%d/%m/%Y}" for d in row.remitted_on),
        row.label,
        row.members,
        row.exempt,
        row.unpaid,
        row.collected,
        money(row.retained),
        money(row.owed_up),
        row.remitted,
        money(row.not_remitted),
    ]


def period_text(fee_book):
    if fee_book.start.year == fee_book.end.year and fee_book.start.month == 1 and fee_book.end.month == 12:
        return _("Year %(year)d") % {"year": fee_book.start.year}
    return _("From %(start)s to %(end)s") % {"start": f"{fee_book.start:%m/%Y}", "end": f"{fee_book.end:%m/%Y}"}


def share_notes(fee_book):
    """One sentence per retained share used in the book (or unknown), with its months."""
    out = []
    for share, months in fee_book.notes():
        span = f"{months[0]:%m/%Y}" if len(months) == 1 else f"{months[0]:%m/%Y} – {months[-1]:%m/%Y}"
        if share.known:
            v = share.version
            text = _("%(span)s: retained share %(percent)s %% (%(basis)s)") % {
                "span": span,
                "percent": f"{share.percent:g}".replace(".", ","),
                "basis": v.legal_basis,
            }
            if not v.verified:
                text += " — " + _("unverified")
        else:
            text = _("%(span)s: retained share unknown. %(reason)s") % {"span": span, "reason": share.reason}
        out.append(text)
    return out


class _Sheet(xlsx.Sheet):
    """The project's literal-only sheet, with merged ranges for the book's two-level headers."""

    def merge(self, row, column, last_row, last_column):
        if (row, column) != (last_row, last_column):
            self._ws.merge_cells(start_row=row, start_column=column, end_row=last_row, end_column=last_column)


def _header(ws, row, top, second):
    """Two header rows: a label with None to its right spans them; a label with None below spans down."""
    n = len(top)
    for c, label in enumerate(top, 1):
        if label is None:
            continue
        span = 0
        while c + span < n and top[c + span] is None and second[c - 1] is not None:
            span += 1
        ws.put(row, c, label, bold=True)
        if second[c - 1] is None:
            ws.merge(row, c, row + 1, c)
        else:
            ws.merge(row, c, row, c + span)
    for c, label in enumerate(second, 1):
        if label is not None:
            ws.put(row + 1, c, label, bold=True)
    return row + 2


def _title(ws, fee_book, row, title, width):
    ws.put(row, 1, fee_book.unit.name.upper(), bold=True)
    ws.put(row, width - 3, _("COMMUNIST PARTY OF VIETNAM"), bold=True)
    ws.put(row + 2, 1, title, bold=True, size=14)
    ws.merge(row + 2, 1, row + 2, width)
    ws.put(row + 3, 1, _("Book form S01/ĐP") + " — " + period_text(fee_book))
    ws.merge(row + 3, 1, row + 3, width)
    return row + 5


def _signature(ws, row, width):
    today = timezone.localdate()
    ws.put(
        row,
        width - 3,
        _("…, day %(d)02d month %(m)02d year %(y)d") % {"d": today.day, "m": today.month, "y": today.year},
    )
    ws.put(row + 1, 1, _("Book keeper"), bold=True)
    ws.put(row + 1, width - 3, _("For the cell committee, secretary"), bold=True)
    ws.put(row + 2, 1, _("(signature, full name)"))
    ws.put(row + 2, width - 3, _("(signature, full name)"))
    return row + 6


def _row(ws, row, values, *, bold=False, money_from=0):
    for c, v in enumerate(values, 1):
        if v is None:
            continue
        fmt = MONEY if isinstance(v, int) and c > money_from else None
        ws.put(row, c, v, bold=bold, number_format=fmt)
    return row + 1


def book_xlsx(fee_book):
    wb = xlsx.Book()
    ws = _Sheet(wb.sheet(_("Part I"))._ws)
    row = _title(ws, fee_book, 1, _("PARTY FEE BOOK") + " — " + _("PART I: FEES COLLECTED"), 9)
    top, second = part_one_headers()
    for block in fee_book.blocks:
        ws.put(row, 1, _("Month %(m)s") % {"m": f"{block.month:%m/%Y}"}, bold=True)
        row = _header(ws, row + 1, top, second)
        for i, line in enumerate(block.lines, 1):
            row = _row(ws, row, _line_values(i, line), money_from=2)
        t = block.total
        row = _row(
            ws,
            row,
            ["", _("Book total"), "", t.income, t.due, t.arrears, t.total, t.paid, t.owed],
            bold=True,
            money_from=2,
        )
        row += 1
    _signature(ws, row + 1, 9)
    ws.widths([6, 30, 9, 16, 14, 16, 14, 14, 18])

    ws2 = _Sheet(wb.sheet(_("Part II"))._ws)
    row = _title(ws2, fee_book, 1, _("PART II: MONTHLY SUMMARY OF FEES COLLECTED AND REMITTED"), 10)
    top, second = part_two_headers()
    row = _header(ws2, row, top, second)
    for r in fee_book.summary:
        row = _row(ws2, row, _summary_values(r), bold=r.kind != "month", money_from=4)
    row += 1
    for note in share_notes(fee_book):
        ws2.put(row, 1, note)
        row += 1
    _signature(ws2, row + 1, 10)
    ws2.widths([14, 16, 12, 12, 14, 14, 14, 14, 14, 14])
    return wb.save()


# ---- Word ---------------------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=4)
def _template(language):
    """The Word template of the book (docxtpl tags), in the current language, built once per language."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    doc.styles["Normal"].font.name = "Times New Roman"
    doc.styles["Normal"].font.size = Pt(11)
    head = doc.add_table(rows=1, cols=2)
    left, right = head.rows[0].cells
    left.text = "{{ parent_upper }}\n{{ unit_upper }}"
    right.text = _("COMMUNIST PARTY OF VIETNAM")
    for c in (left, right):
        for p in c.paragraphs:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for i, line in enumerate([_("PARTY FEE BOOK"), _("Book form S01/ĐP") + " — {{ period }}"]):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run(line).bold = i == 0
    doc.add_paragraph().add_run(_("PART I: FEES COLLECTED")).bold = True
    top, second = part_one_headers()
    doc.add_paragraph("{%p for b in blocks %}")
    doc.add_paragraph().add_run("{{ b.title }}").bold = True
    t = doc.add_table(rows=6, cols=9)
    t.style = "Table Grid"
    _word_header(t, top, second)
    t.cell(2, 0).text = "{%tr for l in b.lines %}"
    for c, name in enumerate(["no", "name", "exempt", "income", "due", "arrears", "total", "paid", "owed"]):
        t.cell(3, c).text = "{{ l." + name + " }}"
    t.cell(4, 0).text = "{%tr endfor %}"
    for c, name in enumerate(["no", "name", "exempt", "income", "due", "arrears", "total", "paid", "owed"]):
        t.cell(5, c).text = "{{ b.total." + name + " }}"
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph().add_run(_("PART II: MONTHLY SUMMARY OF FEES COLLECTED AND REMITTED")).bold = True
    top, second = part_two_headers()
    t = doc.add_table(rows=5, cols=10)
    t.style = "Table Grid"
    _word_header(t, top, second)
    t.cell(2, 0).text = "{%tr for r in summary %}"
    names = [
        "remitted_on",
        "label",
        "members",
        "exempt",
        "unpaid",
        "collected",
        "retained",
        "owed_up",
        "remitted",
        "not_remitted",
    ]
    for c, name in enumerate(names):
        t.cell(3, c).text = "{{ r." + name + " }}"
    t.cell(4, 0).text = "{%tr endfor %}"
    doc.add_paragraph("{%p for n in notes %}")
    doc.add_paragraph("{{ n }}")
    doc.add_paragraph("{%p endfor %}")
    sign = doc.add_table(rows=3, cols=2)
    sign.cell(0, 1).text = "{{ dated }}"
    sign.cell(1, 0).text = _("Book keeper")
    sign.cell(1, 1).text = _("For the cell committee, secretary")
    sign.cell(2, 0).text = _("(signature, full name)")
    sign.cell(2, 1).text = _("(signature, full name)")
    for r in sign.rows:
        for c in r.cells:
            for p in c.paragraphs:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _word_header(table, top, second):
    n = len(top)
    for c, label in enumerate(top):
        if label is None:
            continue
        if second[c] is None:
            cell = table.cell(0, c).merge(table.cell(1, c))
        else:
            span = 0
            while c + span + 1 < n and top[c + span + 1] is None:
                span += 1
            cell = table.cell(0, c).merge(table.cell(0, c + span)) if span else table.cell(0, c)
        cell.text = label
    for c, label in enumerate(second):
        if label is not None:
            table.cell(1, c).text = label


def _money(v):
    return UNKNOWN if v is None else vnd(v)


def word_context(fee_book):
    unit = fee_book.unit
    today = timezone.localdate()
    blocks = []
    for block in fee_book.blocks:
        lines = []
        for i, line in enumerate(block.lines, 1):
            lines.append(
                {
                    "no": str(i),
                    "name": line.member.full_name,
                    "exempt": _exempt_mark(line),
                    "income": "" if line.exempt else vnd(line.income),
                    "due": "" if line.exempt else vnd(line.due),
                    "arrears": "" if line.exempt else vnd(line.arrears),
                    "total": "" if line.exempt else vnd(line.total),
                    "paid": vnd(line.paid) if line.paid else "",
                    "owed": vnd(line.owed) if line.owed else "",
                }
            )
        t = block.total
        total = {
            "no": "",
            "name": _("Book total"),
            "exempt": "",
            **{k: vnd(getattr(t, k)) for k in ("income", "due", "arrears", "total", "paid", "owed")},
        }
        blocks.append({"title": _("Month %(m)s") % {"m": f"{block.month:%m/%Y}"}, "lines": lines, "total": total})
    summary = [
        {
            "remitted_on": ", ".join(f"{d:%d/%m/%Y}" for d in r.remitted_on),
            "label": r.label,
            "members": str(r.members),
            "exempt": str(r.exempt),
            "unpaid": vnd(r.unpaid),
            "collected": vnd(r.collected),
            "retained": _money(r.retained),
            "owed_up": _money(r.owed_up),
            "remitted": vnd(r.remitted),
            "not_remitted": _money(r.not_remitted),
        }
        for r in fee_book.summary
    ]
    return {
        "parent_upper": unit.parent.name.upper() if unit.parent_id else "",
        "unit_upper": unit.name.upper(),
        "period": period_text(fee_book),
        "blocks": blocks,
        "summary": summary,
        "notes": share_notes(fee_book),
        "dated": _("…, day %(d)02d month %(m)02d year %(y)d") % {"d": today.day, "m": today.month, "y": today.year},
    }


def book_docx(fee_book):
    from django.utils.translation import get_language

    return docx.render(_template(get_language() or "vi"), word_context(fee_book))
