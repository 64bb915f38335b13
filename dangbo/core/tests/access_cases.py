from dangbo.testing import EVERYONE, Case


def _audit_entry(cast):
    from dangbo.core.audit import record

    return {"pk": record(actor=cast.bloc_user, action="unit.rename", obj=cast.gr_a).pk}


# A browser's subscription as Chrome gives it (a real P-256 point and a 16-byte secret).
PUSH_BROWSER = {
    "endpoint": "https://fcm.googleapis.com/fcm/send/matrix",
    "p256dh": "BN0GfdPG04BGTP1pk1xNa6Sg7KrGpW76zhN9hFECZa9-gVHEmNWbqCRwvznEFeRsSOgdRh7PJQs3onEGpTucEZg",
    "auth": "AAECAwQFBgcICQoLDA0ODw",
}


def _staff_a_notification(cast):
    """A notification of staff_a: only staff_a may open it."""
    from dangbo.core.models import Notification

    n, _created = Notification.objects.get_or_create(user=cast.staff_a, title="matrix")
    return {"pk": n.pk}


def _unread_for_everyone(cast):
    """An unread notification for every cast user, so that marking all as read writes."""
    from dangbo.core.models import Notification

    for user in cast.users.values():
        Notification.objects.create(user=user, title="matrix")
    return {}


CASES = [
    Case("core:home", allowed=EVERYONE),
    Case("core:audit", allowed={"bloc"}),
    Case("core:audit", allowed={"bloc"}, query="?actor=khoi&date_from=01/01/2026"),
    Case("core:audit_detail", allowed={"bloc"}, kwargs=_audit_entry),
    Case("core:reads", allowed={"bloc"}),
    Case("core:notifications", allowed=EVERYONE),
    Case("core:notification_bell", allowed=EVERYONE),
    Case("core:notifications_read_all", allowed=EVERYONE, kwargs=_unread_for_everyone, method="post"),
    Case("core:my_data", allowed=EVERYONE),
    Case("core:member_data", allowed={"bloc"}, kwargs=lambda cast: {"member_id": cast.m_a1.pk}),
    Case("core:notification_open", allowed={"staff_a"}, kwargs=_staff_a_notification, method="post"),
    # Web Push: any logged-in user subscribes this browser (the last one to post owns it) or drops their own.
    Case("core:push_subscribe", allowed=EVERYONE, method="post", data=lambda cast: PUSH_BROWSER),
    Case(
        "core:push_unsubscribe",
        allowed=EVERYONE,
        method="post",
        data=lambda cast: {"endpoint": PUSH_BROWSER["endpoint"]},
        writes=False,
    ),
]
