"""The user's own notification centre: the list, opening one, marking all read, the bell fragment; the
browsers subscribed to Web Push (``core.push``), and the service worker and manifest that make the site an
app on a phone's home screen."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import path
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from dangbo.core import push
from dangbo.core.models import Notification, PushSubscription

PAGE_SIZE = 30


def _unread(user):
    return Notification.objects.filter(user=user, read_at__isnull=True)


@require_GET
def notifications(request):
    # Unread first, then newest first.
    qs = Notification.objects.filter(user=request.user).order_by(
        F("read_at").desc(nulls_first=True), "-created_at", "-id"
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "core/notifications/list.html",
        {
            "page": page,
            "unread_count": _unread(request.user).count(),
            "vapid_key": push.public_key(),
            "push_devices": PushSubscription.objects.filter(user=request.user).count(),
        },
    )


@require_POST
def notification_open(request, pk):
    """Mark the notification read and go to its link (other users' notifications: 404)."""
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    url = notification.url
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return redirect(url)
    return redirect("core:notifications")


@require_POST
def notifications_read_all(request):
    count = _unread(request.user).update(read_at=timezone.now())
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("core:notifications")


@require_GET
def notification_bell(request):
    """The unread badge, polled by HTMX from base.html: rendered without the context processors to stay light."""
    html = render_to_string("core/notifications/bell.html", {"unread_notifications": _unread(request.user).count()})
    return HttpResponse(html)


def _endpoint_allowed(endpoint):
    """Only the push services of the browsers (``settings.WEBPUSH_ENDPOINT_HOSTS``), over https: the worker
    posts to this address, so a user must not make it post into the server's own network."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(endpoint)
        host = (parts.hostname or "").lower()
    except ValueError:
        return False
    for allowed in settings.WEBPUSH_ENDPOINT_HOSTS:
        scheme, _sep, suffix = allowed.rpartition("://")
        if parts.scheme == (scheme or "https") and (host == suffix or host.endswith("." + suffix)):
            return True
    return False


@require_POST
def push_subscribe(request):
    """This browser subscribed (``core/push.js``): keep its address and keys for the user (a browser that was
    another user's moves to this one)."""
    endpoint = request.POST.get("endpoint", "").strip()
    p256dh, auth = request.POST.get("p256dh", "").strip(), request.POST.get("auth", "").strip()
    if len(endpoint) > 1000 or not _endpoint_allowed(endpoint) or not push.valid_keys(p256dh, auth):
        return JsonResponse({"ok": False, "error": _("This browser's push address cannot be used.")}, status=400)
    PushSubscription.objects.update_or_create(
        endpoint=endpoint, defaults={"user": request.user, "p256dh": p256dh, "auth": auth}
    )
    return JsonResponse({"ok": True, "message": _("Notifications will reach this device.")})


@require_POST
def push_unsubscribe(request):
    deleted, _rows = PushSubscription.objects.filter(
        user=request.user, endpoint=request.POST.get("endpoint", "").strip()
    ).delete()
    return JsonResponse({"ok": True, "removed": deleted, "message": _("This device gets no more notifications.")})


@require_GET
@login_not_required
@cache_control(max_age=0, no_cache=True)
def service_worker(request):
    """The service worker, served from the site's root so that it controls every page (it holds no data)."""
    return render(request, "core/sw.js", {}, content_type="text/javascript; charset=utf-8")


@require_GET
@login_not_required
def manifest(request):
    """The web app manifest: the site installs on a phone's home screen as "Đảng bộ số"."""
    icon = static("core/favicon.svg")
    body = {
        "name": _("Digital Party Committee"),
        "short_name": _("Digital Party Committee"),
        "lang": request.LANGUAGE_CODE,
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#b3151b",
        "icons": [{"src": icon, "sizes": "any", "type": "image/svg+xml", "purpose": "any"}],
    }
    return JsonResponse(body, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})


urlpatterns = [
    path("notifications/", notifications, name="notifications"),
    path("notifications/<int:pk>/open", notification_open, name="notification_open"),
    path("notifications/read-all", notifications_read_all, name="notifications_read_all"),
    path("notifications/bell", notification_bell, name="notification_bell"),
    path("notifications/push/subscribe", push_subscribe, name="push_subscribe"),
    path("notifications/push/unsubscribe", push_unsubscribe, name="push_unsubscribe"),
    path("sw.js", service_worker, name="service_worker"),
    path("manifest.webmanifest", manifest, name="manifest"),
]
