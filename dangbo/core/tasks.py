"""Background tasks run by the worker (``manage.py worker``, django-tasks' database backend)."""

import datetime

from django.utils import timezone
from django_tasks import task

from dangbo.core.models import Heartbeat

WORKER = "worker"


@task()
def heartbeat():
    """Run by the worker itself, so a fresh row proves the queue is being worked (read by /healthz).
    Also deletes the earlier heartbeat results so they do not pile up in the task table."""
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    Heartbeat.objects.update_or_create(name=WORKER, defaults={"at": now})
    DBTaskResult.objects.filter(
        task_path=heartbeat.module_path, finished_at__lt=now - datetime.timedelta(hours=1)
    ).delete()
    return now.isoformat()


@task()
def send_push(notification_ids):
    """Web Push for notifications just created (``core.notify``): run by the worker, off the request."""
    from dangbo.core.models import Notification
    from dangbo.core.push import deliver

    return deliver(list(Notification.objects.filter(pk__in=notification_ids)))
