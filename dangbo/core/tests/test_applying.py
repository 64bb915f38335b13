"""The one way a view applies a service (`dangbo.core.applying`)."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from dangbo.core.applying import service_errors


class _Form(forms.Form):
    title = forms.CharField()


def _form():
    form = _Form({"title": "x"})
    assert form.is_valid()
    return form


def test_a_refusal_naming_a_field_of_the_form_lands_on_that_field_and_the_block_stops():
    form, reached = _form(), []
    with service_errors(form) as applied:
        raise ValidationError({"title": "Tên đã có.", "unknown": "Ngày không hợp lệ."})
        reached.append(True)  # pragma: no cover
    assert applied.failed and not reached
    assert form.errors["title"] == ["Tên đã có."]
    assert form.non_field_errors() == ["Ngày không hợp lệ."]


def test_a_plain_refusal_is_the_forms_error_and_success_runs_the_whole_block():
    form = _form()
    with service_errors(form) as applied:
        raise ValidationError("Đã khóa.")
    assert applied.failed and form.non_field_errors() == ["Đã khóa."]
    form, done = _form(), []
    with service_errors(form) as applied:
        done.append(1)
    assert done == [1] and not applied.failed and form.is_valid()


def test_given_the_request_the_refusal_is_one_error_message_and_other_errors_pass_through():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    with service_errors(request, also=(ValueError,)):
        raise ValueError("Số không hợp lệ.")
    with service_errors(request):
        raise ValidationError(["Một.", "Hai."])
    assert [m.message for m in get_messages(request)] == ["Số không hợp lệ.", "Một. Hai."]
    with pytest.raises(KeyError), service_errors(request):
        raise KeyError("not a refusal")
