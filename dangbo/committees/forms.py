from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangbo.committees.models import Appraisal, Department, GoodModel, Proposal, Seat
from dangbo.core.forms import ScopedModelChoiceField, StyledForm, UnitChoiceField, UnitMultipleChoiceField
from dangbo.members.models import Member
from dangbo.org.models import Cluster, OrgUnit

DATE = {"placeholder": "dd/mm/yyyy"}


def _date(label, required=True, initial_today=True):
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs=DATE),
        initial=timezone.localdate if initial_today else None,
    )


def _text(label, required=False, max_length=255):
    return forms.CharField(label=label, required=required, max_length=max_length)


def _area(label, required=True, rows=3):
    return forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}))


class MemberChoiceField(ScopedModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} – {obj.unit.name}"


class CongressForm(StyledForm):
    congress_date = _date(_("Congress date"))
    label = _text(_("Term"), max_length=50)
    note = _text(_("Note"))


class SeatForm(StyledForm):
    member = MemberChoiceField(label=_("Party member"), queryset=Member.objects.none())
    position = forms.ChoiceField(label=_("Position"), choices=Seat.Position.choices)
    method = forms.ChoiceField(label=_("How"), choices=Seat.Method.choices)
    start_date = _date(_("From"))
    decision_no = _text(_("Decision number"), max_length=100)

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = (
            Member.objects.in_subtree(unit).current().select_related("unit").order_by("sort_name")
        )


class EndSeatForm(StyledForm):
    end_date = _date(_("Until"))
    reason = forms.ChoiceField(label=_("Reason"), choices=Seat.EndReason.choices)
    decision_no = _text(_("Decision number"), max_length=100)


class PeriodForm(StyledForm):
    start = _date(_("From"), initial_today=False)
    end = _date(_("To"), initial_today=False)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("The end date is before the start date."))
        return data


class AppraisalForm(StyledForm):
    unit = UnitChoiceField(label=_("Requesting unit"), queryset=OrgUnit.objects.none())
    member = MemberChoiceField(label=_("Party member"), queryset=Member.objects.none(), required=False)
    subject_name = _text(_("Person appraised (when not a member yet)"))
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Appraisal.Purpose.choices)
    proposed_position = _text(_("Proposed position"))
    request_no = _text(_("Request document number"), max_length=100)
    requested_on = _date(_("Requested on"))
    secrecy = forms.ChoiceField(label=_("Classification"), choices=Appraisal.Secrecy.choices)
    scope = _area(_("Scope of the appraisal"))

    def __init__(self, *args, units, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["member"].queryset = members

    def clean(self):
        data = super().clean()
        if not data.get("member") and not data.get("subject_name", "").strip():
            self.add_error("subject_name", _("Choose a member or write the name of the person appraised."))
        return data


class ConclusionForm(StyledForm):
    conclusion = forms.ChoiceField(
        label=_("Conclusion"), choices=[c for c in Appraisal.Conclusion.choices if c[0] != "pending"]
    )
    conclusion_no = _text(_("Conclusion document number"), max_length=100)
    concluded_on = _date(_("Concluded on"))
    conclusion_text = _area(_("Grounds of the conclusion"))


class SessionForm(StyledForm):
    title = _text(_("Title"), required=True)
    held_on = _date(_("Consultation date"))
    cluster = forms.ModelChoiceField(
        label=_("Cluster"), queryset=Cluster.objects.all(), required=False, empty_label=_("No cluster")
    )
    invited = UnitMultipleChoiceField(
        label=_("Invited units (their secretaries)"),
        queryset=OrgUnit.objects.none(),
        required=False,
        help_text=_("Left empty with a cluster: every grassroots organization of the cluster."),
    )
    chaired_by = _text(_("Chaired by"), required=True)
    place = _text(_("Place"))
    attendees = _area(_("Other participants"), required=False, rows=2)
    summary = _area(_("Summary"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invited"].queryset = units

    def clean(self):
        data = super().clean()
        if not data.get("cluster") and not data.get("invited"):
            self.add_error("invited", _("Choose a cluster or the invited units."))
        return data


class ProposalForm(StyledForm):
    unit = UnitChoiceField(label=_("On behalf of"), queryset=OrgUnit.objects.none(), empty_label=None)
    category = forms.ChoiceField(label=_("Proposal category"), choices=Proposal.Category.choices)
    title = _text(_("Proposal subject"), required=True)
    text = _area(_("Content"), rows=5)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class SessionProposalForm(ProposalForm):
    asker_name = _text(_("Who raised it"), required=True)


class AssignForm(StyledForm):
    department = forms.ChoiceField(label=_("Assign to"), choices=Department.choices)
    day = _date(_("Assigned on"), required=False)
    due_on = _date(_("Answer due by"), required=False, initial_today=False)


class AnswerForm(StyledForm):
    answer = _area(_("Answer"), rows=5)
    day = _date(_("Answered on"), required=False)


class FilterForm(StyledForm):
    q = _text(_("Search"))
    state = forms.ChoiceField(label=_("State"), required=False, choices=[("", _("All"))] + Proposal.State.choices)
    category = forms.ChoiceField(
        label=_("Proposal category"), required=False, choices=[("", _("All"))] + Proposal.Category.choices
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)


class ModelForm(StyledForm):
    unit = UnitChoiceField(label=_("Organization sharing it"), queryset=OrgUnit.objects.none(), empty_label=None)
    title = _text(_("Title"), required=True)
    field = forms.ChoiceField(label=_("Field of work"), choices=GoodModel.Field.choices)
    started_on = _date(_("Applied since"), required=False, initial_today=False)
    summary = _area(_("What it is"), rows=5)
    results = _area(_("Results"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class ModelSearchForm(StyledForm):
    q = _text(_("Search"))
    field = forms.ChoiceField(
        label=_("Field of work"), required=False, choices=[("", _("All"))] + GoodModel.Field.choices
    )


class ReviewForm(StyledForm):
    decision = forms.ChoiceField(
        choices=[("approve", _("Publish the model")), ("return", _("Return to the organization"))]
    )
    note = _text(_("Review note"))
