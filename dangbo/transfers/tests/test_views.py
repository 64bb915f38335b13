"""The transfer pages through the HTTP client, checking the database behind them."""

import datetime
import io
import pathlib

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from dangbo.members.models import Member, MemberEvent
from dangbo.transfers import services
from dangbo.transfers.forms import last_full_quarter
from dangbo.transfers.models import Transfer
from dangbo.transfers.tests.helpers import member_in, with_history

D = datetime.date
S = Transfer.State


def _request(client, cast, member=None, **extra):
    data = {
        "member": (member or cast.m_a1_other).pk,
        "kind": "official_internal",
        "to_unit": cast.cell_b1.pk,
        "decision_no": "15/QĐ-STC",
        "decision_date": "01/09/2026",
        "reason": "Điều động công tác",
        "requested_on": "02/09/2026",
    }
    data.update(extra)
    return client.post(reverse("transfers:new"), data)


def _step(client, t, step, **data):
    return client.post(reverse("transfers:step", args=[t.pk, step]), {f"{step}-{k}": v for k, v in data.items()})


def _dashboard_count(client, unit, on):
    resp = client.get(reverse("reports:dashboard"), {"unit": unit.pk, "on": on})
    assert resp.status_code == 200
    return resp.context["figures"]["members"]


def test_official_transfer_end_to_end(cast, login):
    m = cast.m_a1_other
    with_history(m, cast.m_a1, cast.m_b1)
    client = login(cast.staff_a)
    resp = _request(client, cast)
    assert resp.status_code == 302, resp.content.decode()[:3000]
    t = Transfer.objects.get()
    assert (t.state, t.from_unit, t.to_unit, t.complete_by) == (
        S.REQUESTED,
        cast.cell_a1,
        cast.cell_b1,
        D(2026, 11, 26),
    )
    # The receiving side cannot take the sender's steps, the sender cannot confirm: 404.
    assert _step(login(cast.staff_b), t, "issue", letter_no="1", letter_date="03/09/2026").status_code == 404
    client = login(cast.staff_a)
    assert _step(client, t, "receive", day="03/09/2026").status_code == 404
    # Out of order: hand the record over before the letter.
    resp = _step(client, t, "send", day="03/09/2026")
    assert resp.status_code == 400 and "step-error" in resp.content.decode()
    resp = _step(
        client, t, "issue", letter_no="88-GGT/ĐUK", letter_date="03/09/2026", issuer="Ban Tổ chức Đảng ủy Khối"
    )
    assert resp.status_code == 302
    assert _step(client, t, "send", day="04/09/2026").status_code == 302
    t.refresh_from_db()
    m.refresh_from_db()
    assert t.state == S.RECORD_SENT and m.unit == cast.cell_a1  # nothing moved yet
    # Both sides see it pending.
    assert t in login(cast.staff_a).get(reverse("transfers:home"), {"tab": "out"}).context["page"]
    resp = login(cast.staff_b).get(reverse("transfers:home"), {"tab": "in"})
    assert t in resp.context["page"] and "step-receive" not in resp.content.decode()
    assert "step-receive" in login(cast.staff_b).get(t.get_absolute_url()).content.decode()
    assert "step-receive" not in login(cast.staff_a).get(t.get_absolute_url()).content.decode()
    resp = _step(login(cast.staff_b), t, "receive", day="10/09/2026")
    assert resp.status_code == 302
    t.refresh_from_db()
    m.refresh_from_db()
    assert t.state == S.RECEIVED and m.unit == cast.cell_b1
    ev = MemberEvent.objects.get(member=m, kind=MemberEvent.Kind.TRANSFERRED_IN)
    assert ev.date == D(2026, 9, 10) and ev.from_unit == cast.cell_a1 and ev.actor == cast.staff_b
    # The dashboard as of dates: in gr_a until 09/09, in gr_b from 10/09.
    client = login(cast.bloc_user)
    assert _dashboard_count(client, cast.gr_a, "09/09/2026") == 2
    assert _dashboard_count(client, cast.gr_b, "09/09/2026") == 1
    assert _dashboard_count(client, cast.gr_a, "10/09/2026") == 1
    assert _dashboard_count(client, cast.gr_b, "10/09/2026") == 2
    # No longer pending anywhere; the timeline shows each dated step.
    assert t not in login(cast.staff_b).get(reverse("transfers:home"), {"tab": "in"}).context["page"]
    body = login(cast.staff_a).get(t.get_absolute_url()).content.decode()
    for day in ("02/09/2026", "03/09/2026", "04/09/2026", "10/09/2026"):
        assert day in body


def test_request_form_refusals(cast, login):
    client = login(cast.staff_a)
    resp = _request(client, cast, decision_date="")
    assert resp.status_code == 200 and Transfer.objects.count() == 0
    assert resp.context["form"].non_field_errors()
    assert _request(client, cast, requested_on="01/01/2099").context["form"].errors["requested_on"]
    # A member out of reach (another committee's) is an error on the search select, never a 404 or a hint.
    resp = _request(client, cast, member=cast.m_b1)
    assert resp.status_code == 200 and Transfer.objects.count() == 0
    assert resp.context["form"].errors["member"] == [
        "Hãy chọn trong kết quả tìm kiếm: lựa chọn này không thuộc phạm vi được chọn."
    ]
    assert _request(client, cast).status_code == 302
    resp = _request(client, cast)  # a second open transfer of the same member
    assert resp.status_code == 200 and Transfer.objects.count() == 1
    assert resp.context["form"].non_field_errors()
    # A temporary transfer outside the rule's range.
    resp = _request(
        client,
        cast,
        member=cast.m_a1,
        kind="temporary",
        decision_date="",
        purpose="work",
        start_date="01/09/2026",
        end_date="01/10/2026",
    )
    assert resp.status_code == 200 and resp.context["form"].non_field_errors()
    # The receiving unit may be anywhere in the tree, even outside the user's scope.
    assert str(cast.cell_c.pk) in {str(v) for v, _l in resp.context["form"].fields["to_unit"].choices}


def test_future_step_date_refused(cast, login):
    client = login(cast.staff_a)
    _request(client, cast)
    t = Transfer.objects.get()
    resp = _step(client, t, "issue", letter_no="1", letter_date="01/01/2099")
    assert resp.status_code == 400
    t.refresh_from_db()
    assert t.state == S.REQUESTED


def test_transfer_out_and_letter(cast, login):
    m = cast.m_a1_other
    with_history(m)
    client = login(cast.secretary_a1)
    resp = _request(client, cast, kind="official_out", to_unit="", outside_party="Đảng bộ Bộ Chỉ huy Quân sự tỉnh")
    assert resp.status_code == 302
    t = Transfer.objects.get()
    assert t.to_unit is None
    resp = client.get(reverse("transfers:letter", args=[t.pk]))
    assert resp.status_code == 200 and 'data-testid="draft"' in resp.content.decode()
    _step(client, t, "issue", letter_no="21-GGT", letter_date="03/09/2026")
    body = client.get(reverse("transfers:letter", args=[t.pk])).content.decode()
    assert "21-GGT" in body and "Đảng bộ Bộ Chỉ huy Quân sự tỉnh" in body and 'data-testid="checklist"' in body
    assert 'href="/static/transfers/letter.css"' in body and 'data-testid="draft"' not in body
    assert "@media print" in pathlib.Path(finders.find("transfers/letter.css")).read_text()
    assert _step(client, t, "send", day="15/09/2026").status_code == 302
    m.refresh_from_db()
    assert m.status == Member.Status.TRANSFERRED_OUT
    client = login(cast.bloc_user)
    assert _dashboard_count(client, cast.gr_a, "14/09/2026") == 1
    assert _dashboard_count(client, cast.gr_a, "15/09/2026") == 0


def test_register_in_through_the_form(cast, login):
    client = login(cast.staff_b)
    resp = client.post(
        reverse("transfers:register_in"),
        {
            "cell": cast.cell_b1.pk,
            "full_name": "Trịnh Văn Quân",
            "sex": "M",
            "status": "official",
            "admission_date": "19/05/2012",
            "outside_party": "Đảng ủy Bộ đội Biên phòng tỉnh",
            "letter_no": "301-GGT",
            "letter_date": "01/08/2026",
            "received_on": "12/08/2026",
        },
    )
    assert resp.status_code == 302, resp.content.decode()[:3000]
    m = Member.objects.get(full_name="Trịnh Văn Quân")
    assert m.unit == cast.cell_b1 and m.admission_date == D(2012, 5, 19)
    ev = m.events.get()
    assert (ev.kind, ev.date, ev.decision_no) == (MemberEvent.Kind.TRANSFERRED_IN, D(2026, 8, 12), "301-GGT")
    # staff_b cannot register into gr_a's cells.
    resp = client.post(reverse("transfers:register_in"), {"cell": cast.cell_a1.pk, "full_name": "X"})
    assert resp.status_code == 404 and not Member.objects.filter(full_name="X").exists()


def test_temporary_transfer_excluded_from_host_totals(cast, login):
    m = cast.m_a1_other
    with_history(m, cast.m_b1)
    client = login(cast.staff_a)
    resp = _request(
        client,
        cast,
        kind="temporary",
        decision_date="",
        purpose="study",
        start_date="01/09/2026",
        end_date="30/06/2028",
    )
    assert resp.status_code == 302
    t = Transfer.objects.get()
    _step(client, t, "issue", letter_no="5-GGT", letter_date="02/09/2026")
    assert _step(client, t, "send", day="03/09/2026").status_code == 400  # no record to hand over
    assert _step(login(cast.staff_b), t, "receive", day="03/09/2026").status_code == 302
    m.refresh_from_db()
    assert m.temporary_unit == cast.cell_b1 and m.unit == cast.cell_a1
    client = login(cast.bloc_user)
    assert _dashboard_count(client, cast.cell_b1, "10/09/2026") == 1
    assert _dashboard_count(client, cast.gr_a, "10/09/2026") == 1
    # Pending on both sides until the stay ends; the host may end it.
    assert t in login(cast.staff_b).get(reverse("transfers:home"), {"tab": "in"}).context["page"]
    assert _step(login(cast.staff_b), t, "end", day="20/11/2026").status_code == 302
    m.refresh_from_db()
    assert m.temporary_unit is None


def test_overdue_tab(cast, login):
    client = login(cast.staff_a)
    _request(client, cast, decision_date="01/08/2025", requested_on="02/08/2025")
    t = Transfer.objects.get()
    resp = login(cast.staff_b).get(reverse("transfers:home"), {"tab": "overdue"})
    assert list(resp.context["page"]) == [t]
    assert "text-danger" in resp.content.decode()


def test_home_query_count_does_not_grow(cast, login, django_assert_max_num_queries):
    members = [member_in(cast.cell_a1, f"Nguyễn Văn {c}") for c in "BCDEFGHIJK"]
    for m in members:
        services.request_transfer(
            member=m,
            kind="official_internal",
            to_unit=cast.cell_b1,
            decision_date=D(2026, 9, 1),
            requested_on=D(2026, 9, 2),
            actor=None,
        )
    for user in (cast.staff_a, cast.staff_b, cast.bloc_user):
        client = login(user)
        for tab in ("out", "in", "overdue", "all"):
            with django_assert_max_num_queries(14):
                resp = client.get(reverse("transfers:home"), {"tab": tab})
            assert resp.status_code == 200
    assert len(login(cast.staff_b).get(reverse("transfers:home"), {"tab": "in"}).context["page"]) == 10


# ---- period figures ------------------------------------------------------------------------------
@pytest.fixture
def history(cast):
    """A quarter (Q3 2026) with admissions, moves between and out of sub-units, deaths and removals."""
    E = MemberEvent.Kind

    def ev(m, kind, day, to_unit=None, status=""):
        MemberEvent.objects.create(member=m, kind=kind, date=day, to_unit=to_unit, status_after=status)

    before = [member_in(cast.cell_a1, f"Trần Văn {c}") for c in "ABCDE"]
    before += [member_in(cast.cell_a2, f"Lê Thị {c}") for c in "ABC"]
    before += [member_in(cast.cell_b1, f"Phạm Văn {c}") for c in "AB"]
    a, b, c, d, e, f, g, h, i, j = before
    from dangbo.members.intervals import rebuild_intervals
    from dangbo.testing import make_member

    new = make_member("Đinh Văn Mới", cast.cell_a2, status="probationary")
    ev(new, E.ADMITTED, D(2026, 7, 15), cast.cell_a2, "probationary")  # + admitted in cell_a2
    ev(a, E.TRANSFERRED_IN, D(2026, 8, 1), cast.cell_a2, "official")  # internal to gr_a: a1 → a2
    ev(b, E.TRANSFERRED_IN, D(2026, 8, 2), cast.cell_b1, "official")  # gr_a → gr_b
    ev(i, E.TRANSFERRED_IN, D(2026, 8, 3), cast.cell_a1, "official")  # gr_b → gr_a
    ev(c, E.TRANSFERRED_OUT, D(2026, 8, 4), None, "transferred_out")  # out of the system
    ev(d, E.DECEASED, D(2026, 8, 5), None, "deceased")
    ev(f, E.REMOVED, D(2026, 9, 1), None, "removed")
    ev(g, E.EXPELLED, D(2026, 9, 2), None, "expelled")
    ev(h, E.TRANSFERRED_IN, D(2026, 9, 3), cast.cell_a1, "official")  # a2 → a1 …
    ev(h, E.TRANSFERRED_IN, D(2026, 9, 3), cast.cell_a2, "official")  # … and back the same day
    ev(e, E.MADE_OFFICIAL, D(2026, 9, 10), cast.cell_a1, "official")
    ev(j, E.TRANSFERRED_IN, D(2026, 10, 2), cast.cell_a1, "official")  # after the quarter
    rebuild_intervals(None)
    return cast


def test_movements_identity_with_moves_between_sub_units(history, login, django_assert_max_num_queries):
    cast = history
    client = login(cast.bloc_user)
    # (Each stock as of a day asks the unit history once whether the tree changed since: org.dated.)
    with django_assert_max_num_queries(18):
        resp = client.get(
            reverse("transfers:movements"), {"unit": cast.gr_a.pk, "date_from": "01/07/2026", "date_to": "30/09/2026"}
        )
    assert resp.status_code == 200
    rows = {r.label: r for r in resp.context["rows"]}
    total = resp.context["total"]
    for r in [*rows.values(), total]:
        assert r.balanced, (r.label, dict(r.counts))
    a1, a2 = rows[cast.cell_a1.name].counts, rows[cast.cell_a2.name].counts
    assert a1["start"] == 5 and a2["start"] == 3 and total.counts["start"] == 8
    assert a1["transferred_out"] == 4  # a → a2, b → gr_b, c out of the system, h back to a2
    assert a1["transferred_in"] == 2 and a2["transferred_in"] == 2  # i from gr_b, h; a from a1, h back
    assert a2["transferred_out"] == 1 and a2["admitted"] == 1
    t = total.counts
    assert (t["admitted"], t["transferred_in"], t["transferred_out"]) == (1, 1, 2)  # internal moves left out
    assert (t["deceased"], t["removed"], t["expelled"], t["made_official"]) == (1, 1, 1, 1)
    assert t["end"] == 8 + 1 + 1 - 2 - 1 - 1 - 1 == 5
    # gr_b in the same quarter: one in, one out.
    resp = client.get(
        reverse("transfers:movements"), {"unit": cast.gr_b.pk, "date_from": "01/07/2026", "date_to": "30/09/2026"}
    )
    t = resp.context["total"].counts
    assert (t["start"], t["transferred_in"], t["transferred_out"], t["end"]) == (2, 1, 1, 2)
    # The whole bloc: only the ones leaving the system, the deaths … count.
    resp = client.get(reverse("transfers:movements"), {"date_from": "01/07/2026", "date_to": "30/09/2026"})
    t = resp.context["total"]
    assert t.balanced and t.counts["transferred_in"] == 0 and t.counts["transferred_out"] == 1


def test_movements_export(history, login):
    client = login(cast_user := history.staff_a)
    assert cast_user
    resp = client.get(reverse("transfers:movements_export"), {"date_from": "01/07/2026", "date_to": "30/09/2026"})
    assert resp.status_code == 200 and resp["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(resp.content)).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    total = values[-1]
    assert total[1] == 8 and total[-4] == 5  # start, end of gr_a (staff_a's top unit)


def test_movements_default_period_and_scope(cast, login):
    start, end = last_full_quarter()
    resp = login(cast.staff_a).get(reverse("transfers:movements"))
    assert (resp.context["start"], resp.context["end"]) == (start, end)
    assert resp.context["unit"] == cast.gr_a
    assert login(cast.staff_a).get(reverse("transfers:movements"), {"unit": cast.gr_b.pk}).status_code == 404
    assert last_full_quarter(D(2026, 11, 23)) == (D(2026, 7, 1), D(2026, 9, 30))
    assert last_full_quarter(D(2026, 1, 5)) == (D(2025, 10, 1), D(2025, 12, 31))


def test_transfer_report_per_unit(cast, login, django_assert_max_num_queries):
    with_history(cast.m_a1, cast.m_a1_other, cast.m_b1, cast.m_c)

    def internal(m, to, day):
        t = services.request_transfer(
            member=m, kind="official_internal", to_unit=to, decision_date=day, requested_on=day, actor=None
        )
        services.issue_letter(transfer=t, letter_no="1", letter_date=day, actor=None)
        services.send_record(transfer=t, day=day, actor=None)
        return services.confirm_receipt(transfer=t, day=day, actor=None)

    internal(cast.m_a1_other, cast.cell_a2, D(2026, 7, 10))  # inside gr_a
    internal(cast.m_b1, cast.cell_a1, D(2026, 8, 10))  # gr_b → gr_a
    t = services.request_transfer(
        member=cast.m_c,
        kind="temporary",
        to_unit=cast.cell_a1,
        start_date=D(2026, 8, 1),
        end_date=D(2027, 1, 1),
        requested_on=D(2026, 8, 1),
        actor=None,
    )
    services.issue_letter(transfer=t, letter_no="2", letter_date=D(2026, 8, 1), actor=None)
    services.confirm_receipt(transfer=t, day=D(2026, 8, 2), actor=None)
    services.register_in(
        cell=cast.cell_a2,
        full_name="Hà Văn Ngoài",
        sex="M",
        outside_party="Tỉnh ủy Lào Cai",
        letter_no="3",
        letter_date=D(2026, 9, 1),
        received_on=D(2026, 9, 5),
        actor=None,
    )
    client = login(cast.bloc_user)
    with django_assert_max_num_queries(12):
        resp = client.get(
            reverse("transfers:report"), {"unit": cast.gr_a.pk, "date_from": "01/07/2026", "date_to": "30/09/2026"}
        )
    rows = {r.label: r.counts for r in resp.context["rows"]}
    total = resp.context["total"].counts
    assert rows[cast.cell_a1.name]["official_out"] == 1 and rows[cast.cell_a2.name]["official_in"] == 2
    assert rows[cast.cell_a1.name]["official_in"] == 1 and rows[cast.cell_a1.name]["temporary_in"] == 1
    assert (total["official_in"], total["official_out"], total["temporary_in"], total["all"]) == (2, 0, 1, 3)
    assert "3" in resp.content.decode()
    resp = client.get(reverse("transfers:report"), {"date_from": "01/07/2026", "date_to": "30/09/2026"})
    assert resp.context["total"].counts["all"] == 1  # the bloc: only the member from outside


# ---- property: the identity holds on every row for any history --------------------------------------

EVENT_KINDS = [
    (MemberEvent.Kind.ADMITTED, "probationary"),
    (MemberEvent.Kind.TRANSFERRED_IN, ""),
    (MemberEvent.Kind.TRANSFERRED_OUT, "transferred_out"),
    (MemberEvent.Kind.DECEASED, "deceased"),
    (MemberEvent.Kind.REMOVED, "removed"),
    (MemberEvent.Kind.MADE_OFFICIAL, "official"),
    (MemberEvent.Kind.RESTORED, "official"),
    (MemberEvent.Kind.UNIT_CHANGED, ""),
]
histories = st.lists(
    st.tuples(
        st.integers(0, 5),  # member
        st.integers(0, 200),  # day offset from 01/06/2026
        st.integers(0, len(EVENT_KINDS) - 1),
        st.integers(0, 3),  # target cell
    ),
    min_size=1,
    max_size=25,
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history=histories, start=st.integers(0, 120), length=st.integers(0, 90))
def test_movements_identity_holds_for_any_history(cast, history, start, length):
    """DOMAIN.md §12: start + increases − decreases = end, on every sub-unit row and the total."""
    from dangbo.members.intervals import rebuild_intervals
    from dangbo.testing import make_member
    from dangbo.transfers import stats

    cells = [cast.cell_a1, cast.cell_a2, cast.cell_b1, cast.cell_c]
    members = [make_member(f"Thử Nghiệm {i}", cells[i % 4]) for i in range(6)]
    try:
        for i, m in enumerate(members):
            MemberEvent.objects.create(
                member=m,
                kind=MemberEvent.Kind.ADMITTED,
                date=D(2026, 5, 1),
                to_unit=cells[i % 4],
                status_after="official",
            )
        for who, offset, k, cell in history:
            kind, status = EVENT_KINDS[k]
            moves = kind in (MemberEvent.Kind.TRANSFERRED_IN, MemberEvent.Kind.UNIT_CHANGED, MemberEvent.Kind.ADMITTED)
            MemberEvent.objects.create(
                member=members[who],
                kind=kind,
                date=D(2026, 6, 1) + datetime.timedelta(days=offset),
                to_unit=cells[cell] if moves else None,
                status_after=status,
            )
        rebuild_intervals([m.pk for m in members])
        day = D(2026, 6, 1) + datetime.timedelta(days=start)
        for unit in (cast.bloc, cast.gr_a, cast.gr_b):
            rows, total = stats.movements(unit, day, day + datetime.timedelta(days=length))
            for r in [*rows, total]:
                assert r.balanced, (unit.name, r.label, dict(r.counts))
    finally:
        for m in members:
            m.delete()
