from django import forms
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from dangbo.core.forms import StyledForm, UnitChoiceField
from dangbo.reports.models import RECONCILED_STATUSES, Period, period_bounds


class PeriodForm(forms.Form):
    """The period (and unit) a page shows: GET parameters."""

    period = forms.ChoiceField(label=_("Period"), choices=Period.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    number = forms.IntegerField(label=_("Quarter / half"), min_value=1, max_value=4, initial=1)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"] = UnitChoiceField(label=_("Unit"), queryset=units, required=False, empty_label=None)
        for f in self.fields.values():
            f.widget.attrs["class"] = (
                "form-select form-select-sm" if isinstance(f.widget, forms.Select) else ("form-control form-control-sm")
            )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if data["period"] == Period.YEAR:
            data["number"] = 1
        try:
            period_bounds(data["period"], data["year"], data["number"])
        except ValueError:
            raise forms.ValidationError(_("This period does not exist."))
        return data


# A declared figure (members, admissions, ... of the bloc at most) is a count far below this; a larger one is
# a typing slip, refused before it reaches a report or a consolidation.
MAX_DECLARED = 10_000_000


class _DeclaredMaxMessage:
    """The error for a figure above MAX_DECLARED, written when shown, in the page's language (10.000.000)."""

    def __str__(self):
        return str(
            _("A declared figure is at most %(max)s.") % {"max": number_format(MAX_DECLARED, force_grouping=True)}
        )

    def __mod__(self, params):  # ValidationError fills in its own parameters; the text has its own
        return str(self)


def declared_field(label, **kwargs):
    """A declared figure: a whole number from 0 to MAX_DECLARED."""
    return forms.IntegerField(
        label=label, min_value=0, max_value=MAX_DECLARED, error_messages={"max_value": _DeclaredMaxMessage()}, **kwargs
    )


NARRATIVE_FIELDS = [
    ("results", _("Results")),
    ("limitations", _("Limitations")),
    ("causes", _("Causes")),
    ("next_tasks", _("Tasks for the next period")),
    ("proposals", _("Proposals")),
]


class ReportForm(StyledForm):
    """The declared figures (one field per countable figure, pre-filled from the system) and the narrative."""

    def __init__(self, *args, figures, **kwargs):
        super().__init__(*args, **kwargs)
        self.figure_keys = []
        for key, f in figures.items():
            name = "f_" + key.replace(".", "__")
            self.fields[name] = declared_field(f.label, required=True)
            self.fields[name].widget.attrs.update(
                {"class": "form-control form-control-sm text-end", "inputmode": "numeric"}
            )
            self.figure_keys.append((key, name, f))
        for name, label in NARRATIVE_FIELDS:
            self.fields[name] = forms.CharField(
                label=label, required=False, widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"})
            )
        # A report of the past is entered with the day it was submitted (issue on history §6).
        self.fields["submitted_on"] = past_day_field(
            _("Submitted on"), _("For a report of the past: the day it was submitted (today when left empty).")
        )

    def clean_submitted_on(self):
        return not_future(self.cleaned_data.get("submitted_on"))

    def declared(self):
        return {key: self.cleaned_data[name] for key, name, _f in self.figure_keys}

    def narrative(self):
        return {name: self.cleaned_data[name] for name, _l in NARRATIVE_FIELDS}

    def figure_rows(self):
        """[(section, [(bound field, figure)])] for the template."""
        sections = {}
        for _key, name, f in self.figure_keys:
            sections.setdefault(str(f.section), []).append((self[name], f))
        return list(sections.items())


def past_day_field(label, help_text=""):
    return forms.DateField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy", "class": "form-control"}),
    )


def not_future(day):
    if day and day > timezone.localdate():
        raise forms.ValidationError(_("The day cannot be in the future."))
    return day


class ReturnForm(StyledForm):
    reason = forms.CharField(label=_("Reason for returning"), widget=forms.Textarea(attrs={"rows": 2}))
    decided_on = past_day_field(_("Returned on"), _("Today when left empty."))

    def clean_decided_on(self):
        return not_future(self.cleaned_data.get("decided_on"))


class AcceptForm(StyledForm):
    decided_on = past_day_field(_("Accepted on"), _("Today when left empty."))

    def clean_decided_on(self):
        return not_future(self.cleaned_data.get("decided_on"))


STATUS_LABELS = {
    "official": _("Official"),
    "probationary": _("Probationary"),
    "exempted": _("Exempted from party work"),
    "suspended": _("Suspended"),
}


class ReconciliationForm(StyledForm):
    unit = UnitChoiceField(label=_("Unit"), queryset=None)
    on = forms.DateField(label=_("As of"), widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        for status in RECONCILED_STATUSES:
            self.fields[f"n_{status}"] = declared_field(
                _("Declared: %(status)s") % {"status": STATUS_LABELS[status]}, initial=0
            )
            self.fields[f"n_{status}"].widget.attrs["class"] = "form-control"

    def declared(self):
        return {s: self.cleaned_data[f"n_{s}"] for s in RECONCILED_STATUSES}
