# Two commands after cloning: `make run` and `make test`. Each builds .venv on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

CHROMIUM_STAMP := $(VENV)/.chromium-stamp

.PHONY: run test quick lint typecheck unit unit-sqlite unit-postgresql bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Rebound needs Python 3.11 or newer; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

# With a token (DISCORD_TOKEN in the environment or in .env) the bot connects to Discord as
# always; with none, the playground starts: the real bot on a local Discord, in the browser.
run: $(STAMP)
	@if [ -n "$$DISCORD_TOKEN" ] || grep -qsE '^[[:space:]]*DISCORD_TOKEN[[:space:]]*=[[:space:]]*[^[:space:]#]' .env; then \
		$(PY) -m bot; \
	else \
		$(PY) -m bot playground; \
	fi

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

# The two passes run side by side (much of a test's time is waiting on the local Discord);
# each pass's output is printed whole when it ends.
unit: $(STAMP) $(CHROMIUM_STAMP)
	@$(MAKE) --no-print-directory -j2 --output-sync=target unit-sqlite unit-postgresql

unit-sqlite: $(STAMP) $(CHROMIUM_STAMP)
	$(PY) -m pytest -q

unit-postgresql: $(STAMP)
	REBOUND_TEST_STORE=postgresql $(PY) -m pytest -q -m "not slow" $(PG_TESTS)

# The browser tests (tests/playground) drive the system's Chromium; nothing downloads a browser.
# As root it is installed with apt-get when missing; otherwise this stops with the command.
$(CHROMIUM_STAMP):
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "Installing Chromium for the browser tests (apt-get install -y chromium)"; \
			apt-get install -y chromium || { apt-get update && apt-get install -y chromium; }; \
		else \
			echo "The browser tests need Chromium. Install it with: sudo apt-get update && sudo apt-get install -y chromium" >&2; \
			exit 1; \
		fi; \
	fi
	@touch $(CHROMIUM_STAMP)

# Every test except those marked slow (child processes, fault runs, long real-time waits):
# 1,044 of 1,090 tests, about three quarters of `make unit`'s time.
quick: $(STAMP)
	$(PY) -m pytest -q -m "not slow"

bench: $(STAMP)
	$(PY) -m benchmarks.scheduler

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
