"""Running it for real: the daily job, /healthz, the request log, Sentry, the worker's heartbeat, retention."""

import datetime
import json
import logging
import sys
import types

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from dangbo.core.management.commands.daily import COMMANDS, RETENTION
from dangbo.core.models import AuditLog, DailyRun, Heartbeat, Notification, ReadLog
from dangbo.core.notify import notify
from dangbo.core.tasks import WORKER, heartbeat

# --- manage.py daily ------------------------------------------------------------------------------------


def test_daily_runs_every_command_and_records_each_outcome(cast):
    call_command("daily", stdout=open("/dev/null", "w"))  # noqa: SIM115
    run = DailyRun.objects.get()
    assert run.ok and run.finished_at is not None
    assert [r["command"] for r in run.results] == [*COMMANDS, RETENTION]
    assert all(r["ok"] and r["error"] == "" for r in run.results)
    by_name = {r["command"]: r for r in run.results}
    assert by_name["admission_reminders"]["output"].endswith("reminders sent.")
    assert "read-log rows" in by_name[RETENTION]["output"]
    # The suite runs tasks immediately: no queue to prune (in production the database backend's is).
    assert by_name["prune_db_task_results"]["output"] == "skipped: the task backend is not the database"


def test_daily_prunes_the_database_task_queue(cast, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    call_command("daily", stdout=open("/dev/null", "w"))  # noqa: SIM115
    by_name = {r["command"]: r for r in DailyRun.objects.get().results}
    assert by_name["prune_db_task_results"]["ok"] and "skipped" not in by_name["prune_db_task_results"]["output"]


def test_a_failing_command_is_reported_and_rolled_back_without_stopping_the_others(cast, monkeypatch):
    import dangbo.inspection.reminders as inspection_reminders

    def broken(today=None):
        Notification.objects.create(user=cast.bloc_user, title="half-done")
        raise RuntimeError("mail server on fire")

    monkeypatch.setattr(inspection_reminders, "send", broken)
    # The command module imported ``send`` by name: patch it there too.
    import dangbo.inspection.management.commands.inspection_reminders as cmd

    monkeypatch.setattr(cmd, "send", broken)
    with pytest.raises(CommandError, match=f"1 of {len(COMMANDS) + 1} daily commands failed"):
        call_command("daily", stdout=open("/dev/null", "w"))  # noqa: SIM115
    run = DailyRun.objects.get()
    assert not run.ok
    by_name = {r["command"]: r for r in run.results}
    assert not by_name["inspection_reminders"]["ok"]
    assert "mail server on fire" in by_name["inspection_reminders"]["error"]
    # The commands after it ran.
    assert by_name["committee_reminders"]["ok"] and by_name["report_reminders"]["ok"] and by_name[RETENTION]["ok"]
    # Nothing half-saved by the failed one.
    assert not Notification.objects.filter(title="half-done").exists()


def test_daily_reminders_sent_once_a_day_even_when_run_twice(cast):
    from dangbo.inspection.models import Case, Step

    case = Case.objects.create(
        subject_unit=cast.gr_a, subject="committee", kind="regular", unit=cast.gr_a, title="x",
        started_on=timezone.localdate() - datetime.timedelta(days=20), state="running",
    )  # fmt: skip
    Step.objects.create(case=case, order=1, title="Báo cáo", due_on=timezone.localdate() - datetime.timedelta(days=3))
    null = open("/dev/null", "w")  # noqa: SIM115
    call_command("daily", stdout=null)
    first = Notification.objects.filter(kind="inspection.overdue_step").count()
    assert first >= 1
    call_command("daily", stdout=null)
    assert Notification.objects.filter(kind="inspection.overdue_step").count() == first
    assert DailyRun.objects.count() == 2


def test_notify_once_per_day_skips_who_already_has_it_today(cast):
    args = {"title": "Nhắc việc", "url": "/x/", "kind": "test.once"}
    assert len(notify(users=[cast.staff_a, cast.staff_b], once_per_day=True, **args)) == 2
    assert notify(users=[cast.staff_a], once_per_day=True, **args) == []
    # Yesterday's does not count.
    Notification.objects.filter(kind="test.once").update(created_at=timezone.now() - datetime.timedelta(days=1))
    assert len(notify(users=[cast.staff_a], once_per_day=True, **args)) == 1
    # Without the flag every call notifies (the events that are not reminders).
    assert len(notify(users=[cast.staff_a], **args)) == 1


def test_the_bloc_office_home_page_says_when_daily_last_ran_and_what_it_found(cast, login):
    client = login(cast.bloc_user)
    page = client.get(reverse("core:home")).content.decode()
    assert 'data-testid="daily-never"' in page
    call_command("daily", stdout=open("/dev/null", "w"))  # noqa: SIM115
    resp = client.get(reverse("core:home"))
    page = resp.content.decode()
    assert 'data-testid="daily-panel"' in page and 'data-testid="daily-never"' not in page
    assert 'data-testid="daily-admission_reminders"' in page and "reminders sent." in page
    run = DailyRun.objects.get()
    assert timezone.localtime(run.started_at).strftime("%d/%m/%Y %H:%M") in page
    # Only the bloc office sees it.
    for user in (cast.staff_a, cast.member_a1, cast.inspector):
        assert 'data-testid="daily-panel"' not in login(user).get(reverse("core:home")).content.decode()


# --- retention ------------------------------------------------------------------------------------------


def test_retention_deletes_read_and_audit_rows_older_than_the_rules(cast):
    from dangbo.core.audit import record, record_read
    from dangbo.rules.models import RuleVersion

    now = timezone.now()
    old_read = record_read(user=cast.bloc_user, member=cast.m_a1, view="detail")
    new_read = record_read(user=cast.bloc_user, member=cast.m_a1, view="detail")
    ReadLog.objects.filter(pk=old_read.pk).update(at=now - datetime.timedelta(days=37 * 31))
    old_audit = record(actor=cast.bloc_user, action="unit.rename", obj=cast.gr_a)
    new_audit = record(actor=cast.bloc_user, action="unit.rename", obj=cast.gr_a)
    AuditLog.objects.filter(pk=old_audit.pk).update(at=now - datetime.timedelta(days=121 * 31))
    call_command("daily", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not ReadLog.objects.filter(pk=old_read.pk).exists() and ReadLog.objects.filter(pk=new_read.pk).exists()
    assert not AuditLog.objects.filter(pk=old_audit.pk).exists() and AuditLog.objects.filter(pk=new_audit.pk).exists()
    purge = AuditLog.objects.get(action="retention.purge")
    assert purge.changes == {"read_log": [1, 0], "audit_log": [1, 0]}
    by_name = {r["command"]: r for r in DailyRun.objects.get().results}
    assert by_name[RETENTION]["output"] == "1 read-log rows, 1 audit rows deleted."

    # The period is a rule: the bloc office shortens the read log's to 1 month from today.
    rv = RuleVersion.objects.get(rule__key="core.retention.read_log_months", scope_unit=None)
    RuleVersion.objects.create(rule=rv.rule, value=1, legal_basis="test", effective_from=timezone.localdate())
    ReadLog.objects.filter(pk=new_read.pk).update(at=now - datetime.timedelta(days=40))
    call_command("daily", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not ReadLog.objects.filter(pk=new_read.pk).exists()


# --- /healthz -------------------------------------------------------------------------------------------


def _healthy():
    Heartbeat.objects.create(name=WORKER, at=timezone.now())
    DailyRun.objects.create(started_at=timezone.now(), finished_at=timezone.now(), ok=True, results=[])


def test_healthz_503_names_what_is_missing_on_a_fresh_install(client, db):
    resp = client.get("/healthz")
    assert resp.status_code == 503
    body = resp.json()
    assert body["status"] == "fail" and body["failing"] == ["worker", "daily"]
    assert body["checks"]["database"]["ok"] and body["checks"]["disk"]["ok"]


def test_healthz_ok_when_everything_is_fresh(client, db):
    _healthy()
    resp = client.get("/healthz")
    assert resp.status_code == 200, resp.json()
    assert resp.json()["status"] == "ok" and "failing" not in resp.json()


def test_healthz_stale_heartbeat_old_or_failed_daily_and_full_disk(client, db, settings):
    _healthy()
    Heartbeat.objects.update(at=timezone.now() - datetime.timedelta(seconds=settings.HEALTH_WORKER_MAX_AGE_SECONDS + 5))
    body = client.get("/healthz").json()
    assert body["failing"] == ["worker"] and "limit" in body["checks"]["worker"]["detail"]

    Heartbeat.objects.update(at=timezone.now())
    DailyRun.objects.update(finished_at=timezone.now() - datetime.timedelta(hours=30))
    assert client.get("/healthz").json()["failing"] == ["daily"]

    DailyRun.objects.update(finished_at=timezone.now(), ok=False, results=[{"command": "study_reminders", "ok": False}])
    body = client.get("/healthz").json()
    assert body["failing"] == ["daily"] and "study_reminders" in body["checks"]["daily"]["detail"]

    DailyRun.objects.update(ok=True, results=[])
    settings.HEALTH_MIN_FREE_MB = 10**12
    resp = client.get("/healthz")
    assert resp.status_code == 503 and resp.json()["failing"] == ["disk"]


def test_the_proxy_check_asks_only_the_database(client, db):
    """Caddy's health_uri: on a fresh install (no worker heartbeat, no daily run yet) the web process still
    serves, so the proxy keeps sending it requests; the full check still fails."""
    resp = client.get("/healthz?check=database")
    assert resp.status_code == 200 and list(resp.json()["checks"]) == ["database"]
    assert client.get("/healthz?check=nonsense").status_code == 503  # an unknown name: every check
    assert "health_uri /healthz?check=database" in (settings_base() / "deploy" / "Caddyfile").read_text()


def settings_base():
    from django.conf import settings

    return settings.BASE_DIR


def test_healthz_reports_a_broken_database(client, db, monkeypatch):
    from dangbo.core import health

    def down():
        raise OSError("connection refused")

    monkeypatch.setattr(health, "check_database", down)
    resp = client.get("/healthz")
    assert resp.status_code == 503
    assert "database" in resp.json()["failing"] and "connection refused" in resp.json()["checks"]["database"]["detail"]


# --- the worker's heartbeat -----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)  # the worker closes connections left outside autocommit
def test_the_worker_runs_the_heartbeat_task_and_health_sees_it(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # the suite's is immediate
    heartbeat.enqueue()
    assert not Heartbeat.objects.exists()
    call_command("db_worker", "--batch", "--no-startup-delay", "-v", "0")
    assert Heartbeat.objects.get(name=WORKER).at > timezone.now() - datetime.timedelta(minutes=1)
    DailyRun.objects.create(started_at=timezone.now(), finished_at=timezone.now(), ok=True)
    assert client.get("/healthz").status_code == 200


# --- request log ----------------------------------------------------------------------------------------


def test_one_log_line_per_request_with_id_user_time_and_queries(cast, login, caplog):
    client = login(cast.staff_a)
    with caplog.at_level(logging.INFO, logger="dangbo.request"):
        resp = client.get(reverse("core:home"), HTTP_X_REQUEST_ID="abc-123")
    lines = [r for r in caplog.records if r.name == "dangbo.request"]
    assert len(lines) == 1
    rec = lines[0]
    assert resp["X-Request-ID"] == "abc-123" and rec.request_id == "abc-123"
    assert rec.user_id == cast.staff_a.pk and rec.status == 200 and rec.path == "/"
    assert rec.queries > 3 and rec.ms > 0
    # A header that is not a sane token is replaced by a fresh id.
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="dangbo.request"):
        resp = client.get("/healthz", HTTP_X_REQUEST_ID="bad id\nwith newline")
    assert len(resp["X-Request-ID"]) == 32 and caplog.records[0].request_id == resp["X-Request-ID"]
    assert caplog.records[0].user_id == cast.staff_a.pk


def test_slow_requests_are_logged_with_their_queries(cast, login, caplog, settings):
    settings.SLOW_REQUEST_MS = -1
    with caplog.at_level(logging.INFO, logger="dangbo.request"):
        login(cast.bloc_user).get(reverse("core:home"))
    slow = [r for r in caplog.records if getattr(r, "slow", False)]
    assert len(slow) == 1 and slow[0].levelno == logging.WARNING
    assert slow[0].sql and all("sql" in q and "ms" in q for q in slow[0].sql)
    assert "SELECT" in slow[0].getMessage()


def test_json_log_format():
    from dangbo.core.logs import JsonFormatter

    record = logging.LogRecord("dangbo.request", logging.INFO, __file__, 1, "GET / 200", (), None)
    record.request_id, record.user_id, record.queries = "r1", 7, 12
    data = json.loads(JsonFormatter().format(record))
    assert data["message"] == "GET / 200" and data["level"] == "INFO" and data["logger"] == "dangbo.request"
    assert data["request_id"] == "r1" and data["user_id"] == 7 and data["queries"] == 12 and "time" in data


# --- Sentry ---------------------------------------------------------------------------------------------


def test_sentry_is_set_up_only_when_installed(monkeypatch):
    from dangbo.core.logs import init_sentry

    monkeypatch.setitem(sys.modules, "sentry_sdk", None)  # not installed: an ImportError
    assert init_sentry("https://key@sentry.example/1") is False

    calls = []
    sdk = types.ModuleType("sentry_sdk")
    sdk.init = lambda **kw: calls.append(kw)
    integrations = types.ModuleType("sentry_sdk.integrations")
    django_mod = types.ModuleType("sentry_sdk.integrations.django")
    django_mod.DjangoIntegration = type("DjangoIntegration", (), {})
    monkeypatch.setitem(sys.modules, "sentry_sdk", sdk)
    monkeypatch.setitem(sys.modules, "sentry_sdk.integrations", integrations)
    monkeypatch.setitem(sys.modules, "sentry_sdk.integrations.django", django_mod)
    assert init_sentry("https://key@sentry.example/1", environment="staging") is True
    assert calls[0]["dsn"] == "https://key@sentry.example/1" and calls[0]["send_default_pii"] is False
    assert calls[0]["environment"] == "staging"


def test_manage_sh_reads_the_env_file_and_the_command_line_wins(tmp_path):
    """The administrator's commands (create_bloc_office, backup, restore) see the server's settings."""
    import os
    import subprocess

    from django.conf import settings

    env_file = tmp_path / "env"
    env_file.write_text("# production\nLOG_FORMAT=json\nSQLITE_TIMEOUT=33\n\nLOGIN_MAX_FAILURES=9\n")
    env = {k: v for k, v in os.environ.items() if k not in ("LOG_FORMAT", "SQLITE_TIMEOUT", "LOGIN_MAX_FAILURES")}
    env.update(DANGBO_ENV_FILE=str(env_file), LOGIN_MAX_FAILURES="4")
    code = "from django.conf import settings as s; print(s.LOGIN_MAX_FAILURES, s.DATABASES['default']['OPTIONS'])"
    proc = subprocess.run(
        ["bash", str(settings.BASE_DIR / "scripts" / "manage.sh"), "shell", "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[-1].startswith("4 ")  # the command line's value, not the file's 9
    if "sqlite" in os.environ.get("DATABASE_URL", "sqlite"):
        assert "'timeout': 33" in proc.stdout  # the file's value
