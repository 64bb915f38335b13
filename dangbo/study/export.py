"""Excel export of a campaign's completion by unit."""

from django.utils.translation import gettext as _

from dangbo.core import xlsx


def completion_workbook(campaign, root, rows, total):
    wb = xlsx.Book(write_only=True)
    ws = wb.sheet(_("Completion"))
    columns = [
        (_("No."), 6),
        (_("Unit"), 44),
        (_("Target members"), 14),
        (_("Started"), 12),
        (_("Studied"), 12),
        (_("Not started"), 12),
        (_("Percentage studied"), 12),
    ]
    ws.widths([width for _title, width in columns])
    ws.append([f"{campaign.title} – {root.name}"], bold=True, size=13)
    ws.append([_("Deadline: %(day)s") % {"day": campaign.deadline.strftime("%d/%m/%Y")}])
    ws.append([])
    ws.append([t for t, _w in columns])
    for n, r in enumerate(rows, 1):
        ws.append([n, r.unit.name, r.target, r.started, r.completed, r.not_started, _pct(r)])
    cells = [_("Total"), "", total.target, total.started, total.completed, total.not_started, _pct(total)]
    ws.append(cells, bold=True)
    return wb.save()


def _pct(row):
    return float(row.percent) if row.percent is not None else None
