#!/usr/bin/env bash
# manage.py with the production settings of this machine: reads .env (or DANGBO_ENV_FILE) like
# scripts/serve.sh and the systemd units do, so that a command typed by the administrator
# (create_bloc_office, backup, restore, daily) works on the same database as the server.
#   scripts/manage.sh backup
set -euo pipefail
cd "$(dirname "$0")/.."
ENV_FILE="${DANGBO_ENV_FILE:-.env}"
# A variable set on the command line wins over the file (DATABASE_URL=… scripts/manage.sh restore …).
if [ -f "$ENV_FILE" ]; then
  while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in ''|'#'*) continue ;; esac
    name=${line%%=*}
    [ -n "${!name+x}" ] || export "$name=${line#*=}"
  done < "$ENV_FILE"
fi
export DJANGO_SETTINGS_MODULE=dangbo.settings
exec .venv/bin/python manage.py "$@"
