import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangbo.core import uploads
from dangbo.core.forms import ScopedModelChoiceField, StyledForm, UnitChoiceField
from dangbo.meetings.models import Attendance, Meeting

DATE = {"placeholder": "dd/mm/yyyy"}
TIME = {"type": "time"}


def _date(label, required=True):
    return forms.DateField(label=label, required=required, widget=forms.DateInput(attrs=DATE))


def _time(label, initial=None):
    return forms.TimeField(label=label, widget=forms.TimeInput(attrs=TIME, format="%H:%M"), initial=initial)


def _text(label, required=True, area=False, rows=2):
    widget = forms.Textarea(attrs={"rows": rows}) if area else forms.TextInput
    return forms.CharField(label=label, required=required, widget=widget, max_length=None if area else 255)


class MemberChoiceField(ScopedModelChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name


class MeetingForm(StyledForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=Meeting.Kind.choices)
    mode = forms.ChoiceField(label=_("Form"), choices=Meeting.Mode.choices)
    planned_date = _date(_("Planned date"))
    planned_time = _time(_("Start time"), initial=datetime.time(14, 0))
    place = _text(_("Place"), required=False)
    venue = forms.ModelChoiceField(label=_("Shared venue"), queryset=None, required=False, empty_label=_("None"))
    video_link = forms.URLField(label=_("Video link"), required=False, assume_scheme="https")
    chair = MemberChoiceField(label=_("Chair"), queryset=None, required=False)
    recorder = MemberChoiceField(label=_("Secretary of the meeting"), queryset=None, required=False)
    topic = _text(_("Thematic topic"), required=False)
    agenda = _text(_("Agenda"), required=False, area=True, rows=4)

    def __init__(self, *args, venues, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["venue"].queryset = venues
        self.fields["chair"].queryset = members
        self.fields["recorder"].queryset = members


class PlanForm(StyledForm):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    day = forms.IntegerField(label=_("Day of the month"), min_value=1, max_value=31, initial=25)
    time = _time(_("Start time"), initial=datetime.time(14, 0))
    place = _text(_("Usual place"))
    combine_thematic = forms.BooleanField(
        label=_("Hold the thematic meeting together with the regular one (at least 120 minutes)"), required=False
    )


class DocumentForm(StyledForm):
    title = _text(_("Title"))
    file = uploads.LimitedFileField(label=_("File"), max_bytes=20 * uploads.MB)


class ReasonForm(StyledForm):
    reason = _text(_("Reason"))


class HeldForm(StyledForm):
    held_on = _date(_("Held on"))
    started_at = _time(_("Actual start"))
    ended_at = _time(_("Actual end"))
    with_work_meeting = forms.BooleanField(label=_("Held together with a professional (work) meeting"), required=False)


class MinutesForm(StyledForm):
    content = _text(_("Content of the meeting"), area=True, rows=6)
    conclusions = _text(_("Conclusions"), area=True, rows=4)
    resolution = _text(_("Resolution"), required=False, area=True, rows=4)
    votes_for = forms.IntegerField(label=_("Votes in favour"), min_value=0, required=False)
    votes_against = forms.IntegerField(label=_("Votes against"), min_value=0, required=False)
    votes_abstain = forms.IntegerField(label=_("Abstentions"), min_value=0, required=False)


class SpeechForm(StyledForm):
    member = MemberChoiceField(label=_("Speaker"), queryset=None)
    content = _text(_("Opinion"), area=True, rows=3)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members


class AmendForm(StyledForm):
    text = _text(_("Correction"), area=True, rows=3)
    reason = _text(_("Reason"))


class ScoreForm(StyledForm):
    def __init__(self, *args, template, initial_scores=None, note=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = template.criteria
        for c in template.criteria:
            self.fields[f"c_{c['code']}"] = forms.IntegerField(
                label=f"{c['label']} (0–{c['max']})",
                min_value=0,
                max_value=int(c["max"]),
                initial=(initial_scores or {}).get(c["code"]),
            )
        if note:
            self.fields["note"] = _text(_("Comment of the committee"), required=False, area=True)
        for f in self.fields.values():
            f.widget.attrs.setdefault("class", "form-control")

    def scores(self):
        return {c["code"]: self.cleaned_data[f"c_{c['code']}"] for c in self.criteria}


PERIODS = [("year", _("Whole year"))] + [(f"q{i}", _("Quarter %(q)s") % {"q": i}) for i in range(1, 5)]
PERIODS += [(f"m{i}", _("Month %(m)s") % {"m": i}) for i in range(1, 13)]


class ComplianceForm(StyledForm):
    unit = UnitChoiceField(label=_("Unit and sub-units"), queryset=None, required=False, empty_label=None)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    period = forms.ChoiceField(label=_("Period"), choices=PERIODS, required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

    def period_range(self):
        year = self.cleaned_data["year"]
        p = self.cleaned_data.get("period") or "year"
        if p.startswith("q"):
            q = int(p[1:])
            start = datetime.date(year, 3 * q - 2, 1)
            end = (datetime.date(year, 3 * q, 28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(
                days=1
            )
        elif p.startswith("m"):
            m = int(p[1:])
            start = datetime.date(year, m, 1)
            end = (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
        else:
            start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        return start, end


class VenueForm(StyledForm):
    owner_unit = UnitChoiceField(label=_("Managed by"), queryset=None)
    name = _text(_("Name"))
    address = _text(_("Address"), required=False)
    capacity = forms.IntegerField(label=_("Seats"), min_value=1, required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].queryset = units


class TemplateForm(StyledForm):
    unit = UnitChoiceField(label=_("Committee"), queryset=None)
    name = _text(_("Name"))
    criteria = _text(_("Criteria, one a line: code | criterion | points"), area=True, rows=8)
    good = forms.IntegerField(label=_("Good from (percent of the points)"), min_value=0, max_value=100, initial=90)
    fair = forms.IntegerField(label=_("Fair from (percent)"), min_value=0, max_value=100, initial=70)
    average = forms.IntegerField(label=_("Average from (percent)"), min_value=0, max_value=100, initial=50)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class SupervisorForm(StyledForm):
    user = forms.ModelChoiceField(
        label=_("Higher-committee member assigned to the cell"), queryset=None, required=False
    )

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users
        self.fields["user"].label_from_instance = lambda u: u.get_full_name() or u.username


class FilterForm(forms.Form):
    month = forms.CharField(required=False)
    state = forms.ChoiceField(choices=[("", _("All states"))] + list(Meeting.State.choices), required=False)


ATTENDANCE_CHOICES = [c for c in Attendance.Status.choices if c[0] != Attendance.Status.EXPECTED]


def today():
    return timezone.localdate()
