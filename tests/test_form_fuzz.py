"""No input ever produces a server error: garbage posted into every form of the site.

For every state-changing route (the write matrix's cases, ``tests/test_write_matrix.py``) one user who may
post there opens the page, and the fields of its POST forms are read from the HTML (with the names of the
case's valid body, for routes that have no page of their own). Then, once per kind of garbage, the valid
body is posted with *every* field replaced by that garbage: empty, 10,000 characters, an impossible date,
the first and last days Python knows, a negative number, a number of 23 digits, decomposed (NFD)
Vietnamese, a NUL character. Each answer must be below 500 (a form error, a refusal, a redirect); every
request is rolled back.
"""

import unicodedata
from html.parser import HTMLParser

import pytest
from django.db import transaction
from django.urls import reverse

from tests.test_access_matrix import CASES
from tests.test_write_matrix import POST_CASES

GARBAGE = {
    "empty": "",
    "long": "Đảng viên " * 1000,  # 10,000 characters
    "bad_date": "31/02/2024",
    "first_day": "01/01/0001",
    "last_day": "31/12/9999",
    "negative": "-5",
    "huge": "99999999999999999999999",
    "nfd": unicodedata.normalize("NFD", "Nguyễn Thị Ánh Tuyết, Đảng bộ Sở Tài chính"),
    "nul": "Nguyễn\x00Văn",
}

# Names a form carries that are not the user's input (the CSRF token) or whose value picks the action.
_SKIP = {"csrfmiddlewaretoken"}


class _PostFields(HTMLParser):
    """The names of the fields of the page's POST forms that post to the page itself (inputs, selects, text
    areas; file inputs and buttons aside). Forms posting elsewhere (the language switch) are another route's.
    ``method="get"``: the page's filter forms instead."""

    def __init__(self, path, method="post"):
        super().__init__()
        self.path, self.method, self.names, self._in_post = path, method, [], False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            action = (a.get("action") or "").split("?")[0]
            self._in_post = (a.get("method") or "get").lower() == self.method and action in ("", self.path)
        elif (
            tag in ("input", "select", "textarea")
            and self._in_post
            and a.get("name")
            and (a.get("type") or "").lower() not in ("file", "submit", "button", "image", "reset")
            and a["name"] not in self.names
        ):
            self.names.append(a["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_post = False


def _form_fields(client, url, method="post"):
    resp = client.get(url)
    if resp.status_code != 200 or "html" not in resp.get("Content-Type", ""):
        return []
    parser = _PostFields(url.split("?")[0], method)
    parser.feed(resp.content.decode())
    return parser.names


def _post(client, url, data, where):
    try:
        with transaction.atomic():
            resp = client.post(url, data)
            transaction.set_rollback(True)
    except Exception as e:  # the test client re-raises the view's exception: name the route and the input
        raise AssertionError(f"{where}: {type(e).__name__}: {e}") from e
    return resp


@pytest.mark.parametrize("case", POST_CASES, ids=lambda c: f"fuzz:{c.url_name}")
def test_garbage_never_breaks_a_form(case, cast, client):
    user_name = sorted(case.allowed)[0]
    client.force_login(cast.users[user_name])
    kwargs = case.kwargs(cast) if case.kwargs else None
    url = reverse(case.url_name, kwargs=kwargs) + case.query
    valid = case.data(cast) if case.data else {}
    with transaction.atomic():
        names = _form_fields(client, url)
        transaction.set_rollback(True)
    names = [n for n in dict.fromkeys([*names, *valid]) if n not in _SKIP]
    for kind, value in GARBAGE.items():
        data = {**valid, **dict.fromkeys(names, value)}
        resp = _post(client, url, data, f"{case.url_name} as {user_name}, {kind} in {names}")
        assert resp.status_code < 500, f"{case.url_name} as {user_name}, {kind}: {resp.status_code}"
        if kind == "nul" and names:
            assert resp.status_code == 400 and "ký tự rỗng" in resp.content.decode()


# Query parameters the views read directly (besides the fields of the page's filter forms).
QUERY_PARAMS = [
    "year", "years", "on", "date", "date_from", "date_to", "page", "unit", "member", "plan", "document",
    "decision", "group", "judge", "q", "kind", "state", "tab", "show", "month", "period", "sort",
]  # fmt: skip
GET_CASES = [c for c in CASES if c.method == "get" and c.allowed]


@pytest.mark.parametrize("index,case", list(enumerate(GET_CASES)), ids=lambda v: getattr(v, "url_name", str(v)))
def test_garbage_in_a_query_never_breaks_a_page(index, case, cast, client):
    """Every page, as one user who may open it: every filter field and query parameter set to one kind of
    garbage (the kinds taken in turn from one page to the next, to keep the run short)."""
    user_name = sorted(case.allowed)[0]
    client.force_login(cast.users[user_name])
    url = reverse(case.url_name, kwargs=case.kwargs(cast) if case.kwargs else None)
    names = [n for n in dict.fromkeys([*_form_fields(client, url, "get"), *QUERY_PARAMS]) if n not in _SKIP]
    kind = list(GARBAGE)[index % len(GARBAGE)]
    try:
        resp = client.get(url, dict.fromkeys(names, GARBAGE[kind]))
    except Exception as e:
        raise AssertionError(f"{case.url_name} as {user_name}, {kind}: {type(e).__name__}: {e}") from e
    assert resp.status_code < 500, f"{case.url_name} as {user_name}, {kind}: {resp.status_code}"
