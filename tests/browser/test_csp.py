"""Under the Content-Security-Policy (no inline script or style) the pages still work in a real browser.

The bloc office goes through the main pages, every chart page and the dashboard: the browser reports no
policy violation and no script error, the charts are drawn, and HTMX (the member import's progress,
the notification bell) and the data-attribute behaviours of core/site.js still work.
"""

import re

from django.urls import reverse
from playwright.sync_api import expect

from dangbo.core.models import Notification
from dangbo.core.notify import notify
from dangbo.members import importer
from dangbo.members.tests.xlsx import row, workbook

# Records every violation into the page before any of its scripts runs.
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", e => {
  window.__csp.push(e.violatedDirective + " " + e.blockedURI + " " + (e.sourceFile || "") + ":" + e.lineNumber);
});
"""


def _watch(page):
    problems = []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on(
        "console",
        lambda m: (m.type == "error" or "Content Security Policy" in m.text) and problems.append(m.text),
    )
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    return problems


def _visit(page, problems, path):
    page.goto(page.base_url + path)
    page.wait_for_load_state("networkidle")
    violations = page.evaluate("window.__csp")
    assert violations == [], f"{path}: {violations}"
    assert problems == [], f"{path}: {problems}"


def _chart_drawn(page, selector):
    canvas = page.locator(selector)
    expect(canvas).to_have_count(1)
    assert page.evaluate("sel => !!(window.Chart && Chart.getChart(document.querySelector(sel)))", selector)
    box = canvas.bounding_box()
    assert box and box["width"] > 50 and box["height"] > 50


def test_main_pages_and_charts_run_under_the_policy(page, browser_cast, browser_login):
    from dangbo.programmes.tests.helpers import adopted, report
    from dangbo.study.tests.factories import make_campaign

    c = browser_cast
    campaign = make_campaign(c)
    child = adopted(c)
    report(child, values=(50, 180), state="accepted")
    programme = child.parent
    problems = _watch(page)
    browser_login(page, "bloc")

    for path in ["/", reverse("org:tree"), reverse("members:list"), reverse("core:notifications")]:
        _visit(page, problems, path)

    charts = [
        (reverse("reports:dashboard"), "#by_status"),
        (reverse("reports:dashboard"), "#by_age"),
        (reverse("study:completion", args=[campaign.pk]) + f"?unit={c.gr_a.pk}", "#completion-chart"),
        (reverse("programmes:progress", args=[programme.pk]), "#progress-chart"),
        (reverse("meetings:compliance"), "#compliance-chart"),
        (reverse("admission:targets"), "#admissions-chart"),
        (reverse("review:results"), "#levels-chart"),
        (reverse("inspection:home"), "#supervision-chart"),
    ]
    for path, canvas in charts:
        _visit(page, problems, path)
        _chart_drawn(page, canvas)

    # The programme chart follows the indicator select (a listener of programmes/progress.js).
    _visit(page, problems, reverse("programmes:progress", args=[programme.pk]))
    first = page.evaluate("Chart.getChart(document.querySelector('#progress-chart')).data.datasets[0].data")
    page.select_option("#indicator-select", index=1)
    second = page.evaluate("Chart.getChart(document.querySelector('#progress-chart')).data.datasets[0].data")
    assert first != second

    # Expand all / collapse all on the organization tree (data-tree-toggle, no onclick).
    _visit(page, problems, reverse("org:tree"))
    details = page.locator(".tree details")
    assert details.count() > 0
    page.click("text=Thu gọn")
    assert page.evaluate("[...document.querySelectorAll('.tree details')].every(d => !d.open)")
    page.click("text=Mở tất cả")
    assert page.evaluate("[...document.querySelectorAll('.tree details')].every(d => d.open)")

    # The bell fragment still refreshes through HTMX.
    notify(users=[c.bloc_user], title="Thông báo kiểm tra CSP")
    page.evaluate("htmx.ajax('GET', '/notifications/bell', {target: '#bell-badge', swap: 'outerHTML'})")
    unread = Notification.objects.filter(user=c.bloc_user, read_at__isnull=True).count()
    expect(page.locator("[data-testid=unread-count]")).to_contain_text(f"{unread} ")
    assert page.evaluate("window.__csp") == [] and problems == []

    # The policy is enforced and the recorder sees it: an injected inline script does not run.
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1';"
        " document.body.append(s); }"
    )
    page.wait_for_function("window.__csp.length > 0")
    assert page.evaluate("window.__ran") is None
    assert page.evaluate("window.__csp")[0].startswith("script-src")


def test_member_import_progress_runs_through_htmx_under_the_policy(
    page, browser_cast, browser_login, tmp_path, monkeypatch
):
    monkeypatch.setattr(importer, "CHUNK", 1)  # one row per HTMX step: the progress fragment is swapped often
    problems = _watch(page)
    browser_login(page, "staff_a")
    _visit(page, problems, reverse("members:import"))
    good = tmp_path / "danh-sach.xlsx"
    good.write_bytes(
        workbook([row("Nguyễn Văn An", card="48.100001"), row("Phan Văn Tài", card="48.100002"), row("Lý Thị Thu")])
    )
    page.select_option("#id_unit", label="\u00a0\u00a0Đảng bộ Sở Tài chính")
    page.set_input_files("#id_file", str(good))
    page.click("main form[data-testid=import-form] button[type=submit]")
    expect(page.locator("[data-testid=import-ready]")).to_be_visible()
    assert page.evaluate("window.__csp") == [] and problems == []
    # The commit form disables its button while the import runs (data-busy, no onsubmit).
    page.click("[data-testid=commit-form] button[type=submit]")
    page.wait_for_load_state("networkidle")
    expect(page).to_have_url(re.compile(r"/members/"))
    assert page.evaluate("window.__csp") == [] and problems == []
