"""No input ever produces a server error (issue 12, findings 10, 11 and 13a): each input found to crash a page.

A refused write leaves the database exactly as it was (the write matrix's fingerprint).
"""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from dangbo.admission.models import Target
from dangbo.core.models import AuditLog
from dangbo.lifecycle.models import RemovalProposal
from dangbo.meetings.tests.access_cases import LAST_YEAR, _missed
from dangbo.members import importer
from dangbo.members.models import MemberImport
from dangbo.members.tests.xlsx import HEADER, row
from dangbo.reports.models import Reconciliation
from tests.test_write_matrix import fingerprint

HUGE = "99999999999999999999999"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# ---- reconciliation signed on a day, with no signer recorded (5 of the 6 demo reconciliations) ----------
def test_a_reconciliation_signed_without_a_signer_is_shown(cast, login):
    rec = Reconciliation.objects.create(
        unit=cast.gr_a,
        on=datetime.date(2026, 9, 30),
        declared={"official": 2},
        system={"official": 2},
        unit_signed_on=datetime.date(2026, 10, 6),
        upper_signed_on=datetime.date(2026, 10, 8),
        upper_signed_by=cast.bloc_user,
    )
    resp = login(cast.bloc_user).get(reverse("reports:reconciliation_detail", args=[rec.pk]))
    assert resp.status_code == 200
    body = resp.content.decode()
    assert "06/10/2026" in body and "08/10/2026" in body and "Nguyễn Văn Khối" in body


# ---- the audit log after an import (a reverse relation has no verbose name) --------------------------------
def test_the_audit_log_shows_an_import(cast, login):
    AuditLog.objects.create(
        action="members.import", model="org.OrgUnit", object_id=str(cast.gr_a.pk), changes={"members": [None, 3]}
    )
    resp = login(cast.bloc_user).get(reverse("core:audit"))
    assert resp.status_code == 200
    assert "members.import" in resp.content.decode()


# ---- numbers of 23 digits in a form: a form error, nothing saved -------------------------------------------
@pytest.mark.parametrize(
    "field,value",
    # 3,000,000,000 fits SQLite's 64-bit integers but not PostgreSQL's integer column.
    [("count", HUGE), ("count", "3000000000"), ("students", HUGE), ("year", HUGE)],
)
def test_a_huge_number_is_a_form_error(cast, login, field, value):
    data = {"unit": cast.gr_a.pk, "year": 2027, "count": 5, "students": 0, field: value}
    before = fingerprint()
    resp = login(cast.bloc_user).post(reverse("admission:targets"), data)
    assert resp.status_code == 200
    assert "nhỏ hơn hoặc bằng" in resp.content.decode()
    assert fingerprint() == before and not Target.objects.exists()


def test_a_huge_capacity_of_a_venue_is_a_form_error(cast, login):
    before = fingerprint()
    resp = login(cast.bloc_user).post(
        reverse("meetings:venues"), {"owner_unit": cast.gr_a.pk, "name": "Hội trường A", "capacity": HUGE}
    )
    assert resp.status_code == 200 and "nhỏ hơn hoặc bằng" in resp.content.decode()
    assert fingerprint() == before


def test_a_huge_key_in_a_multiple_choice_is_a_form_error(cast, login):
    before = fingerprint()
    resp = login(cast.bloc_user).post(
        reverse("org:cluster_assign", args=[cast.cluster.pk]), {"units": [HUGE], "date": "01/01/2026"}
    )
    assert resp.status_code in (200, 404)
    assert fingerprint() == before


# ---- propose-removal (a non-numeric or out-of-range id, an impossible year) --------------------------------
@pytest.mark.parametrize("member", ["abc", HUGE, "-1", "1.5"])
def test_propose_removal_of_a_member_that_is_no_id_is_a_404(cast, login, member):
    url = reverse("meetings:propose_removal", kwargs=_missed(cast))
    before = fingerprint()
    resp = login(cast.staff_a).post(url, {"member": member, "year": LAST_YEAR})
    assert resp.status_code == 404
    assert fingerprint() == before


@pytest.mark.parametrize("year", ["0", HUGE, "abc", "9999"])
def test_propose_removal_for_an_impossible_year_is_refused_with_a_message(cast, login, year):
    url = reverse("meetings:propose_removal", kwargs=_missed(cast))
    before = fingerprint()
    client = login(cast.staff_a)
    resp = client.post(url, {"member": cast.m_a1_other.pk, "year": year}, follow=True)
    assert resp.status_code == 200
    assert "Nhập năm trong khoảng từ 1930 đến 2100." in resp.content.decode()
    assert fingerprint() == before and not RemovalProposal.objects.exists()


# ---- query parameters --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "url_name,query",
    [
        ("admission:targets", "?year=0"),
        ("admission:targets", f"?year={HUGE}&unit={HUGE}"),
        ("lifecycle:register", "?year=0"),
        ("lifecycle:register", f"?year={HUGE}&years={HUGE}&decision=abc"),
        ("reports:dashboard", "?on=01/01/0001"),
        ("reports:dashboard", "?on=31/12/9999"),
        ("core:audit", "?date_from=01/01/0001&date_to=31/12/9999"),
    ],
)
def test_a_query_parameter_out_of_range_falls_back(cast, login, url_name, query):
    resp = login(cast.bloc_user).get(reverse(url_name) + query)
    assert resp.status_code == 200


@pytest.mark.parametrize("query", ["?year=0", f"?year={HUGE}", "?year=abc"])
def test_a_cell_year_out_of_range_shows_this_year(cast, login, query):
    resp = login(cast.bloc_user).get(reverse("meetings:cell", args=[cast.cell_a1.pk]) + query)
    assert resp.status_code == 200
    assert resp.context["year"] == datetime.date.today().year


@pytest.mark.parametrize("on", ["01/01/0001", "31/12/9999", "abc", "32/13/2020"])
def test_a_committee_day_out_of_range_is_today(cast, login, on):
    resp = login(cast.bloc_user).get(reverse("committees:unit", args=[cast.gr_a.pk]), {"on": on})
    assert resp.status_code == 200
    assert resp.context["day"] == resp.context["today"]


# ---- a search of 3,000 words -------------------------------------------------------------------------------
@pytest.mark.parametrize("url_name", ["committees:home", "transfers:new", "meetings:home"])
def test_a_search_of_thousands_of_words_is_shortened_with_a_message(cast, login, url_name):
    q = " ".join(f"nguyen{i}" for i in range(3000))
    resp = login(cast.bloc_user).get(reverse(url_name), {"q": q})
    assert resp.status_code == 200
    assert "Nội dung tìm kiếm đã được rút gọn" in resp.content.decode()


# ---- the NUL character -------------------------------------------------------------------------------------
def test_a_nul_character_is_a_vietnamese_400_and_nothing_is_saved(cast, login):
    client = login(cast.bloc_user)
    before = fingerprint()
    resp = client.post(reverse("meetings:venues"), {"owner_unit": cast.gr_a.pk, "name": "Hội\x00trường"})
    assert resp.status_code == 400
    assert "ký tự rỗng (NUL)" in resp.content.decode()
    assert fingerprint() == before
    resp = client.get(reverse("members:list"), {"q": "Nguy\x00ễn"})
    assert resp.status_code == 400 and "ký tự rỗng (NUL)" in resp.content.decode()


# ---- declared figures of a report (13a) --------------------------------------------------------------------
def test_a_declared_figure_above_ten_million_is_refused(cast, login):
    before = fingerprint()
    data = {"unit": cast.gr_a.pk, "on": "30/09/2026", "n_probationary": 0, "n_exempted": 0, "n_suspended": 0}
    resp = login(cast.staff_a).post(reverse("reports:reconciliation_new"), {**data, "n_official": 10_000_001})
    assert resp.status_code == 200
    assert "Số liệu kê khai tối đa là 10.000.000." in resp.content.decode()
    assert fingerprint() == before and not Reconciliation.objects.exists()


# ---- the import: the first sheet only, and at most 20.000 rows (finding 11) --------------------------------
def _two_sheets(second_has_data):
    wb = Workbook()
    ws = wb.active
    ws.title = "Chi bộ Tin học"
    ws.append(HEADER)
    ws.append([1, *row("Nguyễn Văn An")[1:]])
    other = wb.create_sheet("Chi bộ Ngân sách")
    if second_has_data:
        other.append(HEADER)
        other.append([1, *row("Trần Thị Bích", cell="Chi bộ Phòng Ngân sách")[1:]])
    wb.create_sheet("Trống")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _upload(client, content, unit):
    f = SimpleUploadedFile("dang-vien.xlsx", content, content_type=XLSX)
    return client.post(reverse("members:import"), {"unit": unit.pk, "file": f}, follow=True)


def test_an_import_says_which_other_sheets_hold_data_and_were_not_read(cast, login):
    resp = _upload(login(cast.staff_a), _two_sheets(True), cast.gr_a)
    imp = MemberImport.objects.get()
    assert imp.total == 1
    body = resp.content.decode()
    assert "Chỉ đọc trang tính đầu tiên (“Chi bộ Tin học”)" in body
    assert "“Chi bộ Ngân sách”" in body and "“Trống”" not in body


def test_an_import_with_empty_other_sheets_has_no_such_warning(cast, login):
    resp = _upload(login(cast.staff_a), _two_sheets(False), cast.gr_a)
    assert resp.status_code == 200 and "Chỉ đọc trang tính đầu tiên" not in resp.content.decode()


def test_the_row_limit_is_written_the_vietnamese_way(cast, login, monkeypatch):
    monkeypatch.setattr(importer, "MAX_ROWS", 1000)
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for i in range(1001):
        ws.append([i + 1, *row(f"Nguyễn Văn {i}")[1:]])
    out = io.BytesIO()
    wb.save(out)
    resp = _upload(login(cast.staff_a), out.getvalue(), cast.gr_a)
    assert "Tệp có hơn 1.000 đảng viên" in resp.content.decode()
    assert not MemberImport.objects.exists()
