"""Excel export of the member increase/decrease table (biểu tăng giảm đảng viên)."""

from django.utils.translation import gettext as _

from dangbo.core import xlsx
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
    wb = xlsx.Book()
    ws = wb.sheet(_("Increase and decrease"))
    ws.append([_("Increase and decrease of party members")], bold=True, size=13)
    ws.append([f"{unit.name}: {start:%d/%m/%Y} – {end:%d/%m/%Y}"])
    ws.append([])
    columns = movement_columns()
    ws.append([label for _k, label in columns], bold=True)
    for r in [*rows, total]:
        ws.append([str(r.label) if key == "label" else r.counts[key] for key, _l in columns], bold=r is total)
    ws.widths([40] + [14] * (len(columns) - 1))
    return wb.save()
