"""The site as a phone app in Chromium: the service worker controls every page under the strict CSP, the card
offers push on this device, and a push message the browser receives is shown as a Vietnamese notification."""

import json

from playwright.sync_api import expect


def test_the_service_worker_shows_a_pushed_notification(page, browser_cast, browser_login):
    page.context.grant_permissions(["notifications"], origin=page.base_url)
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    browser_login(page, "member_a1")
    page.goto(page.base_url + "/notifications/")
    expect(page.locator("[data-testid=push-card]")).to_be_visible()
    expect(page.locator("[data-testid=push-on]")).to_be_visible()
    scope = page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
    assert scope == page.base_url + "/"
    manifest = page.evaluate(
        "fetch(document.querySelector('link[rel=manifest]').href).then(r => r.json()).then(m => m.name)"
    )
    assert manifest == "Đảng bộ số"

    cdp = page.context.new_cdp_session(page)
    registrations = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda e: registrations.extend(e["registrations"]))
    cdp.send("ServiceWorker.enable")
    page.wait_for_timeout(500)
    reg = next(r for r in registrations if r["scopeURL"] == page.base_url + "/" and not r["isDeleted"])
    data = {"title": "Kỳ kiểm điểm năm 2026: hạn 30/11/2026", "body": "Chi bộ đã mở kiểm điểm.", "url": "/review/"}
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": page.base_url, "registrationId": reg["registrationId"], "data": json.dumps(data)},
    )
    shown = None
    for _ in range(30):
        shown = page.evaluate(
            "navigator.serviceWorker.ready.then(r => r.getNotifications())"
            ".then(ns => ns.map(n => ({title: n.title, body: n.body, url: n.data && n.data.url})))"
        )
        if shown:
            break
        page.wait_for_timeout(200)
    assert shown == [{"title": data["title"], "body": data["body"], "url": page.base_url + "/review/"}]
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors
