"""Web Push and the home-screen app (issue 14 §4): a browser subscribes, each notification reaches it encrypted
for it alone and signed by the server, a forgotten browser is dropped, and no address outside the browsers'
push services is ever posted to."""

import json
import os
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import http_ece
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.test import Client, override_settings
from django.urls import reverse
from py_vapid import Vapid02

from dangbo.core import push
from dangbo.core.models import Notification, PushSubscription
from dangbo.review.models import ReviewPeriod
from dangbo.review.tests.test_opening import OPEN_FORM


class Browser:
    """The keys a browser makes when it subscribes."""

    def __init__(self):
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)
        raw = self.key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        self.p256dh = push.b64url(raw)

    def form(self, endpoint):
        return {"endpoint": endpoint, "p256dh": self.p256dh, "auth": push.b64url(self.auth)}

    def read(self, body):
        return json.loads(http_ece.decrypt(body, private_key=self.key, auth_secret=self.auth, version="aes128gcm"))


@pytest.fixture
def push_service():
    """A push service on the loopback: records each message and answers with the next status (201, then 410)."""
    received, answers = [], [201]

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append({"path": self.path, "headers": self.headers, "body": body})
            self.send_response(answers.pop(0) if answers else 201)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", received, answers
    server.shutdown()


def test_the_manifest_and_the_service_worker_make_the_site_an_app(client):
    manifest = client.get(reverse("core:manifest"))
    assert manifest.status_code == 200 and manifest["Content-Type"].startswith("application/manifest+json")
    data = json.loads(manifest.content)
    assert data["name"] == "Đảng bộ số" and data["display"] == "standalone" and data["start_url"] == "/"
    assert data["icons"] and all(client.get(i["src"]).status_code in (200, 404) for i in data["icons"])
    sw = client.get("/sw.js")
    assert sw.status_code == 200 and sw["Content-Type"].startswith("text/javascript")
    text = sw.content.decode()
    assert 'addEventListener("push"' in text and "showNotification" in text and "{%" not in text
    page = client.get(reverse("accounts:login")).content.decode()
    assert 'rel="manifest" href="/manifest.webmanifest"' in page and "core/push.js" in page


def test_a_browser_subscribes_only_with_a_push_service_address_and_valid_keys(cast, login):
    browser = Browser()
    client = login(cast.member_a1)
    url = reverse("core:push_subscribe")
    fcm = "https://fcm.googleapis.com/fcm/send/abc123"
    for endpoint in (
        "http://127.0.0.1:8000/admin",
        "https://fcm.googleapis.com.evil.example/x",
        "http://fcm.googleapis.com/x",
        "ftp://x",
    ):
        resp = client.post(url, browser.form(endpoint))
        assert resp.status_code == 400 and "không dùng được" in resp.json()["error"]
    assert client.post(url, {**browser.form(fcm), "p256dh": "abc"}).status_code == 400
    assert client.post(url, {**browser.form(fcm), "auth": push.b64url(b"short")}).status_code == 400
    assert not PushSubscription.objects.exists()
    resp = client.post(url, browser.form(fcm))
    assert resp.status_code == 200 and resp.json()["ok"]
    assert PushSubscription.objects.get().user == cast.member_a1
    page = client.get(reverse("core:notifications")).content.decode()
    assert 'data-testid="push-card"' in page and f'data-key="{push.public_key()}"' in page and "1 thiết bị" in page
    # The same browser, now logged in as someone else, belongs to them; nobody removes another's browser.
    other = Client()
    other.force_login(cast.secretary_a1)
    assert other.post(url, browser.form(fcm)).status_code == 200
    assert PushSubscription.objects.get().user == cast.secretary_a1
    assert client.post(reverse("core:push_unsubscribe"), {"endpoint": fcm}).json()["removed"] == 0
    assert PushSubscription.objects.count() == 1
    assert other.post(reverse("core:push_unsubscribe"), {"endpoint": fcm}).json()["removed"] == 1
    assert not PushSubscription.objects.exists()


def test_a_notification_reaches_the_browser_encrypted_and_signed_and_a_forgotten_browser_is_dropped(
    cast, login, push_service, django_capture_on_commit_callbacks
):
    base, received, answers = push_service
    browser = Browser()
    with override_settings(WEBPUSH_ENDPOINT_HOSTS=["http://127.0.0.1"]):
        resp = login(cast.member_a1).post(reverse("core:push_subscribe"), browser.form(base + "/push/member-a1"))
    assert resp.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        login(cast.bloc_user).post(reverse("review:period_open"), {**OPEN_FORM, "unit": cast.bloc.pk})
    period = ReviewPeriod.objects.get()
    note = Notification.objects.get(user=cast.member_a1, kind="review.self_assessment")
    assert len(received) == 1
    msg = received[0]
    assert msg["path"] == "/push/member-a1" and msg["headers"]["Content-Encoding"] == "aes128gcm"
    assert int(msg["headers"]["TTL"]) > 0
    auth = msg["headers"]["Authorization"]
    assert auth.startswith("vapid t=") and Vapid02.verify(auth)
    assert f"k={push.public_key()}" in auth
    assert browser.read(msg["body"]) == {
        "title": note.title,
        "body": note.body,
        "url": reverse("review:home") + f"?period={period.pk}",
    }
    assert b"30/11/2026" not in msg["body"]  # only the browser can read it
    assert PushSubscription.objects.get().last_sent_at is not None
    # The push service has forgotten the browser (410): the subscription goes, the notification stays.
    answers[:] = [410]
    with django_capture_on_commit_callbacks(execute=True):
        from dangbo.core.notify import notify

        notify(users=[cast.member_a1], title="Thử", url="/", kind="test")
    assert len(received) == 2 and not PushSubscription.objects.exists()
    assert Notification.objects.filter(user=cast.member_a1, kind="test").exists()
