# smedx — the two commands: `make run` and `make test`. Everything else is a step of those.
SHELL := /bin/bash
.DEFAULT_GOAL := help

UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
PY := .venv/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# PostgreSQL used by `make test` for the second run of the suite; empty = SQLite only.
TEST_POSTGRES_URL ?=
# These targets run on a developer's machine: the settings may generate a secret into var/.
# `make serve` turns it off, so that it needs SECRET_KEY and ALLOWED_HOSTS like a server.
export SMEDX_DEV ?= 1

help:
	@echo "make run    install what is missing, migrate, load demo data, serve http://$(HOST):$(PORT)"
	@echo "make test   lint, checks, the suite on SQLite (and PostgreSQL if TEST_POSTGRES_URL), browser tests"
	@echo "make bench  print performance figures"
	@echo "make serve  run as in production (gunicorn, task worker); needs SECRET_KEY, ALLOWED_HOSTS"

system-deps:
	@scripts/system-deps

$(UV):
	python3 -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

# MEDIA_STORAGE=s3 (uploads in a bucket) needs the optional django-storages and boto3.
python-deps: $(UV)
	$(UV) sync --locked --quiet $(if $(filter s3,$(MEDIA_STORAGE)),--extra s3)

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

frontend: node_modules/.package-lock.json

messages: python-deps
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v0

install: system-deps python-deps frontend messages

migrate: install
	$(MANAGE) migrate --no-input -v0

demo: migrate
	@if [ ! -f var/.demo-loaded ]; then $(MANAGE) seed_demo && touch var/.demo-loaded; fi

run: demo
	@DEBUG=1 scripts/serve $(HOST) $(PORT)

# As in production (docs/deployment.md): DEBUG off, the secret and host names from the environment,
# hashed and compressed static files, gunicorn with WEB_CONCURRENCY workers and the task worker.
serve: export SMEDX_DEV := 0
serve: migrate
	$(MANAGE) collectstatic --no-input -v0
	scripts/serve-production $(HOST) $(PORT)

lint: python-deps
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

test: install lint
	$(MANAGE) check --fail-level WARNING
	$(MANAGE) makemigrations --check --dry-run
	.venv/bin/pytest -m "not browser"
	@if [ -n "$(TEST_POSTGRES_URL)" ]; then \
		echo "== the suite again on PostgreSQL"; \
		DATABASE_URL="$(TEST_POSTGRES_URL)" .venv/bin/pytest -m "not browser"; \
	else echo "== TEST_POSTGRES_URL not set: PostgreSQL run skipped"; fi
	.venv/bin/pytest -m browser

# Figures, not pass/fail: Excel import of ROWS enterprises; scoring and PDF reports of assessments.
# They run on a scratch database in var/bench (set DATABASE_URL to measure PostgreSQL instead).
bench: install
	rm -rf var/bench
	SMEDX_VAR_DIR=var/bench $(MANAGE) migrate --no-input -v0
	@# Load under concurrency: the production server on the demo data, CLIENTS clients, DURATION s a page.
	SMEDX_VAR_DIR=var/bench $(MANAGE) seed_demo >/dev/null
	SMEDX_VAR_DIR=var/bench $(MANAGE) bench_load --clients $${CLIENTS:-20} --duration $${DURATION:-10}
	SMEDX_VAR_DIR=var/bench $(MANAGE) bench_assessments --n $${N:-200} --pdfs $${PDFS:-5}
	SMEDX_VAR_DIR=var/bench $(MANAGE) bench_import --rows $${ROWS:-100000}

.PHONY: help system-deps python-deps frontend messages install migrate demo run serve lint test bench
