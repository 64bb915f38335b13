import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangbo.core.notify import notify
from dangbo.org.models import OrgUnit
from dangbo.testing import make_member, make_unit


def test_bloc_summary_names_the_bloc(cast, login):
    resp = login(cast.bloc_user).get(reverse("core:home"))
    assert resp.context["scope_unit"] == cast.bloc
    assert (resp.context["official_count"], resp.context["probationary_count"]) == (4, 1)
    summary = resp.content.decode()
    assert "Đảng bộ Khối Thử nghiệm có 3 tổ chức cơ sở đảng với 5 đảng viên." in summary
    assert reverse("core:audit") in summary


def test_grassroots_staff_summary_counts_cells(cast, login):
    resp = login(cast.staff_a).get(reverse("core:home"))
    body = resp.content.decode()
    assert "Đảng bộ Sở Tài chính có 2 chi bộ với 3 đảng viên." in body
    assert reverse("core:audit") not in body
    assert "Đảng bộ Sở Y tế" not in body


def test_member_sees_own_unit_and_status(cast, login):
    resp = login(cast.member_a1).get(reverse("core:home"))
    body = resp.content.decode()
    assert 'data-testid="summary"' not in body
    assert 'data-testid="my-member"' in body
    assert "Lê Thị Hoa" in body and "Chi bộ Phòng Ngân sách" in body
    assert "Chính thức" in body or "Official" in body
    assert resp.context["member_count"] == 1


def test_home_lists_unread_notifications(cast, login):
    notify(users=[cast.secretary_a1], title="Chuẩn bị sinh hoạt chi bộ tháng 12")
    notify(users=[cast.staff_b], title="Không phải của tôi")
    body = login(cast.secretary_a1).get(reverse("core:home")).content.decode()
    assert "Chuẩn bị sinh hoạt chi bộ tháng 12" in body
    assert "Không phải của tôi" not in body


@pytest.mark.parametrize("who", ["bloc_user", "secretary_a1", "member_a1"])
def test_home_query_count_is_bounded_and_does_not_grow(cast, login, who, django_assert_max_num_queries):
    """The home page sums the summary and every app's panels (core.plugins): a fixed number of queries,
    whatever the size of the tree. 40 is the ceiling for the bloc with all panels."""
    user = getattr(cast, who)
    client = login(user)
    client.get(reverse("core:home"))
    with CaptureQueriesContext(connection) as before:
        assert client.get(reverse("core:home")).status_code == 200
    assert len(before.captured_queries) <= 40
    for i in range(3):
        cell = make_unit(f"Chi bộ thêm {i}", OrgUnit.Kind.SUBORDINATE_CELL, cast.gr_a)
        for j in range(4):
            make_member(f"Trần Văn Thêm {i}{j}", cell)
        notify(users=[user], title=f"Thông báo {i}")
    with django_assert_max_num_queries(len(before.captured_queries)):
        assert client.get(reverse("core:home")).status_code == 200
