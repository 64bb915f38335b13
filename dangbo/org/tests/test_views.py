import datetime

from django.urls import reverse

from dangbo.members.models import MemberEvent
from dangbo.org.models import OrgUnit
from dangbo.testing import make_member, make_unit


def test_tree_shows_the_users_scope_with_counts(cast, login):
    resp = login(cast.bloc_user).get(reverse("org:tree"))
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "Đảng bộ Sở Y tế" in html and "Chi bộ Ban Dân vận" in html
    root = resp.context["roots"][0]
    assert root.unit == cast.bloc and root.subtree_members == 5
    resp = login(cast.staff_a).get(reverse("org:tree"))
    html = resp.content.decode()
    assert "Đảng bộ Sở Tài chính" in html and "Sở Y tế" not in html
    assert resp.context["roots"][0].subtree_members == 3


def test_tree_flags_cells_below_three_official_members(cast, login):
    resp = login(cast.bloc_user).get(reverse("org:tree"))
    flagged = []

    def walk(nodes):
        for n in nodes:
            if n.below_minimum:
                flagged.append(n.unit)
            walk(n.children)

    walk(resp.context["roots"])
    assert cast.cell_a1 in flagged  # 2 official members
    for i in range(3):
        make_member(f"Trần Văn {i}", cast.cell_b1)
    resp = login(cast.bloc_user).get(reverse("org:tree"))
    flagged.clear()
    walk(resp.context["roots"])
    assert cast.cell_b1 not in flagged


def test_tree_search_is_accent_insensitive(cast, login):
    resp = login(cast.bloc_user).get(reverse("org:tree"), {"q": "ngan sach"})
    html = resp.content.decode()
    assert "Chi bộ Phòng Ngân sách" in html
    assert "Chi bộ Văn phòng Sở" not in html


def test_tree_as_of_a_past_date_shows_the_old_structure(cast, login):
    client = login(cast.bloc_user)
    resp = client.post(
        reverse("org:merge", args=[cast.cell_a1.pk]),
        {"sources": [cast.cell_a2.pk], "date": "01/03/2025", "decision_no": "7-QĐ/ĐUK"},
    )
    assert resp.status_code == 302
    assert "Chi bộ Phòng Tin học" not in client.get(reverse("org:tree")).content.decode()
    resp = client.get(reverse("org:tree"), {"on": "28/02/2025"})
    assert resp.context["past"] is True
    assert "Chi bộ Phòng Tin học" in resp.content.decode()
    resp = client.get(reverse("org:tree"), {"on": "31/02/2025"})
    assert resp.context["form"].errors


def test_tree_query_count_does_not_grow_with_units(cast, login, django_assert_max_num_queries):
    client = login(cast.bloc_user)
    with django_assert_max_num_queries(12):
        client.get(reverse("org:tree"))
    for i in range(30):
        cell = make_unit(f"Chi bộ số {i}", OrgUnit.Kind.SUBORDINATE_CELL, cast.gr_b)
        make_member(f"Nguyễn Văn {i}", cell)
    with django_assert_max_num_queries(12):
        client.get(reverse("org:tree"))


def test_unit_page_lists_children_members_and_history(cast, login, django_assert_max_num_queries):
    client = login(cast.staff_a)
    with django_assert_max_num_queries(20):
        resp = client.get(reverse("org:unit", args=[cast.gr_a.pk]))
    assert resp.status_code == 200
    assert dict(resp.context["children"]) == {cast.cell_a1: 2, cast.cell_a2: 1}
    assert resp.context["subtree_members"] == 3
    resp = client.get(reverse("org:unit", args=[cast.cell_a1.pk]))
    assert "Đặng Văn Đức" in resp.content.decode()
    assert resp.context["can_restructure"] is True


def test_staff_restructures_only_below_their_grassroots_unit(cast, login):
    client = login(cast.staff_a)
    resp = client.post(
        reverse("org:rename", args=[cast.cell_a1.pk]), {"name": "Chi bộ Ngân sách", "date": "15/01/2026"}
    )
    assert resp.status_code == 302
    cast.cell_a1.refresh_from_db()
    assert cast.cell_a1.name == "Chi bộ Ngân sách"
    assert (
        client.post(reverse("org:rename", args=[cast.gr_a.pk]), {"name": "X", "date": "15/01/2026"}).status_code == 404
    )
    assert client.get(reverse("org:rename", args=[cast.cell_b1.pk])).status_code == 404
    cast.gr_a.refresh_from_db()
    assert cast.gr_a.name == "Đảng bộ Sở Tài chính"


def test_bad_input_shows_vietnamese_errors_and_saves_nothing(cast, login):
    client = login(cast.bloc_user)
    resp = client.post(reverse("org:move", args=[cast.cell_a1.pk]), {"new_parent": cast.gr_b.pk, "date": "2025-13-45"})
    assert resp.status_code == 200
    assert "Nhập một ngày hợp lệ" in resp.content.decode() or resp.context["form"].errors["date"]
    cast.cell_a1.refresh_from_db()
    assert cast.cell_a1.parent == cast.gr_a
    resp = client.post(reverse("org:dissolve", args=[cast.cell_a2.pk]), {"date": "01/03/2025", "confirm": "on"})
    assert resp.status_code == 200
    assert resp.context["form"].non_field_errors()
    assert OrgUnit.objects.get(pk=cast.cell_a2.pk).valid_to is None


def test_move_and_create_through_the_pages(cast, login):
    client = login(cast.bloc_user)
    resp = client.post(reverse("org:move", args=[cast.cell_a2.pk]), {"new_parent": cast.gr_b.pk, "date": "01/07/2025"})
    assert resp.status_code == 302
    cast.cell_a2.refresh_from_db()
    assert cast.cell_a2.parent == cast.gr_b
    resp = client.post(
        reverse("org:create", args=[cast.gr_b.pk]),
        {"name": "Chi bộ Y tế dự phòng", "kind": "subordinate_cell", "valid_from": "02/01/2026"},
    )
    assert resp.status_code == 302
    new = OrgUnit.objects.get(name="Chi bộ Y tế dự phòng")
    assert new.parent == cast.gr_b and new.valid_from == datetime.date(2026, 1, 2)


def test_member_page_logs_the_read(cast, login):
    from dangbo.core.models import ReadLog

    resp = login(cast.secretary_a1).get(reverse("members:detail", args=[cast.m_a1_other.pk]))
    assert resp.status_code == 200
    assert ReadLog.objects.filter(user=cast.secretary_a1, member_id=cast.m_a1_other.pk).count() == 1
    assert login(cast.member_a1).get(reverse("members:detail", args=[cast.m_a1_other.pk])).status_code == 404
    assert login(cast.member_a1).get(reverse("members:detail", args=[cast.m_a1.pk])).status_code == 200
    assert not MemberEvent.objects.exists()


def test_clusters_page_and_creation(cast, login):
    from dangbo.org.models import Cluster

    resp = login(cast.staff_a).get(reverse("org:clusters"))
    rows = dict(resp.context["rows"])
    assert rows[cast.cluster] == [cast.gr_a]  # cell_c is in the cluster too, but outside staff_a's scope
    assert login(cast.staff_a).post(reverse("org:cluster_create"), {"name": "Cụm 4"}).status_code == 404
    client = login(cast.bloc_user)
    assert set(dict(client.get(reverse("org:clusters")).context["rows"])[cast.cluster]) == {cast.cell_c, cast.gr_a}
    assert client.post(reverse("org:cluster_create"), {"name": "  Cụm   4 "}).status_code == 302
    assert Cluster.objects.filter(name="Cụm 4").exists()
    client.post(reverse("org:cluster_create"), {"name": "Cụm 4"})
    assert Cluster.objects.filter(name="Cụm 4").count() == 1


def test_bloc_merges_cells_and_sees_the_history(cast, login):
    client = login(cast.bloc_user)
    resp = client.post(
        reverse("org:merge", args=[cast.cell_a1.pk]),
        {"sources": [cast.cell_a2.pk], "date": "01/03/2025", "decision_no": "215-QĐ/ĐUK"},
    )
    assert resp.status_code == 302
    assert MemberEvent.objects.filter(member=cast.m_a2, to_unit=cast.cell_a1).count() == 1
    html = client.get(reverse("org:unit", args=[cast.cell_a1.pk])).content.decode()
    assert "215-QĐ/ĐUK" in html and "Chi bộ Phòng Tin học" in html and "Ngô Thị Lan" in html
    old = client.get(reverse("org:unit", args=[cast.cell_a2.pk])).content.decode()
    assert "01/03/2025" in old and "Chi bộ Phòng Ngân sách" in old


def test_cell_secretary_views_the_unit_but_cannot_restructure(cast, login):
    client = login(cast.secretary_a1)
    resp = client.get(reverse("org:unit", args=[cast.cell_a1.pk]))
    assert resp.status_code == 200 and resp.context["can_restructure"] is False
    assert reverse("org:rename", args=[cast.cell_a1.pk]) not in resp.content.decode()
    resp = client.post(
        reverse("org:merge", args=[cast.cell_a1.pk]), {"sources": [cast.cell_a2.pk], "date": "01/03/2025"}
    )
    assert resp.status_code == 404
    assert OrgUnit.objects.get(pk=cast.cell_a2.pk).valid_to is None
    assert client.get(reverse("org:unit", args=[cast.gr_b.pk])).status_code == 404


def test_unit_page_query_count_does_not_grow(cast, login, django_assert_max_num_queries):
    client = login(cast.bloc_user)
    url = reverse("org:unit", args=[cast.gr_b.pk])
    make_member("Trần Thị Hà", cast.gr_b)  # a page of members directly in the unit exists from the start
    with django_assert_max_num_queries(20) as first:
        client.get(url)
    for i in range(20):
        cell = make_unit(f"Chi bộ số {i}", OrgUnit.Kind.SUBORDINATE_CELL, cast.gr_b)
        make_member(f"Nguyễn Văn {i}", cell)
        make_member(f"Trần Thị {i}", cast.gr_b)
    with django_assert_max_num_queries(len(first.captured_queries)):
        resp = client.get(url)
    assert len(resp.context["children"]) == 21 and resp.context["subtree_members"] == 42


def test_bloc_office_chooses_the_units_of_a_cluster(cast, login):
    client = login(cast.bloc_user)
    url = reverse("org:cluster_assign", args=[cast.cluster.pk])
    resp = client.get(url)
    assert set(resp.context["form"].initial["units"]) == {cast.gr_a.pk, cast.cell_c.pk}
    resp = client.post(url, {"units": [cast.gr_b.pk], "date": "01/07/2025"})
    assert resp.status_code == 302
    assert set(cast.cluster.units.all()) == {cast.gr_b}
    resp = client.post(url, {"units": [cast.cell_a1.pk], "date": "01/07/2025"})
    assert resp.status_code == 200 and resp.context["form"].errors["units"]  # not a grassroots unit: not a choice
    assert set(cast.cluster.units.all()) == {cast.gr_b}
    assert login(cast.staff_a).post(url, {"units": [cast.gr_a.pk], "date": "01/07/2025"}).status_code == 404
    assert set(cast.cluster.units.all()) == {cast.gr_b}


def test_cluster_assign_page_is_in_vietnamese(cast, login):
    resp = login(cast.bloc_user).get(reverse("org:cluster_assign", args=[cast.cluster.pk]))
    html = resp.content.decode()
    assert "Các tổ chức trong cụm" in html and "Đảng bộ Sở Tài chính" in html
    assert "Chi bộ Phòng Ngân sách" not in html  # only grassroots organizations are offered


def test_a_merger_split_or_dissolution_dated_ahead_waits_for_its_day(cast, login):
    """Issue 13 §1: a change dated in the future never shows before its date. A move is held until then
    (test_dated); a merger, a split or a dissolution moves members and ends units, so it is entered on its
    day or later: ahead of it the form says so and nothing changes."""
    import datetime

    from django.utils import timezone

    from dangbo.org.models import OrgUnitVersion

    ahead = (timezone.localdate() + datetime.timedelta(days=30)).strftime("%d/%m/%Y")
    client = login(cast.bloc_user)
    before = (OrgUnitVersion.objects.count(), MemberEvent.objects.count())
    posts = [
        ("org:merge", cast.cell_a1, {"sources": [cast.cell_a2.pk], "date": ahead}),
        ("org:split", cast.cell_a2, {"names": "Chi bộ Một\nChi bộ Hai", "date": ahead, f"member_{cast.m_a2.pk}": 1}),
        ("org:dissolve", cast.cell_c, {"date": ahead, "confirm": "on"}),
    ]
    for name, unit, data in posts:
        resp = client.post(reverse(name, args=[unit.pk]), data)
        assert resp.status_code == 200, name
        page = resp.content.decode()
        assert f"có hiệu lực từ ngày {ahead}" in page, name
    assert (OrgUnitVersion.objects.count(), MemberEvent.objects.count()) == before
    assert not OrgUnit.objects.filter(valid_to__isnull=False).exists()
    assert OrgUnit.objects.get(pk=cast.m_a2.unit_id) == cast.cell_a2
