# Everything bootstraps from python3 and make: a venv for uv (when uv is not installed),
# then `uv sync --frozen` into .venv from uv.lock.
PYTHON ?= python3
VENV := .venv
TOOLS := .tools
UV := $(shell command -v uv 2>/dev/null || echo $(TOOLS)/bin/uv)
RUN := $(UV) run --frozen --no-sync
TEST_ENV := RAPPORT_DATA_DIR=$(CURDIR)/.test-data
PYTEST_ARGS ?=

.PHONY: help demo serve test test-sqlite test-postgres test-e2e lint format bench clean

help:
	@echo "make demo   run Rapport on SQLite with demo data (prints the URL and a sign-in link)"
	@echo "make serve  run Rapport on your own data"
	@echo "make test   lint, then the test suite on SQLite, on PostgreSQL and in Chromium"
	@echo "make lint   ruff, ruff format --check, mypy, import-linter"
	@echo "make bench  the benchmarks (bench/results.md)"

$(TOOLS)/bin/uv:
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check uv

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --compile-bytecode --python $(PYTHON)
	@touch $@

demo: $(VENV)/.synced
	$(RUN) rapport demo $(ARGS)

serve: $(VENV)/.synced
	$(RUN) rapport serve $(ARGS)

test: lint test-sqlite test-postgres test-e2e

test-sqlite: $(VENV)/.synced
	$(TEST_ENV) $(RUN) pytest -m "not e2e" $(PYTEST_ARGS)

test-postgres: $(VENV)/.synced
	$(TEST_ENV) $(RUN) python tools/with_postgres.py -- pytest -m "not e2e" $(PYTEST_ARGS)

test-e2e: $(VENV)/.synced
	$(TEST_ENV) $(RUN) pytest -m e2e $(PYTEST_ARGS)

lint: $(VENV)/.synced
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) mypy
	$(RUN) lint-imports

format: $(VENV)/.synced
	$(RUN) ruff check --fix .
	$(RUN) ruff format .

bench: $(VENV)/.synced
	$(RUN) python bench/run.py

clean:
	rm -rf $(VENV) $(TOOLS) .mypy_cache .pytest_cache .ruff_cache
