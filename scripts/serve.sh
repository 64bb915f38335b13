#!/usr/bin/env bash
# The production web server: gunicorn with deploy/gunicorn.conf.py and production settings (DEBUG=0).
# Reads .env when there is one (see .env.example); systemd passes the same file as EnvironmentFile.
# Run the background worker beside it: `.venv/bin/python manage.py worker` (deploy/systemd/).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh  # .env; a variable given on the command line wins
export DEBUG="${DEBUG:-0}" DJANGO_SETTINGS_MODULE=dangbo.settings
exec .venv/bin/gunicorn --config deploy/gunicorn.conf.py "$@"
