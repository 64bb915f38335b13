from dangbo.testing import EVERYONE, Case


def _audit_entry(cast):
    from dangbo.core.audit import record

    return {"pk": record(actor=cast.bloc_user, action="unit.rename", obj=cast.gr_a).pk}


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
]
