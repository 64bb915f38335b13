"""The background worker: django-tasks-db's ``db_worker`` plus a heartbeat.

A thread enqueues ``core.tasks.heartbeat`` every ``WORKER_HEARTBEAT_SECONDS``; the worker runs it like any
task, so the Heartbeat row is fresh only while tasks are really being taken from the queue.
"""

import logging
import threading

from django.conf import settings
from django.db import connection
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.models import DBTaskResult

from dangbo.core.tasks import heartbeat

logger = logging.getLogger("dangbo.ops")


def _beat(stop, every):
    while True:
        try:
            if not DBTaskResult.objects.ready().filter(task_path=heartbeat.module_path).exists():
                heartbeat.enqueue()
        except Exception:  # the database may be briefly locked or away: try again next time
            logger.exception("could not enqueue the worker heartbeat")
        finally:
            connection.close()
        if stop.wait(every):
            return


class Command(DbWorkerCommand):
    help = "Run the background worker (django-tasks-db's db_worker) with a heartbeat that /healthz checks."

    def handle(self, *args, **options):
        options["reload"] = False  # one process: the heartbeat thread lives beside the worker loop
        stop = threading.Event()
        thread = threading.Thread(
            target=_beat, args=(stop, settings.WORKER_HEARTBEAT_SECONDS), daemon=True, name="heartbeat"
        )
        thread.start()
        try:
            return super().handle(*args, **options)
        finally:
            stop.set()
