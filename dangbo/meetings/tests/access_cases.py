"""Access-matrix rows of this app (tests/test_access_matrix.py): one Case per URL.

Meetings of cell_a1 (under gr_a): staff covering it and its members see them; write roles over the cell
(bloc, staff_a, secretary_a1) act; the committee above (bloc, staff_a) reviews the quality sheet; only
member_a1, a member of the cell, sends an excuse.
"""

import datetime

from django.utils import timezone

from dangbo.testing import EVERYONE, STAFF, Case

LAST_YEAR = timezone.localdate().year - 1

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


def _upload():
    from dangbo.meetings.tests.helpers import upload

    return upload()


def _cell(cast):
    return {"pk": cast.cell_a1.pk}


def _noticed(cast):
    from dangbo.meetings import services
    from dangbo.meetings.tests.helpers import planned

    m = planned(cast.cell_a1)
    services.send_notice(meeting=m, actor=None)
    return {"pk": m.pk}


def _minuted(cast):
    """A held meeting with its minutes written, ready to lock."""
    from dangbo.meetings import services
    from dangbo.meetings.tests.helpers import held

    m = held(cast.cell_a1)
    services.save_minutes(meeting=m, content="Đánh giá tình hình tháng", conclusions="Thống nhất", actor=None)
    return {"pk": m.pk}


def _missed(cast):
    """m_a1_other missed three of last year's meetings without excuse: a removal flag."""
    from dangbo.meetings.tests.helpers import held

    for month in (2, 3, 5):
        held(cast.cell_a1, day=datetime.date(LAST_YEAR, month, 10), present={cast.m_a1.pk})
    return _cell(cast)


def _day(days):
    return (timezone.localdate() + datetime.timedelta(days=days)).strftime("%d/%m/%Y")


def _meeting(c, days=10):
    return {"kind": "regular", "mode": "in_person", "planned_date": _day(days), "planned_time": "14:00",
            "place": "Hội trường tầng 3"}  # fmt: skip


def _scores(c, less=0):
    from dangbo.meetings import services

    return {f"c_{k['code']}": int(k["max"]) - less for k in services.DEFAULT_CRITERIA}


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
        kwargs=_missed,
        method="post",
        data=lambda c: {"member": c.m_a1_other.pk, "year": LAST_YEAR},
    ),
    Case("meetings:detail", VIEWERS, kwargs=_planned),
    Case("meetings:edit", WRITERS, kwargs=_planned),
    Case("meetings:notice", WRITERS, kwargs=_planned, method="post"),
    Case("meetings:cancel", WRITERS, kwargs=_planned, method="post", data=lambda c: {"reason": "Trùng lịch"}),
    Case(
        "meetings:document",
        WRITERS,
        kwargs=_planned,
        method="post",
        data=lambda c: {"title": "Dự thảo nghị quyết", "file": _upload()},
    ),
    Case("meetings:document_file", VIEWERS, kwargs=_document),
    Case("meetings:excuse", {"member_a1"}, kwargs=_planned),
    Case("meetings:attendance", WRITERS, kwargs=_held),
    Case("meetings:held", WRITERS, kwargs=_planned),
    Case("meetings:minutes", WRITERS, kwargs=_held),
    Case("meetings:speech_delete", WRITERS, kwargs=_speech, method="post"),
    Case("meetings:lock", WRITERS, kwargs=_minuted, method="post"),
    Case(
        "meetings:amend", WRITERS, kwargs=_locked, method="post", data=lambda c: {"text": "Sửa", "reason": "Ghi nhầm"}
    ),
    Case("meetings:publish", WRITERS, kwargs=_locked, method="post"),
    Case("meetings:minutes_docx", VIEWERS, kwargs=_published),
    Case("meetings:quality", WRITERS, kwargs=_held),
    Case("meetings:quality_review", REVIEWERS, kwargs=_scored),
    # Every form posted for real.
    Case("meetings:new", WRITERS, kwargs=_cell, method="post", data=_meeting),
    Case("meetings:edit", WRITERS, kwargs=_planned, method="post", data=lambda c: _meeting(c, days=5)),
    Case(
        "meetings:plan",
        WRITERS,
        kwargs=_cell,
        method="post",
        data=lambda c: {"year": LAST_YEAR + 2, "day": 25, "time": "14:00", "place": "Phòng họp tầng 2"},
    ),
    Case("meetings:excuse", {"member_a1"}, kwargs=_noticed, method="post", data=lambda c: {"reason": "Đi công tác"}),
    Case(
        "meetings:attendance",
        WRITERS,
        kwargs=_held,
        method="post",
        data=lambda c: {f"s_{c.m_a1.pk}": "present", f"s_{c.m_a1_other.pk}": "excused", f"e_{c.m_a1_other.pk}": "Ốm"},
    ),
    Case(
        "meetings:held",
        WRITERS,
        kwargs=_planned,
        method="post",
        data=lambda c: {"held_on": _day(0), "started_at": "14:00", "ended_at": "15:45"},
    ),
    Case(
        "meetings:minutes",
        WRITERS,
        kwargs=_held,
        method="post",
        data=lambda c: {"content": "Đánh giá công tác tháng", "conclusions": "Thống nhất", "votes_for": 2},
    ),
    Case("meetings:quality", WRITERS, kwargs=_held, method="post", data=_scores),
    Case(
        "meetings:quality_review",
        REVIEWERS,
        kwargs=_scored,
        method="post",
        data=lambda c: {**_scores(c, less=1), "note": "Chưa đạt tối đa"},
    ),
    Case(
        "meetings:venues",
        REVIEWERS,
        method="post",
        data=lambda c: {"owner_unit": c.gr_a.pk, "name": "Hội trường Sở", "capacity": 80},
    ),
    Case(
        "meetings:templates",
        REVIEWERS,
        method="post",
        data=lambda c: {
            "unit": c.gr_a.pk,
            "name": "Phiếu của Sở",
            "criteria": "a | Đúng giờ | 10\nb | Nội dung | 20",
            "good": 90,
            "fair": 70,
            "average": 50,
        },  # fmt: skip
    ),
]
