from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangbo.core.forms import StyledForm, UnitSearchField
from dangbo.core.uploads import MB, LimitedFileField
from dangbo.org.models import OrgUnit
from dangbo.stattables import registry
from dangbo.stattables.compute import PERIOD_KINDS, Period

MAX_FILE_BYTES = 1 * MB


def _small(form):
    for f in form.fields.values():
        f.widget.attrs["class"] = (
            "form-select form-select-sm" if isinstance(f.widget, forms.Select) else "form-control form-control-sm"
        )


class TableForm(forms.Form):
    """Which table, for which unit and period (GET parameters)."""

    table = forms.ChoiceField(label=_("Table"))
    unit = UnitSearchField(label=_("Unit"), queryset=OrgUnit.objects.none(), required=False)
    kind = forms.ChoiceField(label=_("Period"), choices=list(PERIOD_KINDS.items()))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["table"].choices = [(f, f"{code} · {title}") for f, code, title in registry.families()]
        self.fields["unit"].queryset = units
        self.fields["unit"].search_url = reverse("stattables:search_units")
        _small(self)

    @property
    def period(self):
        return Period(self.cleaned_data["kind"], self.cleaned_data["year"])


class ExportForm(StyledForm):
    """What the signature block prints beside the preparer's name."""

    preparer = forms.CharField(label=_("Prepared by"), max_length=100, required=False)
    preparer_phone = forms.CharField(label=_("Preparer's phone"), max_length=40, required=False)
    head = forms.CharField(label=_("Head of the organization board"), max_length=100, required=False)
    place = forms.CharField(label=_("Place"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _small(self)


class UploadForm(StyledForm):
    file = LimitedFileField(
        label=_("Table file (JSON)"),
        max_bytes=MAX_FILE_BYTES,
        help_text=_("A table file as downloaded from this page, corrected or new."),
    )
    effective_from = forms.DateField(
        label=_("In force from"),
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}),
        help_text=_("Periods ending on or after this day use this file."),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))

    def clean_effective_from(self):
        day = self.cleaned_data["effective_from"]
        if day.year < 2000 or day > timezone.localdate().replace(year=timezone.localdate().year + 5):
            raise forms.ValidationError(_("Give a date between 2000 and five years from now."))
        return day


class DownloadForm(forms.Form):
    table = forms.ChoiceField()
    year = forms.IntegerField(min_value=2000, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["table"].choices = [(f, f) for f, _code, _title in registry.families()]
