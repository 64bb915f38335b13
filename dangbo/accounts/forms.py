from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from dangbo.accounts.models import Role
from dangbo.core.forms import StyledForm, UnitChoiceField
from dangbo.org.models import OrgUnit


class LoginForm(StyledForm):
    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update(autofocus=True, autocomplete="username", autocapitalize="none")
        self.fields["password"].widget.attrs.update(autocomplete="current-password")


class TokenForm(StyledForm):
    token = forms.RegexField(
        label=_("6-digit code"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Enter the 6 digits shown by your authenticator app.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["token"].widget.attrs.update(inputmode="numeric", autocomplete="one-time-code", autofocus=True)

    def clean_token(self):
        return self.cleaned_data["token"].strip()


class RoleForm(StyledForm):
    role = forms.ChoiceField(label=_("Role"))
    unit = UnitChoiceField(label=_("On unit"), queryset=OrgUnit.objects.none())

    def __init__(self, *args, roles, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r.value, Role(r).label) for r in roles]
        self.fields["unit"].queryset = units


class UserCreateForm(RoleForm):
    username = forms.RegexField(
        label=_("Username"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        error_messages={"invalid": _("Use letters, digits and . @ + - _ only, without spaces.")},
    )
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), required=False)
    password = forms.CharField(label=_("Initial password"), widget=forms.PasswordInput)

    field_order = ["username", "full_name", "email", "password", "role", "unit"]

    def clean_password(self):
        password = self.cleaned_data["password"]
        validate_password(password)
        return password


class UserSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
