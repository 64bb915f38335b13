"""Dates typed and shown dd/mm/yyyy (DESIGN.md §6), in Vietnamese and in English."""

import datetime

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation


class DateForm(forms.Form):
    day = forms.DateField()


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("typed", ["23/11/2026", "23-11-2026", "23.11.2026", "2026-11-23"])
def test_date_field_accepts_day_first(lang, typed):
    with translation.override(lang):
        form = DateForm({"day": typed})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["day"] == datetime.date(2026, 11, 23)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_month_first_is_refused_with_a_message(lang):
    with translation.override(lang):
        form = DateForm({"day": "11/23/2026"})
        assert not form.is_valid()
        assert form.errors["day"]


def test_vietnamese_error_message():
    with translation.override("vi"):
        form = DateForm({"day": "31/02/2026"})
        assert not form.is_valid()
        assert "ngày" in str(form.errors["day"][0]).lower()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_dates_are_shown_day_first(lang):
    with translation.override(lang):
        out = Template("{{ d|date:'SHORT_DATE_FORMAT' }} {{ d }}").render(Context({"d": datetime.date(2026, 3, 5)}))
    assert out == "05/03/2026 05/03/2026"
