import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangbo.core.forms import StyledForm, UnitChoiceField
from dangbo.inspection.models import Appeal, Body, Case, Deferral, DisciplineCase, Form, Subject, Vote
from dangbo.members.models import Member
from dangbo.org.models import OrgUnit

DATE = {"placeholder": "dd/mm/yyyy"}


def _date(label, required=True, initial_today=True):
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs=DATE),
        initial=timezone.localdate if initial_today else None,
    )


def _text(label, required=True, area=False, max_length=100):
    widget = forms.Textarea(attrs={"rows": 3}) if area else forms.TextInput
    return forms.CharField(label=label, required=required, widget=widget, max_length=None if area else max_length)


def _units(label, qs, required=True):
    return UnitChoiceField(label=label, queryset=qs.order_by("path"), required=required)


def quarter_of(day):
    q0 = (day.month - 1) // 3
    start = datetime.date(day.year, 3 * q0 + 1, 1)
    end = datetime.date(day.year + (q0 == 3), 1 if q0 == 3 else 3 * q0 + 4, 1) - datetime.timedelta(days=1)
    return start, end


class PeriodForm(StyledForm):
    unit = UnitChoiceField(label=_("Unit and sub-units"), queryset=OrgUnit.objects.none(), required=False)
    date_from = _date(_("From"), required=False, initial_today=False)
    date_to = _date(_("To"), required=False, initial_today=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.order_by("path")
        self.fields["unit"].empty_label = None

    def clean(self):
        d = super().clean()
        if d.get("date_from") and d.get("date_to") and d["date_from"] > d["date_to"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return d


class PlanForm(StyledForm):
    unit = UnitChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())
    subject = forms.ChoiceField(label=_("Subject"), choices=Subject.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    number = _text(_("Plan number"), required=False)
    content = _text(_("Content and orientation"), required=False, area=True)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.order_by("path")
        self.fields["year"].initial = timezone.localdate().year


class CaseForm(StyledForm):
    subject_unit = UnitChoiceField(label=_("Conducted by (unit)"), queryset=OrgUnit.objects.none())
    subject = forms.ChoiceField(label=_("Subject"), choices=Subject.choices)
    kind = forms.ChoiceField(label=_("Kind"), choices=Case.Kind.choices)
    unit = UnitChoiceField(label=_("Organization concerned"), queryset=OrgUnit.objects.none())
    title = _text(_("Title"), max_length=255)
    content = _text(_("Content"), required=False, area=True)
    planned_start = _date(_("Planned start"), required=False, initial_today=False)

    def __init__(self, *args, units, objects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject_unit"].queryset = units.order_by("path")
        self.fields["unit"].queryset = objects.order_by("path")


class StartForm(StyledForm):
    started_on = _date(_("Started on"))
    decision_no = _text(_("Decision number"), required=False)
    team_leader = _text(_("Team leader"), required=False, max_length=255)
    team = _text(_("Team members"), required=False, area=True)


class TargetForm(StyledForm):
    orgs = forms.ModelMultipleChoiceField(
        label=_("Organizations"), queryset=OrgUnit.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    members = forms.ModelMultipleChoiceField(
        label=_("Members"), queryset=Member.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    all_members = forms.BooleanField(label=_("All members of the organization concerned"), required=False)

    def __init__(self, *args, orgs, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["orgs"].queryset = orgs.order_by("path")
        self.fields["orgs"].label_from_instance = lambda u: u.name
        self.fields["members"].queryset = members.order_by("sort_name", "pk")
        self.fields["members"].label_from_instance = lambda m: m.full_name


class StepForm(StyledForm):
    title = _text(_("Step"), max_length=255)
    due_on = _date(_("Due on"), required=False, initial_today=False)


class StepDoneForm(StyledForm):
    step = forms.IntegerField(widget=forms.HiddenInput)
    done_on = _date(_("Done on"))
    document_no = _text(_("Document number"), required=False)
    document_date = _date(_("Document date"), required=False, initial_today=False)
    note = _text(_("Note"), required=False, area=True)


class ConcludeForm(StyledForm):
    concluded_on = _date(_("Concluded on"))
    conclusion_no = _text(_("Conclusion notice number"), required=False)
    conclusion = _text(_("Conclusion"), area=True)


class RecommendationForm(StyledForm):
    text = _text(_("Recommendation"), area=True)
    due_on = _date(_("Due on"), required=False, initial_today=False)


class FollowUpForm(StyledForm):
    recommendation = forms.IntegerField(widget=forms.HiddenInput)
    done_on = _date(_("Carried out on"))
    follow_up = _text(_("How it was carried out"), area=True)


class EmptyForm(StyledForm):
    pass


class DisciplineForm(StyledForm):
    member = forms.IntegerField(required=False, widget=forms.HiddenInput)
    org = UnitChoiceField(label=_("Or a party organization"), queryset=OrgUnit.objects.none(), required=False)
    violation = _text(_("Violation"), area=True)
    violation_on = _date(_("Date of the violation"), initial_today=False)
    new_violation_on = _date(
        _("Date of a later violation (restarts the limitation period)"), required=False, initial_today=False
    )
    category = forms.ChoiceField(label=_("Category"), choices=DisciplineCase.Category.choices)
    higher_task = forms.BooleanField(label=_("Concerns a task assigned by a higher level"), required=False)
    holds_post = forms.BooleanField(label=_("The member holds a party post"), required=False)
    proposed_form = forms.ChoiceField(label=_("Proposed form"), choices=Form.choices)
    deciding_unit = UnitChoiceField(label=_("Deciding unit"), queryset=OrgUnit.objects.none())
    deciding_body = forms.ChoiceField(label=_("Deciding body"), choices=Body.choices)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = units.order_by("path")
        self.fields["deciding_unit"].queryset = units.order_by("path")


class MemberSearchForm(StyledForm):
    q = forms.CharField(label=_("Member's name"), required=False, max_length=100)


class HearingForm(StyledForm):
    day = _date(_("Date"))
    attended = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("yes", _("Met and heard")), ("no", _("Refused to attend without good reason"))],
    )


class DeferralForm(StyledForm):
    reason = forms.ChoiceField(label=_("Reason"), choices=Deferral.Reason.choices)
    starts_on = _date(_("From (for a child: the date of birth)"), initial_today=False)
    ends_on = _date(_("Until (empty for a child: under 12 months)"), required=False, initial_today=False)
    note = _text(_("Note"), required=False, area=True)


class VoteForm(StyledForm):
    stage = forms.ChoiceField(label=_("Stage"), choices=Vote.Stage.choices, initial=Vote.Stage.DECISION)
    form = forms.ChoiceField(label=_("Form"), choices=Form.choices)
    held_on = _date(_("Vote held on"))
    total = forms.IntegerField(label=_("Members with a vote"), min_value=1)
    in_favour = forms.IntegerField(label=_("In favour"), min_value=0)
    decision_no = _text(_("Decision number"), required=False)
    decided_on = _date(_("Decision date (a cell: the vote date)"), required=False, initial_today=False)


class NotDisciplinedForm(StyledForm):
    day = _date(_("Date"))
    note = _text(_("Reason"), area=True)


class ReceiptForm(StyledForm):
    day = _date(_("Received on"))


class AppealForm(StyledForm):
    filed_on = _date(_("Filed on"))
    content = _text(_("Content"), area=True)
    on_behalf = forms.BooleanField(label=_("Filed on someone else's behalf"), required=False)


class AnswerForm(StyledForm):
    appeal = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Appeal.Outcome.choices[1:])
    new_form = forms.ChoiceField(label=_("New form (when changed)"), choices=[("", "—"), *Form.choices], required=False)
    decided_on = _date(_("Answered on"))
    answer = _text(_("Answer"), area=True)


class NoticeForm(StyledForm):
    member = forms.IntegerField(widget=forms.HiddenInput)
    authority_name = _text(_("Deciding agency or organization"), max_length=255)
    form = _text(_("Form of discipline"), max_length=255)
    decision_no = _text(_("Decision number"))
    decided_on = _date(_("Decided on"), initial_today=False)
    notified_on = _date(_("Notified to the party organization on"), required=False, initial_today=False)


class NotifiedForm(StyledForm):
    day = _date(_("Notified on"))
