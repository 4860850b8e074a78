# Two commands after cloning: `make run` and `make test`. Each builds .venv on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: run test quick lint typecheck unit unit-sqlite unit-postgresql bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Rebound needs Python 3.11 or newer; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

run: $(STAMP)
	$(PY) -m bot

test: lint typecheck unit

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(STAMP)
	$(VENV)/bin/mypy

# The store, engine and end-to-end suites run twice: on SQLite, then on PostgreSQL (a server
# the test session starts in a temporary folder and removes: tests/helpers/postgres.py). Tests
# of SQLite itself are marked sqlite_only; the child-process tests run once, on SQLite.
PG_TESTS := tests/core/test_store.py tests/core/test_group_commit.py \
	tests/core/test_scheduling.py tests/core/test_jobs_repository.py tests/core/test_events.py \
	tests/core/test_guild_settings.py $(wildcard tests/core/*_e2e.py) tests/cogs tests/faults

# `make -j2 test` runs the passes side by side.
unit: unit-sqlite unit-postgresql

unit-sqlite: $(STAMP)
	$(PY) -m pytest -q

unit-postgresql: $(STAMP)
	REBOUND_TEST_STORE=postgresql $(PY) -m pytest -q -m "not slow" $(PG_TESTS)

# Every test except those marked slow (child processes, fault runs, long real-time waits):
# 1,044 of 1,090 tests, about three quarters of `make unit`'s time.
quick: $(STAMP)
	$(PY) -m pytest -q -m "not slow"

bench: $(STAMP)
	$(PY) -m benchmarks.scheduler

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
