"""Two decisions of docs/rules.md on the limitation of discipline (QĐ 69-QĐ/TW Điều 4; DOMAIN.md §7; issue on
history §4): the dissolution of an organization has no limitation, like the expulsion of a member; a case
closed without discipline is not a new violation and restarts nothing (only a new violation does)."""

import datetime

import pytest
from django.utils import timezone

from dangbo.core.dates import years_before
from dangbo.inspection import authority, services
from dangbo.inspection.models import DisciplineCase, Form

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
ONE_DAY = datetime.timedelta(days=1)


def ago(days):
    return TODAY - datetime.timedelta(days=days)


def _open(cast, member, violation_on):
    return services.open_discipline(
        member=member,
        violation="Vi phạm quy định về những điều đảng viên không được làm",
        violation_on=violation_on,
        proposed_form="reprimand",
        deciding_unit=member.unit,
        deciding_body="cell",
        actor=None,
    )


def test_dissolution_and_expulsion_have_no_limitation_the_other_forms_have_one():
    F = Form
    assert authority.limitation_years_key(F.DISSOLUTION) is None
    assert authority.limitation_years_key(F.EXPULSION) is None
    assert authority.limitation_years_key(F.REPRIMAND) == "discipline.limitation_years_reprimand"
    assert authority.limitation_years_key(F.WARNING) == "discipline.limitation_years_warning"


def test_a_case_closed_without_discipline_restarts_nothing(cast):
    first = _open(cast, cast.m_a1, years_before(ago(10), 5))
    assert services.limitation_end(first, "reprimand") == ago(10) + ONE_DAY
    other = _open(cast, cast.m_a1, ago(300))
    # Open, the other case is a new violation inside the period: it restarts the limitation …
    assert services.limitation_end(first, "reprimand") == years_before(ago(300), -5) + ONE_DAY
    # … closed without discipline, it is not a violation that counts: the first period stands.
    services.close_without_discipline(case=other, day=ago(1), note="Không đến mức phải kỷ luật", actor=None)
    other.refresh_from_db()
    assert other.state == DisciplineCase.State.NOT_DISCIPLINED
    assert services.limitation_end(first, "reprimand") == ago(10) + ONE_DAY
