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

help:
	@echo "make run    install what is missing, migrate, load demo data, serve http://$(HOST):$(PORT)"
	@echo "make test   lint, checks, the suite on SQLite (and PostgreSQL if TEST_POSTGRES_URL), browser tests"
	@echo "make bench  print performance figures"

system-deps:
	@scripts/system-deps

$(UV):
	python3 -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

python-deps: $(UV)
	$(UV) sync --locked --quiet

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

# Figures, not pass/fail: Excel import of ROWS enterprises; the export of the whole list and the
# application of a classification standard over them; scoring and PDF reports of assessments.
# They run on a scratch database in var/bench (set DATABASE_URL to measure PostgreSQL instead).
bench: install
	rm -rf var/bench
	SMEDX_VAR_DIR=var/bench $(MANAGE) migrate --no-input -v0
	SMEDX_VAR_DIR=var/bench $(MANAGE) bench_assessments --n $${N:-200} --pdfs $${PDFS:-5}
	SMEDX_VAR_DIR=var/bench $(MANAGE) bench_import --rows $${ROWS:-100000}
	SMEDX_VAR_DIR=var/bench $(MANAGE) bench_export --rows $${ROWS:-100000}
	SMEDX_VAR_DIR=var/bench $(MANAGE) bench_tiers

.PHONY: help system-deps python-deps frontend messages install migrate demo run lint test bench
