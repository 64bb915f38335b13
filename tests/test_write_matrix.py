"""The write matrix: every state-changing URL, every cast user.

Beside the access matrix (who may *open* what), this checks who may *change* what. A route writes
when its view reads ``request.POST`` or is restricted to POST (found from the view's source, so a
new form view cannot slip by). Every such route needs at least one ``Case(method="post")`` in its
app's ``tests/access_cases.py``. For each of those cases and each cast user, the same valid body is
posted:

- an allowed user gets 200/302 and the database has changed (``writes=False`` for a POST that
  only previews or downloads: then it must not change);
- every other user gets 404 (out of scope) or 403 (in scope, but the action is not theirs, such as
  a case about themselves), and the database is exactly as before.

"The database" is a fingerprint of every row of every model, less the session table and the
``last_login`` stamp that logging in writes.
"""

import hashlib
import inspect

import pytest
from django.apps import apps
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.test_access_matrix import CASES, PUBLIC

# Models whose rows change by logging in or by reading, not by the action under test.
_IGNORED_MODELS = {"sessions.session"}
_IGNORED_FIELDS = {"accounts.user": {"last_login"}}


def _views(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            yield from _views(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{prefix}{p.name}", p.callback


def _handles_post(view):
    """Whether a view accepts a POST body: it reads request.POST/FILES or is restricted to POST."""
    func = inspect.unwrap(view)
    try:
        source = inspect.getsource(func)
    except (OSError, TypeError):
        return True
    # The decorators above the function are part of its source.
    return "request.POST" in source or "request.FILES" in source or "require_POST" in source or '"POST"' in source


def post_routes():
    names = {}
    for name, view in _views(get_resolver().url_patterns):
        if name in PUBLIC:
            continue
        if _handles_post(view):
            names[name] = view
    return sorted(names)


POST_CASES = [c for c in CASES if c.method == "post"]


def fingerprint():
    """A digest per model of all its rows (every concrete column), in primary-key order."""
    digests = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in _IGNORED_MODELS or model._meta.proxy or not model._meta.managed:
            continue
        skip = _IGNORED_FIELDS.get(label, set())
        fields = [f.attname for f in model._meta.concrete_fields if f.name not in skip]
        h = hashlib.sha1()
        for row in model._base_manager.order_by("pk").values_list(*fields):
            h.update(repr(row).encode())
        digests[label] = h.hexdigest()
    return digests


def _changed(before, after):
    return sorted(k for k in before if before[k] != after.get(k))


def test_every_post_route_has_a_write_case():
    covered = {c.url_name for c in POST_CASES}
    missing = [n for n in post_routes() if n not in covered]
    assert not missing, f"POST routes without a write case (Case(method='post') in access_cases.py): {missing}"


@pytest.mark.parametrize("case", POST_CASES, ids=lambda c: f"post:{c.url_name}")
def test_write_matrix(case, cast, client):
    for name, user in cast.users.items():
        client.force_login(user)
        with transaction.atomic():
            kwargs = case.kwargs(cast) if case.kwargs else None
            data = case.data(cast) if case.data else {}
            url = reverse(case.url_name, kwargs=kwargs) + case.query
            before = fingerprint()
            resp = client.post(url, data)
            after = fingerprint()
            transaction.set_rollback(True)
        changed = _changed(before, after)
        if name in case.allowed:
            assert resp.status_code in (200, 302), f"{name} refused {case.url_name}: {resp.status_code}"
            if case.writes:
                assert changed, f"{name}'s POST to {case.url_name} changed nothing (status {resp.status_code})"
            else:
                assert not changed, f"{case.url_name} is marked writes=False but changed {changed}"
        elif name in case.form_error:  # an out-of-reach id in a search select: a form error, nothing written
            assert resp.status_code == 200, f"{name}: {case.url_name} gave {resp.status_code}, not a form error"
            assert not changed, f"{name}'s out-of-reach POST to {case.url_name} changed {changed}"
        else:
            assert resp.status_code in (403, 404), f"{name} reached {case.url_name}: {resp.status_code}"
            assert not changed, f"{name} was refused {case.url_name} but the database changed: {changed}"
