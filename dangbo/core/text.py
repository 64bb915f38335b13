"""Vietnamese text folding for accent-insensitive search.

"Nguyễn Văn Đức", its NFD form and "nguyen van duc" all fold to
"nguyen van duc". Every searchable model stores a folded copy of its text
(e.g. ``Member.search_name``) so that search is a plain indexed ``contains``
on SQLite and PostgreSQL alike.
"""

import unicodedata


def fold(text):
    """Lower-case, strip diacritics (đ/Đ → d), collapse white space.

    Lower-casing comes first: some capitals lower-case to a letter plus a
    combining mark ("İ" → "i̇"), which must be stripped too for ``fold`` to be
    idempotent.
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFD", unicodedata.normalize("NFD", str(text)).lower())
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return " ".join(text.replace("đ", "d").split())


def nfc(text):
    """Canonical composed form for storage: NFD input from some keyboards is stored as NFC."""
    return unicodedata.normalize("NFC", text) if text else text


def search_filter(field, query):
    """A Q object matching rows whose folded ``field`` has, for every folded word of
    ``query``, a word starting with it: "nguyen an" finds "Nguyễn Văn An" and
    "Nguyễn Thị Anh" but not "Nguyễn Văn Thanh".

    Only the first ``MAX_SEARCH_WORDS`` words count: each word is one more condition, and a query of thousands
    would exceed the database's expression depth (pages say so to the user, see ``params.param_search``)."""
    from django.db.models import Q

    from dangbo.core.params import MAX_SEARCH_CHARS, MAX_SEARCH_WORDS

    q = Q()
    for word in fold(str(query or "")[:MAX_SEARCH_CHARS]).split()[:MAX_SEARCH_WORDS]:
        q &= Q(**{f"{field}__startswith": word}) | Q(**{f"{field}__contains": f" {word}"})
    return q


def decimal_text(value, places=2):
    """A number as Vietnamese writes it, to at most ``places`` decimals and without trailing zeros: 90, 92,5,
    1,14, 1.234,5 (``Decimal.normalize()`` alone prints 90 as "9E+1")."""
    from decimal import ROUND_HALF_UP, Decimal

    from django.utils import formats

    value = Decimal(value).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP).normalize()
    return formats.number_format(value, decimal_pos=max(0, -value.as_tuple().exponent), force_grouping=True)
