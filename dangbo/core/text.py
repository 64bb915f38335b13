"""Vietnamese text folding for accent-insensitive search.

"Nguyễn Văn Đức", its NFD form and "nguyen van duc" all fold to
"nguyen van duc". Every searchable model stores a folded copy of its text
(e.g. ``Member.search_name``) so that search is a plain indexed ``contains``
on SQLite and PostgreSQL alike.
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text):
    """Lower-case, strip diacritics (đ/Đ → d), collapse white space."""
    if not text:
        return ""
    text = unicodedata.normalize("NFD", str(text))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    text = text.replace("đ", "d").replace("Đ", "D").lower()
    return _SPACES.sub(" ", text).strip()


def nfc(text):
    """Canonical composed form for storage: NFD input from some keyboards is stored as NFC."""
    return unicodedata.normalize("NFC", text) if text else text


def search_filter(field, query):
    """A Q object matching every folded word of ``query`` inside the folded ``field``."""
    from django.db.models import Q

    q = Q()
    for word in fold(query).split():
        q &= Q(**{f"{field}__contains": word})
    return q
