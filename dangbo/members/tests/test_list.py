import datetime

from django.urls import reverse

from dangbo.members.models import Member, vietnamese_sort_key
from dangbo.testing import make_member


def _names(resp):
    return [m.full_name for m in resp.context["page"]]


def test_sort_key_puts_the_given_name_first():
    assert vietnamese_sort_key("Nguyễn Văn An") == "an nguyen van"
    assert vietnamese_sort_key("Đỗ  Thị Mai") == "mai do thi"


def test_list_is_scoped_sorted_by_given_name_and_searchable(cast, login):
    client = login(cast.staff_a)
    resp = client.get(reverse("members:list"))
    assert resp.status_code == 200
    # Đức < Hoa < Lan: the given name decides, not the family name.
    assert _names(resp) == ["Đặng Văn Đức", "Lê Thị Hoa", "Ngô Thị Lan"]
    assert _names(client.get(reverse("members:list"), {"q": "dang van duc"})) == ["Đặng Văn Đức"]
    # NFD input finds the NFC name.
    import unicodedata

    assert _names(client.get(reverse("members:list"), {"q": unicodedata.normalize("NFD", "Hoa")})) == ["Lê Thị Hoa"]
    assert "Bùi Văn Minh" not in resp.content.decode()


def test_filters_status_sex_age_unit_and_card(cast, login):
    Member.objects.filter(pk=cast.m_a1_other.pk).update(card_number="48.123456", birth_date=datetime.date(1960, 5, 1))
    Member.objects.filter(pk=cast.m_a1.pk).update(birth_date=datetime.date(2000, 5, 1))
    gone = make_member("Trần Văn Cũ", cast.cell_a1, status=Member.Status.TRANSFERRED_OUT)
    client = login(cast.bloc_user)
    url = reverse("members:list")
    assert gone.full_name not in _names(client.get(url))
    assert _names(client.get(url, {"status": "transferred_out"})) == [gone.full_name]
    assert gone.full_name in _names(client.get(url, {"status": ""}))
    assert set(_names(client.get(url, {"sex": "F"}))) == {"Lê Thị Hoa", "Ngô Thị Lan", "Đỗ Thị Mai"}
    assert _names(client.get(url, {"age": "60-"})) == ["Đặng Văn Đức"]
    assert _names(client.get(url, {"age": "-30"})) == ["Lê Thị Hoa"]
    assert _names(client.get(url, {"q": "48.1234"})) == ["Đặng Văn Đức"]
    assert set(_names(client.get(url, {"unit": cast.gr_b.pk}))) == {"Bùi Văn Minh"}
    # A unit outside the user's scope is out of reach: a 404, never its members.
    resp = login(cast.staff_a).get(url, {"unit": cast.gr_b.pk})
    assert resp.status_code == 404
    assert "Bùi Văn Minh" not in resp.content.decode()


def test_members_and_outsiders_get_404(cast, login):
    assert login(cast.member_a1).get(reverse("members:list")).status_code == 404


def test_list_query_count_does_not_grow(cast, login, django_assert_max_num_queries):
    client = login(cast.bloc_user)
    for i in range(120):
        make_member(f"Phạm Văn {i}", cast.cell_b1)
    with django_assert_max_num_queries(10):
        resp = client.get(reverse("members:list"), {"q": "pham", "page": 2})
    assert len(resp.context["page"]) == 50


def test_export_of_the_register_follows_the_filter_and_scope(cast, login):
    import io

    from openpyxl import load_workbook

    from dangbo.core.models import AuditLog

    Member.objects.filter(pk=cast.m_a1_other.pk).update(card_number="48.123456")
    resp = login(cast.staff_a).get(reverse("members:export"), {"sex": "M"})
    assert resp.status_code == 200
    assert resp["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(resp.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0].startswith("Sổ danh sách đảng viên – Đảng bộ Sở Tài chính")
    assert rows[2][:3] == ("STT", "Họ và tên", "Giới tính")
    assert len(rows[2]) == 14 and rows[2][11] == "Số thẻ đảng viên" and rows[2][13] == "Ghi chú"
    assert rows[3][1:3] == ("Đặng Văn Đức", "Nam") and rows[3][11] == "48.123456"
    assert len(rows) == 4  # only staff_a's scope, only men
    assert AuditLog.objects.filter(action="members.export", actor=cast.staff_a).exists()
    assert login(cast.member_a1).get(reverse("members:export")).status_code == 404


def test_profile_filters_and_citizen_id_search(cast, login):
    Member.objects.filter(pk=cast.m_a1.pk).update(
        ethnicity="Tày", qualification="master", theory_level="advanced", national_id="087095000123"
    )
    Member.objects.filter(pk=cast.m_a2.pk).update(ethnicity="Kinh", qualification="bachelor", theory_level="advanced")
    client = login(cast.staff_a)
    url = reverse("members:list")
    assert _names(client.get(url, {"ethnicity": "tày"})) == ["Lê Thị Hoa"]
    assert _names(client.get(url, {"qualification": "bachelor"})) == ["Ngô Thị Lan"]
    assert _names(client.get(url, {"theory": "advanced"})) == ["Lê Thị Hoa", "Ngô Thị Lan"]
    assert _names(client.get(url, {"q": "087095000"})) == ["Lê Thị Hoa"]
    resp = client.get(reverse("members:detail", args=[cast.m_a1.pk]))
    assert "Cao cấp" in resp.content.decode() and "087095000123" in resp.content.decode()


def test_dossier_correction_needs_the_approving_document(cast, login):
    from dangbo.core.models import AuditLog
    from dangbo.members.models import MemberEvent

    client = login(cast.secretary_a1)
    url = reverse("members:correct", args=[cast.m_a1_other.pk])
    form = client.get(url).context["form"]
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields}
    data.update(full_name="Đặng Văn Đúc", ethnicity="Kinh")
    # Without the approving document nothing is saved and the field says why.
    resp = client.post(url, data)
    assert resp.status_code == 200 and resp.context["form"].errors["approval_document"]
    assert Member.objects.get(pk=cast.m_a1_other.pk).full_name == "Đặng Văn Đức"
    resp = client.post(
        url, {**data, "birth_date": "31/02/1980", "approval_document": "12-QĐ/ĐU", "approval_date": "01/11/2026"}
    )
    assert resp.context["form"].errors["birth_date"]
    resp = client.post(url, {**data, "approval_document": "12-QĐ/ĐU", "approval_date": "01/11/2026"})
    assert resp.status_code == 302
    m = Member.objects.get(pk=cast.m_a1_other.pk)
    assert (m.full_name, m.search_name, m.ethnicity) == ("Đặng Văn Đúc", "dang van duc", "Kinh")
    ev = MemberEvent.objects.get(member=m, kind=MemberEvent.Kind.CORRECTED)
    assert ev.decision_no == "12-QĐ/ĐU" and ev.date == datetime.date(2026, 11, 1) and ev.actor == cast.secretary_a1
    entry = AuditLog.objects.get(action="members.correct", object_id=str(m.pk))
    assert entry.changes["full_name"] == ["Đặng Văn Đức", "Đặng Văn Đúc"] and entry.note == "12-QĐ/ĐU"
    # A member cannot correct their own dossier; other cells' staff never see it.
    assert login(cast.member_a1).get(reverse("members:correct", args=[cast.m_a1.pk])).status_code == 404
    assert login(cast.staff_b).get(url).status_code == 404
