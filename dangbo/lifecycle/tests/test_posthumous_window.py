"""docs/rules.md (issue on history §4): a posthumous badge is considered in the year after the death (HD
01-HD/TW 2021 mục 18), never more than a year after it — an occasion 13 months after the death lists
nobody, one 11 months after it lists the member, at the milestone reached within the early window."""

import datetime

import pytest
from django.utils import timezone

from dangbo.core.dates import add_months, years_before
from dangbo.lifecycle import badges, services
from dangbo.members.models import MemberEvent
from dangbo.testing import make_member

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _deceased(cast, died):
    """Admitted 31 years before the death: the 30-year milestone reached a year before it."""
    start = years_before(died, 31)
    m = make_member("Châu Văn Cố", cast.cell_a1, admission_date=start, admission_decision_date=start)
    MemberEvent.objects.create(member=m, kind="admitted", date=start, to_unit=cast.cell_a1, status_after="probationary")
    services.record_death(member=m, day=died, actor=None)
    m.refresh_from_db()
    return m


@pytest.mark.parametrize(("months_after_death", "listed"), [(11, True), (12, True), (13, False), (24, False)])
def test_a_posthumous_badge_only_within_a_year_of_the_death(cast, months_after_death, listed):
    died = TODAY - datetime.timedelta(days=800)
    member = _deceased(cast, died)
    occasion = add_months(died, months_after_death)
    eligible = badges.evaluate(member, occasion, unit=member.unit)
    if listed:
        assert eligible is not None and eligible.early == "posthumous" and eligible.years == 30
    else:
        assert eligible is None
