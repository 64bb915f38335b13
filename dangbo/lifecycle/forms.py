from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangbo.core.forms import StyledForm, UnitChoiceField
from dangbo.lifecycle.models import Exemption, RemovalProposal

DATE = {"placeholder": "dd/mm/yyyy"}


def _date(label, required=True, initial_today=True):
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs=DATE),
        initial=timezone.localdate if initial_today else None,
    )


def _text(label, required=True, area=False):
    widget = forms.Textarea(attrs={"rows": 2}) if area else forms.TextInput
    return forms.CharField(label=label, required=required, widget=widget, max_length=None if area else 100)


class ExemptForm(StyledForm):
    reason = forms.ChoiceField(label=_("Reason"), choices=Exemption.Reason.choices)
    note = _text(_("Details"), required=False, area=True)
    starts_on = _date(_("From"))
    ends_on = _date(_("Until (empty: until further decision)"), required=False, initial_today=False)
    decision_no = _text(_("Decision number"))


class DayForm(StyledForm):
    day = _date(_("Date"))
    note = _text(_("Note"), required=False, area=True)


class ProposeRemovalForm(StyledForm):
    ground = forms.ChoiceField(label=_("Ground"), choices=RemovalProposal.Ground.choices)
    count = forms.IntegerField(
        label=_("Months (meetings, fees, education) or years (reviews)"), required=False, min_value=0, max_value=99
    )
    evidence = _text(_("Evidence"), area=True)
    raised_on = _date(_("Cell resolution of"))


class DecideRemovalForm(StyledForm):
    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=[("remove", _("Remove from the list")), ("reject", _("Reject the proposal"))],
    )
    day = _date(_("Date"))
    decision_no = _text(_("Decision number"), required=False)
    note = _text(_("Reason or note"), required=False, area=True)


class DecisionForm(StyledForm):
    day = _date(_("Date"))
    decision_no = _text(_("Decision number"))
    note = _text(_("Note"), required=False, area=True)


class CardForm(StyledForm):
    number = forms.CharField(label=_("Card number (NN.NNNNNN)"), max_length=12)
    issued_on = _date(_("Issued on"))
    decision_no = _text(_("Decision number"))


class ReissueForm(StyledForm):
    number = forms.CharField(label=_("New card number (empty: the same)"), max_length=12, required=False)
    issued_on = _date(_("Issued on"))
    decision_no = _text(_("Decision number"))


class LossForm(StyledForm):
    day = _date(_("Lost on"))
    note = _text(_("Circumstances"), area=True)


class BadgeFlagForm(StyledForm):
    seriously_ill = forms.BooleanField(label=_("Seriously ill (early award)"), required=False)
    deferred_until = _date(_("Badge deferred until (discipline)"), required=False, initial_today=False)
    deferral_reason = _text(_("Reason for the deferral"), required=False)
    adjust_months = forms.IntegerField(label=_("Party-age adjustment (months, + or −)"), required=False, initial=0)
    adjust_reason = _text(_("Reason for the adjustment"), required=False)


class MemberSearchForm(StyledForm):
    q = forms.CharField(label=_("Name or card number"), required=False, max_length=100)


class OccasionForm(StyledForm):
    on = forms.DateField(label=_("Occasion"), required=False, widget=forms.DateInput(attrs=DATE))
    unit = UnitChoiceField(label=_("Unit and sub-units"), queryset=None, required=False, empty_label=_("All"))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class BadgeDecisionForm(StyledForm):
    number = _text(_("Decision number"))
    signed_on = _date(_("Signed on"))
