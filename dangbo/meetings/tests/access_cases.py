"""Access-matrix rows of this app (tests/test_access_matrix.py): one Case per URL.

Meetings of cell_a1 (under gr_a): staff covering it and its members see them; write roles over the cell
(bloc, staff_a, secretary_a1) act; the committee above (bloc, staff_a) reviews the quality sheet; only
member_a1, a member of the cell, sends an excuse.
"""

from dangbo.testing import EVERYONE, STAFF, Case

VIEWERS = {"bloc", "inspector", "staff_a", "secretary_a1", "member_a1"}
CELL_STAFF = {"bloc", "inspector", "staff_a", "secretary_a1"}
WRITERS = {"bloc", "staff_a", "secretary_a1"}
REVIEWERS = {"bloc", "staff_a"}
ADMINS = {"bloc", "staff_a", "staff_b"}


def _planned(cast):
    from dangbo.meetings.tests.helpers import planned

    return {"pk": planned(cast.cell_a1).pk}


def _held(cast):
    from dangbo.meetings.tests.helpers import held

    return {"pk": held(cast.cell_a1).pk}


def _published(cast):
    from dangbo.meetings import services
    from dangbo.meetings.tests.helpers import locked

    m = locked(cast.cell_a1)
    services.publish_minutes(meeting=m, actor=None)
    return {"pk": m.pk}


def _locked(cast):
    from dangbo.meetings.tests.helpers import locked

    return {"pk": locked(cast.cell_a1).pk}


def _scored(cast):
    from dangbo.meetings import services
    from dangbo.meetings.tests.helpers import held

    m = held(cast.cell_a1)
    scores = {c["code"]: c["max"] for c in services.DEFAULT_CRITERIA}
    services.fill_quality(meeting=m, scores=scores, actor=None)
    return {"pk": m.pk}


def _speech(cast):
    from dangbo.meetings import services
    from dangbo.meetings.tests.helpers import held

    m = held(cast.cell_a1)
    s = services.add_speech(meeting=m, member=cast.m_a1, content="Ý kiến", actor=None)
    return {"pk": m.pk, "speech_pk": s.pk}


def _document(cast):
    from dangbo.meetings import services
    from dangbo.meetings.tests.helpers import planned, upload

    m = planned(cast.cell_a1)
    return {"pk": services.add_document(meeting=m, title="Dự thảo", file=upload(), actor=None).pk}


def _cell(cast):
    return {"pk": cast.cell_a1.pk}


CASES = [
    Case("meetings:home", EVERYONE),
    Case("meetings:compliance", STAFF),
    Case("meetings:venues", STAFF),
    Case("meetings:templates", ADMINS),
    Case("meetings:cell", CELL_STAFF, kwargs=_cell),
    Case("meetings:plan", WRITERS, kwargs=_cell),
    Case("meetings:new", WRITERS, kwargs=_cell),
    Case("meetings:supervisor", WRITERS, kwargs=_cell, method="post", data=lambda c: {"user": ""}),
    Case(
        "meetings:propose_removal",
        WRITERS,
        kwargs=_cell,
        method="post",
        data=lambda c: {"member": c.m_a1_other.pk, "year": 2026},
    ),
    Case("meetings:detail", VIEWERS, kwargs=_planned),
    Case("meetings:edit", WRITERS, kwargs=_planned),
    Case("meetings:notice", WRITERS, kwargs=_planned, method="post"),
    Case("meetings:cancel", WRITERS, kwargs=_planned, method="post", data=lambda c: {"reason": "Trùng lịch"}),
    Case("meetings:document", WRITERS, kwargs=_planned, method="post"),
    Case("meetings:document_file", VIEWERS, kwargs=_document),
    Case("meetings:excuse", {"member_a1"}, kwargs=_planned),
    Case("meetings:attendance", WRITERS, kwargs=_held),
    Case("meetings:held", WRITERS, kwargs=_planned),
    Case("meetings:minutes", WRITERS, kwargs=_held),
    Case("meetings:speech_delete", WRITERS, kwargs=_speech, method="post"),
    Case("meetings:lock", WRITERS, kwargs=_held, method="post"),
    Case(
        "meetings:amend", WRITERS, kwargs=_locked, method="post", data=lambda c: {"text": "Sửa", "reason": "Ghi nhầm"}
    ),
    Case("meetings:publish", WRITERS, kwargs=_locked, method="post"),
    Case("meetings:minutes_docx", VIEWERS, kwargs=_published),
    Case("meetings:quality", WRITERS, kwargs=_held),
    Case("meetings:quality_review", REVIEWERS, kwargs=_scored),
]
