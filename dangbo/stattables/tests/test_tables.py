"""The statistical tables through the client: computed for the cast's tree against hand counts, the
identities blocking the export, versions by date and uploads, refused uploads, access, query counts."""

import datetime
import io
import json

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dangbo.core.models import AuditLog
from dangbo.members.intervals import rebuild_intervals
from dangbo.members.models import Member, MemberEvent
from dangbo.stattables import expr, registry
from dangbo.stattables.models import TableFile
from dangbo.stattables.tests.access_cases import table_bytes
from dangbo.testing import make_member

D = datetime.date
S = Member.Status
EK = MemberEvent.Kind


def ev(member, kind, day, *, to=None, frm=None, status=""):
    MemberEvent.objects.create(member=member, kind=kind, date=day, to_unit=to, from_unit=frm, status_after=status)


def build_history(cast):
    """The cast's members with a history; for 2025, gr_a: A 4, B 3 (1 admitted, 1 from outside, 1 from gr_b),
    C 3 (1 deceased, 1 out of the system, 1 probationary removed), D 4."""
    c = cast
    ev(c.m_a1, EK.ADMITTED, D(2020, 3, 1), to=c.cell_a1, status=S.OFFICIAL)
    ev(c.m_a1_other, EK.ADMITTED, D(2019, 1, 1), to=c.cell_a1, status=S.OFFICIAL)
    ev(c.m_a1_other, EK.DECEASED, D(2025, 5, 10), status=S.DECEASED)
    ev(c.m_a2, EK.ADMITTED, D(2025, 2, 1), to=c.cell_a2, status=S.PROBATIONARY)
    ev(c.m_b1, EK.ADMITTED, D(2015, 6, 1), to=c.cell_b1, status=S.OFFICIAL)
    ev(c.m_b1, EK.TRANSFERRED_IN, D(2025, 6, 1), frm=c.cell_b1, to=c.cell_a2, status=S.OFFICIAL)
    ev(c.m_c, EK.ADMITTED, D(2016, 1, 1), to=c.cell_c, status=S.OFFICIAL)
    x = make_member("Nông Văn Xuân", c.cell_a1, ethnicity="Tày", birth_date=D(1990, 5, 5), theory_level="intermediate")
    ev(x, EK.TRANSFERRED_IN, D(2025, 4, 1), to=c.cell_a1, status=S.OFFICIAL)
    y = make_member("Trịnh Văn Yên", c.cell_a1, status=S.TRANSFERRED_OUT)
    ev(y, EK.ADMITTED, D(2018, 1, 1), to=c.cell_a1, status=S.OFFICIAL)
    ev(y, EK.TRANSFERRED_OUT, D(2025, 9, 1), frm=c.cell_a1, status=S.TRANSFERRED_OUT)
    z = make_member("Lý Thị Zin", c.cell_a2, sex=Member.Sex.FEMALE, status=S.REMOVED)
    ev(z, EK.ADMITTED, D(2024, 1, 1), to=c.cell_a2, status=S.PROBATIONARY)
    ev(z, EK.REMOVED, D(2025, 10, 1), status=S.REMOVED)
    Member.objects.filter(pk=c.m_a1_other.pk).update(status=S.DECEASED)
    Member.objects.filter(pk=c.m_b1.pk).update(unit=c.cell_a2)
    Member.objects.filter(pk=c.m_a1.pk).update(birth_date=D(1995, 1, 1), theory_level="advanced", religion="Phật giáo")
    Member.objects.filter(pk=c.m_a2.pk).update(birth_date=D(1960, 6, 1), general_education="12/12")
    rebuild_intervals()
    return x, y, z


def show(client, **params):
    return client.get(reverse("stattables:home"), params)


def cells(resp):
    """{row id: {column key: value}} of the table shown."""
    return {
        line["row"]["id"]: {c["column"]["key"]: c["value"] for c in line["cells"]}
        for line in resp.context["result"].rows
    }


def test_increase_and_decrease_matches_hand_counts(cast, login):
    build_history(cast)
    client = login(cast.bloc_user)
    resp = show(client, table="1", unit=cast.gr_a.pk, kind="year", year=2025)
    assert resp.status_code == 200
    assert resp.context["table"]["code"] == "1-BTCTW"
    v = cells(resp)
    now = {k: v[k]["c2"] for k in v}
    assert now["A"] == 4 and now["B"] == 3 and now["B1"] == 1 and now["B2a"] == 1 and now["B2b"] == 1
    assert now["C"] == 3 and now["C1"] == 1 and now["C3"] == 1 and now["C3x"] == 1 and now["C5a"] == 1
    assert now["C5b"] == 0 and now["B3"] == 0 and now["D"] == 4
    # The same period a year before: A 3 (m_a1, m_a1_other, y), Z admitted, D 4; (%) = 4 × 100 / 3.
    assert v["A"]["c3"] == 3 and v["B1"]["c3"] == 1 and v["D"]["c3"] == 4
    assert str(v["A"]["c4"]) == "133.33"
    assert resp.context["result"].ok
    html = resp.content.decode()
    assert "133,33" in html and "THỐNG KÊ TĂNG, GIẢM ĐẢNG VIÊN" in html
    # gr_b lost its member to gr_a; the bloc as a whole counts only what crossed its border.
    v = cells(show(client, table="1", unit=cast.gr_b.pk, kind="year", year=2025))
    assert (v["A"]["c2"], v["C5b"]["c2"], v["D"]["c2"]) == (1, 1, 0)
    resp = show(client, table="1", unit=cast.bloc.pk, kind="year", year=2025)
    v = cells(resp)
    assert (v["A"]["c2"], v["B"]["c2"], v["B2b"]["c2"], v["C"]["c2"], v["D"]["c2"]) == (6, 2, 0, 3, 5)
    # Drill-down to the units below.
    assert {c.pk for c in resp.context["children"]} == {cast.gr_a.pk, cast.gr_b.pk, cast.cell_c.pk}


def test_half_year_and_structure(cast, login):
    x, _y, _z = build_history(cast)
    client = login(cast.bloc_user)
    v = cells(show(client, table="1", unit=cast.gr_a.pk, kind="h1", year=2025))
    # 1/1–30/6/2025: admitted m_a2, x from outside, m_b1 from gr_b; m_a1_other died; y and z still there.
    assert (v["A"]["c2"], v["B"]["c2"], v["C"]["c2"], v["D"]["c2"]) == (4, 3, 1, 6)
    v = cells(show(client, table="3", unit=cast.gr_a.pk, kind="year", year=2025))
    # On 31/12/2025 in gr_a: m_a1 (F, 1995, advanced, Buddhist), m_a2 (F, 1960, probationary, 12/12),
    # x (M, Tày, 1990, intermediate), m_b1 (M).
    now = {k: c["c2"] for k, c in v.items()}
    assert (now["I"], now["I1"], now["I2"], now["I3"], now["I4"]) == (4, 2, 1, 1, 1)
    assert now["II2_1"] == 1 and now["II2_2"] == 1 and now["II2_8"] == 1  # 30, 35, 65 years old
    assert str(now["II2_avg"]) == "43.3"  # (30 + 35 + 65) / 3
    assert now["II4_4"] == 1 and now["II7_2"] == 1 and now["II7_3"] == 1 and now["II7_1"] == 0
    assert now["I5"] is None  # not recorded: an empty cell
    v = cells(show(client, table="4", unit=cast.gr_a.pk, kind="year", year=2025))
    assert v["D2"]["c2"] == 1 and v["D2"]["c3"] == 0 and str(v["D2"]["c4"]) == "25.00"  # Tày: x, of 4
    assert v["T3"]["c2"] == 1 and v["T3"]["c3"] == 1  # one Buddhist woman
    assert x.ethnicity == "Tày"


def test_organizations_table(cast, login):
    build_history(cast)
    client = login(cast.bloc_user)
    v = cells(show(client, table="5", unit=cast.bloc.pk, kind="year", year=2025))
    # State agencies: gr_a (2 cells) and gr_b (1 cell), 4 members; party agencies: cell_c, 1 member.
    assert (v["R5"]["c2"], v["R5"]["c3"], v["R5"]["c4"], v["R5"]["c6"], v["R5"]["c7"]) == (2, 2, 0, 3, 4)
    assert (v["R4"]["c2"], v["R4"]["c4"], v["R4"]["c7"]) == (1, 1, 1)
    assert (v["T"]["c2"], v["T"]["c6"], v["T"]["c7"]) == (3, 3, 5)


def test_version_chosen_by_date(cast, login):
    client = login(cast.bloc_user)
    assert show(client, table="1", kind="year", year=2020).context["table"]["code"] == "1-TCTW"
    assert show(client, table="1", kind="year", year=2022).context["table"]["code"] == "1-BTCTW"
    resp = show(client, table="3", kind="year", year=2015)
    assert resp.context["no_table"] and "result" not in resp.context


def test_identity_failure_blocks_export(cast, login):
    build_history(cast)
    client = login(cast.bloc_user)
    params = {"table": "1", "unit": cast.gr_a.pk, "kind": "year", "year": 2025}
    resp = client.get(reverse("stattables:export"), params)
    assert resp.status_code == 200 and resp["Content-Type"].startswith("application/vnd.openxml")
    # A restructuring moved m_c into gr_a: no row of the table counts it, so D ≠ A + B − C.
    ev(cast.m_c, EK.UNIT_CHANGED, D(2025, 3, 1), frm=cast.cell_c, to=cast.cell_a1, status=S.OFFICIAL)
    rebuild_intervals([cast.m_c.pk])
    resp = show(client, **params)
    failures = resp.context["result"].failures
    assert [f["label"] for f in failures] == ["D = A + B − C"]
    assert failures[0]["left"] == 5 and failures[0]["right"] == 4
    html = resp.content.decode()
    assert 'data-testid="failures"' in html and 'data-testid="export-blocked"' in html
    assert 'data-row="D" class="table-danger' in html
    resp = client.get(reverse("stattables:export"), params)
    assert resp.status_code == 302 and "xlsx" not in resp["Content-Type"]
    follow = client.get(resp["Location"])
    assert "bị chặn" in follow.content.decode()


def test_carry_identity(cast, login):
    """This period's start is last period's end: A of H2 2025 equals D of H1 2025."""
    build_history(cast)
    client = login(cast.bloc_user)
    h1 = cells(show(client, table="1", unit=cast.gr_a.pk, kind="h1", year=2025))
    resp = show(client, table="1", unit=cast.gr_a.pk, kind="h2", year=2025)
    assert cells(resp)["A"]["c2"] == h1["D"]["c2"] and resp.context["result"].ok


def test_xlsx_has_official_headers_and_signature(cast, login):
    build_history(cast)
    client = login(cast.bloc_user)
    resp = client.get(
        reverse("stattables:export"),
        {"table": "1", "unit": cast.gr_a.pk, "kind": "year", "year": 2025, "preparer_phone": "=0912 345 678",
         "head": "Trần Văn Trưởng", "place": "Hà Nội"},
    )  # fmt: skip
    ws = openpyxl.load_workbook(io.BytesIO(resp.content)).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    flat = [v for row in values for v in row if v is not None]
    assert "THỐNG KÊ TĂNG, GIẢM ĐẢNG VIÊN" in flat and "Biểu số 1-BTCTW" in flat
    assert "NGƯỜI LẬP BIỂU" in flat and "TRƯỞNG BAN" in flat and "Trần Văn Trưởng" in flat
    phone = next(c for row in ws.iter_rows() for c in row if c.value == "=0912 345 678")
    assert phone.data_type == "s"  # a text, never a formula
    merged = {str(r) for r in ws.merged_cells.ranges}
    header = next(i for i, row in enumerate(values, 1) if row[0] == "Tiêu chí")
    assert f"A{header}:A{header + 1}" in merged and f"B{header}:C{header}" in merged
    assert values[header][1:3] == ["Kỳ này", "Cùng kỳ năm trước"]
    d_row = next(row for row in values if row[0] and str(row[0]).startswith("D."))
    assert d_row[1:] == [4, 4, 100]


def _upload(client, content, day="01/01/2025", name="b1.json"):
    return client.post(
        reverse("stattables:files"),
        {"file": SimpleUploadedFile(name, content, "application/json"), "effective_from": day},
    )


def test_upload_valid_only_before_its_date_is_refused(cast, login):
    resp = _upload(login(cast.bloc_user), table_bytes(valid_to="2024-12-31"))
    assert resp.status_code == 400 and "trước ngày bắt đầu áp dụng" in resp.content.decode()
    assert not TableFile.objects.exists()


def test_upload_overrides_from_its_date(cast, login):
    client = login(cast.bloc_user)
    resp = _upload(client, table_bytes(title="BIỂU 1 ĐÃ SỬA"))
    assert resp.status_code == 302
    tf = TableFile.objects.get()
    assert (tf.code, tf.effective_from, tf.uploaded_by) == ("1-BTCTW", D(2025, 1, 1), cast.bloc_user)
    assert AuditLog.objects.filter(action="stattables.upload", object_id=str(tf.pk)).exists()
    assert show(client, table="1", kind="year", year=2025).context["table"]["title"] == "BIỂU 1 ĐÃ SỬA"
    assert show(client, table="1", kind="year", year=2024).context["table"]["title"] == "THỐNG KÊ TĂNG, GIẢM ĐẢNG VIÊN"
    # The office downloads the file in force, and withdraws the upload: the shipped file applies again.
    data = json.loads(client.get(reverse("stattables:file_download"), {"table": "1", "year": 2025}).content)
    assert data["title"] == "BIỂU 1 ĐÃ SỬA"
    client.post(reverse("stattables:file_withdraw", args=[tf.pk]))
    tf.refresh_from_db()
    assert not tf.active
    assert show(client, table="1", kind="year", year=2025).context["table"]["title"] == "THỐNG KÊ TĂNG, GIẢM ĐẢNG VIÊN"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "không phải JSON hợp lệ"),
        (b"\xff\xfe", "không phải tệp văn bản UTF-8"),
        ("bad_expr", "không đọc được"),
        ("unknown_name", "tên số liệu không có"),
        ("no_rows", "phải có từ 1 đến"),
        ("bad_identity", "phải là mã của một dòng"),
    ],
)
def test_malformed_upload_refused_in_vietnamese(cast, login, content, message):
    if isinstance(content, str):
        table = json.loads(table_bytes())
        if content == "bad_expr":
            table["rows"][0]["value"] = "members_start +"
        elif content == "unknown_name":
            table["rows"][0]["value"] = "members_start + so_la"
        elif content == "no_rows":
            table["rows"] = []
        else:
            table["identities"][0]["left"] = "ZZ"
        content = json.dumps(table).encode()
    client = login(cast.bloc_user)
    resp = _upload(client, content)
    assert resp.status_code == 400
    assert message in resp.content.decode()
    assert not TableFile.objects.exists()


def test_unverified_rows_flagged_to_the_office(cast, login):
    resp = show(login(cast.bloc_user), table="1", kind="year", year=2025)
    assert 'data-testid="unverified"' in resp.content.decode()
    resp = show(login(cast.staff_a), table="1", kind="year", year=2025)
    assert 'data-testid="unverified"' not in resp.content.decode()


def test_access(cast, login):
    client = login(cast.staff_b)
    assert show(client, unit=cast.gr_a.pk).status_code == 404
    assert client.get(reverse("stattables:export"), {"table": "1", "unit": cast.gr_a.pk}).status_code == 404
    assert show(client, unit=cast.gr_b.pk).status_code == 200
    client = login(cast.secretary_a1)
    assert show(client, unit=cast.gr_a.pk).status_code == 404
    assert show(client).context["unit"] == cast.cell_a1
    assert show(login(cast.member_a1), unit=cast.cell_a1.pk).status_code == 404
    assert _upload(login(cast.staff_a), table_bytes()).status_code == 404
    assert not TableFile.objects.exists()


def _grow(cast, n):
    members = [
        Member(unit=cast.cell_a1 if i % 2 else cast.cell_b1, sex="F" if i % 3 else "M", full_name=f"Người {i}",
               birth_date=D(1960 + i % 40, 1, 1), ethnicity=("Kinh", "Tày", "Mường")[i % 3])
        for i in range(n)
    ]  # fmt: skip
    Member.objects.bulk_create(members)
    MemberEvent.objects.bulk_create(
        MemberEvent(member=m, kind=EK.ADMITTED, date=D(2010 + i % 15, 1, 1), to_unit=m.unit, status_after=S.OFFICIAL)
        for i, m in enumerate(Member.objects.filter(full_name__startswith="Người "))
    )
    rebuild_intervals()


@pytest.mark.parametrize("table", ["1", "3", "4", "5"])
def test_query_count_does_not_grow_with_members(cast, login, django_assert_max_num_queries, table):
    client = login(cast.bloc_user)
    params = {"table": table, "unit": cast.bloc.pk, "kind": "year", "year": 2025}
    counts = []
    for n in (10, 60):
        _grow(cast, n)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert show(client, **params).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(46):
        show(client, **params)


def test_expression_language():
    tree = expr.parse("a + b * (c - 2) / 4 - -d")
    assert expr.names(tree) == ["a", "b", "c", "d"]
    assert expr.evaluate(tree, {"a": 1, "b": 2, "c": 6, "d": 1}) == 4
    assert expr.evaluate(expr.parse("a / b"), {"a": 1, "b": 0}) is None
    for bad in ("", "a +", "(a", "a b", "__import__('os')", "a ** b", "a; b"):
        with pytest.raises(expr.ExprError):
            expr.parse(bad)


def test_shipped_files_are_valid():
    codes = {t["code"] for t in registry.shipped()}
    assert {"1-TCTW", "1-BTCTW", "3-BTCTW", "4-BTCTW", "5-BTCTW"} <= codes


@pytest.mark.parametrize(
    "change",
    [
        {"columns": [{"key": "c1", "kind": "ratio", "num": ["x"], "den": {"a": 1}, "title": "T"}]},
        {"identities": [{"label": "x", "left": ["A"], "right": 5, "field": []}]},
        {"identities": [{"label": "x", "left": "A", "previous_period": {"a": 1}}]},
        {"rows": [{"id": ["A"], "label": 3, "indent": True, "value": 7}]},
        {"rows": "A", "columns": {}, "header": [], "signature": "x", "valid_from": 5},
        {"format": 2, "family": None, "title": ["x"]},
    ],
)
def test_garbage_table_files_are_refused_not_crashing(cast, login, change):
    table = json.loads(table_bytes())
    table.update(change)
    resp = _upload(login(cast.bloc_user), json.dumps(table).encode())
    assert resp.status_code == 400 and not TableFile.objects.exists()
    resp = _upload(login(cast.bloc_user), b"[" * 100_000 + b"]" * 100_000)
    assert resp.status_code == 400 and not TableFile.objects.exists()


def test_new_members_table(cast, login):
    x, _y, _z = build_history(cast)
    Member.objects.filter(pk=cast.m_a2.pk).update(qualification="master", ethnicity="Mường")
    client = login(cast.bloc_user)
    resp = show(client, table="2", unit=cast.bloc.pk, kind="year", year=2025)
    v = {k: c["c2"] for k, c in cells(resp).items()}
    # 2025: only m_a2 was admitted (in cell_a2 of gr_a): a woman of the Mường, born 1960 (65 at admission).
    assert (v["I"], v["I1"], v["I2"], v["II2_8"], v["II4_5"], v["II3_4"]) == (1, 1, 1, 1, 1, 1)
    assert str(v["II2_avg"]) == "65"
    assert (v["III1"], v["III1a"], v["III2"], v["III2a"]) == (2, 1, 1, 0)
    assert resp.context["result"].ok
    prev = {k: c["c3"] for k, c in cells(resp).items()}
    assert prev["I"] == 1 and prev["II2_8"] == 0  # z, admitted in 2024, has no date of birth
