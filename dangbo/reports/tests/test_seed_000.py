"""Seed 000 (Đồng Tháp, 21–22/09/2022), entered from empty through the product's own pages:

    "Trong 2 ngày 21 - 22/9/2022, đồng chí … Bí thư Đảng ủy Khối … đã tổ chức các buổi gặp gỡ, tham vấn
    với những đồng chí là bí thư chi bộ, đảng ủy cơ sở trực thuộc Khối ở 3 Cụm trong Đảng bộ Khối. …
    Hiện nay, Đảng bộ Khối các cơ quan tỉnh có 92 đơn vị cơ sở và trên 7.200 đảng viên."

The bloc office builds the tree with the org forms (two grassroots committees and 90 grassroots cells),
groups the 92 grassroots organizations in 3 clusters with the cluster form, imports the 7.215 members in
one file, and records the three consultations (one per cluster, 21 and 22/09/2022) with the consultation
form. The sentence is read on the dashboard as of 22/09/2022 and in the third quarter's summary; a cell
moved to another committee in 2023 changes neither, nor the committee's own quarter.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from dangbo.accounts.models import Role
from dangbo.committees.models import Session
from dangbo.members.models import Member
from dangbo.members.tests.xlsx import row
from dangbo.org.models import Cluster, OrgUnit
from dangbo.reports.tests.test_seeds import _import, _name, _summary
from dangbo.testing import make_unit, make_user

pytestmark = pytest.mark.django_db
K = OrgUnit.Kind


def _ok(resp):
    assert resp.status_code == 302, resp.content.decode()[:800]
    return resp


def _dashboard(client, unit, on):
    with translation.override("vi"):
        resp = client.get(reverse("reports:dashboard"), {"unit": unit.pk, "on": on})
    assert resp.status_code == 200
    return resp.content.decode()


def test_seed_000_ninety_two_grassroots_units_and_over_7200_members_on_22_09_2022(client):
    bloc = make_unit("Đảng bộ Khối các cơ quan tỉnh Đồng Tháp", K.BLOC, valid_from=datetime.date(2008, 2, 3))
    client.force_login(make_user("vanphong", Role.BLOC_OFFICE, bloc, full_name="Nguyễn Ngọc Thương"))

    def create(parent, name, kind, day="01/01/2015"):
        _ok(client.post(reverse("org:create", args=[parent.pk]), {"name": name, "kind": kind, "valid_from": day}))
        return OrgUnit.objects.get(parent=parent, name=name)

    finance = create(bloc, "Đảng bộ Sở Tài chính", K.GRASSROOTS_COMMITTEE)
    health = create(bloc, "Đảng bộ Sở Y tế", K.GRASSROOTS_COMMITTEE)
    moved = create(finance, "Chi bộ Văn phòng", K.SUBORDINATE_CELL)
    budget = create(finance, "Chi bộ Quản lý ngân sách", K.SUBORDINATE_CELL)
    health_cell = create(health, "Chi bộ Văn phòng", K.SUBORDINATE_CELL)
    cells = [create(bloc, f"Chi bộ Cơ quan số {n}", K.GRASSROOTS_CELL) for n in range(1, 91)]
    grassroots = [finance, health, *cells]

    # Three clusters of the grassroots organizations, with the cluster forms.
    for n in (1, 2, 3):
        _ok(client.post(reverse("org:cluster_create"), {"name": f"Cụm {n}", "note": ""}))
    for n, cluster in enumerate(Cluster.objects.order_by("pk")):
        units = [u.pk for u in grassroots[n::3]]
        _ok(client.post(reverse("org:cluster_assign", args=[cluster.pk]), {"units": units, "date": "01/01/2020"}))
    assert sorted(Cluster.objects.values_list("units__pk", flat=True)) == sorted(u.pk for u in grassroots)

    # 7.215 members: 40 + 40 in the finance committee, 35 in the health one, 79 or 78 in each other cell.
    sizes = [(moved, 40), (budget, 40), (health_cell, 35)]
    sizes += [(c, 79 if i < 80 else 78) for i, c in enumerate(cells)]
    rows, i = [], 0
    for cell, n in sizes:
        label = f"{cell.parent.name} / {cell.name}" if cell.kind == K.SUBORDINATE_CELL else cell.name
        for _k in range(n):
            admitted = datetime.date(2012, 1, 10) + datetime.timedelta(days=i % 3000)
            official = admitted + datetime.timedelta(days=400)
            rows.append(row(_name(i), cell=label, admitted=f"{admitted:%d/%m/%Y}", official=f"{official:%d/%m/%Y}"))
            i += 1
    _import(client, bloc, rows)
    assert Member.objects.current().filter(unit__path__startswith=bloc.path).count() == 7215

    # The consultations of 21 and 22/09/2022, one per cluster (every grassroots organization of it invited).
    for cluster, day in zip(Cluster.objects.order_by("pk"), ("21/09/2022", "21/09/2022", "22/09/2022"), strict=True):
        resp = client.post(
            reverse("committees:session_new"),
            {
                "title": f"Tham vấn bí thư cấp ủy cơ sở {cluster.name}",
                "held_on": day,
                "cluster": cluster.pk,
                "chaired_by": "Nguyễn Ngọc Thương",
                "place": "Hội trường Đảng ủy Khối",
            },
        )
        _ok(resp)
    assert Session.objects.count() == 3
    assert {s.invited.count() for s in Session.objects.all()} == {30, 31}

    def read_the_seed():
        page = _dashboard(client, bloc, "22/09/2022")
        assert "Đảng bộ Khối các cơ quan tỉnh Đồng Tháp có 92 tổ chức cơ sở đảng với 7.215 đảng viên." in page
        text, word = _summary(client, bloc, "quarter", 2022, 3)
        opening = (
            "Đến ngày 30/09/2022, Đảng bộ Khối các cơ quan tỉnh Đồng Tháp có 92 chi, đảng bộ cơ sở với 7.215 đảng viên"
        )
        assert opening in text and opening in word
        with translation.override("vi"):
            page = client.get(
                reverse("reports:periodic"), {"period": "quarter", "year": 2022, "number": 3, "unit": bloc.pk}
            )
        assert page.context["figures"]["consultations.sessions"].value == 3
        assert "Số buổi tham vấn" in word
        text, _word = _summary(client, finance, "quarter", 2022, 3)
        assert "Đến ngày 30/09/2022, Đảng bộ Sở Tài chính có 2 chi bộ với 80 đảng viên" in text

    read_the_seed()
    # In 2023 the finance committee's "Chi bộ Văn phòng" moves to the health committee: 22/09/2022 reads the same.
    _ok(
        client.post(
            reverse("org:move", args=[moved.pk]), {"new_parent": health.pk, "date": "01/03/2023", "decision_no": "7"}
        )
    )
    moved.refresh_from_db()
    assert moved.parent == health
    read_the_seed()
    text, _word = _summary(client, health, "quarter", 2023, 1)
    assert "Đảng bộ Sở Y tế có 2 chi bộ với 75 đảng viên" in text
