"""Access-matrix rows of this app (tests/test_access_matrix.py): one Case per URL.

Committees of cell_a1 are seen by staff covering it and corrected by those who may restructure it (the
bloc office, staff_a); appraisals only by the bloc office; a proposal from cell_a1 asked by member_a1 by
member_a1 and staff covering cell_a1; a consultation inviting gr_a by the bloc, the inspector and staff_a.
"""

import datetime

from dangbo.testing import EVERYONE, STAFF, Case

D = datetime.date
BLOC = {"bloc"}
RESTRUCTURE = {"bloc", "staff_a"}
COVER_A1 = {"bloc", "inspector", "staff_a", "secretary_a1"}


def _unit(cast):
    return {"pk": cast.cell_a1.pk}


def _seat(cast):
    from dangbo.committees import services

    seat = services.add_seat(
        unit=cast.cell_a1,
        member=cast.m_a1_other,
        position="secretary",
        method="appointed",
        decision_no="12-QĐ/ĐU",
        start_date=D(2026, 3, 1),
        actor=None,
    )
    return {"pk": seat.pk}


def _appraisal(cast):
    from dangbo.committees import services

    a = services.request_appraisal(
        unit=cast.gr_a,
        member=cast.m_a1_other,
        subject_name="",
        purpose="appointment",
        scope="Lịch sử chính trị, quan hệ gia đình",
        secrecy="confidential",
        requested_on=D(2026, 10, 1),
        actor=None,
    )
    return {"pk": a.pk}


def _proposal(cast):
    from dangbo.committees import services

    p = services.submit_proposal(
        unit=cast.cell_a1,
        category="it",
        title="Phần mềm quản lý đảng viên",
        text="Đề nghị tập huấn sử dụng phần mềm.",
        asked_by=cast.member_a1,
        actor=cast.member_a1,
    )
    return {"pk": p.pk}


def _step(step):
    def kwargs(cast):
        return {**_proposal(cast), "step": step}

    return kwargs


def _session(cast):
    from dangbo.committees import services

    s = services.hold_session(
        unit=cast.bloc,
        title="Tham vấn Cụm 1",
        held_on=D(2026, 9, 21),
        chaired_by="Bí thư Đảng ủy Khối",
        invited=[cast.gr_a],
        actor=None,
    )
    return {"pk": s.pk}


def _model(cast):
    from dangbo.committees import services

    m = services.submit_model(
        unit=cast.cell_a1,
        title="Sổ tay chi bộ số",
        field="digital",
        summary="Mỗi chi bộ một sổ tay điện tử.",
        actor=None,
    )
    return {"pk": m.pk}


def _seat_body(cast):
    return {"member": cast.m_a1.pk, "position": "deputy_secretary", "method": "appointed",
            "start_date": "01/03/2026", "decision_no": "13-QĐ/ĐU"}  # fmt: skip


CASES = [
    Case("committees:home", STAFF),
    Case("committees:unit", COVER_A1, kwargs=_unit),
    Case(
        "committees:congress",
        RESTRUCTURE,
        kwargs=_unit,
        method="post",
        data=lambda cast: {"congress_date": "15/06/2025"},
    ),
    Case("committees:seat_new", RESTRUCTURE, kwargs=_unit),
    Case("committees:seat_end", RESTRUCTURE, kwargs=_seat),
    Case("committees:seat_delete", RESTRUCTURE, kwargs=_seat, method="post"),
    Case("committees:reinforcement", STAFF),
    Case("committees:appraisals", BLOC),
    Case("committees:appraisal_new", BLOC),
    Case("committees:appraisal", BLOC, kwargs=_appraisal),
    Case(
        "committees:appraisal_conclude",
        BLOC,
        kwargs=_appraisal,
        method="post",
        data=lambda cast: {
            "conclusion": "meets",
            "concluded_on": "02/10/2026",
            "conclusion_text": "Đủ tiêu chuẩn",
        },
    ),
    Case("committees:consultations", EVERYONE),
    Case("committees:proposal_new", EVERYONE - {"inspector"}),
    Case("committees:proposal", COVER_A1 | {"member_a1"}, kwargs=_proposal),
    Case(
        "committees:proposal_step",
        BLOC,
        kwargs=_step("assign"),
        method="post",
        data=lambda cast: {"department": "office", "due_on": "20/12/2026"},
    ),
    Case("committees:sessions", STAFF),
    Case("committees:session_new", BLOC),
    Case("committees:session", {"bloc", "inspector", "staff_a"}, kwargs=_session),
    Case("committees:models", EVERYONE),
    Case("committees:model_new", {"bloc", "staff_a", "secretary_a1", "staff_b"}),
    Case("committees:model", COVER_A1, kwargs=_model),
    Case("committees:model_review", BLOC, kwargs=_model, method="post", data=lambda cast: {"decision": "approve"}),
    # Every form posted for real.
    Case("committees:seat_new", RESTRUCTURE, kwargs=_unit, method="post", data=_seat_body),
    Case(
        "committees:seat_end",
        RESTRUCTURE,
        kwargs=_seat,
        method="post",
        data=lambda cast: {"end_date": "01/10/2026", "reason": "term_end", "decision_no": "20-QĐ/ĐU"},
    ),
    Case(
        "committees:appraisal_new",
        BLOC,
        method="post",
        data=lambda cast: {
            "unit": cast.gr_a.pk,
            "member": cast.m_a1_other.pk,
            "purpose": "appointment",
            "requested_on": "01/10/2026",
            "secrecy": "confidential",
            "scope": "Lịch sử chính trị",
        },
    ),
    # On behalf of cell_a1: its secretary and its member; others' units are not theirs to speak for.
    Case(
        "committees:proposal_new",
        {"secretary_a1", "member_a1"},
        method="post",
        data=lambda cast: {"unit": cast.cell_a1.pk, "category": "documents", "title": "Tài liệu", "text": "Đề nghị"},
    ),
    Case(
        "committees:session_new",
        BLOC,
        method="post",
        data=lambda cast: {
            "title": "Tham vấn Cụm 1",
            "held_on": "21/09/2026",
            "invited": [cast.gr_a.pk],
            "chaired_by": "Bí thư Đảng ủy Khối",
        },
    ),
    Case(
        "committees:session",
        BLOC,
        kwargs=_session,
        method="post",
        data=lambda cast: {
            "unit": cast.gr_a.pk,
            "category": "funding",
            "title": "Kinh phí",
            "text": "Đề nghị bổ sung kinh phí.",
            "asker_name": "Bí thư Đảng ủy Sở Tài chính",
        },
    ),
    Case(
        "committees:model_new",
        {"bloc", "staff_a", "secretary_a1"},
        method="post",
        data=lambda cast: {"unit": cast.cell_a1.pk, "title": "Sổ tay số", "field": "digital", "summary": "Sổ tay"},
    ),
]
