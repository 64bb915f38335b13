"""Excel export of the results by level per grassroots organization, with the year-on-year totals."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font


def results_workbook(ctx):
    wb = Workbook()
    ws = wb.active
    ws.title = _("Results")[:31]
    levels = ctx["levels"]
    title = _("Quality classification of party members, %(year)s") % {"year": ctx["year"]}
    if ctx["unit"] is not None:
        title += f" – {ctx['unit'].name}"
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([])
    ws.append([_("No."), _("Grassroots organization"), *[str(label) for _v, label in levels], _("Total")])
    for cell in ws[3]:
        cell.font = Font(bold=True)
    for n, (u, counts) in enumerate(ctx["rows"], 1):
        ws.append([n, u.name, *[counts[v] for v, _l in levels], sum(counts[v] for v, _l in levels)])
    total = ctx["total"]
    ws.append(["", _("Total"), *[total[v] for v, _l in levels], sum(total[v] for v, _l in levels)])
    ws.column_dimensions["B"].width = 48
    ys = wb.create_sheet(_("Year on year")[:31])
    ys.append(
        [_("Year"), *[str(label) for _v, label in levels], _("Organizations excellent"), _("Clean and strong cells")]
    )
    for y, m, o in ctx["by_year"]:
        ys.append([y, *[m[v] for v, _l in levels], o["excellent"], o["clean_strong"]])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
