"""Usernames that cannot be mistaken for one another, and password rules with Vietnamese messages.

Usernames: NFKC-normalised, then only one script: the Latin letters a–z/A–Z with the Vietnamese
diacritics (â ă ê ô ơ ư, the five tones, đ), the digits 0–9 and ``. _ -``. A Cyrillic "о" in
"khоi", a Greek "ο", a full-width "ｋ" that would not normalise, a dotless "ı" are all refused, so
two accounts never look the same on screen.

Passwords: Django's four validators with our own messages (Django's Vietnamese catalog misses
"too short" and addresses the reader as "bạn"), and one more refusing a password that contains the
username ("khoikhoikhoi" for ``khoi``), which Django's similarity ratio lets through.
"""

import string
import unicodedata

from django.contrib.auth import password_validation as django_pv
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from dangbo.core.text import fold

# Combining marks of Vietnamese: grave, acute, tilde, hook above, dot below (the tones);
# circumflex, breve, horn (â ê ô, ă, ơ ư).
VIETNAMESE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b")
USERNAME_PUNCTUATION = frozenset("._-")


def normalize_username(value):
    return unicodedata.normalize("NFKC", str(value))


def _allowed_char(ch):
    if ch in string.ascii_letters or ch in string.digits or ch in USERNAME_PUNCTUATION or ch in "đĐ":
        return True
    base, *marks = unicodedata.normalize("NFD", ch)
    return base in string.ascii_letters and bool(marks) and all(m in VIETNAMESE_MARKS for m in marks)


@deconstructible
class UsernameValidator:
    message = gettext_lazy(
        "Use Latin letters (Vietnamese letters included), digits and . _ - only, without spaces or "
        "letters of other alphabets."
    )
    code = "invalid"

    def __call__(self, value):
        if not all(_allowed_char(ch) for ch in normalize_username(value)):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other):
        return isinstance(other, UsernameValidator)


validate_username = UsernameValidator()


# ---- passwords (AUTH_PASSWORD_VALIDATORS) ----


class MinimumLengthValidator(django_pv.MinimumLengthValidator):
    def get_error_message(self):
        return ngettext(
            "This password is too short: it must have at least %(min_length)d character.",
            "This password is too short: it must have at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}

    def get_help_text(self):
        return ngettext(
            "The password must have at least %(min_length)d character.",
            "The password must have at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}


class UserAttributeSimilarityValidator(django_pv.UserAttributeSimilarityValidator):
    def get_error_message(self):
        return _("The password is too close to the %(verbose_name)s.")

    def get_help_text(self):
        return _("The password must not resemble the username, name or e-mail address.")


class CommonPasswordValidator(django_pv.CommonPasswordValidator):
    def get_error_message(self):
        return _("This password is too common: it is on the list of easily guessed passwords.")

    def get_help_text(self):
        return _("The password must not be a commonly used one.")


class NumericPasswordValidator(django_pv.NumericPasswordValidator):
    def get_error_message(self):
        return _("This password is made of digits only.")

    def get_help_text(self):
        return _("The password must not be made of digits only.")


class UsernameInPasswordValidator:
    """Refuse a password that contains the username, or is the username repeated.

    Compared without case or diacritics ("Khoi2026khoi" for ``khôi``). A username shorter than three
    characters is only refused repeated (else "an" would ban every password with "an" in it).
    """

    def validate(self, password, user=None):
        username = fold(getattr(user, "username", "") or "").replace(" ", "")
        if not username:
            return
        pw = fold(password).replace(" ", "")
        letters = "".join(ch for ch in pw if ch.isalnum())
        repeated = (
            bool(letters)
            and len(letters) % len(username) == 0
            and letters == username * (len(letters) // len(username))
        )
        if repeated or (len(username) >= 3 and username in pw):
            raise ValidationError(self.get_error_message(), code="password_contains_username")

    def get_error_message(self):
        return _("The password must not contain the username.")

    def get_help_text(self):
        return _("The password must not contain the username.")
