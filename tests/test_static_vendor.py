"""/static/vendor/ serves the built assets the pages use, not the whole of node_modules.

dangbo.core.staticfinders.VendorFinder knows an explicit list of files; package.json, sources and
unminified builds of the same packages are neither served nor collected.
"""

import os
import urllib.error
import urllib.request

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command

from dangbo.core.staticfinders import FILES, VendorFinder

pytestmark = pytest.mark.skipif(
    not (settings.BASE_DIR / "node_modules").is_dir(), reason="front-end assets not installed (npm ci)"
)

SERVED = [
    "vendor/bootstrap/dist/css/bootstrap.min.css",
    "vendor/bootstrap/dist/js/bootstrap.bundle.min.js",
    "vendor/bootstrap-icons/font/bootstrap-icons.min.css",
    "vendor/bootstrap-icons/font/fonts/bootstrap-icons.woff2",
    "vendor/htmx.org/dist/htmx.min.js",
    "vendor/chart.js/dist/chart.umd.js",
]
# Files that exist in node_modules but must not be published.
HIDDEN = [
    "vendor/htmx.org/package.json",
    "vendor/bootstrap/package.json",
    "vendor/bootstrap/js/src/alert.js",
    "vendor/htmx.org/dist/htmx.js",
    "vendor/@popperjs/core/package.json",
    "vendor/chart.js/package.json",
]


def test_the_hidden_files_do_exist_in_node_modules():
    # Otherwise the 404s below would prove nothing.
    for path in HIDDEN:
        assert (settings.BASE_DIR / "node_modules" / path.removeprefix("vendor/")).is_file(), path


def test_the_finder_lists_exactly_the_allowed_files():
    listed = {path for path, _storage in VendorFinder().list([])}
    assert listed == set(FILES)
    assert not any(p.endswith("package.json") for p in listed)


def test_the_finders_find_the_built_files_only():
    for path in SERVED:
        assert finders.find(path), path
    for path in [*HIDDEN, "vendor/../package.json", "vendor/htmx.org/dist/../package.json", "vendor/"]:
        assert not finders.find(path), path
    assert finders.find("vendor/htmx.org/package.json", find_all=True) == []


def test_every_vendor_file_the_templates_use_is_allowed():
    import re

    used = set()
    for root, _dirs, files in os.walk(settings.BASE_DIR / "dangbo"):
        for name in files:
            if name.endswith(".html"):
                with open(os.path.join(root, name), encoding="utf-8") as f:
                    used.update(re.findall(r"\{% static '(vendor/[^']+)' %\}", f.read()))
    assert used, "no template uses a vendor asset?"
    assert {u.removeprefix("vendor/") for u in used} <= set(FILES)


def test_collectstatic_collects_only_the_allowed_files(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    call_command("collectstatic", interactive=False, verbosity=0)
    collected = {
        os.path.relpath(os.path.join(root, name), tmp_path / "vendor").replace(os.sep, "/")
        for root, _dirs, files in os.walk(tmp_path / "vendor")
        for name in files
    }
    assert collected == set(FILES)
    assert (tmp_path / "core" / "site.js").is_file()  # the apps' own static files still come


def _get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, b""


def test_over_http_the_built_files_are_served_and_the_rest_is_404(live_server):
    for path in SERVED:
        status, body = _get(f"{live_server.url}/static/{path}")
        assert status == 200 and len(body) > 1000, path
    for path in HIDDEN:
        assert _get(f"{live_server.url}/static/{path}")[0] == 404, path
