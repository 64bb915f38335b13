"""Excel export of the member increase/decrease table (biểu tăng giảm đảng viên)."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from dangbo.transfers.stats import DECREASES, INCREASES


def movement_columns():
    return [
        ("label", _("Unit")),
        ("start", _("Members at start")),
        *[(k, "+ " + str(label)) for k, label in INCREASES],
        *[(k, "− " + str(label)) for k, label in DECREASES],
        ("end", _("Members at end")),
        ("made_official", _("Recognised as official")),
        ("temporary_in", _("Temporary, received")),
        ("temporary_out", _("Temporary, transferred away")),
    ]


def movements_workbook(unit, start, end, rows, total):
    wb = Workbook()
    ws = wb.active
    ws.title = _("Increase and decrease")
    ws.append([_("Increase and decrease of party members")])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([f"{unit.name}: {start:%d/%m/%Y} – {end:%d/%m/%Y}"])
    ws.append([])
    columns = movement_columns()
    ws.append([label for _k, label in columns])
    for cell in ws[4]:
        cell.font = Font(bold=True)
    for r in [*rows, total]:
        ws.append([str(r.label) if key == "label" else r.counts[key] for key, _l in columns])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    ws.column_dimensions["A"].width = 40
    for i in range(2, len(columns) + 1):
        ws.column_dimensions[ws.cell(row=4, column=i).column_letter].width = 14
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
