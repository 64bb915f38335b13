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
    """Monday to Friday except public holidays; a Saturday made a working day in exchange
    for a bridge holiday (e.g. 26/04/2025 for 02/05/2025) is a working day."""
    return _holidays_for(day.year).is_working_day(day)


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
    """Working days from ``start`` to ``end``: the ``n`` with ``add_working_days(start, n) == end``
    when ``end`` is a working day.

    Forwards that is the working days in (start, end]; backwards (``end`` before
    ``start``) minus the working days in [end, start).
    """
    if end < start:
        return -sum(1 for i in range((start - end).days) if is_working_day(end + datetime.timedelta(days=i)))
    return sum(1 for i in range(1, (end - start).days + 1) if is_working_day(start + datetime.timedelta(days=i)))
