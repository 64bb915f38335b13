from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangbo.admission.models import Candidate, DossierItem
from dangbo.core.forms import MemberSearchField, StyledForm, UnitSearchField
from dangbo.members.models import Member

DATE = {"placeholder": "dd/mm/yyyy"}


def _date(label, required=True, initial_today=True):
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs=DATE),
        initial=timezone.localdate if initial_today else None,
    )


def helpers_for(cells):
    """Who may help a candidate of ``cells``: their official members (the search endpoint asks the same)."""
    return Member.objects.filter(unit__in=cells, status=Member.Status.OFFICIAL).order_by("sort_name", "pk")


def introducers_for(candidate):
    """The members on the books of ``candidate``'s grassroots organization: only the official ones are offered
    (probationary members may not introduce); the service says why another one cannot."""
    root = "/".join(candidate.cell.path.split("/")[:3]) + "/"
    return Member.objects.current().filter(unit__path__startswith=root).order_by("sort_name", "pk")


class CandidateForm(forms.ModelForm):
    cell = UnitSearchField(label=_("Party cell"), queryset=None)

    class Meta:
        model = Candidate
        fields = [
            "cell",
            "full_name",
            "sex",
            "birth_date",
            "national_id",
            "ethnicity",
            "religion",
            "hometown",
            "general_education",
            "qualification",
            "occupation",
            "is_student",
            "helper",
            "certificate_no",
            "certificate_date",
            "verification_exempt",
            "over_60_approval",
        ]
        widgets = {"birth_date": forms.DateInput(attrs=DATE), "certificate_date": forms.DateInput(attrs=DATE)}

    def __init__(self, *args, cells, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cell"].queryset = cells
        self.fields["cell"].search_url = reverse("admission:search_cells")
        if cells.count() == 1:
            self.fields["cell"].initial = cells.first()
        self.fields["helper"] = MemberSearchField(
            label=self.fields["helper"].label,
            queryset=helpers_for(cells),
            required=False,
            search_url=reverse("admission:search_helpers"),
        )
        for f in self.fields.values():
            if isinstance(f.widget, forms.CheckboxInput):
                f.widget.attrs.setdefault("class", "form-check-input")
            else:
                f.widget.attrs.setdefault(
                    "class", "form-select" if isinstance(f.widget, forms.Select) else "form-control"
                )

    def clean(self):
        data = super().clean()
        helper, cell = data.get("helper"), data.get("cell")
        if helper and cell and helper.unit_id != cell.pk:
            self.add_error("helper", _("The helping member must be an official member of the same cell."))
        if helper and data.get("national_id") and helper.national_id == data["national_id"]:
            self.add_error("helper", _("The candidate cannot be their own helping member."))
        return data

    def save(self, commit=True):
        self.instance.set_name(self.cleaned_data["full_name"])
        return super().save(commit)


class PaperForm(StyledForm):
    kind = forms.ChoiceField(label=_("Paper"), choices=DossierItem.Kind.choices)
    received_on = _date(_("Received on"))
    note = forms.CharField(label=_("Note"), required=False, max_length=255)


class IntroducerForm(StyledForm):
    member = MemberSearchField(label=_("Introducer"), queryset=Member.objects.none())
    together_since = _date(_("Worked, studied or lived with the candidate since"), initial_today=False)
    relation = forms.CharField(label=_("In which unit"), required=False, max_length=255)

    def __init__(self, *args, candidate, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = introducers_for(candidate)
        self.fields["member"].offer = Q(status=Member.Status.OFFICIAL)
        self.fields["member"].search_url = reverse("admission:search_introducers", args=[candidate.pk])


class VoteForm(StyledForm):
    """A cell vote: the tally and who is left out of the denominator, member by member."""

    day = _date(_("Date of the meeting"))
    in_favour = forms.IntegerField(label=_("In favour"), min_value=0)
    against = forms.IntegerField(label=_("Against"), min_value=0, initial=0, required=False)
    excused = forms.ModelMultipleChoiceField(
        label=_("Absent with a reason the cell accepted"),
        queryset=Member.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    exempted_present = forms.ModelMultipleChoiceField(
        label=_("Exempted members who attended and voted"),
        queryset=Member.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, cell, **kwargs):
        super().__init__(*args, **kwargs)
        official = Member.objects.filter(unit=cell, temporary_unit__isnull=True).order_by("sort_name")
        self.fields["excused"].queryset = official.filter(status=Member.Status.OFFICIAL)
        self.fields["exempted_present"].queryset = official.filter(status=Member.Status.EXEMPTED)
        for name in ("excused", "exempted_present"):
            self.fields[name].widget.attrs["class"] = "form-check-input"


class CommitteeVoteForm(StyledForm):
    day = _date(_("Date of the committee meeting"))
    committee_size = forms.IntegerField(label=_("Members of the committee"), min_value=1)
    in_favour = forms.IntegerField(label=_("In favour"), min_value=0)
    against = forms.IntegerField(label=_("Against"), min_value=0, initial=0, required=False)


class DecisionForm(StyledForm):
    number = forms.CharField(label=_("Decision number"), max_length=100)
    day = _date(_("Signed on"))
    received = _date(_("Received by the cell on"), required=False, initial_today=False)


class CeremonyForm(StyledForm):
    day = _date(_("Ceremony date"))
    consent = forms.CharField(
        label=_("Higher committee's consent (only for a late ceremony)"), required=False, max_length=100
    )


class DayForm(StyledForm):
    day = _date(_("Date"))


class WithdrawForm(StyledForm):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class TargetForm(StyledForm):
    unit = UnitSearchField(label=_("Unit"), queryset=None)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    count = forms.IntegerField(label=_("Members to admit"), min_value=0, max_value=1_000_000, required=False)
    share_percent = forms.DecimalField(
        label=_("Or: share of the members at the end of the previous year (%)"),
        min_value=0,
        max_value=100,
        decimal_places=2,
        required=False,
        localize=True,
    )
    students = forms.IntegerField(label=_("Of whom students"), min_value=0, max_value=1_000_000, initial=0)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].search_url = reverse("admission:search_target_units")
        self.fields["year"].initial = timezone.localdate().year

    def clean(self):
        data = super().clean()
        if data.get("count") is None and data.get("share_percent") is None:
            self.add_error("count", _("Give the target as a number of members or as a share of the members."))
        return data


STAGES = [("", _("All open")), *Candidate.Stage.choices]


class CandidateFilterForm(StyledForm):
    q = forms.CharField(label=_("Name"), required=False, max_length=100)
    stage = forms.ChoiceField(label=_("Stage"), choices=STAGES, required=False)
    unit = UnitSearchField(label=_("Unit (with its sub-units)"), queryset=None, required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].search_url = reverse("admission:search_units")
        self.fields["unit"].empty_label = _("All units")
        for f in self.fields.values():
            small = (
                "form-select form-select-sm" if isinstance(f.widget, forms.Select) else "form-control form-control-sm"
            )
            f.widget.attrs["class"] = small
