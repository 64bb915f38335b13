import datetime

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangbo.core.forms import MemberSearchField, StyledForm, UnitChoiceField, UnitSearchField
from dangbo.members.models import Member
from dangbo.org.models import OrgUnit
from dangbo.transfers.models import Transfer

DATE = {"placeholder": "dd/mm/yyyy"}


def _date(label, required=True, initial_today=True):
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.TextInput(attrs=DATE),
        initial=timezone.localdate if initial_today else None,
    )


def _text(label, required=False, max_length=255):
    return forms.CharField(label=label, required=required, max_length=max_length)


class _NoFuture:
    """Steps are recorded when they have happened: their date may not be in the future."""

    past_fields = ()

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        for name in self.past_fields:
            day = data.get(name)
            if day and day > today:
                self.add_error(name, _("%(day)s is in the future.") % {"day": day.strftime("%d/%m/%Y")})
        return data


class TransferForm(_NoFuture, StyledForm):
    past_fields = ("requested_on",)

    member = MemberSearchField(label=_("Party member"), queryset=Member.objects.none())
    kind = forms.ChoiceField(
        label=_("Kind of transfer"),
        choices=[
            (k, Transfer.Kind(k).label)
            for k in (Transfer.Kind.OFFICIAL_INTERNAL, Transfer.Kind.OFFICIAL_OUT, Transfer.Kind.TEMPORARY)
        ],
    )
    to_unit = UnitSearchField(
        label=_("Receiving party cell (within the system)"),
        queryset=OrgUnit.objects.none(),
        required=False,
        help_text=_("For a transfer within the system or a temporary transfer: any cell of the whole tree."),
    )
    outside_party = _text(_("Party organization outside the system"))
    reason = _text(_("Reason"))
    decision_no = _text(_("Decision number"), max_length=100)
    decision_date = _date(_("Decision effective date"), required=False, initial_today=False)
    purpose = forms.ChoiceField(
        label=_("Purpose of the temporary transfer"), choices=Transfer.Purpose.choices, required=False
    )
    start_date = _date(_("Temporary from"), required=False, initial_today=False)
    end_date = _date(_("Temporary until"), required=False, initial_today=False)
    requested_on = _date(_("Requested on"))

    def __init__(self, *args, members, query="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members.order_by("sort_name", "pk")
        self.fields["member"].search_url = reverse("transfers:search_members")
        self.fields["member"].widget.fallback_query = query
        self.fields["to_unit"].queryset = destination_cells()
        self.fields["to_unit"].search_url = reverse("transfers:search_cells")


def destination_cells():
    """Where a member may be transferred within the system: any active cell of the whole tree."""
    return OrgUnit.objects.active().filter(kind__in=OrgUnit.CELL_KINDS).order_by("path")


class LetterForm(_NoFuture, StyledForm):
    past_fields = ("letter_date",)

    letter_no = _text(_("Introduction letter number"), required=True, max_length=100)
    letter_date = _date(_("Letter date"))
    issuer = _text(_("Issued by"))


class DayForm(_NoFuture, StyledForm):
    past_fields = ("day",)

    day = _date(_("Date"))


class EndForm(DayForm):
    note = _text(_("Note"))


class CancelForm(DayForm):
    reason = _text(_("Reason"), required=True)


class RegisterInForm(_NoFuture, StyledForm):
    past_fields = ("letter_date", "received_on")

    cell = UnitChoiceField(label=_("Receiving party cell"), queryset=OrgUnit.objects.none())
    full_name = _text(_("Full name"), required=True)
    sex = forms.ChoiceField(label=_("Sex"), choices=Member.Sex.choices)
    birth_date = _date(_("Date of birth"), required=False, initial_today=False)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(s, Member.Status(s).label) for s in (Member.Status.OFFICIAL, Member.Status.PROBATIONARY)],
    )
    admission_date = _date(_("Admission date"), required=False, initial_today=False)
    official_date = _date(_("Official membership date"), required=False, initial_today=False)
    card_number = _text(_("Party card number"), max_length=9)
    outside_party = _text(_("Coming from (party organization outside the system)"), required=True)
    letter_no = _text(_("Introduction letter number"), required=True, max_length=100)
    letter_date = _date(_("Letter date"), initial_today=False)
    received_on = _date(_("Received on"))

    def __init__(self, *args, cells, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cell"].queryset = cells
        if len(cells) == 1:
            self.fields["cell"].initial = cells[0]


def last_full_quarter(today=None):
    today = today or timezone.localdate()
    q_start = datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    end = q_start - datetime.timedelta(days=1)
    start = datetime.date(end.year, 3 * ((end.month - 1) // 3) + 1, 1)
    return start, end


class PeriodForm(forms.Form):
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.TextInput(attrs={**DATE, "class": "form-control form-control-sm"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.TextInput(attrs={**DATE, "class": "form-control form-control-sm"})
    )
    unit = UnitChoiceField(
        label=_("Unit and sub-units"),
        queryset=OrgUnit.objects.none(),
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.only("id", "name", "depth", "path").order_by("path")
        start, end = last_full_quarter()
        self.fields["date_from"].initial = start
        self.fields["date_to"].initial = end

    def clean(self):
        data = super().clean()
        start, end = last_full_quarter()
        data["date_from"] = data.get("date_from") or start
        data["date_to"] = data.get("date_to") or end
        if data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data
