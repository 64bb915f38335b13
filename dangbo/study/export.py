"""Excel export of a campaign's completion by unit."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font


def completion_workbook(campaign, root, rows, total):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Completion"))
    columns = [
        (_("No."), 6),
        (_("Unit"), 44),
        (_("Target members"), 14),
        (_("Started"), 12),
        (_("Studied"), 12),
        (_("Not started"), 12),
        (_("Percentage studied"), 12),
    ]
    for i, (_title, width) in enumerate(columns):
        ws.column_dimensions[chr(65 + i)].width = width
    head = WriteOnlyCell(ws, value=f"{campaign.title} – {root.name}")
    head.font = Font(bold=True, size=13)
    ws.append([head])
    ws.append([_("Deadline: %(day)s") % {"day": campaign.deadline.strftime("%d/%m/%Y")}])
    ws.append([])
    ws.append([WriteOnlyCell(ws, value=t) for t, _w in columns])
    for n, r in enumerate(rows, 1):
        ws.append([n, r.unit.name, r.target, r.started, r.completed, r.not_started, _pct(r)])
    bold = Font(bold=True)
    cells = [_("Total"), "", total.target, total.started, total.completed, total.not_started, _pct(total)]
    out_row = []
    for v in cells:
        c = WriteOnlyCell(ws, value=v)
        c.font = bold
        out_row.append(c)
    ws.append(out_row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _pct(row):
    return float(row.percent) if row.percent is not None else None
