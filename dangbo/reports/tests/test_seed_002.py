"""Seed 002 (Vĩnh Phúc, first quarter of 2021), entered from empty through the product's own pages:

    "Đến 30/3/2021, Đảng bộ Khối các cơ quan tỉnh Vĩnh Phúc có 57 chi, đảng bộ cơ sở, với 4.046 đảng viên.
    … 3 tháng đầu năm, BTV Đảng ủy Khối đã bổ sung, kiện toàn cấp ủy thuộc 19 chi, đảng bộ cơ sở; thành
    lập mới Chi bộ Ban bảo vệ chăm sóc sức khỏe cán bộ tỉnh; kết nạp 18 quần chúng ưu tú vào Đảng, tiếp
    nhận và giới thiệu chuyển sinh hoạt đảng cho 118 đảng viên. Cấp ủy các cấp đã tiến hành giám sát
    thường xuyên 6 tổ chức, 170 đảng viên; Ủy ban kiểm tra các cấp giám sát thường xuyên 164 đảng viên, 32
    tổ chức đảng."

The bloc office builds the tree with the org forms (two grassroots committees of two cells, 54 grassroots
cells, and the new cell founded on 15/02/2021), imports the 4.006 members of the end of 2020 in one file
and the quarter's 18 admissions in another, registers 70 members received from outside and hands 48 over
to other organizations with the transfer forms, reinforces 19 committees with the committee form, and
the committees and the inspection commission record their supervisions with the case forms. Every
figure of the sentence is then read in the quarter's summary page and its Word file — for the bloc, and
for the finance committee after its "Chi bộ Văn phòng" moved to the health committee in April 2021.
"""

import datetime

import pytest
from django.urls import reverse

from dangbo.accounts.models import Role
from dangbo.committees.models import Seat
from dangbo.inspection.models import Case
from dangbo.members.models import Member
from dangbo.members.tests.xlsx import row
from dangbo.org.models import OrgUnit
from dangbo.reports.tests.test_seeds import _import, _name, _summary
from dangbo.testing import make_unit, make_user
from dangbo.transfers.models import Transfer

pytestmark = pytest.mark.django_db
K = OrgUnit.Kind
NEW_CELL = "Chi bộ Ban bảo vệ chăm sóc sức khỏe cán bộ tỉnh"


def _ok(resp):
    assert resp.status_code == 302, resp.content.decode()[:800]
    return resp


def _q1(i, span=80):
    return (datetime.date(2021, 1, 4) + datetime.timedelta(days=i % span)).strftime("%d/%m/%Y")


def _case(client, subject_unit, subject, unit, day, *, orgs=(), all_members=False):
    _ok(
        client.post(
            reverse("inspection:case_new"),
            {
                "subject_unit": subject_unit.pk,
                "subject": subject,
                "kind": "regular",
                "unit": unit.pk,
                "title": f"Giám sát thường xuyên {unit.name}",
                "planned_start": day,
            },
        )
    )
    case = Case.objects.order_by("-pk").first()

    def act(action, **data):
        url = reverse("inspection:case_action", args=[case.pk, action])
        return _ok(client.post(url, {f"{action}-{k}": v for k, v in data.items()}))

    act("start", started_on=day)
    data = {"orgs": [o.pk for o in orgs]}
    if all_members:
        data["all_members"] = "on"
    act("targets", **data)
    return case


def _enter_the_bloc(client, office, inspector):
    bloc = office.roles.get().unit

    def create(parent, name, kind, day="01/01/2015"):
        resp = client.post(reverse("org:create", args=[parent.pk]), {"name": name, "kind": kind, "valid_from": day})
        _ok(resp)
        return OrgUnit.objects.get(parent=parent, name=name)

    finance = create(bloc, "Đảng bộ Sở Tài chính", K.GRASSROOTS_COMMITTEE)
    health = create(bloc, "Đảng bộ Sở Y tế", K.GRASSROOTS_COMMITTEE)
    office_cell = create(finance, "Chi bộ Văn phòng", K.SUBORDINATE_CELL)  # moves to the health committee in April
    budget = create(finance, "Chi bộ Quản lý ngân sách", K.SUBORDINATE_CELL)
    health_cells = [
        create(health, "Chi bộ Văn phòng", K.SUBORDINATE_CELL),
        create(health, "Chi bộ Nghiệp vụ", K.SUBORDINATE_CELL),
    ]
    cells = [create(bloc, f"Chi bộ Cơ quan số {n}", K.GRASSROOTS_CELL) for n in range(1, 55)]

    # The members at the end of 2020: 40 + 32 in the finance committee, 35 + 35 in the health committee,
    # 50, 50, 82, 82 in the first four grassroots cells (supervised below), 72 in each of the other 50.
    sizes = [(office_cell, 40), (budget, 32), (health_cells[0], 35), (health_cells[1], 35)]
    sizes += [(c, n) for c, n in zip(cells[:4], (50, 50, 82, 82), strict=True)] + [(c, 72) for c in cells[4:]]
    assert sum(n for _c, n in sizes) == 4006

    def label(cell):
        return f"{cell.parent.name} / {cell.name}" if cell.kind == K.SUBORDINATE_CELL else cell.name

    past, i = [], 0
    for cell, n in sizes:
        for _k in range(n):
            admitted = datetime.date(2015, 1, 10) + datetime.timedelta(days=i % 1500)
            official = admitted + datetime.timedelta(days=400)
            past.append(
                row(_name(i), cell=label(cell), admitted=f"{admitted:%d/%m/%Y}", official=f"{official:%d/%m/%Y}")
            )
            i += 1
    _import(client, bloc, past)

    # The quarter. The new cell, founded on 15/02/2021 with the org form.
    new_cell = create(bloc, NEW_CELL, K.GRASSROOTS_CELL, "15/02/2021")
    # 18 admissions, 10 of them in the finance committee's "Chi bộ Văn phòng".
    admitted = [
        row(_name(5000 + i), cell=label(office_cell if i < 10 else cells[10 + i]), admitted=_q1(i * 4), official="")
        for i in range(18)
    ]
    _import(client, bloc, admitted)
    # 70 members received from outside the bloc: 5 into the finance office cell, 3 into the new cell.
    for i in range(70):
        cell = office_cell if i < 5 else new_cell if i < 8 else cells[10 + i % 40]
        day = _q1(i) if cell != new_cell else f"{16 + i:02d}/02/2021"
        _ok(
            client.post(
                reverse("transfers:register_in"),
                {
                    "cell": cell.pk,
                    "full_name": _name(6000 + i),
                    "sex": "M",
                    "status": "official",
                    "admission_date": "19/05/2012",
                    "official_date": "19/05/2013",
                    "outside_party": "Đảng bộ huyện Tam Dương",
                    "letter_no": f"{100 + i}-GGT",
                    "letter_date": day,
                    "received_on": day,
                },
            )
        )
    # 48 members introduced to organizations outside the bloc: 4 from the finance office cell.
    leaving = list(Member.objects.filter(unit=office_cell).order_by("pk")[:4])
    for c in cells[10:54]:
        leaving.append(Member.objects.filter(unit=c).order_by("pk").first())
    assert len(leaving) == 48
    for i, m in enumerate(leaving):
        day = datetime.date(2021, 1, 5) + datetime.timedelta(days=i)
        _ok(
            client.post(
                reverse("transfers:new"),
                {
                    "member": m.pk,
                    "kind": "official_out",
                    "outside_party": "Đảng bộ thành phố Vĩnh Yên",
                    "decision_no": f"{i + 1}/QĐ-UBND",
                    "decision_date": f"{day:%d/%m/%Y}",
                    "reason": "Điều động công tác",
                    "requested_on": f"{day:%d/%m/%Y}",
                },
            )
        )
        t = Transfer.objects.get(member=m)
        step = reverse("transfers:step", args=[t.pk, "issue"])
        _ok(client.post(step, {"issue-letter_no": f"{200 + i}-GGT", "issue-letter_date": f"{day:%d/%m/%Y}"}))
        later = day + datetime.timedelta(days=3)
        _ok(client.post(reverse("transfers:step", args=[t.pk, "send"]), {"send-day": f"{later:%d/%m/%Y}"}))

    # 19 grassroots committees reinforced between congresses (a member elected to it), the finance one first.
    for n, unit in enumerate([finance, *cells[4:22]]):
        member = Member.objects.current().filter(unit__path__startswith=unit.path).order_by("pk").first()
        resp = client.post(
            reverse("committees:seat_new", args=[unit.pk]),
            {
                "member": member.pk,
                "position": Seat.Position.MEMBER,
                "method": Seat.Method.ELECTED,
                "start_date": _q1(n * 3),
                "decision_no": f"{300 + n}-QĐ/ĐUK",
            },
        )
        _ok(resp)

    # Supervision by the committees: 6 organizations (the finance committee its office cell, the health
    # committee its two cells with their 70 members, the bloc's standing committee three grassroots cells)
    # and 170 members (70 + the 50 of each of the first two cells, supervised by their own cells).
    _case(client, finance, "committee", office_cell, "10/02/2021", orgs=[office_cell])
    _case(client, health, "committee", health, "11/02/2021", orgs=health_cells, all_members=True)
    _case(client, bloc, "standing", bloc, "12/02/2021", orgs=cells[4:7])
    for cell in cells[:2]:
        _case(client, cell, "cell", cell, "15/03/2021", all_members=True)
    # By the inspection commission: the 82 members of each of the next two cells, and 32 organizations.
    client.force_login(inspector)
    for cell in cells[2:4]:
        _case(client, bloc, "commission", cell, "01/03/2021", all_members=True)
    _case(client, bloc, "commission", bloc, "02/03/2021", orgs=cells[10:42])
    client.force_login(office)
    return finance, health, office_cell


SENTENCES = (
    "Đến ngày 31/03/2021, Đảng bộ Khối các cơ quan tỉnh Vĩnh Phúc có 57 chi, đảng bộ cơ sở với 4.046 đảng viên",
    "bổ sung, kiện toàn cấp ủy thuộc 19 chi, đảng bộ cơ sở",
    "thành lập mới 1 chi bộ",
    "kết nạp 18 quần chúng ưu tú vào Đảng",
    "tiếp nhận và giới thiệu chuyển sinh hoạt đảng cho 118 đảng viên",
    "ấp ủy các cấp đã tiến hành giám sát thường xuyên 6 tổ chức, 170 đảng viên",
    "Ủy ban kiểm tra các cấp giám sát thường xuyên 164 đảng viên, 32 tổ chức đảng",
)


def test_seed_002_the_first_quarter_of_2021(client):
    bloc = make_unit("Đảng bộ Khối các cơ quan tỉnh Vĩnh Phúc", K.BLOC, valid_from=datetime.date(2008, 2, 3))
    office = make_user("vanphong", Role.BLOC_OFFICE, bloc, full_name="Nguyễn Văn An")
    inspector = make_user("ubkt", Role.INSPECTION, bloc, full_name="Trần Văn Kiểm")
    client.force_login(office)
    finance, health, office_cell = _enter_the_bloc(client, office, inspector)

    # The rows behind the figures are real: 57 grassroots units, 4.046 members on the books.
    assert OrgUnit.objects.filter(path__startswith=bloc.path, kind__in=OrgUnit.GRASSROOTS_KINDS).count() == 57
    assert Member.objects.current().filter(unit__path__startswith=bloc.path).count() == 4046

    text, word = _summary(client, bloc, "quarter", 2021, 1)
    for sentence in SENTENCES:
        assert sentence in text and sentence in word, (sentence, text)
    assert "(tiếp nhận 70, giới thiệu chuyển đi 48)" in text
    assert "bằng 0,45% so với tổng số đảng viên cuối năm 2020" in text  # 18 of 4.006

    # The finance committee's quarter: 2 cells, 40 + 32 + 10 admitted + 5 received − 4 sent out = 83.
    finance_q1 = (
        "Đến ngày 31/03/2021, Đảng bộ Sở Tài chính có 2 chi bộ với 83 đảng viên",
        "bổ sung, kiện toàn cấp ủy thuộc 1 chi, đảng bộ cơ sở",
        "kết nạp 10 quần chúng ưu tú vào Đảng",
        "tiếp nhận và giới thiệu chuyển sinh hoạt đảng cho 9 đảng viên (tiếp nhận 5, giới thiệu chuyển đi 4)",
        "ấp ủy các cấp đã tiến hành giám sát thường xuyên 1 tổ chức",
    )
    text, _word = _summary(client, finance, "quarter", 2021, 1)
    for sentence in finance_q1:
        assert sentence in text, (sentence, text)

    # In April 2021 the finance committee's "Chi bộ Văn phòng" moves to the health committee.
    resp = client.post(
        reverse("org:move", args=[office_cell.pk]), {"new_parent": health.pk, "date": "15/04/2021", "decision_no": "45"}
    )
    _ok(resp)
    office_cell.refresh_from_db()
    assert office_cell.parent == health
    # The bloc's quarter reads the same, the finance committee's too (today's tree would give it one cell
    # of 32 members and none of the quarter's admissions or transfers), the health committee's is its own.
    text, word = _summary(client, bloc, "quarter", 2021, 1)
    for sentence in SENTENCES:
        assert sentence in text and sentence in word, (sentence, text)
    text, _word = _summary(client, finance, "quarter", 2021, 1)
    for sentence in finance_q1:
        assert sentence in text, (sentence, text)
    text, _word = _summary(client, health, "quarter", 2021, 1)
    assert "Đến ngày 31/03/2021, Đảng bộ Sở Y tế có 2 chi bộ với 70 đảng viên" in text
    assert "kết nạp" not in text and "tiếp nhận" not in text
    # The health committee's second quarter has the cell it received: 70 + 40 + 10 + 5 − 4.
    text, _word = _summary(client, health, "quarter", 2021, 2)
    assert "Đến ngày 30/06/2021, Đảng bộ Sở Y tế có 3 chi bộ với 121 đảng viên" in text
