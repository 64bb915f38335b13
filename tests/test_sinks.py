"""Issue 12: every text a user types reaches another sink, escaped for it.

Every Excel and Word file the system produces (every URL whose route ends in .xlsx or .docx, found from the
URL patterns, with its access case's data; and each built-in form of the template library) is made with
hostile names for every unit and member: a name that is a formula for Excel and markup for Word. No cell
may be a formula and the Word text must hold the name literally. The source tree may not reach openpyxl or
docxtpl except through dangbo/core/xlsx.py and dangbo/core/docx.py, so a new export uses them too.
"""

import io
import re
from pathlib import Path

import pytest
from django.urls import reverse

import dangbo
from dangbo.members.models import Member
from dangbo.org.models import OrgUnit, OrgUnitVersion
from tests.test_access_matrix import CASES

HOSTILE = '=1+1 & <b>"Kế hoạch & Đầu tư"</b></w:t><w:t>x'
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# Files that hold no unit or member name (only the system's own text).
NAMELESS = {"members:import_template"}


def _route(case):
    from django.urls import NoReverseMatch

    try:
        return reverse(case.url_name, kwargs=dict.fromkeys(_kwarg_names(case), 1) or None)
    except NoReverseMatch:
        return ""


def _kwarg_names(case):
    from django.urls import get_resolver

    resolver = get_resolver()
    ns, _, name = case.url_name.rpartition(":")
    for _ns in ns.split(":") if ns else []:
        resolver = resolver.namespace_dict[_ns][1]
    possibilities = resolver.reverse_dict.getlist(name)
    return possibilities[0][0][0][1] if possibilities else []


# (A case nobody may open, such as an out-of-scope unit, holds no file to look into.)
FILE_CASES = [c for c in CASES if c.method == "get" and c.allowed and _route(c).endswith((".xlsx", ".docx"))]


def test_every_file_url_is_covered():
    names = {c.url_name for c in FILE_CASES}
    # The exports the finding listed, and the Word forms: a regression in the route detection fails here.
    for expected in ("members:export", "study:export", "transfers:movements_export", "lifecycle:badge_export",
                     "review:export", "reports:summary_xlsx", "reports:summary_docx", "admission:document",
                     "inspection:case_docx", "inspection:discipline_docx", "meetings:minutes_docx"):  # fmt: skip
        assert expected in names


def _badges(cast):
    from dangbo.core.dates import years_before
    from dangbo.lifecycle.tests.test_cards_badges import SEPT_2, _veteran

    _veteran("Nguyễn Văn Ba Mươi", cast.cell_a1, years_before(SEPT_2, 30))
    return f"?on={SEPT_2:%d/%m/%Y}"


def _review(cast):
    from dangbo.review.tests.test_review import _announced_year, g_review

    g_review(_announced_year(cast, 2026, 75), cast.cell_c)
    return "?year=2026"


# The data an export needs beyond its access case to hold a name: {url name: seed(cast) → query string}.
SEEDS = {"lifecycle:badge_export": _badges, "review:export": _review}


def _make_hostile(cast):
    for model in (OrgUnit, OrgUnitVersion):
        for pk, name in model.objects.values_list("pk", "name"):
            model.objects.filter(pk=pk).update(name=HOSTILE + name)
    for m in Member.objects.all():
        m.set_name(HOSTILE + m.full_name)
        m.save(update_fields=["full_name", "search_name", "sort_name"])
    for value in vars(cast).values():
        if hasattr(value, "refresh_from_db"):
            value.refresh_from_db()


def _user(case, cast):
    for name in ("bloc", "staff_a", "secretary_a1", "inspector", "staff_b", "member_a1"):
        if name in case.allowed:
            return cast.users[name]


def _xlsx_cells(content):
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(content))
    return [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]


def _docx_text(content):
    from docx import Document

    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    for section in doc.sections:
        parts += [p.text for p in section.header.paragraphs] + [p.text for p in section.footer.paragraphs]
    return "\n".join(parts)


@pytest.mark.parametrize("case", FILE_CASES, ids=lambda c: c.url_name)
def test_hostile_names_stay_text_in_every_file(case, cast, client):
    query = SEEDS[case.url_name](cast) if case.url_name in SEEDS else case.query
    _make_hostile(cast)
    kwargs = case.kwargs(cast) if case.kwargs else None
    client.force_login(_user(case, cast))
    resp = client.get(reverse(case.url_name, kwargs=kwargs) + query)
    assert resp.status_code == 200
    if resp["Content-Type"].startswith(XLSX):
        cells = _xlsx_cells(resp.content)
        formulas = [c.coordinate for c in cells if c.data_type == "f"]
        assert not formulas, f"{case.url_name}: formulas in {formulas}"
        if case.url_name not in NAMELESS:
            assert any(str(c.value).startswith(HOSTILE) for c in cells), "no name at the start of a cell"
    else:
        assert resp["Content-Type"].startswith(DOCX)
        text = _docx_text(resp.content)
        assert HOSTILE in text or HOSTILE.upper() in text, f"{case.url_name}: the name is not written literally"


@pytest.mark.parametrize("key", ["ke-hoach", "bao-cao", "nghi-quyet", "bien-ban"])
def test_hostile_names_stay_text_in_the_template_library(key, cast, login):
    _make_hostile(cast)
    resp = login(cast.staff_a).post(
        reverse("documents:template_fill", args=[key]),
        {"unit": cast.cell_a1.pk, "day": "05/01/2027", "period": HOSTILE, "term": "2025–2030", "place": HOSTILE},
    )
    assert resp.status_code == 200 and resp["Content-Type"].startswith(DOCX)
    text = _docx_text(resp.content)
    assert HOSTILE in text and "Kế hoạch & Đầu tư" in text


def _sources():
    root = Path(dangbo.__file__).parent
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        if "/tests/" in f"/{rel}" or rel.endswith("make_templates.py") or "/migrations/" in f"/{rel}":
            continue
        yield rel, path.read_text()


def test_no_app_writes_excel_or_word_but_through_the_core_helpers():
    offenders = []
    for rel, text in _sources():
        if rel != "core/xlsx.py" and re.search(r"^\s*(from|import) openpyxl|\bWorkbook\(|load_workbook\(", text, re.M):
            offenders.append(rel)
        if rel != "core/docx.py" and re.search(r"^\s*(from|import) docxtpl|DocxTemplate\(", text, re.M):
            offenders.append(rel)
    assert not offenders, f"use dangbo.core.xlsx / dangbo.core.docx in: {offenders}"
