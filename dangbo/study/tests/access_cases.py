"""Access-matrix rows of this app (tests/test_access_matrix.py): one Case per URL."""

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
]
