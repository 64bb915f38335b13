"""Excel export of the results by level per grassroots organization, with the year-on-year totals."""

from django.utils.translation import gettext as _

from dangbo.core import xlsx


def results_workbook(ctx):
    wb = xlsx.Book()
    ws = wb.sheet(_("Results"))
    levels = ctx["levels"]
    title = _("Quality classification of party members, %(year)s") % {"year": ctx["year"]}
    if ctx["unit"] is not None:
        title += f" – {ctx['unit'].name}"
    ws.append([title], bold=True, size=13)
    ws.append([])
    ws.append([_("No."), _("Grassroots organization"), *[str(label) for _v, label in levels], _("Total")], bold=True)
    for n, (u, counts) in enumerate(ctx["rows"], 1):
        ws.append([n, u.name, *[counts[v] for v, _l in levels], sum(counts[v] for v, _l in levels)])
    total = ctx["total"]
    ws.append(["", _("Total"), *[total[v] for v, _l in levels], sum(total[v] for v, _l in levels)])
    ws.widths({"B": 48})
    ys = wb.sheet(_("Year on year"))
    ys.append(
        [_("Year"), *[str(label) for _v, label in levels], _("Organizations excellent"), _("Clean and strong cells")]
    )
    for y, m, o in ctx["by_year"]:
        ys.append([y, *[m[v] for v, _l in levels], o["excellent"], o["clean_strong"]])
    return wb.save()
