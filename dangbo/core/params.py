"""Reading values from a query string or a posted form without ever failing.

A page reads ``?year=``, ``?on=``, ``?unit=`` or a posted ``member`` id straight from the request; what a
user (or a crafted link) sends there can be anything: "0", "abc", 23 digits, "01/01/0001", 3,000 words. Each
helper here returns a value in a sane range or the default, so the page falls back instead of failing.

``source`` is a request (its query string, ``request.GET``, is read) or any mapping, such as ``request.POST``.
"""

import datetime

from django.contrib import messages
from django.utils.translation import gettext as _

# Years and days a page may be asked about: the Party's records here start after 1930; nothing is planned
# beyond 2100. Outside this range Python's dates (years 1..9999) and the database columns are still safe.
MIN_YEAR, MAX_YEAR = 1930, 2100
MIN_DATE, MAX_DATE = datetime.date(MIN_YEAR, 1, 1), datetime.date(MAX_YEAR, 12, 31)
# The largest value an integer column holds on every database (PostgreSQL's 32-bit integer), and the largest
# primary key (the 64-bit BigAutoField; SQLite cannot even compare with a larger number).
MAX_INT = 2_147_483_647
MAX_PK = 9_223_372_036_854_775_807
# A search box: at most this many characters and words (each word is one more condition in the query).
MAX_SEARCH_CHARS = 200
MAX_SEARCH_WORDS = 20

DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")


def _data(source):
    return source.GET if hasattr(source, "GET") else source


def _raw(source, name):
    value = _data(source).get(name)
    return value.strip() if isinstance(value, str) else value


def to_int(value, default=None, *, min_value=None, max_value=MAX_INT):
    """``value`` as an int within [min_value, max_value], else ``default``."""
    if isinstance(value, str):
        value = value.strip()
        digits = value[1:] if value.startswith("-") else value
        if not (digits.isascii() and digits.isdigit()) or len(digits) > 30:
            return default
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return default
    if (min_value is not None and number < min_value) or (max_value is not None and number > max_value):
        return default
    return number


def param_int(source, name, default=None, *, min_value=None, max_value=MAX_INT):
    """The integer parameter ``name``, or ``default`` when it is missing, not a number or out of range."""
    return to_int(_raw(source, name), default, min_value=min_value, max_value=max_value)


def param_id(source, name):
    """A primary key parameter: a positive integer a key column can hold, else None (the caller answers 404)."""
    return param_int(source, name, None, min_value=1, max_value=MAX_PK)


def param_ids(source, name):
    """The primary keys posted (or queried) under ``name``, several values, those that are not keys left out."""
    ids = (to_int(v, min_value=1, max_value=MAX_PK) for v in _data(source).getlist(name))
    return [pk for pk in ids if pk is not None]


def param_year(source, name="year", default=None):
    """A year between MIN_YEAR and MAX_YEAR, else ``default``."""
    return param_int(source, name, default, min_value=MIN_YEAR, max_value=MAX_YEAR)


def to_date(value, default=None):
    """A day written dd/mm/yyyy (or yyyy-mm-dd) between MIN_DATE and MAX_DATE, else ``default``."""
    if isinstance(value, datetime.date):
        day = value
    else:
        if not isinstance(value, str) or len(value.strip()) > 10:
            return default
        for fmt in DATE_FORMATS:
            try:
                day = datetime.datetime.strptime(value.strip(), fmt).date()
                break
            except ValueError:
                continue
        else:
            return default
    return day if MIN_DATE <= day <= MAX_DATE else default


def param_date(source, name, default=None):
    """The day parameter ``name`` (see ``to_date``), or ``default``."""
    return to_date(_raw(source, name), default)


def clip_search(text):
    """A search text cut to MAX_SEARCH_CHARS characters and MAX_SEARCH_WORDS words; (text, whether cut)."""
    text = (text or "").replace("\x00", "").strip()
    words = text[:MAX_SEARCH_CHARS].split()
    clipped = " ".join(words[:MAX_SEARCH_WORDS])
    return clipped, clipped != " ".join(text.split())


def param_search(request, name="q"):
    """The search text ``name`` of the query string, shortened (with a message to the user) when too long."""
    text, cut = clip_search(_raw(request, name))
    if cut:
        messages.warning(request, search_too_long_message())
    return text


def search_too_long_message():
    return _("The search was shortened: at most %(words)s words and %(chars)s characters are searched.") % {
        "words": MAX_SEARCH_WORDS,
        "chars": MAX_SEARCH_CHARS,
    }
