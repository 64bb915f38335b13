"""Bounds on every form field of the project, so that no typed value reaches the database unchecked.

A form field with no limit of its own gets one here (``install``, called once from ``CoreConfig.ready``):

- a number (``IntegerField`` and its kin ``DecimalField``, ``FloatField``) lies within what an integer
  column holds on every database, ``-MAX_INT - 1 .. MAX_INT`` (PostgreSQL's ``integer``; SQLite would take
  more, PostgreSQL would fail on it). A field with a domain bound of its own (a count, a percentage) keeps
  it; this is only the floor under all of them;
- a text (``CharField`` with no ``max_length``: a model ``TextField``, a free note) holds at most
  ``MAX_TEXT`` characters — long enough for meeting minutes, short of a pasted book.

- a day (``DateField``, ``DateTimeField``) lies between 01/01/1900 (the birth of the oldest members) and
  31/12/2100: Python's dates end at year 1 and 9999, and the pages count years and months back and forth
  from the day typed;
- a choice of several objects (``ModelMultipleChoiceField``) by integer key refuses a key beyond any key
  column (Django looks it up with ``pk__in``, which SQLite cannot even compare) as an invalid value.

Django's ``CharField`` already refuses the NUL character (PostgreSQL cannot store it) with a form error;
``RejectNulMiddleware`` refuses it in any other request value.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from dangbo.core.params import MAX_INT, MAX_PK

MAX_TEXT = 50_000
FIRST_DAY, LAST_DAY = datetime.date(1900, 1, 1), datetime.date(2100, 12, 31)

_installed = False


def install():
    global _installed
    if _installed:
        return
    _installed = True

    number_init = forms.IntegerField.__init__

    def bounded_number_init(self, *, max_value=None, min_value=None, **kwargs):
        number_init(
            self,
            max_value=MAX_INT if max_value is None else max_value,
            min_value=-MAX_INT - 1 if min_value is None else min_value,
            **kwargs,
        )

    forms.IntegerField.__init__ = bounded_number_init

    text_init = forms.CharField.__init__

    def bounded_text_init(self, *, max_length=None, **kwargs):
        if max_length is None and not isinstance(self, forms.JSONField):
            max_length = MAX_TEXT
        text_init(self, max_length=max_length, **kwargs)

    forms.CharField.__init__ = bounded_text_init

    check_values = forms.ModelMultipleChoiceField._check_values

    def bounded_check_values(self, value):
        key = self.to_field_name or "pk"
        opts = self.queryset.model._meta
        field = opts.pk if key == "pk" else opts.get_field(key)
        if isinstance(field, models.IntegerField) and isinstance(value, (list, tuple)):
            for pk in value:
                if _beyond_keys(pk):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                    )
        return check_values(self, value)

    forms.ModelMultipleChoiceField._check_values = bounded_check_values

    for temporal in (forms.DateField, forms.DateTimeField):
        _bound_days(temporal)


def _bound_days(cls):
    init = cls.__init__

    def bounded_init(self, *args, **kwargs):
        init(self, *args, **kwargs)
        self.validators.append(validate_day_in_range)

    cls.__init__ = bounded_init


def validate_day_in_range(value):
    day = value.date() if isinstance(value, datetime.datetime) else value
    if isinstance(day, datetime.date) and not FIRST_DAY <= day <= LAST_DAY:
        raise ValidationError(
            _("Enter a date between %(first)s and %(last)s.")
            % {"first": FIRST_DAY.strftime("%d/%m/%Y"), "last": LAST_DAY.strftime("%d/%m/%Y")},
            code="day_range",
        )


def _beyond_keys(value):
    text = str(value).strip()
    digits = text[1:] if text.startswith(("-", "+")) else text
    return digits.isdigit() and (len(digits) > 19 or int(digits) > MAX_PK)
