"""A computed table as an .xlsx ready to print: the header block, the title, the official two-row column
headers with their merged cells, the column numbers, the rows and the signature block. Every cell goes
through ``dangbo.core.xlsx`` (literal values, never a formula)."""

import re

from django.utils import timezone

from dangbo.core.xlsx import Book
from dangbo.stattables.compute import header_rows

PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
INT_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.00"


def fill(text, values):
    """``text`` with each ``{name}`` replaced by ``values[name]`` (unknown names: empty); nothing else is
    interpreted, so a table file cannot reach anything but these values."""
    return PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), "")), text)


def placeholders(computed, *, preparer="", preparer_phone="", head="", place="", today=None):
    today = today or timezone.localdate()
    t = computed.table
    return {
        "upper_unit": computed.unit.name.upper(),
        "unit": computed.unit.name,
        "code": t["code"],
        "unit_label": t.get("unit_label", ""),
        "period": computed.period.label,
        "preparer": preparer,
        "preparer_phone": preparer_phone,
        "head": head,
        "place": place or "……",
        "day": f"{today.day:02d}",
        "month": f"{today.month:02d}",
        "year": today.year,
    }


def _merge(sheet, row, col, last_row, last_col):
    if (row, col) != (last_row, last_col):
        # The helper's Sheet has no merge of its own; merging keeps the values already written through it.
        sheet._ws.merge_cells(start_row=row, start_column=col, end_row=last_row, end_column=last_col)


def render_xlsx(computed, values):
    t = computed.table
    columns = computed.columns
    n = len(columns)
    half = max(n // 2, 1)
    book = Book()
    sheet = book.sheet(t["code"])
    r = 1
    left, right = t.get("header", {}).get("left", []), t.get("header", {}).get("right", [])
    for i in range(max(len(left), len(right))):
        if i < len(left):
            sheet.put(r, 1, fill(left[i], values), bold=True)
            _merge(sheet, r, 1, r, half)
        if i < len(right):
            sheet.put(r, half + 1, fill(right[i], values), bold=i == 0)
            _merge(sheet, r, half + 1, r, n)
        r += 1
    r += 1
    sheet.put(r, 1, t["title"], bold=True, size=13)
    _merge(sheet, r, 1, r, n)
    r += 1
    sheet.put(r, 1, f"{computed.unit.name} · {computed.period.label}")
    _merge(sheet, r, 1, r, n)
    r += 2
    top, bottom = header_rows(columns)
    for cell in top:
        col = cell["start"] + 1
        sheet.put(r, col, cell["title"], bold=True)
        _merge(sheet, r, col, r + cell["rowspan"] - 1, col + cell["colspan"] - 1)
    for cell in bottom:
        sheet.put(r + 1, cell["start"] + 1, cell["title"], bold=True)
    r += 2 if bottom else 1
    if any(c.get("number") for c in columns):
        for i, c in enumerate(columns, 1):
            sheet.put(r, i, c.get("number", ""))
        r += 1
    for line in computed.rows:
        row = line["row"]
        for i, cell in enumerate(line["cells"], 1):
            kind = cell["column"]["kind"]
            if kind == "label":
                code = row.get("code", "")
                has_code_column = any(c["kind"] == "code" for c in columns)
                prefix = "" if has_code_column or not code else (f"{code}. " if code != "-" else "- ")
                sheet.put(r, i, "    " * row.get("indent", 0) + prefix + row["label"], bold=row.get("bold", False))
            elif kind == "code":
                sheet.put(r, i, row.get("code", ""), bold=row.get("bold", False))
            elif cell["value"] is not None:
                fmt = (
                    DECIMAL_FORMAT
                    if kind in ("ratio", "share") or not float(cell["value"]).is_integer()
                    else INT_FORMAT
                )
                sheet.put(r, i, cell["value"], number_format=fmt, bold=row.get("bold", False))
        r += 1
    r += 1
    sign = t.get("signature", {})
    left, right = sign.get("left", []), sign.get("right", [])
    for i in range(max(len(left), len(right))):
        if i < len(left):
            sheet.put(r, 1, fill(left[i], values), bold=i == 0)
            _merge(sheet, r, 1, r, half)
        if i < len(right):
            sheet.put(r, half + 1, fill(right[i], values), bold=i == 1)
            _merge(sheet, r, half + 1, r, n)
        r += 1
    widths = [8 if c["kind"] == "code" else 55 if c["kind"] == "label" else 16 for c in columns]
    sheet.widths(widths)
    return book.save()
