"""Scripts in pages: names typed by users never become script, and the pages run no inline script.

(a) On each chart page a unit (and a programme indicator) renamed to a closing ``</script>`` tag is only
    shown escaped, and the chart's data, a ``json_script`` block, parses back to the name.
(b) Every GET route of the access matrix answers with a Content-Security-Policy that allows no inline
    script (nor eval, nor inline style), and no page holds an inline ``<script>`` (other than JSON data),
    an ``on*=`` handler, a ``javascript:`` URL, a ``style`` element or attribute.
"""

import json
import re
from html import unescape
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils.html import escape

from dangbo.org.models import OrgUnit
from tests.test_access_matrix import CASES

HOSTILE = "</script><script>alert(1)</script>"


def _json_block(body, element_id):
    m = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', body, re.S)
    assert m, f"no json_script block #{element_id}"
    return json.loads(m.group(1))


def _rename(unit, name=HOSTILE):
    OrgUnit.objects.filter(pk=unit.pk).update(name=name)


def _get(client, user, url):
    client.force_login(user)
    resp = client.get(url)
    assert resp.status_code == 200
    body = resp.content.decode()
    assert "</script><script>alert" not in body
    assert "<script>alert" not in body
    return body


def _strings(data):
    if isinstance(data, dict):
        for v in data.values():
            yield from _strings(v)
    elif isinstance(data, list):
        for v in data:
            yield from _strings(v)
    elif isinstance(data, str):
        yield data


# --- (a) the five chart pages -----------------------------------------------------------------------


def test_study_completion_chart_escapes_unit_names(cast, client):
    from dangbo.study.tests.factories import make_campaign

    campaign = make_campaign(cast)
    _rename(cast.gr_a)
    body = _get(client, cast.bloc_user, reverse("study:completion", args=[campaign.pk]))
    assert escape(HOSTILE) in body  # the table shows it, escaped
    chart = _json_block(body, "chart-data")
    assert HOSTILE in chart["labels"]


def test_programme_progress_chart_escapes_unit_and_indicator_names(cast, client):
    from dangbo.programmes.models import Indicator
    from dangbo.programmes.tests.helpers import adopted

    child = adopted(cast)
    parent = child.parent
    _rename(cast.gr_a)
    Indicator.objects.filter(programme=parent).update(name=HOSTILE)
    body = _get(client, cast.bloc_user, reverse("programmes:progress", args=[parent.pk]))
    assert escape(HOSTILE) in body
    chart = _json_block(body, "chart-data")
    assert HOSTILE in chart["units"]
    assert all(i["name"].startswith(HOSTILE) for i in chart["indicators"]) and chart["indicators"]


def test_meeting_compliance_page_escapes_unit_names(cast, client):
    _rename(cast.cell_a1)
    _rename(cast.gr_a, HOSTILE + " (Sở)")
    body = _get(client, cast.bloc_user, reverse("meetings:compliance"))
    assert escape(HOSTILE) in body
    chart = _json_block(body, "chart-data")  # months and rule kinds, no names: still parsed as data
    assert chart["labels"] and len(chart["datasets"]) >= 1
    assert all(HOSTILE not in s for s in _strings(chart))


def test_admission_targets_page_escapes_unit_names(cast, client):
    _rename(cast.gr_a)
    body = _get(client, cast.bloc_user, reverse("admission:targets"))
    assert escape(HOSTILE) in body
    chart = _json_block(body, "chart-data")
    assert len(chart["labels"]) == 12 and len(chart["monthly"]) == 12


def test_review_results_page_escapes_unit_names(cast, client):
    _rename(cast.gr_a)
    body = _get(client, cast.bloc_user, reverse("review:results") + f"?unit={cast.gr_a.pk}")
    chart = _json_block(body, "chart-data")
    assert len(chart["labels"]) == 5 and chart["series"]
    assert escape(HOSTILE) in body


# --- (b) the Content-Security-Policy and the markup of every page -------------------------------------


def _policy(resp):
    header = resp.headers.get("Content-Security-Policy")
    assert header, "no Content-Security-Policy header"
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def assert_strict_policy(resp):
    d = _policy(resp)
    script = d.get("script-src", d.get("default-src"))
    assert script is not None, "no script-src nor default-src"
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script
    style = d.get("style-src", d.get("default-src"))
    assert style is not None and "'unsafe-inline'" not in style
    for extra in ("script-src-elem", "script-src-attr", "style-src-elem", "style-src-attr"):
        assert "'unsafe-inline'" not in d.get(extra, [])
    assert d.get("object-src") == ["'none'"]
    assert d.get("frame-ancestors") == ["'none'"]
    assert d.get("base-uri") == ["'self'"]


class _InlineCode(HTMLParser):
    """Collects what the policy would block: inline scripts, handlers, javascript: URLs, inline styles."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and not a.get("src") and a.get("type") != "application/json":
            self.found.append(f"inline <script> {attrs}")
        if tag == "style":
            self.found.append("<style> element")
        for name, value in attrs:
            if name.startswith("on") or name.startswith("hx-on"):
                self.found.append(f"<{tag} {name}=…>")
            if name == "style":
                self.found.append(f'<{tag} style="{value}">')
            url = unescape(value or "").strip().lower()
            if name in ("href", "src", "action", "formaction") and url.startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value}>")

    handle_startendtag = handle_starttag


def inline_code(body):
    parser = _InlineCode()
    parser.feed(body)
    parser.close()
    return parser.found


def test_the_inline_code_finder_finds_what_it_should():
    assert inline_code('<script src="/static/x.js"></script><script id="d" type="application/json">{}</script>') == []
    bad = (
        "<script>alert(1)</script><button onclick=\"x()\"></button><a href=' javascript:x()'></a>"
        '<div style="width:1px"></div><style>p{}</style><div hx-on:click="x()"></div>'
    )
    assert len(inline_code(bad)) == 6


def test_login_page_has_the_policy_and_no_inline_code(client):
    resp = client.get(reverse("accounts:login"))
    assert resp.status_code == 200
    assert_strict_policy(resp)
    assert inline_code(resp.content.decode()) == []


GET_CASES = [c for c in CASES if c.method == "get" and c.allowed]


@pytest.mark.parametrize("case", GET_CASES, ids=lambda c: f"{c.url_name}{c.query}")
def test_every_page_has_the_policy_and_no_inline_code(case, cast, client):
    kwargs = case.kwargs(cast) if case.kwargs else None
    user = cast.users[sorted(case.allowed)[0]]
    client.force_login(user)
    resp = client.get(reverse(case.url_name, kwargs=kwargs) + case.query)
    assert resp.status_code in (200, 302)
    assert_strict_policy(resp)
    if resp.status_code == 200 and resp.get("Content-Type", "").startswith("text/html"):
        found = inline_code(resp.content.decode())
        assert not found, f"{case.url_name}: {found[:5]}"


def test_the_csrf_failure_page_has_the_policy_and_no_inline_code(cast):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.bloc_user)
    resp = client.post(reverse("core:notifications_read_all"))
    assert resp.status_code == 403
    assert_strict_policy(resp)
    body = resp.content.decode()
    assert 'data-testid="csrf-failure"' in body and "Biểu mẫu đã hết hạn" in body
    assert inline_code(body) == []


def test_a_missing_page_has_the_policy_and_no_inline_code(cast, client):
    client.force_login(cast.bloc_user)
    resp = client.get("/khong-co-trang-nay/")
    assert resp.status_code == 404
    assert_strict_policy(resp)
    assert inline_code(resp.content.decode()) == []
