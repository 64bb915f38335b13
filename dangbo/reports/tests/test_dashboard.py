import datetime

from django.urls import reverse

from dangbo.members.models import Member


def test_dashboard_figures_for_the_users_scope(cast, login):
    Member.objects.filter(pk=cast.m_a1.pk).update(birth_date=datetime.date(1999, 1, 1))
    Member.objects.filter(pk=cast.m_b1.pk).update(status=Member.Status.DECEASED)
    resp = login(cast.bloc_user).get(reverse("reports:dashboard"))
    f = resp.context["figures"]
    assert resp.context["unit"] == cast.bloc
    assert f["grassroots"] == 3 and f["members"] == 4
    assert dict(f["by_status"]) == {"Dự bị": 1, "Chính thức": 3, "Từ trần": 1}
    assert dict(f["by_sex"]) == {"Nam": 1, "Nữ": 3}
    assert sum(n for _label, n in f["by_age"]) == 1
    assert "3 tổ chức cơ sở đảng với 4 đảng viên" in resp.content.decode()
    rows = {c: t["members"] for c, t in resp.context["rows"]}
    assert rows == {cast.gr_a: 3, cast.gr_b: 0, cast.cell_c: 1}


def test_drill_down_stays_in_scope(cast, login):
    client = login(cast.staff_a)
    resp = client.get(reverse("reports:dashboard"))
    assert resp.context["unit"] == cast.gr_a and resp.context["figures"]["members"] == 3
    resp = client.get(reverse("reports:dashboard"), {"unit": cast.cell_a1.pk})
    assert resp.context["figures"]["members"] == 2
    assert client.get(reverse("reports:dashboard"), {"unit": cast.gr_b.pk}).status_code == 404
    assert login(cast.member_a1).get(reverse("reports:dashboard")).status_code == 404


def test_dashboard_query_count(cast, login, django_assert_max_num_queries):
    client = login(cast.bloc_user)
    with django_assert_max_num_queries(14):
        client.get(reverse("reports:dashboard"))
