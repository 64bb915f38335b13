"""Every Excel file the system writes or reads goes through this module (no app imports openpyxl).

Writing: openpyxl stores a text that starts with ``=`` as a formula, and Excel runs a text starting with
``= + - @``, a tab or a carriage return as one when the cell is edited: a member called
``=HYPERLINK("http://…")`` was a live link in every export. :class:`Sheet` writes every value through
:func:`cell`, which keeps such a text a text (string type, with Excel's "quote prefix" so editing does not
turn it into a formula either) and drops the control characters openpyxl cannot write (it raised, a 500).

Reading: :func:`read` checks the archive's unpacked size first (:func:`dangbo.core.uploads.check_archive`).
"""

import io

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from dangbo.core import uploads

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What openpyxl raises on a file that is not a workbook (for the readers' except clauses).
READ_ERRORS = (InvalidFileException, KeyError, OSError, ValueError, EOFError)


def text_value(value):
    """``value`` as it may be written: a str without the characters XML cannot hold."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def cell(ws, value, *, bold=False, size=None, fill=None, number_format=None):
    """A cell of ``ws`` holding ``value`` literally (never a formula)."""
    value = text_value(value)
    c = WriteOnlyCell(ws, value=value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        c.data_type = "s"
        c.quotePrefix = True
    if bold or size:
        c.font = Font(bold=bold, size=size)
    if fill:
        c.fill = PatternFill("solid", fgColor=fill)
    if number_format is None:  # one number format (dangbo.core.numbers): 1.234,5 in a Vietnamese Excel
        from dangbo.core.numbers import excel_format

        number_format = excel_format(value)
    if number_format:
        c.number_format = number_format
    return c


class Sheet:
    """A worksheet that only takes literal values."""

    def __init__(self, ws):
        self._ws = ws

    @property
    def max_row(self):
        return self._ws.max_row if not hasattr(self._ws, "_max_row") else self._ws._max_row

    def append(self, values=(), *, bold=False, size=None, fill=None):
        self._ws.append([cell(self._ws, v, bold=bold, size=size, fill=fill) for v in values])

    def widths(self, widths):
        """Column widths: a list (from column A) or {column number or letter: width}."""
        items = enumerate(widths, 1) if isinstance(widths, (list, tuple)) else widths.items()
        for col, width in items:
            letter = get_column_letter(col) if isinstance(col, int) else col
            self._ws.column_dimensions[letter].width = width

    # Only for a workbook that is not write-only (the import template):
    def put(self, row, column, value, **style):
        c = cell(self._ws, value, **style)
        target = self._ws.cell(row=row, column=column)
        target.value = c.value
        target.data_type = c.data_type
        target._style = c._style
        return target

    def number_format(self, column, rows, fmt):
        for row in rows:
            self._ws.cell(row=row, column=column).number_format = fmt

    def freeze(self, ref):
        self._ws.freeze_panes = ref

    def choice_list(self, ref, values, error):
        dv = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True)
        dv.error = error
        self._ws.add_data_validation(dv)
        dv.add(ref)


class Book:
    """A new workbook; ``write_only`` streams rows (large registers)."""

    def __init__(self, *, write_only=False):
        self._wb = Workbook(write_only=write_only)
        self._fresh = not write_only  # a normal workbook starts with one empty sheet

    def sheet(self, title):
        if self._fresh:
            self._fresh = False
            ws = self._wb.active
            ws.title = title[:31]
        else:
            ws = self._wb.create_sheet(title[:31])
        return Sheet(ws)

    def save(self):
        out = io.BytesIO()
        self._wb.save(out)
        return out.getvalue()


def read(uploaded):
    """The uploaded workbook, read-only with values (not formulas), after the archive's size check."""
    uploads.check_archive(uploaded)
    return load_workbook(uploaded, read_only=True, data_only=True)
