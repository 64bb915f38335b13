"""Access-matrix rows of this app (tests/test_access_matrix.py): one Case per URL."""

import datetime

from django.utils import timezone

from dangbo.testing import Case

SEE = {"bloc", "inspector", "staff_a", "secretary_a1"}  # staff reached by a campaign on Sở Tài chính
WRITERS = {"bloc", "staff_a", "secretary_a1", "staff_b"}
ORGANIZER = {"bloc"}


def _campaign(**kw):
    def make(cast):
        from dangbo.study.tests.factories import make_campaign

        return {"pk": make_campaign(cast, **kw).pk}

    return make


def _question(cast):
    from dangbo.study.models import Campaign
    from dangbo.study.tests.factories import make_campaign

    c = make_campaign(cast, state=Campaign.State.DRAFT)
    return {"pk": c.pk, "qid": c.questions.first().pk}


def _session(cast):
    from dangbo.study.tests.factories import make_campaign, make_session

    c = make_campaign(cast)
    return {"pk": c.pk, "sid": make_session(c, cast.cell_a1).pk}


def _report(cast):
    from dangbo.study.tests.factories import make_campaign, submitted_report

    c = make_campaign(cast)
    return {"pk": c.pk, "rid": submitted_report(c, cast.m_a1).pk}


def _draft():
    from dangbo.study.models import Campaign

    return _campaign(state=Campaign.State.DRAFT)


def _d(days=0):
    return (timezone.localdate() + datetime.timedelta(days=days)).strftime("%d/%m/%Y")


def _campaign_body(cast, title="Học tập Nghị quyết 57-NQ/TW"):
    """A campaign of gr_a for cell_a1, with a quiz."""
    return {"title": title, "unit": cast.gr_a.pk, "targets": [cast.cell_a1.pk], "subtree": "on",
            "opens_on": _d(), "deadline": _d(30), "quiz_required": "on", "pass_mark": 80, "max_attempts": 3,
            "quiz_size": 0}  # fmt: skip


def _bloc_campaign_body(cast):
    return {**_campaign_body(cast, "Học tập Nghị quyết (sửa)"), "unit": cast.bloc.pk, "targets": [cast.gr_a.pk]}


CASES = [
    Case("study:home", {"bloc", "inspector", "staff_a", "secretary_a1", "member_a1", "staff_b"}),
    Case("study:new", WRITERS),
    Case("study:detail", SEE | {"member_a1"}, _campaign()),
    Case("study:edit", ORGANIZER, _campaign()),
    Case("study:publish", ORGANIZER, _draft(), method="post"),
    Case("study:close", ORGANIZER, _campaign(), method="post"),
    Case("study:questions", ORGANIZER, _campaign()),
    Case("study:question_delete", ORGANIZER, _question, method="post"),
    Case("study:sessions", SEE, _campaign()),
    Case("study:attendance", SEE, _session),
    Case("study:study", {"member_a1"}, _campaign()),
    Case("study:read", {"member_a1"}, _campaign(), method="post"),
    Case("study:quiz", {"member_a1"}, _campaign()),
    Case("study:report", {"member_a1"}, _campaign()),
    Case("study:reports", SEE, _campaign()),
    Case("study:review", SEE, _report),
    Case("study:completion", SEE, _campaign()),
    Case("study:export", SEE, _campaign()),
    Case("study:remind", {"bloc", "staff_a", "secretary_a1"}, _campaign(), method="post"),
    # Every form posted for real. Sessions, attendance and reviews: write roles over cell_a1.
    Case("study:new", {"bloc", "staff_a"}, method="post", data=_campaign_body),
    Case("study:edit", ORGANIZER, _campaign(), method="post", data=_bloc_campaign_body),
    Case(
        "study:questions",
        ORGANIZER,
        _draft(),
        method="post",
        data=lambda c: {"text": "Nghị quyết 57 bàn về gì?", "kind": "single", "answers": "*Khoa học, công nghệ\nY tế"},
    ),
    Case(
        "study:sessions",
        SEE - {"inspector"},
        _campaign(),
        method="post",
        data=lambda c: {"unit": c.cell_a1.pk, "held_on": _d(), "mode": "in_person", "place": "Phòng họp"},
    ),
    Case("study:attendance", SEE - {"inspector"}, _session, method="post", data=lambda c: {"member": [c.m_a1.pk]}),
    Case("study:quiz", {"member_a1"}, _campaign(), method="post", data=lambda c: {"action": "start"}),
    Case("study:report", {"member_a1"}, _campaign(), method="post", data=lambda c: {"text": "Bài thu hoạch"}),
    Case(
        "study:review",
        SEE - {"inspector"},
        _report,
        method="post",
        data=lambda c: {"outcome": "accept", "grade": "good", "comment": "Đạt yêu cầu"},
    ),
]
