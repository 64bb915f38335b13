"""dangbo.core.numbers: one number format in and out (issue 14 §3)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import translation

from dangbo.core import numbers


@pytest.fixture(autouse=True)
def vi():
    with translation.override("vi"):
        yield


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("90").normalize(), "90"),  # 9E+1
        (Decimal("92.0"), "92"),
        (Decimal("92.50"), "92,5"),
        (5175, "5.175"),
        (Decimal("1234.5"), "1.234,5"),
        (8.5, "8,5"),
        (Decimal("66.666"), "66,67"),
        (None, "—"),
        (0, "0"),
    ],
)
def test_fmt(value, text):
    assert numbers.fmt(value) == text


def test_percent_fixed_and_filters():
    assert numbers.percent(Decimal("92.0")) == "92%"
    assert numbers.percent(Decimal("87.5")) == "87,5%"
    assert numbers.fmt(Decimal("8.5"), 2, fixed=True) == "8,50"
    html = Template("{% load numbers %}{{ a|num }} {{ b|percent }} {{ c|fixed:1 }} {{ d|num }}").render(
        Context({"a": 5175, "b": Decimal("9E+1"), "c": Decimal("8"), "d": None})
    )
    assert html == "5.175 90% 8,0 —"


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("8,5", Decimal("8.5")),
        ("8.5", Decimal("8.5")),
        (" 8,50 ", Decimal("8.50")),
        ("1.234,5", Decimal("1234.5")),
        ("1,234.5", Decimal("1234.5")),
        ("1.234.567", Decimal("1234567")),
        ("1234", Decimal("1234")),
        ("0.125", Decimal("0.125")),
        ("-3,5", Decimal("-3.5")),
        ("", None),
    ],
)
def test_parse_reads_both_ways(typed, value):
    assert numbers.parse(typed) == value


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("1.234", "ambiguous"),
        ("12,345", "ambiguous"),
        ("abc", "invalid"),
        ("1,2,3", "invalid"),
        ("1.23,4.5", "invalid"),
        ("8,", "invalid"),
    ],
)
def test_parse_refuses_in_vietnamese(typed, code):
    with pytest.raises(ValidationError) as e:
        numbers.parse(typed)
    assert e.value.code == code
    assert any(w in e.value.messages[0] for w in ("số", "hai cách"))


def test_decimal_field_and_total():
    from django import forms

    class F(forms.Form):
        x = numbers.DecimalField(min_value=0, max_value=10, decimal_places=2)

    f = F({"x": "8,5"})
    assert f.is_valid() and f.cleaned_data["x"] == Decimal("8.5")
    f = F({"x": "85"})
    assert not f.is_valid() and "không lớn hơn 10" in f.errors["x"][0]
    assert 'inputmode="decimal"' in str(F()["x"]) and "max=" not in str(F()["x"])
    with pytest.raises(ValidationError, match="175"):
        numbers.check_total(Decimal(175), Decimal(100))
    numbers.check_total(Decimal(100), Decimal(100))


def test_excel_formats():
    assert numbers.excel_format(5175) == "#,##0"
    assert numbers.excel_format(Decimal("92.5")) == "#,##0.0"
    assert numbers.excel_format(Decimal("92.0")) == "#,##0" and numbers.excel_format(33.333) == "#,##0.00"
    assert numbers.excel_format("x") is None and numbers.excel_format(True) is None
