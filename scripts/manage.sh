#!/usr/bin/env bash
# manage.py with the production settings of this machine: reads .env (or DANGBO_ENV_FILE) like
# scripts/serve.sh and the systemd units do, so that a command typed by the administrator
# (create_bloc_office, backup, restore, daily) works on the same database as the server.
#   scripts/manage.sh backup
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh  # .env; a variable given on the command line wins
export DJANGO_SETTINGS_MODULE=dangbo.settings
exec .venv/bin/python manage.py "$@"
