"""Issue on history §2: the reviews of 2024 and 2025, entered with their own dates under the rules of those
years (before the review rules of 30/08/2025), make the "not complete two years running" flag fire at the
end of 2025 (Điều lệ Điều 8.2; Quy định 124-QĐ/TW 2023)."""

import pytest

from dangbo.review import services
from dangbo.review.tests.test_review import _announced_year

pytestmark = pytest.mark.django_db


def test_not_complete_in_2024_and_2025_is_two_years_running(cast):
    p2024 = _announced_year(cast, 2024, 40)
    assert p2024.year == 2024 and services.failed_years(cast.m_c.pk, 2024) == 1
    _announced_year(cast, 2025, 45)
    assert services.failed_years(cast.m_c.pk, 2025) == 2


def test_a_complete_year_between_breaks_the_run(cast):
    _announced_year(cast, 2023, 40)
    _announced_year(cast, 2024, 60)
    _announced_year(cast, 2025, 40)
    assert services.failed_years(cast.m_c.pk, 2025) == 1
