import re

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangbo.accounts.access import WRITE_ROLES, path_q, scope_paths
from dangbo.accounts.models import Role, User
from dangbo.core import uploads
from dangbo.core.forms import StyledForm, UnitChoiceField, UnitMultipleChoiceField
from dangbo.documents.models import Document, FormTemplate
from dangbo.documents.services import TARGET_ROLES
from dangbo.members.models import Member
from dangbo.org.models import OrgUnit

DATE = {"placeholder": "dd/mm/yyyy"}


def _date(label, required=True):
    return forms.DateField(
        label=label, required=required, widget=forms.DateInput(attrs=DATE), initial=timezone.localdate
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(uploads.LimitedFileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.docx"}))
        kwargs.setdefault("max_bytes", 20 * uploads.MB)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def write_units(user):
    return OrgUnit.objects.active().filter(path_q("path", scope_paths(user, roles=WRITE_ROLES))).order_by("path")


class DocumentForm(StyledForm):
    kind = forms.ChoiceField(label=_("Document type"), choices=Document.Kind.choices)
    number = forms.CharField(label=_("Number and symbol"), max_length=100, required=False)
    title = forms.CharField(label=_("Title"), max_length=500)
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    issued_on = _date(_("Date issued"))
    issuer = forms.CharField(label=_("Issuing body"), max_length=255)
    subject = forms.CharField(label=_("Subject area"), max_length=255, required=False)
    secrecy = forms.ChoiceField(label=_("Secrecy level"), choices=Document.Secrecy.choices)
    unit = UnitChoiceField(label=_("Published by unit"), queryset=OrgUnit.objects.none(), empty_label=None)
    replaces = forms.ModelChoiceField(
        label=_("Replaces the document"), queryset=Document.objects.none(), required=False
    )
    files = MultipleFileField(label=_("Attachments (PDF, Word)"), required=False)

    def __init__(self, *args, user, news=False, **kwargs):
        super().__init__(*args, **kwargs)
        from dangbo.documents.access import documents_visible_to, publishing_units

        self.fields["unit"].queryset = publishing_units(user)
        self.fields["replaces"].queryset = (
            documents_visible_to(user)
            .filter(path_q("unit__path", scope_paths(user, roles=WRITE_ROLES)), replaced_by__isnull=True)
            .exclude(kind=Document.Kind.NEWS)
            .order_by("-issued_on", "-pk")
        )
        if news:
            self.fields["kind"].initial = Document.Kind.NEWS
            self.fields["kind"].widget = forms.HiddenInput()
            for name in ("number", "replaces", "subject"):
                del self.fields[name]
            self.fields["summary"].label = _("Content")
            self.fields["summary"].required = True
            self.fields["secrecy"].initial = Document.Secrecy.NORMAL
            self.fields["secrecy"].widget = forms.HiddenInput()
        else:
            self.fields["kind"].choices = [c for c in Document.Kind.choices if c[0] != Document.Kind.NEWS]


class DistributeForm(StyledForm):
    subtrees = UnitMultipleChoiceField(
        label=_("Units and all units under them"),
        queryset=OrgUnit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    units = UnitMultipleChoiceField(
        label=_("Only these units (not the units under them)"),
        queryset=OrgUnit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    roles = forms.MultipleChoiceField(
        label=_("Holders of these roles"),
        choices=[(r, Role(r).label) for r in TARGET_ROLES],
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    role_unit = UnitChoiceField(
        label=_("… in this unit and the units under it"), queryset=OrgUnit.objects.none(), required=False
    )
    people = forms.CharField(
        label=_("Named persons"),
        required=False,
        help_text=_("Party card numbers or login names, separated by commas or new lines."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    sent_on = _date(_("Sent on"))
    note = forms.CharField(label=_("Note to recipients"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, document, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.document = document
        units = write_units(user)
        self.fields["role_unit"].queryset = units
        top = units.first()
        if top is not None:
            self.fields["role_unit"].initial = top.pk
        if document.is_secret:
            del self.fields["subtrees"]
            del self.fields["units"]
        else:
            # Grassroots units and the roots of the user's scope: a checkbox per cell of a million-member tree
            # would be unreadable; a cell is reached through "only these units" from its own committee's page.
            roots = scope_paths(user, roles=WRITE_ROLES)
            choices = units.filter(Q(path__in=roots) | Q(kind__in=OrgUnit.GRASSROOTS_KINDS) | Q(depth__lte=1))
            if units.count() <= 200:
                choices = units
            self.fields["subtrees"].queryset = choices
            self.fields["units"].queryset = choices

    def clean_people(self):
        raw = self.cleaned_data.get("people", "")
        tokens = [t for t in re.split(r"[,;\s]+", raw) if t]
        users = []
        missing = []
        paths = scope_paths(self.user, roles=WRITE_ROLES)
        for token in tokens:
            user = (
                User.objects.filter(is_active=True)
                .filter(Q(username=token) | Q(member__card_number=token, member__status__in=Member.CURRENT_STATUSES))
                .filter(path_q("member__unit__path", paths) | path_q("roles__unit__path", paths))
                .distinct()
                .first()
            )
            if user is None:
                missing.append(token)
            else:
                users.append(user)
        if missing:
            raise forms.ValidationError(
                _("No person with a login in your organization has this card number or login name: %(list)s.")
                % {"list": ", ".join(missing)}
            )
        return users

    def clean(self):
        data = super().clean()
        if data.get("roles") and not data.get("role_unit"):
            self.add_error("role_unit", _("Choose the unit whose role holders receive the document."))
        return data

    def targets(self):
        from dangbo.documents.models import Target

        d = self.cleaned_data
        out = [{"kind": Target.Kind.SUBTREE, "unit": u} for u in d.get("subtrees") or []]
        out += [{"kind": Target.Kind.UNIT, "unit": u} for u in d.get("units") or []]
        out += [{"kind": Target.Kind.ROLE, "unit": d["role_unit"], "role": r} for r in d.get("roles") or []]
        out += [{"kind": Target.Kind.USER, "user": u} for u in d.get("people") or []]
        return out


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(
            attrs={"class": "form-control form-control-sm", "placeholder": _("Title, number, text of the files")}
        ),
    )
    kind = forms.ChoiceField(
        label=_("Document type"),
        required=False,
        choices=[("", _("All types"))] + [c for c in Document.Kind.choices if c[0] != Document.Kind.NEWS],
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    validity = forms.ChoiceField(
        label=_("Validity"),
        required=False,
        choices=[("", _("All")), ("in_force", _("Still in force")), ("replaced", _("Replaced"))],
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )


class TemplateFillForm(StyledForm):
    unit = UnitChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none(), empty_label=None)
    day = _date(_("Date of the document"))
    period = forms.CharField(label=_("Period"), max_length=100, help_text=_("e.g. “năm 2027”, “quý I năm 2027”"))
    term = forms.CharField(label=_("Term"), max_length=50, help_text=_("e.g. 2025–2030"))
    place = forms.CharField(label=_("Place name"), max_length=100)
    secretary = forms.CharField(
        label=_("Secretary"), max_length=255, required=False, help_text=_("Left empty: the unit's secretary.")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = write_units(user)


class TemplateUploadForm(forms.ModelForm):
    file = uploads.LimitedFileField(label=_("Word file (.docx)"), max_bytes=5 * uploads.MB)

    class Meta:
        model = FormTemplate
        fields = ["name", "kind", "description", "file"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            f.widget.attrs.setdefault("class", "form-select" if isinstance(f.widget, forms.Select) else "form-control")

    def clean_file(self):
        from django.core.exceptions import ValidationError

        from dangbo.documents.templating import validate_template

        f = self.cleaned_data["file"]
        try:
            validate_template(f)
        except ValidationError as e:
            raise forms.ValidationError(e.messages)
        return f


class ConveyForm(forms.Form):
    members = forms.ModelMultipleChoiceField(
        label=_("Members who received it at the cell meeting"),
        queryset=Member.objects.none(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = queryset
        self.fields["members"].label_from_instance = lambda m: m.full_name
