"""Excel export of the member register (sổ danh sách đảng viên, 7-HSĐV): 14 columns, as DOMAIN.md §2
lists them [the official column list is to be verified against the form]."""

from django.utils.translation import gettext as _

from dangbo.core import xlsx

DATE = "%d/%m/%Y"


def register_columns():
    return [
        (_("No."), 6),
        (_("Full name"), 28),
        (_("Sex"), 7),
        (_("Date of birth"), 12),
        (_("Hometown"), 16),
        (_("Ethnicity"), 9),
        (_("Religion"), 10),
        (_("Occupation, position"), 26),
        (_("Education – qualification – theory"), 26),
        (_("Admission date"), 13),
        (_("Official membership date"), 13),
        (_("Party card number"), 13),
        (_("Party unit"), 34),
        (_("Remarks"), 24),
    ]


def _remarks(m):
    parts = [] if m.status == m.Status.OFFICIAL else [m.get_status_display()]
    if m.temporary_unit_id:
        parts.append(_("temporarily at %(unit)s") % {"unit": m.temporary_unit.name})
    return "; ".join(parts)


def register_workbook(members, *, title):
    """An .xlsx (bytes) of ``members`` (an ordered queryset with ``unit`` selected), streamed row by row."""
    members = members.select_related("unit", "temporary_unit")
    wb = xlsx.Book(write_only=True)
    ws = wb.sheet(_("Register"))
    columns = register_columns()
    ws.widths([width for _label, width in columns])
    ws.append([title])
    ws.append([])
    ws.append([label for label, _w in columns])
    for n, m in enumerate(members.iterator(chunk_size=2000), 1):
        ws.append(
            [
                n,
                m.full_name,
                m.get_sex_display(),
                m.birth_date.strftime(DATE) if m.birth_date else "",
                m.hometown,
                m.ethnicity,
                m.religion,
                ", ".join(p for p in (m.occupation, m.position) if p),
                " – ".join(
                    p for p in (m.general_education, m.get_qualification_display(), m.get_theory_level_display()) if p
                ),
                m.admission_date.strftime(DATE) if m.admission_date else "",
                m.official_date.strftime(DATE) if m.official_date else "",
                m.card_number or "",
                m.unit.name,
                _remarks(m),
            ]
        )
    return wb.save()
