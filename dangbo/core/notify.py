"""Posting notifications: the one function every capability calls.

    from dangbo.core.notify import notify

    notify(
        users=[secretary, *committee_members],
        title=gettext("Meeting minutes are due"),
        body=gettext("The minutes of the June meeting have not been filed."),
        url=reverse("meetings:detail", args=[meeting.pk]),
        kind="meeting.minutes_due",
    )

Each user gets one in-app ``Notification`` (the bell in the navigation bar and
the list at ``core:notifications``) and, when they have an e-mail address and
``settings.NOTIFY_BY_EMAIL`` is not False (default True), an e-mail through
Django's configured backend: SMTP when ``EMAIL_HOST`` is set, the console in
development. E-mail failures are logged and never raised: a broken mail server
must not roll back the work that triggered the notification.

Call it inside the service's transaction if the notification belongs to that
write (the rows then commit or roll back with it); the e-mails are sent on
commit, so a rolled-back write sends nothing. Titles and bodies are stored as
rendered text: translate them (``gettext``) before calling.
"""

import logging

from django.conf import settings
from django.core.mail import get_connection, send_mass_mail
from django.db import transaction
from django.utils import timezone

from dangbo.core.models import Notification

log = logging.getLogger(__name__)

TITLE_MAX = Notification._meta.get_field("title").max_length
URL_MAX = Notification._meta.get_field("url").max_length


BATCH = 1000


def notify_in_batches(*, users, batch=BATCH, **kwargs):
    """``notify`` over a large queryset of users, ``batch`` at a time (bounded memory and SQL, no query per
    user); ``once=True`` is implied, so running it again creates nothing. Returns how many were created."""
    kwargs.setdefault("once", True)
    created = 0
    chunk = []
    for user in users.iterator(chunk_size=batch):
        chunk.append(user)
        if len(chunk) >= batch:
            created += len(notify(users=chunk, **kwargs))
            chunk = []
    if chunk:
        created += len(notify(users=chunk, **kwargs))
    return created


def notify(*, users, title, body="", url="", kind="", once_per_day=False, once=False):
    """Create one notification per user (duplicates, ``None`` and inactive users skipped); e-mail those with an address.

    ``users``: an iterable of users; ``url``: a site-relative link the
    notification opens (``reverse(...)``). ``once_per_day``: skip the users who were already given the same
    notification (kind, title and link) today, so a daily reminder run twice on a day sends it once.
    ``once``: skip the users who were ever given a notification of this kind with this link (the action
    it asks for is announced once, however often the service runs).
    Returns the list of created rows.
    """
    seen = set()
    recipients = []
    for user in users:
        if user is None or user.pk in seen or not getattr(user, "is_active", True):
            continue
        seen.add(user.pk)
        recipients.append(user)
    if not recipients:
        return []
    title = str(title)[:TITLE_MAX]
    if once or once_per_day:
        # Already given: of this kind with this link (ever, for ``once``; today with this title, per day).
        sent = Notification.objects.filter(user__in=recipients, kind=kind[:64], url=str(url)[:URL_MAX])
        if not once:
            midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
            sent = sent.filter(title=title, created_at__gte=midnight)
        already = set(sent.values_list("user_id", flat=True))
        recipients = [u for u in recipients if u.pk not in already]
        if not recipients:
            return []
    rows = Notification.objects.bulk_create(
        [Notification(user=u, title=title, body=str(body), url=str(url)[:URL_MAX], kind=kind[:64]) for u in recipients]
    )
    if getattr(settings, "NOTIFY_BY_EMAIL", True):
        messages = [_email(u, title, str(body), str(url)) for u in recipients if u.email]
        if messages:
            transaction.on_commit(lambda: _send(messages))
    return rows


def _email(user, title, body, url):
    text = body
    if url:
        base = getattr(settings, "SITE_URL", "").rstrip("/")
        text = f"{body}\n\n{base}{url}" if body else f"{base}{url}"
    return (title, text, settings.DEFAULT_FROM_EMAIL, [user.email])


def _send(messages):
    try:
        send_mass_mail(messages, fail_silently=False, connection=get_connection())
    except Exception:
        log.exception("Could not send %d notification e-mail(s)", len(messages))
