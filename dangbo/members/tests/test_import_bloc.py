"""One file for a whole bloc (issue on history §6): a bloc needed 27–92 files, one per cell; now the bloc
office imports into the bloc, each row naming its cell by name, code or path."""

from django.urls import reverse

from dangbo.members.models import Member, MemberImport
from dangbo.members.tests.test_import import issues_by_row, upload
from dangbo.members.tests.xlsx import row, workbook
from dangbo.org.models import OrgUnit
from dangbo.testing import make_unit

K = OrgUnit.Kind


def test_the_bloc_office_imports_one_file_for_cells_of_several_committees(cast, login):
    vp_a = make_unit("Chi bộ Văn phòng", K.SUBORDINATE_CELL, cast.gr_a)
    vp_b = make_unit("Chi bộ Văn phòng", K.SUBORDINATE_CELL, cast.gr_b)
    rows = [
        row("Nguyễn Văn An", cell="Đảng bộ Sở Tài chính / Chi bộ Văn phòng"),
        row("Trần Văn Bình", cell="dang bo so y te > chi bo van phong"),  # no accents, another separator
        row("Lê Văn Cường", cell="Đảng bộ Khối Thử nghiệm › Đảng bộ Sở Y tế › Văn phòng"),  # from the top
        row("Phạm Văn Dũng", cell=vp_a.code),
        row("Hoàng Văn Em", cell="Chi bộ Ban Dân vận"),  # a name found once in the bloc
    ]
    client = login(cast.bloc_user)
    page = client.get(reverse("members:import")).content.decode()
    assert f'<option value="{cast.bloc.pk}"' in page  # the bloc is offered
    resp = upload(client, workbook(rows), cast.bloc)
    imp = MemberImport.objects.get()
    assert resp.status_code == 302 and imp.state == MemberImport.State.READY, imp.issues
    assert client.post(reverse("members:import_commit", args=[imp.pk])).status_code == 302
    units = dict(Member.objects.values_list("full_name", "unit_id"))
    assert units["Nguyễn Văn An"] == vp_a.pk and units["Phạm Văn Dũng"] == vp_a.pk
    assert units["Trần Văn Bình"] == vp_b.pk and units["Lê Văn Cường"] == vp_b.pk
    assert units["Hoàng Văn Em"] == cast.cell_c.pk


def test_a_name_found_twice_or_a_wrong_path_is_explained_and_nothing_is_saved(cast, login):
    vp_a = make_unit("Chi bộ Văn phòng", K.SUBORDINATE_CELL, cast.gr_a)
    vp_b = make_unit("Chi bộ Văn phòng", K.SUBORDINATE_CELL, cast.gr_b)
    rows = [
        row("Nguyễn Văn An", cell="Chi bộ Văn phòng"),
        row("Trần Văn Bình", cell="Đảng bộ Sở Xây dựng / Chi bộ Văn phòng"),
    ]
    client = login(cast.bloc_user)
    upload(client, workbook(rows), cast.bloc)
    imp = MemberImport.objects.get()
    assert imp.state == MemberImport.State.INVALID
    notes = issues_by_row(imp)
    assert notes[2] == [
        (
            "error",
            "Chi bộ",
            "Có nhiều chi bộ tên “Chi bộ Văn phòng”; hãy ghi mã chi bộ: "
            f"{vp_a.code} (Đảng bộ Sở Tài chính); {vp_b.code} (Đảng bộ Sở Y tế).",
        )
    ]
    assert notes[3][0][:2] == ("error", "Chi bộ") and "Đảng bộ Sở Xây dựng / Chi bộ Văn phòng" in notes[3][0][2]
    assert not Member.objects.filter(full_name__in=["Nguyễn Văn An", "Trần Văn Bình"]).exists()
