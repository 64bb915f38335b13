"""Access-matrix rows of this app (tests/test_access_matrix.py): one Case per URL.

A transfer from cell_a1 (gr_a) to cell_b1 (gr_b) is seen by both sides' staff and the bloc; the sending
side's steps are open to write roles over cell_a1, the receipt only to write roles over cell_b1.
"""

import datetime

from dangbo.testing import STAFF, Case

D = datetime.date
SENDERS = {"bloc", "staff_a", "secretary_a1"}
RECEIVERS = {"bloc", "staff_b"}
BOTH_SIDES = {"bloc", "inspector", "staff_a", "secretary_a1", "staff_b"}


def _transfer(cast, state="requested", kind="official_internal"):
    from dangbo.transfers import services

    extra = {"decision_date": D(2026, 9, 1)}
    if kind == "temporary":
        extra = {"start_date": D(2026, 9, 1), "end_date": D(2027, 1, 1), "purpose": "work"}
    t = services.request_transfer(
        member=cast.m_a1_other,
        kind=kind,
        to_unit=cast.cell_b1,
        requested_on=D(2026, 9, 2),
        actor=None,
        **extra,
    )
    if state != "requested":
        t = services.issue_letter(transfer=t, letter_no="9-GGT", letter_date=D(2026, 9, 3), actor=None)
    if state == "record_sent":
        t = services.send_record(transfer=t, day=D(2026, 9, 4), actor=None)
    if state == "received":
        t = services.confirm_receipt(transfer=t, day=D(2026, 9, 4), actor=None)
    return {"pk": t.pk}


def _step(state, step, kind="official_internal"):
    def kwargs(cast):
        return {**_transfer(cast, state, kind), "step": step}

    return kwargs


def _gr_c_transfer(cast):
    """A transfer between two units outside gr_a and gr_b: only the bloc sees it."""
    from dangbo.transfers import services
    from dangbo.transfers.tests.helpers import member_in

    m = member_in(cast.cell_c, "Lý Văn Tâm")
    t = services.request_transfer(
        member=m,
        kind="official_out",
        outside_party="Đảng bộ Quân sự tỉnh",
        decision_date=D(2026, 9, 1),
        requested_on=D(2026, 9, 2),
        actor=None,
    )
    return {"pk": t.pk}


DAY = {"day": "05/09/2026"}
CASES = [
    Case("transfers:home", allowed=STAFF),
    Case("transfers:new", allowed=SENDERS | {"staff_b"}),
    Case("transfers:search_members", allowed=SENDERS | {"staff_b"}, query="?q=duc"),
    Case("transfers:search_cells", allowed=SENDERS | {"staff_b"}, query="?q=chi+bo"),
    Case("transfers:register_in", allowed=SENDERS | {"staff_b"}),
    Case("transfers:report", allowed=STAFF),
    Case("transfers:movements", allowed=STAFF),
    Case("transfers:movements_export", allowed=STAFF),
    Case("transfers:detail", kwargs=_transfer, allowed=BOTH_SIDES),
    Case("transfers:detail", kwargs=_gr_c_transfer, allowed={"bloc", "inspector"}),
    Case("transfers:letter", kwargs=_transfer, allowed=BOTH_SIDES),
    Case(
        "transfers:step",
        kwargs=_step("requested", "issue"),
        allowed=SENDERS,
        method="post",
        data=lambda c: {"issue-letter_no": "10-GGT", "issue-letter_date": "04/09/2026"},
    ),
    Case(
        "transfers:step",
        kwargs=_step("letter_issued", "send"),
        allowed=SENDERS,
        method="post",
        data=lambda c: {"send-day": "05/09/2026"},
    ),
    Case(
        "transfers:step",
        kwargs=_step("record_sent", "receive"),
        allowed=RECEIVERS,
        method="post",
        data=lambda c: {"receive-day": "05/09/2026"},
    ),
    Case(
        "transfers:step",
        kwargs=_step("letter_issued", "cancel"),
        allowed=SENDERS,
        method="post",
        data=lambda c: {"cancel-day": "05/09/2026", "cancel-reason": "Thôi"},
    ),
    Case(
        "transfers:step",
        kwargs=_step("received", "end", kind="temporary"),
        allowed=SENDERS | RECEIVERS,
        method="post",
        data=lambda c: {"end-day": "05/10/2026"},
    ),
    Case(
        "transfers:new",
        method="post",
        data=lambda c: {
            "member": c.m_a1_other.pk,
            "kind": "official_internal",
            "to_unit": c.cell_b1.pk,
            "decision_date": "01/09/2026",
            "requested_on": "02/09/2026",
        },
        allowed=SENDERS,
        form_error={"staff_b"},  # may send gr_b's members: m_a1_other is an error on the field
    ),
    Case(
        "transfers:register_in",
        method="post",
        data=lambda c: {
            "cell": c.cell_a1.pk,
            "full_name": "Quách Văn Đến",
            "sex": "M",
            "status": "official",
            "birth_date": "01/01/1980",
            "admission_date": "01/01/2010",
            "official_date": "01/01/2011",
            "outside_party": "Đảng bộ Quân sự tỉnh",
            "letter_no": "5-GGT",
            "letter_date": "01/09/2026",
            "received_on": "02/09/2026",
        },
        allowed=SENDERS,
    ),
]
