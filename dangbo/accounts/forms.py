from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from dangbo.accounts.models import Role, User
from dangbo.accounts.validators import validate_username
from dangbo.core.forms import StyledForm, UnitChoiceField
from dangbo.org.models import OrgUnit


class LoginForm(StyledForm):
    # NFKC like the stored usernames; no format check here, so every refusal reads the same.
    username = auth_forms.UsernameField(label=_("Username"), max_length=150)
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


class UsernameField(auth_forms.UsernameField):
    """A new account's username: NFKC-normalised, one script only (accounts.validators).
    Every form that creates a user uses it."""

    default_validators = [validate_username]


class RoleForm(StyledForm):
    role = forms.ChoiceField(label=_("Role"))
    unit = UnitChoiceField(label=_("On unit"), queryset=OrgUnit.objects.none())

    def __init__(self, *args, roles, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r.value, Role(r).label) for r in roles]
        self.fields["unit"].queryset = units


class UserCreateForm(RoleForm):
    username = UsernameField(label=_("Username"), max_length=150)
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), required=False)
    password = forms.CharField(label=_("Initial password"), widget=forms.PasswordInput)

    field_order = ["username", "full_name", "email", "password", "role", "unit"]

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password")
        if password:
            # Checked against the account being made: the similarity and "username inside" rules need it.
            family, _sep, given = " ".join(cleaned.get("full_name", "").split()).rpartition(" ")
            candidate = User(
                username=cleaned.get("username", ""), first_name=given, last_name=family, email=cleaned.get("email", "")
            )
            try:
                validate_password(password, candidate)
            except forms.ValidationError as e:
                self.add_error("password", e)
        return cleaned


class UserSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
