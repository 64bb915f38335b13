"""Take the README screenshots from a running demo server.

make run   # in another terminal (or: .venv/bin/python manage.py runserver)
.venv/bin/python scripts/screenshot.py [http://127.0.0.1:8000]
"""

import sys

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

with sync_playwright() as p:
    browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
    page = browser.new_page(viewport={"width": 1280, "height": 860}, locale="vi-VN")
    page.goto(f"{BASE}/accounts/login/")
    page.fill("#id_username", "khoi")
    page.fill("#id_password", "Demo@2026")
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.screenshot(path="docs/screenshot-home.png")
    page.goto(f"{BASE}/org/")
    page.wait_for_load_state("networkidle")
    page.screenshot(path="docs/screenshot.png")
    page.goto(f"{BASE}/reports/")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1000)  # chart animation
    page.screenshot(path="docs/screenshot-dashboard.png")
    phone = browser.new_page(viewport={"width": 390, "height": 780}, locale="vi-VN", is_mobile=True)
    phone.goto(f"{BASE}/accounts/login/")
    phone.fill("#id_username", "dangvien")
    phone.fill("#id_password", "Demo@2026")
    phone.click("main form button[type=submit]")
    phone.wait_for_load_state("networkidle")
    phone.screenshot(path="docs/screenshot-phone.png")
    browser.close()
