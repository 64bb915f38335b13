import io
import unicodedata

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from dangbo.core.models import AuditLog
from dangbo.members import importer
from dangbo.members.models import Member, MemberEvent, MemberImport, MemberInterval
from dangbo.members.tests.xlsx import row, workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(client, content, unit, name="dang-vien.xlsx", **extra):
    f = SimpleUploadedFile(name, content, content_type=XLSX)
    return client.post(reverse("members:import"), {"unit": unit.pk, "file": f}, **extra)


def issues_by_row(imp):
    out = {}
    for i in imp.issues:
        out.setdefault(i["row"], []).append((i["level"], i["column"], i["message"]))
    return out


def test_the_template_documents_every_column(cast, login):
    resp = login(cast.staff_a).get(reverse("members:import_template"))
    assert resp.status_code == 200 and resp["Content-Type"] == XLSX
    wb = load_workbook(io.BytesIO(resp.content))
    header = [c.value for c in wb.worksheets[0][1]]
    assert header[:4] == ["STT", "Họ và tên *", "Giới tính *", "Ngày sinh *"]
    guide = [r[0] for r in wb.worksheets[1].iter_rows(values_only=True)]
    assert "Số thẻ đảng viên" in guide and "Chi bộ" in guide
    # The template's own header is read back as a valid (empty) file: it names every column.
    resp = upload(login(cast.staff_a), resp.content, cast.gr_a)
    assert "Tệp không có dòng đảng viên nào dưới dòng tiêu đề" in resp.content.decode()


def test_a_messy_file_is_explained_row_by_row_and_nothing_is_saved(cast, login):
    Member.objects.filter(pk=cast.m_a1_other.pk).update(card_number="48.000001", national_id="001085000001")
    nfd = unicodedata.normalize("NFD", "Trần Thị Ngọc")
    rows = [
        row("Nguyễn Văn An", card="48.100001", cccd="001085000002"),  # 2: good
        row("Lê Văn Bình", born="31/02/1980"),  # 3: no such date
        row("Phạm Văn Cường", cell="Chi bộ Không Có"),  # 4: unknown cell
        row("Võ Thị Dung", card="48.100001", sex="Nữ"),  # 5: same card as row 2
        row("Hồ Văn Em", card="48.000001"),  # 6: card of a member already in the registry
        row("Đinh Văn Phúc", cccd="001085000001"),  # 7: citizen ID of a registered member
        row(nfd, sex="X"),  # 8: NFD name (converted) and an unknown sex
        row("Mai Văn Giang", born="01/01/2000", admitted="01/06/2015", official=""),  # 9: admitted at 15
        row("Tạ Văn Hải", official="", card="48.100009"),  # 10: card for a probationary member
        row("Lý Văn Khoa", admitted="01/01/2020", official="01/06/2020"),  # 11: probation under 12 months
        row("Dương Văn Long", qualification="Siêu cấp"),  # 12: unknown qualification
        row("Bùi Văn Minh", cell="Chi bộ Văn phòng Sở"),  # 13: a cell outside the chosen unit
    ]
    before = Member.objects.count()
    client = login(cast.staff_a)
    resp = upload(client, workbook(rows), cast.gr_a)
    imp = MemberImport.objects.get()
    assert resp.status_code == 302 and resp["Location"] == imp.get_absolute_url()
    assert imp.state == MemberImport.State.INVALID
    assert Member.objects.count() == before
    by_row = issues_by_row(imp)
    assert 2 not in by_row
    assert by_row[3] == [("error", "Ngày sinh", "“31/02/1980” không phải là ngày; hãy ghi dd/mm/yyyy.")]
    assert by_row[4] == [("error", "Chi bộ", "Không có chi bộ “Chi bộ Không Có” trong Đảng bộ Sở Tài chính.")]
    assert by_row[5] == [("error", "Số thẻ đảng viên", "48.100001 trùng với dòng 2.")]
    assert by_row[6] == [("error", "Số thẻ đảng viên", "48.000001 đã thuộc về một đảng viên trong hệ thống.")]
    assert by_row[7] == [("error", "Số CCCD", "001085000001 đã thuộc về một đảng viên trong hệ thống.")]
    assert by_row[8][0][:2] == ("warning", "Họ và tên") and "NFD" in by_row[8][0][2]
    assert by_row[8][1][:2] == ("error", "Giới tính")
    assert by_row[9] == [("error", "Ngày vào Đảng", "Vào Đảng khi chưa đủ 18 tuổi.")]
    assert by_row[10][0][:2] == ("error", "Số thẻ đảng viên") and "chính thức" in by_row[10][0][2]
    assert by_row[11][0][:2] == ("error", "Ngày chính thức") and "12 tháng" in by_row[11][0][2]
    assert by_row[12][0][:2] == ("error", "Trình độ chuyên môn") and "Siêu cấp" in by_row[12][0][2]
    assert by_row[13][0][:2] == ("error", "Chi bộ")
    page = client.get(imp.get_absolute_url()).content.decode()
    assert "Chưa có gì được lưu." in page
    assert "31/02/1980" in page
    # A committed import is refused while the file has errors.
    client.post(reverse("members:import_commit", args=[imp.pk]))
    assert Member.objects.count() == before


def test_a_clean_file_is_previewed_then_imported_all_together(cast, login):
    nfd = unicodedata.normalize("NFD", "Trần Thị Ngọc")
    rows = [
        row("Nguyễn Văn An", card="48100001", cccd=1085000002),  # Excel ate the 0; 8 digits card
        row(nfd, sex="Nữ", cell="Phòng Tin học", official="", card=""),  # probationary, cell without "Chi bộ"
        row("Phan Văn Tài", cell="Chi bộ Phòng Ngân sách", qualification="Thạc sĩ", theory="Cao cấp"),
    ]
    client = login(cast.staff_a)
    imp_url = upload(client, workbook(rows), cast.gr_a)["Location"]
    imp = MemberImport.objects.get()
    assert imp.state == MemberImport.State.READY, imp.issues
    notes = issues_by_row(imp)
    assert notes[2][0][:2] == ("warning", "Số CCCD") and "001085000002" in notes[2][0][2]
    page = client.get(imp_url).content.decode()
    assert "3 đảng viên sẵn sàng để nhập" in page and "Phan Văn Tài" in page
    assert not Member.objects.filter(full_name="Phan Văn Tài").exists()  # the preview saves nothing

    resp = client.post(reverse("members:import_commit", args=[imp.pk]))
    assert resp.status_code == 302
    imp.refresh_from_db()
    assert imp.state == MemberImport.State.IMPORTED and imp.imported == 3
    an = Member.objects.get(full_name="Nguyễn Văn An")
    assert (an.card_number, an.national_id, an.status) == ("48.100001", "001085000002", Member.Status.OFFICIAL)
    assert an.unit == cast.cell_a2 and an.qualification == "bachelor" and an.theory_level == "intermediate"
    ngoc = Member.objects.get(search_name="tran thi ngoc")
    assert ngoc.full_name == unicodedata.normalize("NFC", "Trần Thị Ngọc")
    assert ngoc.status == Member.Status.PROBATIONARY and ngoc.card_number is None and ngoc.religion == ""
    kinds = list(an.events.order_by("date").values_list("kind", flat=True))
    assert kinds == [MemberEvent.Kind.ADMITTED, MemberEvent.Kind.MADE_OFFICIAL]
    assert MemberInterval.objects.filter(member=an, valid_to__isnull=True, status="official").exists()
    assert AuditLog.objects.filter(action="members.import", unit_id=cast.gr_a.pk).exists()
    # Found by a search without accents, and counted on the dashboard.
    found = client.get(reverse("members:list"), {"q": "ngoc"})
    assert [m.full_name for m in found.context["page"]] == [ngoc.full_name]
    # A second commit of the same import does nothing.
    client.post(reverse("members:import_commit", args=[imp.pk]))
    assert Member.objects.filter(full_name="Nguyễn Văn An").count() == 1


def test_the_commit_checks_again_and_saves_nothing_if_the_registry_changed(cast, login):
    client = login(cast.staff_a)
    upload(client, workbook([row("Nguyễn Văn An", card="48.100001"), row("Lê Văn Bình")]), cast.gr_a)
    imp = MemberImport.objects.get()
    assert imp.state == MemberImport.State.READY
    Member.objects.filter(pk=cast.m_b1.pk).update(card_number="48.100001")  # someone else took the card
    before = Member.objects.count()
    client.post(reverse("members:import_commit", args=[imp.pk]))
    imp.refresh_from_db()
    assert imp.state == MemberImport.State.INVALID
    assert Member.objects.count() == before
    assert not Member.objects.filter(full_name="Lê Văn Bình").exists()


def test_files_that_cannot_be_read_are_refused_at_the_field(cast, login):
    client = login(cast.staff_a)
    resp = upload(client, b"not a spreadsheet", cast.gr_a, name="ds.xlsx")
    assert resp.status_code == 200
    assert "không phải tệp Excel" in resp.context["form"].errors["file"][0]
    resp = upload(client, workbook([row("Nguyễn Văn An")], header=["STT", "Họ và tên", "Giới tính"]), cast.gr_a)
    assert "Thiếu các cột bắt buộc: Ngày sinh, Ngày vào Đảng." in resp.context["form"].errors["file"][0]
    assert not MemberImport.objects.exists()
    # A unit outside the user's scope is out of reach.
    resp = upload(client, workbook([row("Nguyễn Văn An")]), cast.gr_b)
    assert resp.status_code == 404
    assert not MemberImport.objects.exists()


def test_a_large_file_is_checked_step_by_step_with_progress(cast, login, monkeypatch):
    monkeypatch.setattr(importer, "CHUNK", 2)
    client = login(cast.staff_a)
    rows = [row(f"Nguyễn Văn {name}") for name in ["An", "Bình", "Cường", "Dũng", "Em"]]
    upload(client, workbook(rows), cast.gr_a)
    imp = MemberImport.objects.get()
    assert (imp.state, imp.checked, imp.total) == (MemberImport.State.CHECKING, 0, 5)
    assert (
        'hx-post="' + reverse("members:import_step", args=[imp.pk])
        in client.get(imp.get_absolute_url()).content.decode()
    )
    step = reverse("members:import_step", args=[imp.pk])
    resp = client.post(step, HTTP_HX_REQUEST="true")
    assert "Đã kiểm tra 2/5 dòng" in resp.content.decode() and "40%" in resp.content.decode()
    client.post(step, HTTP_HX_REQUEST="true")
    resp = client.post(step, HTTP_HX_REQUEST="true")
    assert resp.status_code == 204 and resp["HX-Redirect"].endswith(imp.get_absolute_url())
    imp.refresh_from_db()
    assert (imp.state, imp.checked) == (MemberImport.State.READY, 5)


def test_an_import_is_seen_only_by_who_uploaded_it(cast, login):
    upload(login(cast.staff_a), workbook([row("Nguyễn Văn An")]), cast.gr_a)
    imp = MemberImport.objects.get()
    assert login(cast.bloc_user).get(imp.get_absolute_url()).status_code == 404
    assert login(cast.bloc_user).post(reverse("members:import_commit", args=[imp.pk])).status_code == 404
    assert not Member.objects.filter(full_name="Nguyễn Văn An").exists()


def test_header_synonyms_and_column_order(cast, login):
    header = ["Họ tên", "Ngày tháng năm sinh", "Giới tính", "Ngày vào Đảng", "Chi bộ"]
    content = workbook([[None, "26/03/1990", "Nữ", "03/02/2015", "Chi bộ Phòng Ngân sách"]], header=header)
    # workbook() numbers the first column: put the name back in it.
    wb = load_workbook(io.BytesIO(content))
    wb.active["A2"] = "Hoàng Thị Thu"
    out = io.BytesIO()
    wb.save(out)
    client = login(cast.secretary_a1)
    upload(client, out.getvalue(), cast.cell_a1)
    imp = MemberImport.objects.get()
    assert imp.state == MemberImport.State.READY, imp.issues
    client.post(reverse("members:import_commit", args=[imp.pk]))
    thu = Member.objects.get(full_name="Hoàng Thị Thu")
    assert (thu.sex, thu.unit, thu.status) == ("F", cast.cell_a1, Member.Status.PROBATIONARY)


def test_a_member_admitted_before_the_rules_is_held_and_the_unknown_rule_flagged(cast, login):
    """Issue on history §2: no rule version covers 2009 (the Statute of 2011 is the first held); the import
    never refuses a fact of the past for it — it holds the member and flags "rule unknown" on the dates for a
    person to confirm."""
    client = login(cast.staff_a)
    upload(client, workbook([row("Võ Văn Cũ", admitted="19/05/2009", official="19/05/2010")]), cast.gr_a)
    imp = MemberImport.objects.get()
    assert imp.state == MemberImport.State.READY
    notes = issues_by_row(imp)[2]
    assert [(level, column) for level, column, _m in notes] == [
        ("warning", "Ngày vào Đảng"),
        ("warning", "Ngày chính thức"),
    ]
    assert notes[0][2].startswith("Chưa rõ quy định ngày 19/05/2009: không có quy định về tuổi tối thiểu")
    assert "cần người có thẩm quyền xác nhận" in client.get(imp.get_absolute_url()).content.decode()
    assert client.post(reverse("members:import_commit", args=[imp.pk])).status_code == 302
    assert Member.objects.get(full_name="Võ Văn Cũ").admission_date.year == 2009
