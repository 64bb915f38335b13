"""Access-matrix rows of this app (tests/test_access_matrix.py): one Case per URL."""

import datetime

from dangbo.testing import EVERYONE, STAFF, Case

SEE_A1 = {"bloc", "inspector", "staff_a", "secretary_a1"}
WRITE_A1 = {"bloc", "staff_a", "secretary_a1"}


def _period(cast):
    from dangbo.review.models import ReviewPeriod
    from dangbo.review.services import open_period

    existing = ReviewPeriod.objects.filter(unit=cast.bloc, year=2026).first()
    return existing or open_period(
        unit=cast.bloc,
        kind="year",
        year=2026,
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
        self_deadline=datetime.date(2026, 12, 10),
        actor=cast.bloc_user,
    )


def _home(cast):
    _period(cast)
    return {}


def _p(cast):
    return {"pk": _period(cast).pk}


def _criterion(cast):
    return {"pk": _period(cast).criteria.first().pk}


def _unit(action=None):
    def make(cast):
        from dangbo.review.models import UnitReview

        ur = UnitReview.objects.get(period=_period(cast), unit=cast.cell_a1)
        return {"pk": ur.pk, **({"action": action} if action else {})}

    return make


def _member(action=None):
    def make(cast):
        from dangbo.review.models import MemberReview

        r = MemberReview.objects.get(period=_period(cast), member=cast.m_a1)
        return {"pk": r.pk, **({"action": action} if action else {})}

    return make


def _scores(review, total=85):
    """Points per criterion adding up to ``total``, as the self-assessment form posts them."""
    left, out = total, {}
    for c in review.period.criteria.filter(group=review.group).order_by("pk"):
        v = min(left, int(c.max_points))
        out[c.pk] = v
        left -= v
    return out


def _self_data(cast):
    from dangbo.review.models import MemberReview

    r = MemberReview.objects.get(period=_period(cast), member=cast.m_a1)
    return {**{f"self-c{pk}": v for pk, v in _scores(r).items()}, "self-comment": "Tự nhận xét"}


def _appraised_cell(cast):
    """Every member of cell_a1 self-assessed and appraised: the cell may vote."""
    from dangbo.review import services
    from dangbo.review.models import MemberReview

    kwargs = _unit("vote")(cast)
    for r in MemberReview.objects.filter(period=_period(cast), unit=cast.cell_a1, appraised_at__isnull=True):
        services.submit_self_assessment(review=r, scores=_scores(r), comment="Tự nhận xét", actor=cast.bloc_user)
        services.appraise(review=r, score=85, exceeding=40, actor=cast.bloc_user)
    return kwargs


def _own_review(cast):
    """The cell secretary's own review (a member of her cell linked to her login), self-assessed."""
    from dangbo.members.models import Member
    from dangbo.review import services
    from dangbo.review.models import MemberReview
    from dangbo.testing import make_member

    me = Member.objects.filter(user=cast.secretary_a1).first()
    me = me or make_member("Hoàng Văn Bình", cast.cell_a1, user=cast.secretary_a1)
    r = MemberReview.objects.get(period=_period(cast), member=me)
    if r.self_submitted_at is None:
        services.submit_self_assessment(review=r, scores=_scores(r), comment="Tự nhận xét", actor=cast.secretary_a1)
    return {"pk": r.pk, "action": "appraise"}


def _opening(cast):
    """A period whose opening stopped half-way: its member reviews not written yet."""
    from dangbo.review.models import MemberReview, ReviewPeriod

    p = _period(cast)
    MemberReview.objects.filter(period=p).delete()
    ReviewPeriod.objects.filter(pk=p.pk).update(state=ReviewPeriod.State.OPENING)
    return {"pk": p.pk}


def _open_data(cast):
    return {
        "unit": cast.gr_a.pk,
        "kind": "year",
        "year": 2025,
        "starts_on": "01/01/2025",
        "ends_on": "31/12/2025",
        "self_deadline": "10/12/2025",
    }


def _criterion_data(cast):
    from dangbo.review.models import Criterion, Group

    return {
        "group": Group.choices[0][0],
        "section": Criterion.Section.choices[0][0],
        "title": "Tiêu chí bổ sung",
        "max_points": "5",
    }


CASES = [
    Case("review:home", EVERYONE, kwargs=_home),
    Case("review:period_open", {"bloc", "staff_a"}, method="post", data=_open_data),
    Case("review:period", STAFF, kwargs=_p),
    Case("review:criteria", STAFF, kwargs=_p),
    Case("review:period_sync", {"bloc"}, kwargs=_p, method="post"),
    Case("review:period_resume", {"bloc"}, kwargs=_opening, method="post"),
    Case("review:criteria", {"bloc"}, kwargs=_p, method="post", data=_criterion_data),
    Case("review:criterion_delete", {"bloc"}, kwargs=_criterion, method="post"),
    Case("review:unit", SEE_A1, kwargs=_unit()),
    Case(
        "review:unit_action",
        WRITE_A1,
        kwargs=_appraised_cell,
        method="post",
        data=lambda cast: {
            "vote-voted_on": datetime.date.today().strftime("%d/%m/%Y"),
            "vote-resolution_no": "01-NQ/CB",
            "vote-present": 2,
        },
    ),
    Case("review:member", SEE_A1 | {"member_a1"}, kwargs=_member()),
    Case("review:member_action", WRITE_A1 | {"member_a1"}, kwargs=_member("self"), method="post", data=_self_data),
    # Nobody acts on their own case: the secretary does not appraise her own review (403).
    Case(
        "review:member_action",
        WRITE_A1 - {"secretary_a1"},
        kwargs=_own_review,
        method="post",
        data=lambda cast: {"appraise-score": "90", "appraise-exceeding": "40"},
    ),
    Case("review:results", STAFF),
    Case("review:export", STAFF),
]
