# caremap: `make run` serves the demo on SQLite; `make test` runs the whole suite.
VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= python3
INSTALLED := $(VENV)/.installed
ASSETS := node_modules/.installed
SECRET := instance/secret_key
PG_URL_DEFAULT := postgresql+psycopg://postgres@127.0.0.1:5432/caremap_test

.PHONY: setup run demo-reset test test-both test-sqlite test-postgres test-replica lint format schemas bench security clean

setup: $(INSTALLED) $(ASSETS)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip setuptools
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

$(ASSETS): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

$(SECRET):
	mkdir -p instance
	$(BIN)/python -c 'import secrets; print(secrets.token_hex(32))' > $@
	chmod 600 $@

# `PORT=5050 make run` serves on another port.
PORT ?= 5000
DEMO_DB := instance/caremap.sqlite3

run: setup $(SECRET)
	CAREMAP_SECRET_KEY=$$(cat $(SECRET)) $(BIN)/caremap db upgrade
	CAREMAP_SECRET_KEY=$$(cat $(SECRET)) $(BIN)/caremap seed demo
	@echo "Serving caremap on http://127.0.0.1:$(PORT) (Ctrl-C to stop)"
	CAREMAP_SECRET_KEY=$$(cat $(SECRET)) $(BIN)/caremap run --host 127.0.0.1 --port $(PORT)

# The demo database from scratch (the virtual environment and npm assets are left alone).
demo-reset: setup $(SECRET)
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	CAREMAP_SECRET_KEY=$$(cat $(SECRET)) $(BIN)/caremap db upgrade
	CAREMAP_SECRET_KEY=$$(cat $(SECRET)) $(BIN)/caremap seed demo

# The whole suite on SQLite; and on PostgreSQL when CAREMAP_TEST_DATABASE_URL is set
# (and, when CI=true, always: a missing server then fails the run). The two passes run
# side by side, one a core (each makes its own databases and binds free ports): one after
# the other they took 22 minutes on a slow machine. Each pass's output is shown whole
# when both have ended, and either failing fails the run.
test: setup
	@if [ -n "$$CAREMAP_TEST_DATABASE_URL" ] || [ "$$CI" = "true" ]; then \
		$(MAKE) --no-print-directory test-both; \
	else \
		$(MAKE) --no-print-directory test-sqlite; \
		echo "PostgreSQL run skipped: set CAREMAP_TEST_DATABASE_URL=$(PG_URL_DEFAULT) to include it"; \
	fi

test-both: setup
	@logs=$$(mktemp -d); \
	( $(MAKE) --no-print-directory test-sqlite > $$logs/sqlite.log 2>&1; echo $$? > $$logs/sqlite.rc ) & \
	( $(MAKE) --no-print-directory test-postgres > $$logs/postgres.log 2>&1; echo $$? > $$logs/postgres.rc ) & \
	wait; \
	echo "== SQLite (exit $$(cat $$logs/sqlite.rc))"; cat $$logs/sqlite.log; \
	echo "== PostgreSQL (exit $$(cat $$logs/postgres.rc))"; cat $$logs/postgres.log; \
	[ "$$(cat $$logs/sqlite.rc)" = 0 ] && [ "$$(cat $$logs/postgres.rc)" = 0 ]

test-sqlite: setup
	env -u CAREMAP_TEST_DATABASE_URL $(BIN)/pytest -q -p no:cacheprovider

test-postgres: setup
	CAREMAP_TEST_DATABASE_URL=$${CAREMAP_TEST_DATABASE_URL:-$(PG_URL_DEFAULT)} $(BIN)/pytest -q -p no:cacheprovider

# A real streaming replica (a throwaway primary and a pg_basebackup standby on free
# ports): reads go there, writes do not. Part of test-postgres too; this runs it alone.
test-replica: setup
	CAREMAP_TEST_DATABASE_URL=$${CAREMAP_TEST_DATABASE_URL:-$(PG_URL_DEFAULT)} $(BIN)/pytest -q -p no:cacheprovider tests/replica

lint: setup
	$(BIN)/ruff check caremap tests migrations benchmarks
	$(BIN)/ruff format --check caremap tests migrations benchmarks
	$(BIN)/lint-imports --no-cache

format: setup
	$(BIN)/ruff check --fix caremap tests migrations benchmarks
	$(BIN)/ruff format caremap tests migrations benchmarks

# Static analysis of our code (bandit) and known vulnerabilities in what we install.
security: setup
	$(BIN)/bandit -q -r caremap -ll -c pyproject.toml
	$(BIN)/python .ci/dependency_audit.py

schemas: setup
	CAREMAP_DATABASE_URL=sqlite:// $(BIN)/caremap export-schemas

bench: setup
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)  # bench_throughput's load
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf $(VENV) node_modules instance .pytest_cache
