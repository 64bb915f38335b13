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


def test_dashboard_as_of_a_past_date_from_the_events(cast, login):
    from dangbo.members.intervals import rebuild_intervals
    from dangbo.members.models import MemberEvent
    from dangbo.org.services import merge_units

    D = datetime.date
    # Hoa: admitted 2019 into cell_a1, official 2020. Đức: admitted 2022. Lan: admitted 2021 into cell_a2.
    for member, unit, admitted, official in [
        (cast.m_a1, cast.cell_a1, D(2019, 3, 1), D(2020, 3, 1)),
        (cast.m_a1_other, cast.cell_a1, D(2022, 6, 1), None),
        (cast.m_a2, cast.cell_a2, D(2021, 1, 10), None),
    ]:
        MemberEvent.objects.create(
            member=member, kind="admitted", date=admitted, to_unit=unit, status_after="probationary"
        )
        if official:
            MemberEvent.objects.create(member=member, kind="made_official", date=official, status_after="official")
    rebuild_intervals()
    # In 2025 cell_a2 is merged into cell_a1: Lan moves with an event, intervals follow.
    merge_units(sources=[cast.cell_a2], target=cast.cell_a1, date=D(2025, 3, 1), actor=cast.bloc_user)
    client = login(cast.staff_a)
    url = reverse("reports:dashboard")

    def figures(on, unit=None):
        params = {"on": on, **({"unit": unit.pk} if unit else {})}
        return client.get(url, params).context["figures"]

    f = figures("01/01/2020")
    assert f["members"] == 1 and dict(f["by_status"]) == {"Dự bị": 1}
    f = figures("01/01/2021")
    assert dict(f["by_status"]) == {"Chính thức": 1}
    f = figures("01/01/2023")
    assert f["members"] == 3 and dict(f["by_status"]) == {"Dự bị": 2, "Chính thức": 1}
    assert f["by_sex"] == [("Nam", 1), ("Nữ", 2)]
    # Before the merger Lan counts in cell_a2's line; after it, in cell_a1's.
    resp = client.get(url, {"on": "01/01/2024"})
    assert {c.pk: t["members"] for c, t in resp.context["rows"]} == {cast.cell_a1.pk: 2, cast.cell_a2.pk: 1}
    resp = client.get(url, {"on": "01/06/2025"})
    assert {c.pk: t["members"] for c, t in resp.context["rows"]} == {cast.cell_a1.pk: 3}
    assert "Số liệu tại ngày 01/06/2025" in resp.content.decode()
    assert client.get(url, {"on": "32/01/2024"}).context["form"].errors


def test_dashboard_profile_charts(cast, login):
    Member.objects.filter(pk__in=[cast.m_a1.pk, cast.m_a2.pk]).update(ethnicity="Kinh", theory_level="intermediate")
    Member.objects.filter(pk=cast.m_a1_other.pk).update(ethnicity="Khmer", qualification="master")
    f = login(cast.staff_a).get(reverse("reports:dashboard")).context["figures"]
    assert f["by_ethnicity"] == [("Kinh", 2), ("Khmer", 1)]
    assert f["by_theory"] == [("Trung cấp", 2), ("—", 1)]
    assert f["by_qualification"] == [("Thạc sĩ", 1), ("—", 2)]
