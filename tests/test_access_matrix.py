"""The access matrix: every URL pattern, every cast user.

Each app lists its URLs in ``dangbo/<app>/tests/access_cases.py`` as ``CASES``
(a list of ``dangbo.testing.Case``). This test fails when a URL has no case,
when an allowed user is refused, and when anyone else gets anything but 404.
"""

import importlib
import pkgutil

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import dangbo
from dangbo.testing import Case

# Open to everyone, logged in or not, and holding no data.
PUBLIC = {
    "core:healthz",
    "core:favicon",
    "core:manifest",
    "core:service_worker",
    "accounts:login",
    "accounts:logout",
    "set_language",
}


def _names(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            yield from _names(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{prefix}{p.name}"


def all_url_names():
    return sorted(set(_names(get_resolver().url_patterns)))


def all_cases():
    cases = []
    for mod in pkgutil.iter_modules(dangbo.__path__):
        try:
            m = importlib.import_module(f"dangbo.{mod.name}.tests.access_cases")
        except ModuleNotFoundError:
            continue
        cases.extend(m.CASES)
    return cases


CASES = all_cases()


def test_every_url_has_an_access_case():
    covered = {c.url_name for c in CASES}
    missing = [n for n in all_url_names() if n not in covered and n not in PUBLIC]
    assert not missing, f"URLs without an access case: {missing}"


def _request(client, case: Case, cast, user_name, kwargs):
    url = reverse(case.url_name, kwargs=kwargs) + case.query
    if case.method == "post":
        # The same body for everyone (as in the write matrix): where the target unit is chosen in the
        # form, a user with a scope of their own must be refused this target, not shown a form error.
        data = case.data(cast) if case.data else {}
        return client.post(url, data)
    return client.get(url)


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.method}:{c.url_name}")
def test_access_matrix(case, cast, client):
    kwargs = case.kwargs(cast) if case.kwargs else None
    for name, user in cast.users.items():
        client.force_login(user)
        # Each user's request is rolled back, so a POST by one does not change what the next one sees.
        with transaction.atomic():
            resp = _request(client, case, cast, name, kwargs)
            transaction.set_rollback(True)
        if name in case.allowed:
            assert resp.status_code in (200, 302), f"{name} refused {case.url_name}: {resp.status_code}"
            if resp.status_code == 302:
                assert "/accounts/login" not in resp["Location"]
        elif name in case.form_error:
            assert resp.status_code == 200, f"{name}: {case.url_name} gave {resp.status_code}, not a form error"
            assert resp.context["form"].errors, f"{name}: {case.url_name} shows no form error"
        elif case.method == "post":
            # A write refused to someone who may read the object: 403 (their own case) or 404.
            assert resp.status_code in (403, 404), f"{name} reached {case.url_name}: {resp.status_code}"
        else:
            assert resp.status_code == 404, f"{name} reached {case.url_name}: {resp.status_code}"
    client.logout()
    resp = _request(client, case, cast, "anonymous", kwargs)
    assert resp.status_code in (302, 404, 405)
    if resp.status_code == 302:
        assert "/accounts/login" in resp["Location"]
