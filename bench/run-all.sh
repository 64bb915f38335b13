#!/usr/bin/env bash
# The benchmark on SQLite and on PostgreSQL 15, one table each.
#
#   bench/run-all.sh [--members N] [--repeat R] [--db sqlite|postgresql]
#
# N defaults to 1000000, R to 7; --db runs one database only (both by default).
# SQLite: var/bench.sqlite3. PostgreSQL: a private cluster in var/bench-pg (port 55433, socket in
# that directory, run as the postgres user when started by root, the same way scripts/test-all.sh
# starts its server), stopped again at the end; its data stays so that the next run is cheap.
# A scale database built for N members by the same demo builder is reused; any other is rebuilt.
# BENCH_VAR (default var) moves both, e.g. BENCH_VAR=var/small for a quick trial run.
set -euo pipefail
cd "$(dirname "$0")/.."
MEMBERS=1000000
REPEAT=7
DB=both
while [ $# -gt 0 ]; do
  case $1 in
    --members) MEMBERS=$2; shift 2 ;;
    --repeat) REPEAT=$2; shift 2 ;;
    --db) DB=$2; shift 2 ;;
    *) echo "usage: $0 [--members N] [--repeat R] [--db sqlite|postgresql]" >&2; exit 2 ;;
  esac
done
PY=.venv/bin/python
[ -x "$PY" ] || { echo "no $PY: run 'make install-test' first" >&2; exit 2; }
export DJANGO_SETTINGS_MODULE=bench.settings
VAR=${BENCH_VAR:-var}
mkdir -p "$VAR"
VAR=$(cd "$VAR" && pwd)
status=0

build() {  # DATABASE_URL: exit 0 when it holds the build for N members (made now or before), 3 when another
  DATABASE_URL=$1 $PY bench/build_scale.py --members "$MEMBERS" --reuse
}

run_sqlite() {
  rm -f "$VAR/bench-sqlite.txt"
  SQLITE="$VAR/bench.sqlite3"
  SQLITE_URL="sqlite:///$SQLITE"
  echo "=== SQLite: $SQLITE ==="
  rc=0; build "$SQLITE_URL" || rc=$?
  if [ $rc -eq 3 ]; then
    rm -f "$SQLITE" "$SQLITE-wal" "$SQLITE-shm"
    rc=0; build "$SQLITE_URL" || rc=$?
  fi
  if [ $rc -eq 0 ]; then
    DATABASE_URL=$SQLITE_URL $PY bench/run.py --repeat "$REPEAT" | tee "$VAR/bench-sqlite.txt" || status=1
  else
    status=1; echo "*** SQLite build failed"
  fi
}

run_postgresql() {
  rm -f "$VAR/bench-postgresql.txt"
  PGBIN=/usr/lib/postgresql/15/bin
  PGPORT=${BENCH_PGPORT:-55433}
  PGDIR="$VAR/bench-pg"
  if [ ! -x "$PGBIN/initdb" ]; then
    echo "PostgreSQL binaries missing: installing postgresql"
    (apt-get install -y -q postgresql >/dev/null 2>&1 || (apt-get update -q >/dev/null && apt-get install -y -q postgresql >/dev/null))
  fi
  as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
  pg_ctl() { as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" "$@"; }
  echo "=== PostgreSQL 15: $PGDIR, port $PGPORT ==="
  mkdir -p "$PGDIR"
  if [ "$(id -u)" = 0 ]; then chown postgres "$PGDIR"; fi
  if [ ! -f "$PGDIR/data/PG_VERSION" ]; then
    as_pg "$PGBIN/initdb" -D "$PGDIR/data" -A trust -U dangbo -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  # A server left running by an interrupted run is stopped first.
  pg_ctl status >/dev/null 2>&1 && pg_ctl -m fast -w stop >/dev/null
  # fsync off: the data is a rebuildable cache. 1 GB of shared buffers holds the hot tables at 1M members.
  pg_ctl -l "$PGDIR/log" -w start -o "-p $PGPORT -k $PGDIR -c listen_addresses='' \
    -c fsync=off -c full_page_writes=off -c synchronous_commit=off \
    -c shared_buffers=1GB -c maintenance_work_mem=512MB" >/dev/null \
    || { echo "*** could not start PostgreSQL"; cat "$PGDIR/log"; exit 1; }
  trap 'pg_ctl -m fast -w stop >/dev/null' EXIT
  PG_URL="postgres://dangbo@/bench?host=$PGDIR&port=$PGPORT"
  psql() { as_pg "$PGBIN/psql" -h "$PGDIR" -p "$PGPORT" -U dangbo -d postgres -qAt "$@"; }
  recreate() { psql -c "DROP DATABASE IF EXISTS bench" && psql -c "CREATE DATABASE bench"; }
  [ "$(psql -c "SELECT 1 FROM pg_database WHERE datname = 'bench'")" = 1 ] || recreate
  rc=0; build "$PG_URL" || rc=$?
  if [ $rc -eq 3 ]; then
    recreate
    rc=0; build "$PG_URL" || rc=$?
  fi
  if [ $rc -eq 0 ]; then
    DATABASE_URL=$PG_URL $PY bench/run.py --repeat "$REPEAT" | tee "$VAR/bench-postgresql.txt" || status=1
  else
    status=1; echo "*** PostgreSQL build failed"
  fi
}

case $DB in
  both) run_sqlite; run_postgresql; results=(sqlite postgresql) ;;
  sqlite) run_sqlite; results=(sqlite) ;;
  postgresql) run_postgresql; results=(postgresql) ;;
  *) echo "--db: sqlite or postgresql" >&2; exit 2 ;;
esac

echo
echo "=== $(date -I), $MEMBERS members, repeat $REPEAT ==="
for db in "${results[@]}"; do cat "$VAR/bench-$db.txt" 2>/dev/null || true; done
exit $status
