"""The user's own notification centre: the list, opening one, marking all read, the bell fragment."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import path
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dangbo.core.models import Notification

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
        {"page": page, "unread_count": _unread(request.user).count()},
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


urlpatterns = [
    path("notifications/", notifications, name="notifications"),
    path("notifications/<int:pk>/open", notification_open, name="notification_open"),
    path("notifications/read-all", notifications_read_all, name="notifications_read_all"),
    path("notifications/bell", notification_bell, name="notification_bell"),
]
