"""What /healthz checks: the database, the worker's heartbeat, the last daily run and free disk.

Each check answers ``(ok, detail)``; a failing check makes /healthz answer 503 naming it.
"""

import datetime
import shutil
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return True, connection.vendor


def check_worker(now):
    from dangbo.core.models import Heartbeat
    from dangbo.core.tasks import WORKER

    beat = Heartbeat.objects.filter(name=WORKER).first()
    if beat is None:
        return False, "no heartbeat yet: is the worker (manage.py worker) running?"
    age = (now - beat.at).total_seconds()
    limit = settings.HEALTH_WORKER_MAX_AGE_SECONDS
    detail = f"last heartbeat {age:.0f}s ago"
    return age <= limit, detail if age <= limit else f"{detail} (limit {limit}s)"


def check_daily(now):
    from dangbo.core.models import DailyRun

    run = DailyRun.objects.exclude(finished_at=None).first()
    if run is None:
        return False, "manage.py daily has never finished"
    age = now - run.finished_at
    limit = datetime.timedelta(hours=settings.HEALTH_DAILY_MAX_AGE_HOURS)
    detail = f"last run finished {age.total_seconds() / 3600:.1f}h ago"
    if age > limit:
        return False, f"{detail} (limit {settings.HEALTH_DAILY_MAX_AGE_HOURS}h)"
    if not run.ok:
        return False, f"{detail}; failed: {', '.join(r['command'] for r in run.failed)}"
    return True, detail


def _existing(path):
    path = Path(path)
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def check_disk():
    """Free space where the data lives: the media folder and (SQLite) the database file."""
    paths = {_existing(settings.MEDIA_ROOT)}
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"] not in ("", ":memory:"):
        paths.add(_existing(Path(str(connection.settings_dict["NAME"])).parent))
    free_mb = min(shutil.disk_usage(p).free for p in paths) // (1024 * 1024)
    limit = settings.HEALTH_MIN_FREE_MB
    return free_mb >= limit, f"{free_mb} MB free" + ("" if free_mb >= limit else f" (minimum {limit} MB)")


CHECKS = ("database", "worker", "daily", "disk")


def run_checks(now=None, only=None):
    """``{name: {"ok": bool, "detail": str}}`` for every check, or those of ``only`` (names in CHECKS); a check
    that raises counts as failed with the error."""
    now = now or timezone.now()
    checks = {
        "database": check_database,
        "worker": lambda: check_worker(now),
        "daily": lambda: check_daily(now),
        "disk": check_disk,
    }
    if only:
        checks = {name: check for name, check in checks.items() if name in only}
    results = {}
    for name, check in checks.items():
        try:
            ok, detail = check()
        except Exception as e:  # the point of a health check is to report, not to crash
            ok, detail = False, f"{type(e).__name__}: {e}"
        results[name] = {"ok": ok, "detail": detail}
    return results
