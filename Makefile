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
	@echo "make bench  print performance figures beside their floors (N=, REUSE=1, DATABASE_URL=)"
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

# Figures, not pass/fail (docs/performance.md): the daily pages against their floors, scoring, the PDF
# report and the Excel import. A scratch SQLite database in var/bench, or the PostgreSQL of DATABASE_URL:
#   make bench                                                   demo data (+ N synthetic enterprises)
#   DATABASE_URL=postgres://postgres@127.0.0.1/smedx_bench make bench N=1000000    the province
#   ... REUSE=1      measure the database as it is: no migrate, no seeding, no generation
# The import's rows are rolled back, so a kept database holds the same enterprises run after run.
N ?= 1000
REUSE ?=
REPEAT ?= 5
SCORES ?= 200
PDFS ?= 5
ROWS ?= 20000
BENCH := SMEDX_VAR_DIR=var/bench $(MANAGE)

bench: install
ifeq ($(REUSE),)
	@if [ -z "$$DATABASE_URL" ]; then rm -rf var/bench; fi
	$(BENCH) migrate --no-input -v0
	$(BENCH) seed_demo >/dev/null
	@if [ "$(N)" = 0 ]; then echo "== N=0: demo data only"; \
	elif $(BENCH) help generate_synthetic >/dev/null 2>&1; then $(BENCH) generate_synthetic --enterprises $(N); \
	else echo "== generate_synthetic is not there yet: demo data only"; fi
endif
	@echo "== pages"
	$(BENCH) bench_pages --repeat $(REPEAT) --json var/bench/pages.json
	@echo "== scoring and the PDF report"
	$(BENCH) bench_assessments --n $(SCORES) --pdfs $(PDFS)
	@echo "== Excel import"
	$(BENCH) bench_import --rows $(ROWS) --rollback
	@echo "== the export of a long list, and a classification standard applied, in the worker"
	$(BENCH) bench_export --rows $(ROWS)
	$(BENCH) bench_tiers
	@echo "== a policy's eligible enterprises, as publishing writes them"
	$(BENCH) bench_eligibility
	@echo "== load under concurrency: the production server, CLIENTS clients, DURATION s a page"
	$(BENCH) bench_load --clients $${CLIENTS:-20} --duration $${DURATION:-10}

.PHONY: help system-deps python-deps frontend messages install migrate demo run serve lint test bench
