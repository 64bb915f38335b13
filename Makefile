# The two front-door commands: `make run` and `make test` (README).
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := dangbo.settings

.PHONY: run test install install-test messages lint migrate lock serve upgrade

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

install: $(VENV)/bin/python
	$(PY) -m pip install -q --require-hashes -r requirements/base.txt
	npm ci --no-audit --no-fund --silent
	$(MAKE) messages

install-test: install
	$(PY) -m pip install -q --require-hashes -r requirements/base.txt -r requirements/test.txt

messages:
	@command -v msgfmt >/dev/null || (apt-get install -y -q gettext >/dev/null || (apt-get update -q && apt-get install -y -q gettext))
	$(PY) manage.py compilemessages --ignore .venv --ignore node_modules -v 0

migrate:
	mkdir -p var
	$(PY) manage.py migrate --noinput -v 0

# The development server and, beside it, the background worker (stopped with the server).
run: install migrate
	$(PY) manage.py load_demo --if-empty
	$(PY) manage.py worker --no-startup-delay -v 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# Production: gunicorn with deploy/gunicorn.conf.py and DEBUG=0 (reads .env; see docs/operations.md).
# The worker runs beside it as its own service (deploy/systemd/dangbo-worker.service).
serve:
	bash scripts/serve.sh

# After updating the code: dependencies, backup, migrate, compilemessages, collectstatic, restart.
upgrade:
	bash scripts/upgrade.sh

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

test: install-test
	bash scripts/test-all.sh

# Re-lock the dependencies after editing requirements/*.in (needs the registry).
lock:
	python3 -m venv .venv-tools && .venv-tools/bin/pip install -q pip-tools
	cd requirements && ../.venv-tools/bin/pip-compile -q --generate-hashes --strip-extras -o base.txt base.in
	cd requirements && ../.venv-tools/bin/pip-compile -q --generate-hashes --strip-extras -o test.txt test.in
