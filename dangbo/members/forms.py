from django import forms
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangbo.core import places, uploads
from dangbo.core.dates import years_before
from dangbo.core.forms import StyledForm, UnitChoiceField
from dangbo.core.text import fold, search_filter
from dangbo.members.models import Member
from dangbo.org.models import OrgUnit

AGE_BANDS = [
    ("", _("All ages")),
    ("-30", _("Under 30")),
    ("30-40", _("30 to 39")),
    ("40-50", _("40 to 49")),
    ("50-60", _("50 to 59")),
    ("60-", _("60 and over")),
]
CURRENT = "current"
SORTS = [("name", _("Given name")), ("unit", _("Party unit")), ("admission", _("Admission date"))]


class MemberFilterForm(forms.Form):
    q = forms.CharField(label=_("Name, card or ID number"), required=False, max_length=100)
    unit = UnitChoiceField(label=_("Unit (with its sub-units)"), queryset=OrgUnit.objects.none(), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[(CURRENT, _("On the books")), ("", _("All")), *Member.Status.choices],
    )
    sex = forms.ChoiceField(label=_("Sex"), required=False, choices=[("", _("All")), *Member.Sex.choices])
    age = forms.ChoiceField(label=_("Age"), required=False, choices=AGE_BANDS)
    ethnicity = forms.CharField(label=_("Ethnicity"), required=False, max_length=50)
    religion = forms.CharField(label=_("Religion"), required=False, max_length=50)
    qualification = forms.ChoiceField(
        label=_("Qualification"), required=False, choices=[("", _("All")), *Member.Qualification.choices]
    )
    theory = forms.ChoiceField(
        label=_("Theory level"), required=False, choices=[("", _("All")), *Member.TheoryLevel.choices]
    )
    sector = forms.ChoiceField(label=_("Sector"), required=False, choices=[("", _("All")), *OrgUnit.Sector.choices])
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORTS)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].empty_label = _("All units")
        for f in self.fields.values():
            f.widget.attrs["class"] = (
                "form-select form-select-sm" if isinstance(f.widget, forms.Select) else ("form-control form-control-sm")
            )

    def filter(self, qs):
        d = self.cleaned_data
        status = d.get("status")
        if status == CURRENT:
            qs = qs.current()
        elif status:
            qs = qs.filter(status=status)
        if d.get("unit"):
            # The subtree as ``unit_id IN (ids by path)``, not a join on the path: the database then starts
            # from the subtree's members (index on unit and status) instead of walking the whole table in
            # name order and testing each row's unit (issue 15: 8-9.5x the hand-written SQL at 200k).
            qs = qs.filter(unit_id__in=OrgUnit.objects.filter(path__startswith=d["unit"].path).values("pk"))
        if d.get("sex"):
            qs = qs.filter(sex=d["sex"])
        if d.get("sector"):
            qs = qs.filter(unit__sector=d["sector"])
        if d.get("ethnicity"):
            qs = qs.filter(ethnicity__iexact=d["ethnicity"].strip())
        if d.get("religion"):
            religion = d["religion"].strip()
            qs = qs.filter(religion="") if fold(religion) in {"khong", "none"} else qs.filter(religion__iexact=religion)
        if d.get("qualification"):
            qs = qs.filter(qualification=d["qualification"])
        if d.get("theory"):
            qs = qs.filter(theory_level=d["theory"])
        if d.get("age"):
            low, _sep, high = d["age"].partition("-")
            today = timezone.localdate()
            if low:  # at least ``low`` years old: born on or before today minus low years
                qs = qs.filter(birth_date__lte=years_before(today, int(low)))
            if high:  # younger than ``high``
                qs = qs.filter(birth_date__gt=years_before(today, int(high)))
        query = (d.get("q") or "").strip()
        if query:
            card = query.replace(" ", "")
            if card.isdigit() and len(card) >= 9:  # a citizen ID number
                qs = qs.filter(national_id__startswith=card)
            elif card[:2].isdigit():
                qs = qs.filter(card_number__startswith=card)
            else:
                qs = qs.filter(search_filter("search_name", query))
        order = {"unit": ["unit__path", "sort_name"], "admission": ["-admission_date", "sort_name"]}
        return qs.order_by(*order.get(d.get("sort"), ["sort_name", "pk"]))


def age_on(birth_date, today=None):
    today = today or timezone.localdate()
    if not birth_date:
        return None
    return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))


class CorrectionForm(forms.ModelForm):
    """The correctable part of the dossier plus the approving document (DOMAIN.md §2)."""

    approval_document = forms.CharField(label=_("Approving document number"), max_length=100)
    approval_date = forms.DateField(
        label=_("Approval date"), widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"})
    )

    class Meta:
        model = Member
        fields = [
            "full_name",
            "other_names",
            "sex",
            "birth_date",
            "birth_place",
            "national_id",
            "hometown",
            "residence_province",
            "residence_ward",
            "residence_address",
            "occupation",
            "ethnicity",
            "religion",
            "general_education",
            "qualification",
            "theory_level",
            "position",
        ]
        widgets = {"birth_date": forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"})}

    residence_province = forms.TypedChoiceField(
        label=_("Province of residence"), coerce=int, empty_value=None, required=False
    )
    residence_ward = forms.TypedChoiceField(
        label=_("Ward or commune of residence"), coerce=int, empty_value=None, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["residence_province"].choices = [("", "—"), *places.provinces()]
        province = self.data.get("residence_province") if self.is_bound else self.instance.residence_province
        self.fields["residence_ward"].choices = [("", "—"), *(places.wards(province) if province else [])]
        # Choosing a province reloads its wards (HTMX); without JavaScript, saving shows the ward error.
        self.fields["residence_province"].widget.attrs.update(
            {
                "hx-get": reverse_lazy("members:wards"),
                "hx-target": "#id_residence_ward",
                "hx-trigger": "change",
                "hx-swap": "innerHTML",
            }
        )
        for f in self.fields.values():
            f.widget.attrs.setdefault("class", "form-select" if isinstance(f.widget, forms.Select) else "form-control")

    def changes(self):
        return {f: self.cleaned_data[f] for f in self.Meta.fields if f in self.changed_data}


class ImportForm(StyledForm):
    unit = UnitChoiceField(label=_("Import into"), queryset=OrgUnit.objects.none())
    file = uploads.LimitedFileField(
        label=_("Excel file (.xlsx)"),
        max_bytes=10 * uploads.MB,
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].initial = units.first()  # the user's own unit, at the top of the tree


class PhotoForm(StyledForm):
    photo = uploads.LimitedImageField(label=_("Photo (JPEG or PNG, up to 5 MB)"), max_bytes=5 * uploads.MB)
