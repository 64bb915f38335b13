"""Web Push (RFC 8030, 8291, 8292): a notification reaches the user's phone even when the site is closed.

The browser subscribes through its push service (the page's "Nhận thông báo trên thiết bị này" button,
``core/static/core/push.js``) and gives us an ``endpoint`` and two keys; ``core.notify`` then hands each
new notification to the worker (``core.tasks.send_push``), which posts it here: the payload (title,
body, link) encrypted for that browser only (``http_ece``, aes128gcm), signed with the server's VAPID
key (``py_vapid``) so the push service knows who sends. A push service that answers 404 or 410 has
forgotten the browser: its subscription is dropped.

The VAPID key is ``settings.WEBPUSH_VAPID_PRIVATE_KEY`` (base64url of the raw or DER key) when set,
else a PEM file ``settings.WEBPUSH_VAPID_KEY_FILE`` created on first use (``var/webpush-vapid.pem``).
"""

import base64
import json
import logging
import os
import tempfile
import urllib.error
import urllib.request
from functools import lru_cache
from urllib.parse import urlsplit

import http_ece
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.utils import timezone
from py_vapid import Vapid02

from dangbo.core.models import PushSubscription

log = logging.getLogger(__name__)

TTL_SECONDS = 24 * 3600  # a phone switched off for a day still gets it
TIMEOUT_SECONDS = 10
GONE = (404, 410)


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text):
    text = str(text).strip()
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@lru_cache(maxsize=1)
def vapid():
    configured = getattr(settings, "WEBPUSH_VAPID_PRIVATE_KEY", "")
    if configured:
        return Vapid02.from_string(configured)
    path = str(settings.WEBPUSH_VAPID_KEY_FILE)
    if not os.path.exists(path):
        # Written whole or not at all: two processes starting at once keep one of the two keys.
        os.makedirs(os.path.dirname(path), exist_ok=True)
        key = Vapid02()
        key.generate_keys()
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path))
        with os.fdopen(fd, "wb") as f:
            f.write(key.private_pem())
        if not os.path.exists(path):
            os.replace(tmp, path)
        else:
            os.unlink(tmp)
    with open(path, "rb") as f:
        return Vapid02.from_pem(f.read())


def public_key():
    """The server's public key as the browser's ``applicationServerKey`` wants it (base64url, uncompressed)."""
    raw = vapid().public_key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return b64url(raw)


def valid_keys(p256dh, auth):
    """Whether the browser's keys are a P-256 public point and a 16-byte secret."""
    try:
        point, secret = b64url_decode(p256dh), b64url_decode(auth)
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except (ValueError, TypeError):
        return False
    return len(secret) == 16


def payload(notification):
    return {"title": notification.title, "body": notification.body[:300], "url": notification.url or "/"}


def send(subscription, data):
    """Post one encrypted message to one browser; returns the push service's HTTP status (0: unreachable)."""
    body = http_ece.encrypt(
        json.dumps(data, ensure_ascii=False).encode(),
        private_key=ec.generate_private_key(ec.SECP256R1()),
        dh=b64url_decode(subscription.p256dh),
        auth_secret=b64url_decode(subscription.auth),
        version="aes128gcm",
    )
    parts = urlsplit(subscription.endpoint)
    claims = {"sub": settings.WEBPUSH_CONTACT, "aud": f"{parts.scheme}://{parts.netloc}"}
    headers = {
        **vapid().sign(claims),
        "Content-Encoding": "aes128gcm",
        "Content-Type": "application/octet-stream",
        "TTL": str(TTL_SECONDS),
        "Urgency": "normal",
    }
    request = urllib.request.Request(subscription.endpoint, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            return response.status
    except urllib.error.HTTPError as e:
        return e.code
    except (urllib.error.URLError, OSError) as e:
        log.warning("Push service unreachable (%s): %s", parts.netloc, e)
        return 0


def deliver(notifications):
    """Send each notification to every browser its user subscribed; drop the subscriptions gone. Returns the
    number of messages the push services accepted."""
    by_user = {}
    for n in notifications:
        by_user.setdefault(n.user_id, []).append(n)
    accepted = 0
    gone = []
    for sub in PushSubscription.objects.filter(user_id__in=by_user):
        for n in by_user[sub.user_id]:
            status = send(sub, payload(n))
            if status in GONE:
                gone.append(sub.pk)
                break
            if 200 <= status < 300:
                accepted += 1
                PushSubscription.objects.filter(pk=sub.pk).update(last_sent_at=timezone.now())
            else:
                log.warning("Push service refused a message (HTTP %s) for subscription %s", status, sub.pk)
    PushSubscription.objects.filter(pk__in=gone).delete()
    return accepted
