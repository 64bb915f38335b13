"""Working-day deadlines (DESIGN.md §5, DOMAIN.md §3): weekends and Vietnamese public holidays,
lunar Tết included, do not count; a Saturday swapped for a bridge holiday does."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from dangbo.core.workdays import add_working_days, holiday_name, is_working_day, working_days_between

D = datetime.date
days = st.dates(min_value=D(2015, 1, 1), max_value=D(2035, 12, 31))
counts = st.integers(min_value=-80, max_value=80)


@given(days, st.integers(min_value=1, max_value=80))
def test_result_is_always_a_working_day(start, n):
    assert is_working_day(add_working_days(start, n))
    assert is_working_day(add_working_days(start, -n))


@given(days, counts)
def test_counts_exactly_n_working_days(start, n):
    end = add_working_days(start, n)
    assert working_days_between(start, end) == n


@given(days, counts)
def test_negative_n_is_the_inverse_from_a_working_day(start, n):
    if not is_working_day(start):
        start = add_working_days(start, 1)
    assert add_working_days(add_working_days(start, n), -n) == start


@given(days, st.integers(min_value=0, max_value=80))
def test_monotonic(start, n):
    assert add_working_days(start, n) <= add_working_days(start, n + 1)


def test_zero_is_identity():
    assert add_working_days(D(2026, 2, 17), 0) == D(2026, 2, 17)


def test_tet_2026():
    # Tết Bính Ngọ: Monday 16/02 to Friday 20/02/2026 are holidays.
    for day in range(16, 21):
        assert not is_working_day(D(2026, 2, day))
        assert holiday_name(D(2026, 2, day))
    assert add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 23)
    assert working_days_between(D(2026, 2, 13), D(2026, 2, 23)) == 1


def test_reunification_and_labour_day():
    assert not is_working_day(D(2026, 4, 30))
    assert not is_working_day(D(2026, 5, 1))
    # Wednesday 29/04/2026 + 1 working day skips Thu 30/4, Fri 1/5 and the weekend.
    assert add_working_days(D(2026, 4, 29), 1) == D(2026, 5, 4)
    assert add_working_days(D(2026, 5, 4), -1) == D(2026, 4, 29)


def test_national_day():
    assert not is_working_day(D(2026, 9, 2))
    assert not is_working_day(D(2025, 9, 2))
    assert add_working_days(D(2025, 8, 29), 1) == D(2025, 9, 3)  # Fri → skips weekend, 1/9 and 2/9


def test_swapped_saturday_is_a_working_day():
    # 02/05/2025 was taken off in exchange for working Saturday 26/04/2025.
    assert not is_working_day(D(2025, 5, 2))
    assert is_working_day(D(2025, 4, 26))
    assert add_working_days(D(2025, 4, 25), 1) == D(2025, 4, 26)


def test_plain_weekend():
    assert not is_working_day(D(2026, 11, 21))  # Saturday
    assert add_working_days(D(2026, 11, 20), 1) == D(2026, 11, 23)
    assert working_days_between(D(2026, 11, 23), D(2026, 11, 20)) == -1
