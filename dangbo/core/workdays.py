"""Working-day calendar: Saturdays, Sundays and Vietnamese public holidays
(lunar Tết included, from the ``holidays`` package) are not working days.

Deadlines in the regulations are counted in working days (DOMAIN.md §3:
ceremony within 30 working days of the decision, and so on).
"""

import datetime
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _holidays_for(year):
    return holidays.country_holidays("VN", years=year)


def holiday_name(day):
    return _holidays_for(day.year).get(day)


def is_working_day(day):
    return day.weekday() < 5 and day not in _holidays_for(day.year)


def add_working_days(start, n):
    """The date that is ``n`` working days after ``start`` (``start`` itself not counted).

    ``n == 0`` returns ``start`` unchanged; negative ``n`` counts backwards.
    """
    day = start
    step = 1 if n >= 0 else -1
    remaining = abs(n)
    while remaining:
        day += datetime.timedelta(days=step)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start, end):
    """Number of working days in (start, end]; negative when end is before start."""
    if end < start:
        return -working_days_between(end, start)
    count = 0
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
