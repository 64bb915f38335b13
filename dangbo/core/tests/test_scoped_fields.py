"""Scoped choice fields: what the form does not offer is out of the user's reach (404), never a form error."""

import pytest
from django import forms
from django.http import Http404

from dangbo.core.forms import UnitChoiceField, UnitMultipleChoiceField
from dangbo.org.models import OrgUnit


class _Form(forms.Form):
    unit = UnitChoiceField(queryset=OrgUnit.objects.none(), required=False)
    units = UnitMultipleChoiceField(queryset=OrgUnit.objects.none(), required=False)

    def __init__(self, *args, offered, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = offered
        self.fields["units"].queryset = offered


def test_an_offered_unit_is_chosen_an_unoffered_one_is_a_404_and_garbage_a_form_error(cast):
    offered = OrgUnit.objects.filter(path__startswith=cast.gr_a.path)
    form = _Form({"unit": cast.cell_a1.pk, "units": [cast.cell_a1.pk, cast.cell_a2.pk]}, offered=offered)
    assert form.is_valid() and form.cleaned_data["unit"] == cast.cell_a1
    with pytest.raises(Http404):
        _Form({"unit": cast.cell_b1.pk}, offered=offered).is_valid()
    with pytest.raises(Http404):
        _Form({"units": [cast.cell_a1.pk, cast.cell_b1.pk]}, offered=offered).is_valid()
    for garbage in ("abc", "999999"):
        form = _Form({"unit": garbage, "units": [garbage]}, offered=offered)
        assert not form.is_valid() and set(form.errors) == {"unit", "units"}
