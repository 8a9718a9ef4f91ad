# Aduan — the two commands that matter: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
UV_INSTALL := $(VENV)/bin/uv pip install -q --python $(PY) --require-hashes --compile-bytecode --native-tls
HOST ?= 127.0.0.1
PORT ?= 5000
REDIS_URL ?= redis://127.0.0.1:6379/0
TEST_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/test
export HOST PORT

.PHONY: run serve worker test test-sqlite test-postgres venv test-deps redis chromium postgres \
        migrate seed bench chaos vendor clean lint lock

## Runtime virtualenv from the hashed lock (every package pinned with its hashes), reinstalled
## only when the lock changes. requirements.txt is the top-level list the lock is compiled from.
## pip installs the installer (uv, from its own hashed lock); uv installs the rest with the same
## hash check in a fifth of pip's time, compiling bytecode as pip does.
$(VENV)/.installed: requirements.lock requirements-tools.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --require-hashes -r requirements-tools.lock
	$(UV_INSTALL) -r requirements.lock
	@touch $@

venv: $(VENV)/.installed

$(VENV)/.installed-test: $(VENV)/.installed requirements-test.lock
	$(UV_INSTALL) -r requirements-test.lock
	@touch $@

## After changing a pin in a requirements*.txt: recompile the locks (runtime, test, tools).
lock: $(VENV)/.installed-test
	bin/lock.sh

## Lint and format check (settings in pyproject.toml), and the locks hold every top-level pin.
## `make test` runs it first, so CI fails on a lint error.
lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	@bin/lock.sh --check

test-deps: $(VENV)/.installed-test chromium

## Redis: use REDIS_URL when it answers, else start a local redis-server (installing it if root).
redis:
	@bin/ensure-redis.sh "$(REDIS_URL)"

## Debian's headless Chromium for the browser tests (Playwright drives it; it never downloads a
## browser). The headless shell, not the full browser: the same Blink, about 40 % less CPU a test.
chromium:
	@command -v chromium-headless-shell >/dev/null 2>&1 || command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing Debian's chromium-headless-shell for the browser tests"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium-headless-shell >/dev/null); \
	  else echo "chromium is missing: install Debian's 'chromium-headless-shell' (sudo apt-get install chromium-headless-shell)"; exit 1; fi; }

## PostgreSQL for the second test pass: start the local cluster if it is installed but stopped.
postgres:
	@bin/ensure-postgres.sh "$(TEST_DATABASE_URL)" || true

migrate: venv
	$(VENV)/bin/flask --app wsgi db upgrade

seed: venv
	$(VENV)/bin/flask --app wsgi seed-demo --demo-users
	$(VENV)/bin/flask --app wsgi skm seed-demo --answers

## Everything, in the foreground: web + Socket.IO, worker with the scheduler, (Redis if we started it).
run: venv
	@bin/run.sh

## The web process alone, production settings (see README "Production").
serve: venv
	$(VENV)/bin/gunicorn -c config/gunicorn.py wsgi:app

worker: venv
	$(PY) -m workers

## The whole suite on SQLite, then on PostgreSQL when one is reachable.
test: test-deps lint redis postgres
	@bin/run-tests.sh "$(TEST_DATABASE_URL)"

test-sqlite: test-deps redis
	TEST_DATABASE_URL= $(PY) -m pytest -q

test-postgres: test-deps redis postgres
	TEST_DATABASE_URL="$(TEST_DATABASE_URL)" $(PY) -m pytest -q

bench: test-deps redis postgres
	$(PY) bench/run_all.py

chaos: test-deps redis postgres
	$(PY) -m pytest -q -m chaos tests/chaos

vendor:
	bin/vendor-js.sh

clean:
	rm -rf $(VENV) instance test-artifacts .pytest_cache
