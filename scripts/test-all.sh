#!/usr/bin/env bash
# The whole suite: SQLite, PostgreSQL (a private server started here), browser.
# Every stage runs even when an earlier one failed; the exit code is non-zero
# if any failed, and the last line sums all stages: "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PYTEST=".venv/bin/pytest"
LOGDIR=$(mktemp -d)
status=0
mkdir -p var
stage_results=()

run_stage() {  # name, env assignments…, -- pytest args…
  local name=$1; shift
  local envs=()
  while [ "$1" != "--" ]; do envs+=("$1"); shift; done
  shift
  echo "=== $name ==="
  env "${envs[@]}" $PYTEST "$@" --junitxml="$LOGDIR/$name.xml" -q -p no:cacheprovider
  local rc=$?
  # Exit 5 means no test ran: that is a failure here too.
  if [ $rc -ne 0 ]; then status=1; echo "*** stage $name failed (exit $rc)"; fi
  stage_results+=("$name")
}

# 0. Lint, formatting and migrations that match the models.
echo "=== lint ==="
.venv/bin/ruff check . || { status=1; echo "*** ruff check failed"; }
.venv/bin/ruff format --check . || { status=1; echo "*** ruff format failed"; }
$PY manage.py makemigrations --check --dry-run || { status=1; echo "*** missing migrations"; }

# 1. Production settings pass Django's deployment checks.
echo "=== check --deploy ==="
DEBUG=0 SECRET_KEY="ci-$(head -c 48 /dev/urandom | base64 | tr -d '/+=\n')" ALLOWED_HOSTS=example.org \
  $PY manage.py check --deploy --fail-level WARNING || { status=1; echo "*** check --deploy failed"; }

# 2. SQLite, two workers.
run_stage sqlite -- -n 2 -m "not browser and not production"

# 2b. The production server for real: gunicorn with DEBUG=0 on a loopback port, a fresh SQLite database
# in a temporary folder, scripts/upgrade.sh, the worker and manage.py daily; the login page, a static file
# (and its gzip variant) and /healthz with the security headers; stopped afterwards.
run_stage production -- -m production tests/production

# 3. PostgreSQL 15 on a private socket directory and port.
PGBIN=/usr/lib/postgresql/15/bin
if [ ! -x "$PGBIN/initdb" ]; then
  echo "PostgreSQL binaries missing: installing postgresql"
  (apt-get install -y -q postgresql >/dev/null 2>&1 || (apt-get update -q >/dev/null && apt-get install -y -q postgresql >/dev/null))
fi
if [ -x "$PGBIN/initdb" ]; then
  PGDIR=$(mktemp -d /tmp/dangbo-pg.XXXXXX)
  PGPORT=${PGPORT:-55432}
  chown postgres "$PGDIR" 2>/dev/null || true
  as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
  stop_pg() { as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast -w stop >/dev/null 2>&1; rm -rf "$PGDIR"; }
  trap stop_pg EXIT
  as_pg "$PGBIN/initdb" -D "$PGDIR/data" -A trust -U dangbo -E UTF8 >/dev/null \
    && as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" \
         -o "-p $PGPORT -k $PGDIR -c listen_addresses='' -c fsync=off -c full_page_writes=off" -w start >/dev/null
  if [ $? -eq 0 ]; then
    run_stage postgresql "DATABASE_URL=postgres://dangbo@/dangbo?host=$PGDIR&port=$PGPORT" -- -n 2 -m "not browser and not production"
  else
    status=1; echo "*** could not start PostgreSQL"; cat "$PGDIR/log" 2>/dev/null
  fi
else
  status=1; echo "*** PostgreSQL binaries not available"
fi

# 4. Browser tests in headless Debian chromium.
if [ ! -x /usr/bin/chromium ]; then
  (apt-get install -y -q chromium >/dev/null 2>&1 || (apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null))
fi
run_stage browser -- -m browser tests/browser

# Sum the stages from their JUnit files.
$PY - "$LOGDIR" "${stage_results[@]}" <<'PYEOF'
import sys
import xml.etree.ElementTree as ET

logdir, names = sys.argv[1], sys.argv[2:]
passed = failed = skipped = 0
for name in names:
    try:
        root = ET.parse(f"{logdir}/{name}.xml").getroot()
    except (OSError, ET.ParseError):
        failed += 1
        print(f"{name}: no result file")
        continue
    for suite in root.iter("testsuite"):
        t, f, e, s = (int(suite.get(k, 0)) for k in ("tests", "failures", "errors", "skipped"))
        print(f"{name}: {t - f - e - s} passed, {f + e} failed, {s} skipped")
        passed += t - f - e - s
        failed += f + e
        skipped += s
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PYEOF
exit $status
