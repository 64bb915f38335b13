#!/usr/bin/env bash
# Upgrade in place after the code was updated (git pull): install the locked dependencies, back up,
# migrate, compile the translations, collect the static files, check the production settings, restart.
# Stops at the first failure; the backup made before migrating is the way back (docs/operations.md).
#   scripts/upgrade.sh [--no-install] [--no-restart]
set -euo pipefail
cd "$(dirname "$0")/.."
install=1 restart=1
for arg in "$@"; do
  case "$arg" in
    --no-install) install=0 ;;
    --no-restart) restart=0 ;;
    *) echo "usage: $0 [--no-install] [--no-restart]" >&2; exit 2 ;;
  esac
done
. scripts/env.sh  # .env; a variable given on the command line wins
export DEBUG="${DEBUG:-0}" DJANGO_SETTINGS_MODULE=dangbo.settings
PY=.venv/bin/python
step() { echo "--- $*"; }

if [ $install = 1 ]; then
  step "dependencies"
  $PY -m pip install -q --require-hashes -r requirements/base.txt
  npm ci --no-audit --no-fund --silent
fi
step "backup"
$PY manage.py backup
step "migrate"
$PY manage.py migrate --noinput
step "compilemessages"
$PY manage.py compilemessages --ignore .venv --ignore node_modules -v 0
step "collectstatic"
$PY manage.py collectstatic --noinput -v 0
step "check --deploy"
$PY manage.py check --deploy
if [ $restart = 1 ]; then
  if command -v systemctl >/dev/null && systemctl cat dangbo-web.service >/dev/null 2>&1; then
    step "restart"
    systemctl restart dangbo-web.service dangbo-worker.service
  else
    echo "--- restart the web server and the worker yourself (no dangbo-web.service here)"
  fi
fi
echo "--- upgrade done"
