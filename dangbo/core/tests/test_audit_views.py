import datetime

from django.urls import reverse
from django.utils import timezone

from dangbo.core.audit import record, record_read
from dangbo.core.models import AuditLog, ReadLog


def _at(entry, day):
    """Move an entry to noon of ``day`` (``at`` is auto_now_add)."""
    when = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    type(entry).objects.filter(pk=entry.pk).update(at=when)


def _log(cast):
    # Start from an empty log: building the cast through the org services writes entries too.
    AuditLog.objects.all().delete()
    e1 = record(
        actor=cast.staff_a,
        action="member.update",
        obj=cast.m_a1,
        unit=cast.cell_a1,
        changes={"position": ["Chuyên viên", "Trưởng phòng"]},
    )
    e2 = record(actor=cast.bloc_user, action="unit.rename", obj=cast.gr_b, changes={"name": ["Cũ", "Đảng bộ Sở Y tế"]})
    e3 = record(actor=None, action="member.update", obj=cast.m_c, unit=cast.cell_c, changes={})
    _at(e1, datetime.date(2026, 3, 10))
    _at(e2, datetime.date(2026, 3, 20))
    _at(e3, datetime.date(2026, 4, 1))
    return e1, e2, e3


def _pks(resp):
    return [item["entry"].pk for item in resp.context["entries"]]


def test_audit_list_shows_entries_newest_first(cast, login):
    e1, e2, e3 = _log(cast)
    resp = login(cast.bloc_user).get(reverse("core:audit"))
    assert resp.status_code == 200
    assert _pks(resp) == [e3.pk, e2.pk, e1.pk]
    body = resp.content.decode()
    assert "10/03/2026 12:00" in body
    assert "Chuyên viên" in body and "Trưởng phòng" in body
    assert str(cast.staff_a) in body  # actor
    assert "Chi bộ Phòng Ngân sách" in body  # unit name


def test_audit_filters(cast, login):
    e1, e2, e3 = _log(cast)
    client = login(cast.bloc_user)
    url = reverse("core:audit")
    cases = {
        "date_from=15/03/2026": [e3.pk, e2.pk],
        "date_to=20/03/2026": [e2.pk, e1.pk],
        "date_from=10/03/2026&date_to=10/03/2026": [e1.pk],
        "actor=pham an": [e1.pk],
        "actor=KHOI": [e2.pk],
        "actor=staff_a": [e1.pk],
        "action=member.update": [e3.pk, e1.pk],
        "model=org.OrgUnit": [e2.pk],
        f"unit={cast.gr_a.pk}": [e1.pk],
        f"unit={cast.bloc.pk}": [e3.pk, e2.pk, e1.pk],
        "q=Đỗ Thị": [e3.pk],
        f"model=members.Member&object_id={cast.m_a1.pk}": [e1.pk],
    }
    for query, expected in cases.items():
        resp = client.get(f"{url}?{query}")
        assert resp.status_code == 200, query
        assert _pks(resp) == expected, query


def test_audit_bad_filter_shows_field_error_and_no_rows(cast, login):
    _log(cast)
    resp = login(cast.bloc_user).get(reverse("core:audit") + "?date_from=31/02/2026")
    assert resp.status_code == 200
    assert resp.context["form"].errors["date_from"]
    assert _pks(resp) == []
    resp = login(cast.bloc_user).get(reverse("core:audit") + "?date_from=02/03/2026&date_to=01/03/2026")
    assert "date_to" in resp.context["form"].errors


def test_audit_list_query_count_is_flat(cast, login, django_assert_max_num_queries):
    rows = [
        AuditLog(
            actor=[cast.staff_a, cast.bloc_user, None][i % 3],
            action=f"act.{i % 4}",
            model="members.member",
            object_id=str(i),
            object_repr=f"Đảng viên {i}",
            unit_id=[cast.cell_a1.pk, cast.gr_b.pk, cast.cell_c.pk][i % 3],
            unit_path=[cast.cell_a1.path, cast.gr_b.path, cast.cell_c.path][i % 3],
            changes={"full_name": ["A", "B"], "position": [None, "x"]},
        )
        for i in range(300)
    ]
    AuditLog.objects.bulk_create(rows)
    client = login(cast.bloc_user)
    # session/user + roles + notifications count + actions + models + count + page + units + unit choices
    with django_assert_max_num_queries(12):
        resp = client.get(reverse("core:audit") + f"?unit={cast.bloc.pk}&action=act.1")
    assert resp.status_code == 200
    assert len(resp.context["entries"]) == 50
    assert resp.context["page"].paginator.count == 75


def test_audit_detail(cast, login):
    e1, e2, _e3 = _log(cast)
    e4 = record(actor=cast.staff_a, action="member.update", obj=cast.m_a1, unit=cast.cell_a1, changes={})
    resp = login(cast.bloc_user).get(reverse("core:audit_detail", args=[e1.pk]))
    assert resp.status_code == 200
    assert resp.context["rows"][0][1:] == ("Chuyên viên", "Trưởng phòng")
    assert [h.pk for h in resp.context["history"]] == [e4.pk]
    body = resp.content.decode()
    assert "Lê Thị Hoa" in body and "Chi bộ Phòng Ngân sách" in body


def test_audit_detail_unknown_is_404(cast, login):
    assert login(cast.bloc_user).get(reverse("core:audit_detail", args=[999999])).status_code == 404


def test_audit_pages_are_404_for_everyone_but_the_bloc_office(cast, login):
    e1, _e2, _e3 = _log(cast)
    for user in (cast.inspector, cast.staff_a, cast.secretary_a1, cast.member_a1):
        client = login(user)
        assert client.get(reverse("core:audit")).status_code == 404
        assert client.get(reverse("core:audit_detail", args=[e1.pk])).status_code == 404
        assert client.get(reverse("core:reads")).status_code == 404


def test_read_log_filters(cast, login):
    r1 = record_read(user=cast.staff_a, member=cast.m_a1_other, view="members:detail")
    r2 = record_read(user=cast.bloc_user, member=cast.m_b1, view="members:detail")
    r3 = record_read(user=cast.bloc_user, member=cast.m_a1_other, view="members:detail")
    _at(r1, datetime.date(2026, 5, 1))
    _at(r2, datetime.date(2026, 5, 2))
    _at(r3, datetime.date(2026, 5, 3))
    client = login(cast.bloc_user)
    url = reverse("core:reads")
    cases = {
        "": [r3.pk, r2.pk, r1.pk],
        "member=dang van duc": [r3.pk, r1.pk],
        "member=BÙI": [r2.pk],
        "user=nguyen khoi": [r3.pk, r2.pk],
        f"unit={cast.gr_a.pk}": [r3.pk, r1.pk],
        "date_from=02/05/2026&date_to=02/05/2026": [r2.pk],
    }
    for query, expected in cases.items():
        resp = client.get(f"{url}?{query}")
        assert resp.status_code == 200, query
        assert [r.pk for r in resp.context["page"]] == expected, query
    assert "03/05/2026" in client.get(url).content.decode()
    assert ReadLog.objects.count() == 3


def test_read_log_query_count(cast, login, django_assert_max_num_queries):
    ReadLog.objects.bulk_create(
        [
            ReadLog(user=cast.staff_a, member_id=cast.m_a1.pk, member_repr="Lê Thị Hoa", unit_path=cast.cell_a1.path)
            for _i in range(200)
        ]
    )
    client = login(cast.bloc_user)
    with django_assert_max_num_queries(10):
        resp = client.get(reverse("core:reads") + "?member=hoa")
    assert resp.status_code == 200
    assert len(resp.context["page"].object_list) == 50
