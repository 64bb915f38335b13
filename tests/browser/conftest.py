"""Browser tests: Playwright (Python) driving Debian's chromium against pytest-django's live server.

Run with ``pytest -m browser``; the normal run deselects them (see scripts/test-all.sh).
"""

import os

import pytest

from dangbo.testing import PASSWORD

# Playwright's sync API runs an event loop in this thread; the ORM calls the
# tests make between page actions are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def seeded_rules(transactional_db):
    """Transactional tests flush every table afterwards, the rules seeded by migrations included: seed
    them again (dangbo.testing.seed_all_rules)."""
    from dangbo.testing import seed_all_rules

    seed_all_rules()


@pytest.fixture
def page(browser, live_server, seeded_rules):
    context = browser.new_context(
        locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", viewport={"width": 1280, "height": 900}
    )
    pg = context.new_page()
    pg.set_default_timeout(15000)
    pg.base_url = live_server.url
    yield pg
    context.close()


@pytest.fixture
def browser_cast(seeded_rules):
    from dangbo.testing import build_cast

    return build_cast()


@pytest.fixture
def browser_login():
    """``browser_login(page, "bloc")`` logs in through the real login form."""

    def _login(page, username, password=PASSWORD):
        page.goto(page.base_url + "/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")

    return _login
