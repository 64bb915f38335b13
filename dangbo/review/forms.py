from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangbo.core import numbers
from dangbo.core.forms import StyledForm
from dangbo.review.models import Criterion, Group, MemberReview, ReviewPeriod

DATE = {"placeholder": "dd/mm/yyyy"}


def _date(label, required=True):
    return forms.DateField(
        label=label, required=required, widget=forms.DateInput(attrs=DATE), initial=timezone.localdate
    )


def _percent(label):
    return numbers.DecimalField(label=label, required=False, min_value=0, max_value=100, decimal_places=2)


class PeriodForm(StyledForm):
    unit = forms.ModelChoiceField(label=_("For"), queryset=None)
    kind = forms.ChoiceField(label=_("Kind"), choices=ReviewPeriod.Kind.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—"), (1, 1), (2, 2), (3, 3), (4, 4)],
    )
    starts_on = _date(_("From"))
    ends_on = _date(_("To"))
    self_deadline = _date(_("Self-assessments due"))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].empty_label = None


class CriterionForm(StyledForm):
    group = forms.ChoiceField(label=_("Group"), choices=Group.choices)
    section = forms.ChoiceField(label=_("Section"), choices=Criterion.Section.choices)
    title = forms.CharField(label=_("Criterion"), max_length=255)
    max_points = numbers.DecimalField(label=_("Maximum points"), min_value=0, max_value=100, decimal_places=2)


class SelfAssessmentForm(StyledForm):
    comment = forms.CharField(
        label=_("Self-assessment: strengths, shortcomings, how you will fix them"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, criteria, initial_scores=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        initial_scores = initial_scores or {}
        fields = {}
        for c in criteria:
            initial = initial_scores.get(str(c.pk))
            fields[f"c{c.pk}"] = numbers.DecimalField(
                label=f"{c.title} (≤ {numbers.fmt(c.max_points)})",
                min_value=0,
                max_value=c.max_points,
                decimal_places=2,
                initial=numbers.parse(initial) if initial not in (None, "") else None,
                widget=numbers.NumberInput(
                    attrs={"class": "form-control", "data-points": "1", "data-max": numbers.fmt(c.max_points)}
                ),
            )
        comment = self.fields.pop("comment")
        self.fields.update(fields)
        self.fields["comment"] = comment

    @property
    def maximum(self):
        """The most points the criteria allow together (the "/ 100" of the total)."""
        return sum((c.max_points for c in self.criteria), Decimal(0))

    def clean(self):
        data = super().clean()
        values = [data.get(f"c{c.pk}") for c in self.criteria]
        if all(v is not None for v in values):
            try:
                numbers.check_total(sum(values, Decimal(0)), self.maximum)
            except ValidationError as e:
                self.add_error(None, e)
        return data

    def sections(self):
        out = {}
        for c in self.criteria:
            out.setdefault(c.get_section_display(), []).append(self[f"c{c.pk}"])
        return list(out.items())

    def scores(self):
        return {c.pk: self.cleaned_data.get(f"c{c.pk}") for c in self.criteria}


class AppraisalForm(StyledForm):
    score = numbers.DecimalField(label=_("Points given by the cell"), min_value=0, max_value=100, decimal_places=2)
    late = _percent(_("Tasks behind schedule (%)"))
    exceeding = _percent(_("Tasks exceeding requirements (%)"))
    targets = _percent(_("Assigned targets achieved (%), if the member has targets"))
    disqualifier = forms.ChoiceField(
        label=_("Disqualifying case"), required=False, choices=MemberReview.Disqualifier.choices
    )
    disqualifier_note = forms.CharField(
        label=_("Reason of the disqualifying case"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    note = forms.CharField(label=_("Cell's comments"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class VoteForm(StyledForm):
    voted_on = _date(_("Cell meeting of"))
    resolution_no = forms.CharField(label=_("Resolution number"), max_length=100)
    present = forms.IntegerField(label=_("Members present"), min_value=0, max_value=9999)


class DecideForm(StyledForm):
    decided_on = _date(_("Decided on"))
    decision_no = forms.CharField(label=_("Decision number"), max_length=100)
    accept_quota_warning = forms.BooleanField(
        label=_("I confirm the decision although the excellent quota is exceeded (warning mode)"), required=False
    )


class ReturnForm(StyledForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class AnnounceForm(StyledForm):
    announced_on = _date(_("Announced on"))


class ClassifyUnitForm(StyledForm):
    score = forms.DecimalField(label=_("Points"), min_value=0, max_value=100, decimal_places=2)
    clean_strong = forms.BooleanField(label=_("Clean and strong"), required=False)


class ResultsForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None, required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].widget.attrs["class"] = "form-select form-select-sm"
        self.fields["year"].widget.attrs["class"] = "form-control form-control-sm"
