"""The template library: Word forms (docxtpl) filled with a unit's data.

Built-in templates are the .docx files of dangbo/documents/docx (written by make_templates.py); the
bloc office uploads further ones (FormTemplate), checked here (dangbo.core.docx.check_template): only the
known variables, if and for blocks, and docxtpl must render them. Every one is rendered sandboxed and
escaped by dangbo.core.docx.render.
"""

import io
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangbo.accounts.models import Role
from dangbo.core import docx, uploads
from dangbo.members.models import Member
from dangbo.org.models import OrgUnit

DOCX_DIR = Path(__file__).resolve().parent / "docx"
MAX_TEMPLATE_BYTES = 5 * uploads.MB

VARIABLES = {
    "unit_name": gettext_lazy("name of the unit"),
    "unit_upper": gettext_lazy("name of the unit in capitals"),
    "superior": gettext_lazy("name of the superior committee"),
    "superior_upper": gettext_lazy("name of the superior committee in capitals"),
    "collective": gettext_lazy("“chi bộ” or “đảng ủy”"),
    "collective_upper": gettext_lazy("the same in capitals"),
    "code": gettext_lazy("symbol of the issuing body (CB, ĐU)"),
    "secretary": gettext_lazy("secretary's name"),
    "members_total": gettext_lazy("number of party members"),
    "members_official": gettext_lazy("number of official members"),
    "members_probationary": gettext_lazy("number of probationary members"),
    "date": gettext_lazy("date (dd/mm/yyyy)"),
    "day": gettext_lazy("day"),
    "month": gettext_lazy("month"),
    "year": gettext_lazy("year"),
    "term": gettext_lazy("term (nhiệm kỳ)"),
    "period": gettext_lazy("period the document covers"),
    "place": gettext_lazy("place"),
}


@dataclass(frozen=True)
class Builtin:
    key: str
    file: str
    name: str
    kind: str


BUILTINS = [
    Builtin("ke-hoach", "ke-hoach.docx", "Kế hoạch công tác xây dựng Đảng", "plan"),
    Builtin("bao-cao", "bao-cao.docx", "Báo cáo kết quả công tác xây dựng Đảng", "report"),
    Builtin("nghi-quyet", "nghi-quyet.docx", "Nghị quyết chi bộ lãnh đạo thực hiện nhiệm vụ", "resolution"),
    Builtin("bien-ban", "bien-ban.docx", "Biên bản sinh hoạt chi bộ", "minutes"),
]
BUILTIN_BY_KEY = {b.key: b for b in BUILTINS}


def secretary_of(unit):
    from dangbo.accounts.models import RoleAssignment

    ra = (
        RoleAssignment.objects.filter(unit=unit, role__in=(Role.CELL_SECRETARY, Role.GRASSROOTS_STAFF))
        .select_related("user")
        .order_by("role", "pk")
        .first()
    )
    return ra.user.get_full_name() if ra else ""


def unit_context(unit, *, day, term, period, place, secretary):
    """The variables of a template for ``unit`` on ``day`` (member counts of its subtree as of now)."""
    members = Member.objects.current().in_subtree(unit)
    counts = dict(
        members.filter(status__in=(Member.Status.OFFICIAL, Member.Status.PROBATIONARY))
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    superior = unit.parent.name if unit.parent_id else ""
    is_cell = unit.kind in OrgUnit.CELL_KINDS
    collective = "chi bộ" if is_cell else "đảng ủy"
    return {
        "unit_name": unit.name,
        "unit_upper": unit.name.upper(),
        "superior": superior,
        "superior_upper": superior.upper(),
        "collective": collective,
        "collective_upper": collective.upper(),
        "code": "CB" if is_cell else "ĐU",
        "secretary": secretary,
        "members_total": members.count(),
        "members_official": counts.get(Member.Status.OFFICIAL, 0),
        "members_probationary": counts.get(Member.Status.PROBATIONARY, 0),
        "date": day.strftime("%d/%m/%Y"),
        "day": f"{day.day:02d}",
        "month": f"{day.month:02d}",
        "year": str(day.year),
        "term": term,
        "period": period,
        "place": place,
    }


def sample_context():
    return dict.fromkeys(VARIABLES, "…")


def render(source, context, *, uploaded=False):
    """The filled Word file (bytes); ``source``: a path or a file object. An ``uploaded`` template is checked
    again (dangbo.core.docx.check_template) before it is filled."""
    return docx.render(source, context, variables=VARIABLES if uploaded else None)


def validate_template(upload):
    """Refuse a file that is not a plain form of the known variables, or that docxtpl cannot render."""
    if not upload.name.lower().endswith(".docx"):
        raise ValidationError(_("A template must be a Word file (.docx)."))
    uploads.check_size(upload, MAX_TEMPLATE_BYTES)
    data = upload.read()
    upload.seek(0)
    docx.check_template(data, VARIABLES)
    try:
        render(io.BytesIO(data), sample_context())
    except Exception as e:
        raise ValidationError(_("This file is not a valid Word template: %(error)s") % {"error": e})
