from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangbo.core.forms import UnitSearchField
from dangbo.org.models import OrgUnit
from dangbo.rules.services import parse_value


def _date(label, required=True, initial=None):
    return forms.DateField(
        label=label,
        required=required,
        initial=initial,
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy", "class": "form-control", "inputmode": "numeric"}),
    )


class RulesFilterForm(forms.Form):
    unit = UnitSearchField(label=_("For unit"), queryset=OrgUnit.objects.none(), required=False)
    on = _date(_("On date"), required=False)
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].search_url = reverse("rules:search_list_units")
        self.fields["unit"].widget.attrs["class"] = "form-select"
        self.fields["q"].widget.attrs["class"] = "form-control"


class VersionForm(forms.Form):
    value = forms.CharField(label=_("Value"), max_length=255)
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=500)
    effective_from = _date(_("Effective from"), initial=timezone.localdate)
    effective_to = _date(_("Effective to (leave empty if open-ended)"), required=False)
    scope_unit = UnitSearchField(
        label=_("Override for the subtree of"),
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label=_("— National (no override) —"),
    )
    verified = forms.BooleanField(label=_("Checked against the official text"), required=False, initial=True)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, rule, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.rule = rule
        self.fields["scope_unit"].queryset = units
        self.fields["scope_unit"].search_url = reverse("rules:search_units")
        for name, f in self.fields.items():
            if name == "verified":
                f.widget.attrs["class"] = "form-check-input"
            elif name == "scope_unit":
                f.widget.attrs["class"] = "form-select"
            else:
                f.widget.attrs.setdefault("class", "form-control")

    def clean_value(self):
        try:
            return parse_value(self.cleaned_data["value"], self.rule.value_unit)
        except ValidationError as e:
            raise forms.ValidationError(e.messages)


class EndVersionForm(forms.Form):
    effective_to = _date(_("Effective to"))


class ConfirmUnknownForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=1000, widget=forms.TextInput)
