"""The production server for real (the `production` stage of scripts/test-all.sh).

In a temporary folder: a fresh SQLite database, media, static and backup folders; `scripts/upgrade.sh
--no-install --no-restart` (backup, migrate, compilemessages, collectstatic, check --deploy); `manage.py
daily`; the worker and `scripts/serve.sh` (gunicorn, deploy/gunicorn.conf.py, DEBUG=0) on a loopback port.
Then the login page, a static asset (and its gzip variant) and /healthz must answer with the security
headers, and the log must have one JSON line per request. Everything is stopped afterwards.
"""

import gzip
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.production

ROOT = Path(__file__).resolve().parents[2]
PY = str(Path(sys.executable))


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(port, path, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    try:
        conn.request("GET", path, headers={"Host": "127.0.0.1", **(headers or {})})
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def _stop(proc):
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.fixture(scope="module")
def server():
    base = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None  # a migration on tmpfs is quicker
    tmp = Path(tempfile.mkdtemp(prefix="dangbo-prod-", dir=base))
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "DATABASE_URL", "PYTEST"))},
        "DANGBO_ENV_FILE": "/dev/null",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
        "MEDIA_ROOT": str(tmp / "media"),
        "STATIC_ROOT": str(tmp / "static"),
        "BACKUP_DIR": str(tmp / "backups"),
        "LOG_FORMAT": "json",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "WORKER_HEARTBEAT_SECONDS": "2",
        "HEALTH_MIN_FREE_MB": "1",
    }
    procs = []
    try:
        prep = subprocess.run(
            ["bash", "scripts/upgrade.sh", "--no-install", "--no-restart"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert prep.returncode == 0, prep.stdout + prep.stderr
        assert "--- upgrade done" in prep.stdout
        daily = subprocess.run(
            [PY, "manage.py", "daily"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
        )
        assert daily.returncode == 0, daily.stdout + daily.stderr
        log = open(tmp / "server.log", "w+")  # noqa: SIM115
        for cmd in ([PY, "manage.py", "worker", "--no-startup-delay", "-v", "0"], ["bash", "scripts/serve.sh"]):
            procs.append(subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True))
        deadline = time.monotonic() + 60
        while True:
            try:
                status, _h, body = _get(port, "/healthz")
                if status == 200:
                    break
            except OSError:
                status, body = None, b""
            if time.monotonic() > deadline or any(p.poll() is not None for p in procs):
                log.seek(0)
                pytest.fail(f"the server did not become healthy ({status} {body[:500]!r}):\n{log.read()[-3000:]}")
            time.sleep(0.5)
        yield {"port": port, "tmp": tmp, "log": tmp / "server.log", "prep": prep}
    finally:
        for p in procs:
            _stop(p)
        shutil.rmtree(tmp, ignore_errors=True)


def _security_headers(headers, *, html=True):
    assert headers.get("x-content-type-options") == "nosniff"
    assert headers.get("referrer-policy")
    if html:
        assert headers.get("x-frame-options") == "DENY"
    if html:  # the Content-Security-Policy (settings.CONTENT_SECURITY_POLICY): no inline script
        policy = headers.get("content-security-policy", "")
        assert "default-src 'self'" in policy and "script-src 'self'" in policy
        assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy


def test_the_login_page_answers_with_the_security_headers(server):
    status, headers, body = _get(server["port"], "/accounts/login/")
    assert status == 200
    _security_headers(headers)
    assert headers.get("x-request-id")
    assert "gunicorn" in headers.get("server", "")
    assert "Đăng nhập".encode() in body
    # Over the proxy's HTTPS, HSTS too.
    _s, headers, _b = _get(server["port"], "/accounts/login/", {"X-Forwarded-Proto": "https"})
    assert "max-age=" in headers.get("strict-transport-security", "")


def test_a_static_asset_and_its_compressed_variant(server):
    _s, _h, body = _get(server["port"], "/accounts/login/")
    css = re.search(rb'href="(/static/[^"]+\.css)"', body)
    assert css, "the login page links no stylesheet"
    path = css.group(1).decode()
    assert re.search(r"\.[0-9a-f]{12}\.css$", path), f"not a hashed (manifest) name: {path}"
    status, headers, plain = _get(server["port"], path)
    assert status == 200 and headers.get("content-type", "").startswith("text/css")
    _security_headers(headers, html=False)
    assert "immutable" in headers.get("cache-control", "") or "max-age=315360000" in headers.get("cache-control", "")
    status, headers, packed = _get(server["port"], path, {"Accept-Encoding": "gzip"})
    assert status == 200 and headers.get("content-encoding") == "gzip"
    assert len(packed) < len(plain) and gzip.decompress(packed) == plain


def test_only_the_listed_vendor_files_are_collected(server):
    _s, _h, body = _get(server["port"], "/accounts/login/")
    js = re.search(rb'src="(/static/vendor/htmx\.org/dist/htmx\.min\.[0-9a-f]{12}\.js)"', body)
    assert js, "the login page loads no hashed htmx"
    assert _get(server["port"], js.group(1).decode())[0] == 200
    for path in ["/static/vendor/htmx.org/package.json", "/static/vendor/htmx.org/dist/htmx.js"]:
        assert _get(server["port"], path)[0] == 404, path


def test_healthz_is_ok_with_the_worker_and_the_daily_run(server):
    status, headers, body = _get(server["port"], "/healthz")
    assert status == 200
    _security_headers(headers)
    data = json.loads(body)
    assert data["status"] == "ok"
    assert set(data["checks"]) == {"database", "worker", "daily", "disk"}


def test_errors_are_pages_not_tracebacks(server):
    status, headers, body = _get(server["port"], "/no-such-page/")
    assert status in (302, 404)  # anonymous: the login redirect; nothing leaks
    assert b"Traceback" not in body
    status, _h, _b = _get(server["port"], "/accounts/login/", {"Host": "evil.example"})
    assert status == 400


def test_one_json_log_line_per_request_and_the_upgrade_backup(server):
    _get(server["port"], "/healthz", {"X-Request-ID": "prod-check-1"})
    time.sleep(0.5)
    lines = [json.loads(line) for line in server["log"].read_text().splitlines() if line.startswith("{")]
    mine = [x for x in lines if x.get("request_id") == "prod-check-1" and x.get("logger") == "dangbo.request"]
    assert len(mine) == 1
    assert mine[0]["path"] == "/healthz" and mine[0]["status"] == 200 and mine[0]["queries"] >= 1
    assert "ms" in mine[0] and "user_id" in mine[0]
    # gunicorn's access log carries the same id.
    assert "rid=prod-check-1" in server["log"].read_text()
    # scripts/upgrade.sh backed up before migrating.
    assert list((server["tmp"] / "backups").glob("dangbo-*.tar.gz"))
