from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangbo.core import uploads
from dangbo.core.forms import ScopedModelChoiceField, StyledForm, UnitChoiceField
from dangbo.core.text import search_filter
from dangbo.documents.models import Document
from dangbo.members.models import Member
from dangbo.org.models import OrgUnit
from dangbo.programmes.models import Event, Indicator, Programme, Task

DATE = {"placeholder": "dd/mm/yyyy"}
MEMBER_CHOICES_MAX = 300


def _date(label, required=True, initial_today=False):
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.TextInput(attrs=DATE),
        initial=timezone.localdate if initial_today else None,
    )


def _number(label, required=True):
    return forms.DecimalField(label=label, required=required, max_digits=14, decimal_places=2)


class DocumentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number} – {obj.title}"[:160] if obj.number else obj.title[:160]


class ProgrammeForm(StyledForm):
    unit = UnitChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())
    document = DocumentChoiceField(label=_("Resolution or project"), queryset=Document.objects.none(), required=False)
    title = forms.CharField(label=_("Title"), max_length=500)
    adopted_on = _date(_("Adopted on"), initial_today=True)
    starts_on = _date(_("From"))
    ends_on = _date(_("To"))
    frequency = forms.ChoiceField(
        label=_("Reporting frequency"), choices=Programme.Frequency.choices, initial=Programme.Frequency.QUARTERLY
    )
    report_due_days = forms.IntegerField(
        label=_("Report due (days after the period)"), min_value=0, max_value=90, initial=10
    )

    def __init__(self, *args, units, documents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["document"].queryset = documents
        if units.count() == 1:
            self.fields["unit"].initial = units.first()

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The programme must end after it starts."))
        return data


class IndicatorForm(StyledForm):
    name = forms.CharField(label=_("Indicator"), max_length=255)
    measure = forms.CharField(label=_("Unit of measure"), max_length=50)
    baseline = _number(_("Baseline"))
    target = _number(_("Target value"))
    direction = forms.ChoiceField(label=_("Direction"), choices=Indicator.Direction.choices)


class IndicatorValuesForm(StyledForm):
    baseline = _number(_("Baseline"))
    target = _number(_("Target value"))


class TaskForm(StyledForm):
    title = forms.CharField(label=_("Task"), max_length=500)
    owner_unit = UnitChoiceField(label=_("Owner unit"), queryset=OrgUnit.objects.none())
    responsible = forms.CharField(label=_("Responsible person"), max_length=255, required=False)
    due_on = _date(_("Deadline"))

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].queryset = (
            OrgUnit.objects.active().in_subtree(programme.unit).only("id", "name", "depth", "path").order_by("path")
        )
        self.fields["owner_unit"].initial = programme.unit_id


class TaskChangeForm(TaskForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["title"]


class AdoptForm(StyledForm):
    unit = UnitChoiceField(label=_("Unit adopting the action programme"), queryset=OrgUnit.objects.none())
    adopted_on = _date(_("Adopted on"), initial_today=True)
    title = forms.CharField(
        label=_("Title"), max_length=500, required=False, help_text=_("Leave empty for the default title.")
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        if units.count() == 1:
            self.fields["unit"].initial = units.first()


class ReportForm(StyledForm):
    """The period's report: one value per indicator, one status per task, a narrative and evidence."""

    period = forms.ChoiceField(label=_("Period"))
    narrative = forms.CharField(label=_("Narrative"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    evidence = uploads.LimitedFileField(label=_("Evidence (file)"), required=False, max_bytes=20 * uploads.MB)

    def __init__(self, *args, periods, indicators, tasks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(p.start.isoformat(), p.label) for p in periods]
        self.indicators = list(indicators)
        self.tasks = list(tasks)
        for i in self.indicators:
            self.fields[f"v_{i.pk}"] = forms.DecimalField(
                label=f"{i.name} ({i.measure})", required=False, max_digits=14, decimal_places=2
            )
            self.fields[f"v_{i.pk}"].widget.attrs.update({"class": "form-control", "inputmode": "decimal"})
        for t in self.tasks:
            self.fields[f"s_{t.pk}"] = forms.ChoiceField(label=t.title, choices=Task.Status.choices)
            self.fields[f"s_{t.pk}"].widget.attrs["class"] = "form-select"
            self.fields[f"d_{t.pk}"] = _date(_("Done on"), required=False)
            self.fields[f"d_{t.pk}"].widget.attrs["class"] = "form-control"
            self.fields[f"n_{t.pk}"] = forms.CharField(label=_("Note"), max_length=500, required=False)
            self.fields[f"n_{t.pk}"].widget.attrs["class"] = "form-control"

    def value_fields(self):
        return [(i, self[f"v_{i.pk}"]) for i in self.indicators]

    def task_fields(self):
        return [(t, self[f"s_{t.pk}"], self[f"d_{t.pk}"], self[f"n_{t.pk}"]) for t in self.tasks]

    def values(self):
        return {i: self.cleaned_data.get(f"v_{i.pk}") for i in self.indicators}

    def task_statuses(self):
        d = self.cleaned_data
        return {t: (d[f"s_{t.pk}"], d.get(f"d_{t.pk}"), d.get(f"n_{t.pk}", "")) for t in self.tasks}


class ReviewForm(StyledForm):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("accept", _("Accept")), ("return", _("Return for revision"))]
    )
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class EventForm(StyledForm):
    unit = UnitChoiceField(label=_("Organizer"), queryset=OrgUnit.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=Event.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=500)
    place = forms.CharField(label=_("Place"), max_length=255, required=False)
    starts_on = _date(_("From"))
    ends_on = _date(_("To"))
    registration_deadline = _date(_("Registration deadline"))
    quota_per_unit = forms.IntegerField(label=_("Participants per unit (at most)"), min_value=1, max_value=100)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        if units.count() == 1:
            self.fields["unit"].initial = units.first()


class MemberChoiceField(ScopedModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} – {obj.unit.name}"


class RegisterForm(StyledForm):
    unit = UnitChoiceField(label=_("Registering unit"), queryset=OrgUnit.objects.none())
    member = MemberChoiceField(label=_("Participant"), queryset=Member.objects.none())
    topic = forms.CharField(label=_("Topic or entry"), max_length=500, required=False)
    registered_on = _date(_("Registered on"), required=False, initial_today=True)  # empty: today
    registered_on.help_text = _("The day the unit registered: one made by the deadline may be entered later.")

    def __init__(self, *args, units, query="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        if units.count() == 1:
            self.fields["unit"].initial = units.first()
        from django.db.models import Q

        q = Q(pk__in=[])
        for u in units:
            q |= Q(unit__path__startswith=u.path)
        qs = Member.objects.current().filter(q).select_related("unit").order_by("sort_name", "pk")
        if query:
            qs = qs.filter(search_filter("search_name", query))
        if not self.is_bound:
            qs = qs[:MEMBER_CHOICES_MAX]
        self.fields["member"].queryset = qs


class RoundForm(StyledForm):
    name = forms.CharField(label=_("Round"), max_length=255)
    max_score = _number(_("Maximum score"))


class JudgeForm(StyledForm):
    name = forms.CharField(label=_("Judge"), max_length=255)


class PrizeForm(StyledForm):
    name = forms.CharField(label=_("Prize"), max_length=100)
    count = forms.IntegerField(label=_("Number of prizes"), min_value=1, max_value=100)


class ScoreSheetForm(StyledForm):
    judge = forms.ModelChoiceField(label=_("Judge"), queryset=None)

    def __init__(self, *args, event, round, registrations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["judge"].queryset = event.judges.all()
        self.registrations = list(registrations)
        for r in self.registrations:
            f = forms.DecimalField(
                label=r.member.full_name, required=False, min_value=0, max_value=round.max_score, decimal_places=2
            )
            f.widget.attrs.update({"class": "form-control form-control-sm", "inputmode": "decimal"})
            self.fields[f"p_{r.pk}"] = f

    def rows(self):
        return [(r, self[f"p_{r.pk}"]) for r in self.registrations]

    def scores(self):
        return {r: self.cleaned_data.get(f"p_{r.pk}") for r in self.registrations}
