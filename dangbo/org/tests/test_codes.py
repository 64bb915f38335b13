"""Every unit has a code, and two units of the same name are told apart (issue on history §6): after the
2025 mergers four of Sở Tài chính's cells are "Chi bộ Văn phòng", the transfer destination list showed it
55 times and the import asked for a code no cell had."""

import importlib

from django.apps import apps
from django.urls import reverse

from dangbo.members.models import Member, MemberImport
from dangbo.members.tests.test_import import upload
from dangbo.members.tests.xlsx import row, workbook
from dangbo.org import services
from dangbo.org.models import OrgUnit
from dangbo.testing import FOUNDED, make_unit

K = OrgUnit.Kind


def test_every_unit_gets_the_next_code_under_its_parent(cast):
    codes = {u.name: u.code for u in OrgUnit.objects.all()}
    assert codes == {
        "Đảng bộ Khối Thử nghiệm": "01",
        "Đảng bộ Sở Tài chính": "01.01",
        "Chi bộ Phòng Ngân sách": "01.01.01",
        "Chi bộ Phòng Tin học": "01.01.02",
        "Đảng bộ Sở Y tế": "01.02",
        "Chi bộ Văn phòng Sở": "01.02.01",
        "Chi bộ Ban Dân vận": "01.03",
    }
    # A code taken by hand is skipped.
    OrgUnit.objects.filter(pk=cast.cell_a2.pk).update(code="01.01.03")
    assert make_unit("Chi bộ Văn phòng", K.SUBORDINATE_CELL, cast.gr_a).code == "01.01.04"


def test_a_sub_unit_is_established_with_its_own_or_the_next_code_and_a_taken_code_is_refused(cast, login):
    client = login(cast.bloc_user)
    url = reverse("org:create", args=[cast.gr_a.pk])
    form = {"name": "Chi bộ Văn phòng", "kind": K.SUBORDINATE_CELL, "valid_from": "01/02/2024"}
    resp = client.post(url, {**form, "code": "01.02"})
    assert resp.status_code == 200
    assert "Mã 01.02 đã được dùng cho Đảng bộ Sở Y tế." in resp.content.decode()
    assert not OrgUnit.objects.filter(name="Chi bộ Văn phòng").exists()  # nothing saved

    assert client.post(url, {**form, "code": " TC-VP "}).status_code == 302
    assert OrgUnit.objects.get(name="Chi bộ Văn phòng").code == "TC-VP"
    assert client.post(url, {**form, "name": "Chi bộ Thanh tra", "code": ""}).status_code == 302
    assert OrgUnit.objects.get(name="Chi bộ Thanh tra").code == "01.01.04"
    page = client.get(reverse("org:unit", args=[OrgUnit.objects.get(code="TC-VP").pk])).content.decode()
    assert 'data-testid="unit-code"' in page and "TC-VP" in page


def test_editing_keeps_a_code_and_refuses_another_units(cast, login):
    client = login(cast.bloc_user)
    url = reverse("org:edit", args=[cast.cell_a1.pk])
    base = {"sector": "", "date": "01/02/2025"}
    OrgUnit.objects.filter(pk=cast.cell_a2.pk).update(code="TC-01")
    resp = client.post(url, {**base, "code": "tc-01"})  # case apart, still someone else's
    assert resp.status_code == 200 and "đã được dùng cho Chi bộ Phòng Tin học" in resp.content.decode()
    cast.cell_a1.refresh_from_db()
    assert cast.cell_a1.code == "01.01.01"
    assert client.post(url, {**base, "code": ""}).status_code == 302
    cast.cell_a1.refresh_from_db()
    assert cast.cell_a1.code == "01.01.01"  # empty keeps the code


def test_the_migration_gives_a_code_to_every_unit_without_one(cast):
    OrgUnit.objects.exclude(pk=cast.gr_b.pk).update(code="")
    OrgUnit.objects.filter(pk=cast.gr_b.pk).update(code="01")  # taken before the migration: kept
    migration = importlib.import_module("dangbo.org.migrations.0002_unit_codes")
    migration.fill_codes(apps, None)
    codes = dict(OrgUnit.objects.values_list("name", "code"))
    assert codes["Đảng bộ Sở Y tế"] == "01"
    assert codes["Đảng bộ Khối Thử nghiệm"] == "02"
    assert codes["Chi bộ Văn phòng Sở"] == "01.01"  # under the kept "01"
    assert codes["Chi bộ Phòng Tin học"] == "02.01.02"
    assert OrgUnit.objects.filter(code="").count() == 0
    assert len(set(codes.values())) == len(codes)


def _two_offices(cast):
    return (
        make_unit("Chi bộ Văn phòng", K.SUBORDINATE_CELL, cast.gr_a),
        make_unit("Chi bộ Văn phòng", K.SUBORDINATE_CELL, cast.gr_b),
    )


def test_the_transfer_destinations_tell_two_cells_of_the_same_name_apart(cast, login):
    a, b = _two_offices(cast)
    page = login(cast.bloc_user).get(reverse("transfers:new")).content.decode()
    # The destination is a search select (issue 14 §8): every unit reads with its parent and code.
    assert f'<option value="{a.pk}">Chi bộ Văn phòng — Đảng bộ Sở Tài chính (01.01.03)</option>' in page
    assert f'<option value="{b.pk}">Chi bộ Văn phòng — Đảng bộ Sở Y tế (01.02.02)</option>' in page
    assert (
        f'<option value="{cast.cell_a1.pk}">Chi bộ Phòng Ngân sách — Đảng bộ Sở Tài chính (01.01.01)</option>' in page
    )


def test_the_tree_finds_a_unit_by_its_code(cast, login):
    page = login(cast.bloc_user).get(reverse("org:tree"), {"q": "01.02.01"}).content.decode()
    assert "fw-bold bg-warning-subtle" in page and "Chi bộ Văn phòng Sở" in page
    assert 'data-testid="code">01.02.01<' in page


def test_the_import_names_the_codes_of_cells_of_the_same_name(cast, login):
    a = make_unit("Chi bộ Văn phòng", K.SUBORDINATE_CELL, cast.gr_a)
    b = make_unit("Chi bộ Văn phòng", K.SUBORDINATE_CELL, cast.gr_a)
    client = login(cast.staff_a)
    upload(client, workbook([row("Nguyễn Văn An", cell="Chi bộ Văn phòng")]), cast.gr_a)
    imp = MemberImport.objects.get()
    messages = [i["message"] for i in imp.issues if i["level"] == "error"]
    assert messages == [
        "Có nhiều chi bộ tên “Chi bộ Văn phòng”; hãy ghi mã chi bộ: "
        f"{a.code} (Đảng bộ Sở Tài chính); {b.code} (Đảng bộ Sở Tài chính)."
    ]
    assert (a.code, b.code) == ("01.01.03", "01.01.04")
    MemberImport.objects.all().delete()
    upload(client, workbook([row("Nguyễn Văn An", cell="01.01.04")]), cast.gr_a)
    imp = MemberImport.objects.get()
    assert imp.state == MemberImport.State.READY, imp.issues  # the row names the cell by its code
    assert client.post(reverse("members:import_commit", args=[imp.pk])).status_code == 302
    assert Member.objects.get(full_name="Nguyễn Văn An").unit == b


def test_a_unit_established_by_the_service_has_the_next_code(cast):
    new = services.create_unit(
        parent=cast.bloc, name="Đảng bộ Sở Xây dựng", kind=K.GRASSROOTS_COMMITTEE, valid_from=FOUNDED, actor=None
    )
    assert new.code == "01.04"
