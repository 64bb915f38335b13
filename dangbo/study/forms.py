from django import forms
from django.utils.translation import gettext_lazy as _

from dangbo.core.forms import StyledForm, UnitChoiceField, UnitMultipleChoiceField
from dangbo.documents.models import Document
from dangbo.study.models import Campaign, Progress, Question, Session

DATE = {"placeholder": "dd/mm/yyyy"}


def _date(label, required=True):
    return forms.DateField(label=label, required=required, widget=forms.DateInput(attrs=DATE))


class CampaignForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=300)
    unit = UnitChoiceField(label=_("Organized by"), queryset=None)
    targets = UnitMultipleChoiceField(label=_("Target units"), queryset=None, widget=forms.CheckboxSelectMultiple)
    subtree = forms.BooleanField(label=_("Include the sub-units of each target unit"), required=False, initial=True)
    documents = forms.ModelMultipleChoiceField(
        label=_("Documents studied"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    material = forms.CharField(label=_("Study material"), required=False, widget=forms.Textarea(attrs={"rows": 8}))
    opens_on = _date(_("Opens on"))
    deadline = _date(_("Deadline"))
    makeup_deadline = _date(_("Make-up deadline"), required=False)
    quiz_required = forms.BooleanField(label=_("Members must pass a quiz"), required=False, initial=True)
    pass_mark = forms.IntegerField(label=_("Pass mark (%)"), min_value=1, max_value=100, initial=80)
    max_attempts = forms.IntegerField(label=_("Attempts allowed (0: unlimited)"), min_value=0, max_value=20, initial=3)
    quiz_size = forms.IntegerField(
        label=_("Questions per attempt (0: all, in random order)"), min_value=0, max_value=200, initial=0
    )
    report_required = forms.BooleanField(label=_("Members must submit a learning report"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["targets"].queryset = units
        self.fields["documents"].queryset = Document.objects.order_by("-issued_on", "-id")


class QuestionForm(StyledForm):
    text = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 2}))
    kind = forms.ChoiceField(label=_("Type"), choices=Question.Kind.choices)
    answers = forms.CharField(
        label=_("Answers, one per line; start the correct ones with *"),
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def choices(self):
        out = []
        for line in self.cleaned_data["answers"].splitlines():
            line = line.strip()
            if line:
                out.append((line.lstrip("*").strip(), line.startswith("*")))
        return out


class SessionForm(StyledForm):
    unit = UnitChoiceField(label=_("Held by"), queryset=None)
    held_on = _date(_("Date"))
    mode = forms.ChoiceField(label=_("Form"), choices=Session.Mode.choices)
    place = forms.CharField(label=_("Place or link"), required=False, max_length=300)
    makeup = forms.BooleanField(label=_("Make-up session"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class ReportForm(StyledForm):
    text = forms.CharField(label=_("Your learning report"), required=False, widget=forms.Textarea(attrs={"rows": 12}))


class ReviewForm(StyledForm):
    outcome = forms.ChoiceField(
        label=_("Decision"), choices=[("accept", _("Meets the requirements")), ("return", _("Return for rework"))]
    )
    grade = forms.ChoiceField(label=_("Grade"), choices=[("", "—"), *Progress.Grade.choices], required=False)
    comment = forms.CharField(label=_("Comments"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


STATE_FILTER = [("", _("All")), *Campaign.State.choices]
