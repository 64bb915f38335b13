from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangbo.core.forms import StyledForm, UnitChoiceField, UnitMultipleChoiceField
from dangbo.org.models import Cluster, OrgUnit


def date_field(label, required=True):
    return forms.DateField(
        label=label,
        required=required,
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy", "class": "form-control", "inputmode": "numeric"}),
    )


def decision_field():
    return forms.CharField(
        label=_("Decision number"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "123-QĐ/ĐUK"}),
    )


class TreeFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    on = forms.DateField(label=_("As of"), required=False, widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}))
    cluster = forms.ModelChoiceField(
        label=_("Cluster"), queryset=Cluster.objects.all(), required=False, empty_label=_("All clusters")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            f.widget.attrs.setdefault("class", "form-select" if isinstance(f.widget, forms.Select) else "form-control")


class CreateUnitForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=255)
    code = forms.CharField(
        label=_("Code"), max_length=32, required=False, help_text=_("Leave empty: the next code under the parent.")
    )
    kind = forms.ChoiceField(label=_("Kind"))
    sector = forms.ChoiceField(label=_("Sector"), choices=[("", "—"), *OrgUnit.Sector.choices], required=False)
    cluster = forms.ModelChoiceField(label=_("Cluster"), queryset=Cluster.objects.all(), required=False)
    valid_from = date_field(_("Established on"))
    decision_no = decision_field()

    def __init__(self, *args, parent, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = OrgUnit.ALLOWED_CHILDREN.get(parent.kind, ())
        self.fields["kind"].choices = [(k.value, k.label) for k in allowed]
        self.fields["sector"].initial = parent.sector


class RenameForm(StyledForm):
    name = forms.CharField(label=_("New name"), max_length=255)
    date = date_field(_("Effective date"))
    decision_no = decision_field()


class EditForm(StyledForm):
    code = forms.CharField(
        label=_("Code"), max_length=32, required=False, help_text=_("Unique in the whole tree; empty keeps the code.")
    )
    sector = forms.ChoiceField(label=_("Sector"), choices=[("", "—"), *OrgUnit.Sector.choices], required=False)
    cluster = forms.ModelChoiceField(label=_("Cluster"), queryset=Cluster.objects.all(), required=False)
    date = date_field(_("Effective date"))


class MoveForm(StyledForm):
    new_parent = UnitChoiceField(label=_("New parent unit"), queryset=OrgUnit.objects.none())
    date = date_field(_("Effective date"))
    decision_no = decision_field()

    def __init__(self, *args, parents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_parent"].queryset = parents


class MergeForm(StyledForm):
    sources = UnitMultipleChoiceField(
        label=_("Units merged into this one"),
        queryset=OrgUnit.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )
    date = date_field(_("Effective date"))
    decision_no = decision_field()

    def __init__(self, *args, sources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sources"].queryset = sources


class SplitForm(StyledForm):
    names = forms.CharField(label=_("Names of the new units (one per line)"), widget=forms.Textarea(attrs={"rows": 3}))
    date = date_field(_("Effective date"))
    decision_no = decision_field()

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = list(members)
        for m in self.members:
            self.fields[f"member_{m.pk}"] = forms.IntegerField(
                label=m.full_name,
                min_value=1,
                initial=1,
                widget=forms.NumberInput(attrs={"class": "form-control form-control-sm w-5rem"}),
            )

    def clean_names(self):
        names = [" ".join(line.split()) for line in self.cleaned_data["names"].splitlines() if line.strip()]
        if len(names) < 2:
            raise forms.ValidationError(_("A split needs at least two new units."))
        return names

    def member_fields(self):
        return [self[f"member_{m.pk}"] for m in self.members]

    def assignments(self):
        return {m.pk: self.cleaned_data[f"member_{m.pk}"] - 1 for m in self.members}


class DissolveForm(StyledForm):
    date = date_field(_("Effective date"))
    decision_no = decision_field()
    confirm = forms.BooleanField(label=_("I confirm this unit is dissolved"))


class ClusterForm(StyledForm):
    name = forms.CharField(label=_("Cluster name"), max_length=255)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ClusterAssignForm(StyledForm):
    units = forms.ModelMultipleChoiceField(
        label=_("Grassroots organizations in this cluster"),
        queryset=OrgUnit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    date = date_field(_("Effective date"))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units
        self.fields["units"].widget.attrs["class"] = "form-check-input"
