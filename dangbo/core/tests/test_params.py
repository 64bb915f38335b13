"""core.params: query and posted values read within bounds, never an exception."""

import datetime

import pytest
from django.http import QueryDict

from dangbo.core import params
from dangbo.core.params import MAX_PK, clip_search, param_date, param_id, param_ids, param_int, param_year, to_int

HUGE = "99999999999999999999999"


@pytest.mark.parametrize(
    "value,expected",
    [("5", 5), (" 7 ", 7), ("-5", -5), ("", None), ("abc", None), ("1.5", None), ("٣", None), (HUGE, None),
     ("2147483647", 2147483647), ("2147483648", None), (None, None), ("9" * 5000, None)],
)  # fmt: skip
def test_to_int_keeps_only_whole_numbers_a_column_holds(value, expected):
    assert to_int(value) == expected


def test_param_int_bounds_and_default():
    q = QueryDict("n=12&m=-3&big=" + HUGE)
    assert param_int(q, "n", 1, min_value=0, max_value=10) == 1
    assert param_int(q, "m", 0, min_value=0) == 0
    assert param_int(q, "big", 4) == 4
    assert param_int(q, "missing", 9) == 9


def test_param_year_is_between_1930_and_2100():
    assert param_year(QueryDict("year=0"), default=2026) == 2026
    assert param_year(QueryDict("year=1929"), default=2026) == 2026
    assert param_year(QueryDict("year=1930")) == 1930
    assert param_year(QueryDict("year=2100")) == 2100
    assert param_year(QueryDict("year=2101")) is None


def test_param_id_and_ids_are_positive_keys():
    q = QueryDict(f"id=abc&ok=12&m=1&m=x&m={HUGE}&m=3&m=-4&m={MAX_PK}")
    assert param_id(q, "id") is None and param_id(q, "ok") == 12
    assert param_ids(q, "m") == [1, 3, MAX_PK]


@pytest.mark.parametrize(
    "value,expected",
    [("15/03/2026", datetime.date(2026, 3, 15)), ("2026-03-15", datetime.date(2026, 3, 15)), ("01/01/0001", None),
     ("31/12/9999", None), ("31/02/2024", None), ("abc", None), ("1" * 100, None), ("", None)],
)  # fmt: skip
def test_param_date_is_a_real_day_in_range(value, expected):
    assert param_date({"on": value}, "on") == expected


def test_a_long_search_is_clipped():
    text, cut = clip_search(" ".join(["nguyen"] * 3000))
    assert cut and len(text.split()) == params.MAX_SEARCH_WORDS
    assert clip_search("  Nguyễn   Văn An ") == ("Nguyễn Văn An", False)
    text, cut = clip_search("x" * 1000)
    assert cut and len(text) == params.MAX_SEARCH_CHARS
