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


CASES = [
    Case("review:home", EVERYONE, kwargs=_home),
    Case("review:period_open", {"bloc", "staff_a", "staff_b"}, method="post"),
    Case("review:period", STAFF, kwargs=_p),
    Case("review:criteria", STAFF, kwargs=_p),
    Case("review:period_sync", {"bloc"}, kwargs=_p, method="post"),
    Case("review:period_resume", {"bloc"}, kwargs=_p, method="post"),
    Case("review:criterion_delete", {"bloc"}, kwargs=_criterion, method="post"),
    Case("review:unit", SEE_A1, kwargs=_unit()),
    Case("review:unit_action", WRITE_A1, kwargs=_unit("vote"), method="post"),
    Case("review:member", SEE_A1 | {"member_a1"}, kwargs=_member()),
    Case("review:member_action", WRITE_A1 | {"member_a1"}, kwargs=_member("self"), method="post"),
    Case("review:results", STAFF),
    Case("review:export", STAFF),
]
