"""Excel export of the member register (sổ danh sách đảng viên, the columns of 7-HSĐV that the
registry holds so far)."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

DATE = "%d/%m/%Y"


def register_columns():
    return [
        (_("No."), 6),
        (_("Full name"), 28),
        (_("Sex"), 7),
        (_("Date of birth"), 12),
        (_("Admission date"), 13),
        (_("Official membership date"), 13),
        (_("Party card number"), 13),
        (_("Position"), 22),
        (_("Party unit"), 34),
        (_("Status"), 18),
    ]


def register_workbook(members, *, title):
    """An .xlsx (bytes) of ``members`` (an ordered queryset with ``unit`` selected), streamed row by row."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Register"))
    columns = register_columns()
    for i, (_label, width) in enumerate(columns):
        ws.column_dimensions[chr(ord("A") + i)].width = width
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
                m.admission_date.strftime(DATE) if m.admission_date else "",
                m.official_date.strftime(DATE) if m.official_date else "",
                m.card_number or "",
                m.position,
                m.unit.name,
                m.get_status_display(),
            ]
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
