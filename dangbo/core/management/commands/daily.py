"""The one daily job (the systemd timer or cron runs it once a day): every reminder and housekeeping command.

Each command runs in its own transaction, so a failure leaves nothing half-done and does not stop the
others; each outcome (output or error, seconds) is kept in a DailyRun row, shown on the bloc office's home
page and checked by /healthz. Exits non-zero when any command failed. Each command is idempotent (a
reminder goes once per offset), so running it twice on a day sends nothing twice.
"""

import io
import logging
import time
import traceback

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from dangbo.core.models import DailyRun

logger = logging.getLogger("dangbo.ops")

COMMANDS = [
    "apply_org_changes",
    "end_exemptions",
    "admission_reminders",
    "transfer_reminders",
    "meeting_reminders",
    "document_reminders",
    "study_reminders",
    "programme_reminders",
    "inspection_reminders",
    "review_reminders",
    "committee_reminders",
    "report_reminders",
    "prune_db_task_results",
]
RETENTION = "retention"


def _run_retention(out):
    from dangbo.core.retention import apply_retention

    found = apply_retention()
    out.write(f"{found['read_log']} read-log rows, {found['audit_log']} audit rows deleted.")


def _run_prune(out):
    """Finished background tasks are pruned from the database queue; nothing to do on another backend."""
    from django_tasks import task_backends
    from django_tasks_db.backend import DatabaseBackend

    if not isinstance(task_backends["default"], DatabaseBackend):
        out.write("skipped: the task backend is not the database")
        return
    call_command("prune_db_task_results", stdout=out, stderr=out)


def run_daily(commands=None):
    """Run every daily step; returns the saved DailyRun."""
    steps = [*(commands if commands is not None else COMMANDS), RETENTION]
    run = DailyRun.objects.create(started_at=timezone.now())
    results = []
    for name in steps:
        out = io.StringIO()
        start = time.monotonic()
        try:
            with transaction.atomic():
                if name == RETENTION:
                    _run_retention(out)
                elif name == "prune_db_task_results":
                    _run_prune(out)
                else:
                    call_command(name, stdout=out, stderr=out)
        except BaseException as e:  # noqa: B036 — SystemExit from a command is a failure too; record it
            if isinstance(e, KeyboardInterrupt):
                raise
            result = {"command": name, "ok": False, "output": out.getvalue().strip()[-2000:], "error": repr(e)}
            logger.error("daily: %s failed\n%s", name, traceback.format_exc())
        else:
            result = {"command": name, "ok": True, "output": out.getvalue().strip()[-2000:], "error": ""}
            logger.info("daily: %s ok: %s", name, result["output"])
        result["seconds"] = round(time.monotonic() - start, 2)
        results.append(result)
        # Saved after each step, so a run killed half-way still shows what it did.
        DailyRun.objects.filter(pk=run.pk).update(results=results)
    run.results = results
    run.finished_at = timezone.now()
    run.ok = all(r["ok"] for r in results)
    run.save(update_fields=["results", "finished_at", "ok"])
    return run


class Command(BaseCommand):
    help = "Run every daily reminder and housekeeping command, each on its own; report each outcome."

    def handle(self, *args, **options):
        run = run_daily()
        for r in run.results:
            mark = "ok  " if r["ok"] else "FAIL"
            self.stdout.write(f"{mark} {r['command']:<22} {r['seconds']:>7.2f}s  {r['output'] or r['error']}")
        if not run.ok:
            raise CommandError(f"{len(run.failed)} of {len(run.results)} daily commands failed")
