"""Excel export of the badge eligibility list for one occasion."""

from django.utils.translation import gettext as _

from dangbo.core import xlsx

DATE = "%d/%m/%Y"


def eligibility_workbook(rows, *, occasion, unit=None):
    wb = xlsx.Book(write_only=True)
    ws = wb.sheet(_("Party badges"))
    columns = [
        (_("No."), 6),
        (_("Full name"), 28),
        (_("Date of birth"), 12),
        (_("Party unit"), 36),
        (_("Party age counted from"), 14),
        (_("Milestone (years)"), 10),
        (_("Milestone reached on"), 14),
        (_("Early award"), 20),
        (_("Deferred until"), 14),
    ]
    ws.widths([width for _title, width in columns])
    title = _("Members eligible for a party badge on %(day)s") % {"day": occasion.strftime(DATE)}
    if unit is not None:
        title += f" – {unit.name}"
    ws.append([title], bold=True, size=13)
    ws.append([])
    ws.append([t for t, _w in columns])
    for n, r in enumerate(rows, 1):
        m = r.member
        ws.append(
            [
                n,
                m.full_name,
                m.birth_date.strftime(DATE) if m.birth_date else "",
                m.unit.name,
                m.party_age_from.strftime(DATE) if m.party_age_from else "",
                r.years,
                r.reached_on.strftime(DATE),
                str(r.early_label) if r.early else "",
                r.deferred_until.strftime(DATE) if r.deferred_until else "",
            ]
        )
    return wb.save()
