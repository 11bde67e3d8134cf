# Two commands for a newcomer: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup migrate demo run test fuzz lint format messages bench load faults golive clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $@

setup: $(STAMP)

migrate: setup
	$(BIN)/shegong migrate --noinput

demo: migrate
	$(BIN)/shegong demo_city

run: demo
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	$(BIN)/shegong runserver $(HOST):$(PORT)

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports

format: setup
	$(BIN)/ruff check --fix src tests
	$(BIN)/ruff format src tests

# Extract and compile the translation catalogues (needs GNU gettext).
messages: setup
	cd src/shegong && ../../$(BIN)/shegong makemessages -l zh_Hans -l en --no-obsolete
	cd src/shegong && ../../$(BIN)/shegong compilemessages

test: lint
	$(BIN)/shegong makemigrations --check --dry-run
	$(BIN)/pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

# The API fuzzing of `make test` (tests/test_api_fuzz.py) with many more examples,
# new ones each run.
FUZZ_EXAMPLES ?= 200
fuzz: setup
	SHEGONG_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest -n 2 tests/test_api_fuzz.py $(PYTEST_ARGS)

# Statistics benchmark at city scale (10 years, ~30 M person-times) on SQLite and on a
# throwaway PostgreSQL; prints ratios against raw baselines. See docs/performance.md.
# BENCH_ARGS="--years 10" and BENCH_DATABASES="sqlite postgres" are the defaults.
bench: setup
	bash scripts/bench.sh

# Load test: a social worker's day replayed by Locust against gunicorn on a throwaway
# PostgreSQL (port LOAD_PG_PORT, data kept in var/load/pg), in steps of users for
# ~3 minutes; checks that every acknowledged write is stored. See docs/performance.md.
LOAD_VENV := .venv-load
LOAD_ARGS ?=
$(LOAD_VENV)/.installed: bench/requirements-load.txt
	test -x $(LOAD_VENV)/bin/python || $(PYTHON) -m venv $(LOAD_VENV)
	$(LOAD_VENV)/bin/python -m pip install -q --disable-pip-version-check -r bench/requirements-load.txt
	touch $@
load: setup $(LOAD_VENV)/.installed
	$(BIN)/python bench/load.py --locust $(LOAD_VENV)/bin/locust $(LOAD_ARGS)

# Fault tests: SIGKILL gunicorn during an import and a burst of writes, restart
# PostgreSQL under load, exhaust its connections, fill the disk. Uses DATABASE_URL's
# PostgreSQL server if it is one (CI), else starts a throwaway one. See docs/reliability.md.
faults: setup
	$(BIN)/python bench/faults.py

# The README's "Running in production" steps from a fresh clone of HEAD to a served
# log-in page (gunicorn, production profile, loopback). DATABASE_URL: an empty
# database to use (CI: PostgreSQL); default a throwaway SQLite file.
golive:
	bash scripts/golive.sh

clean:
	rm -rf $(VENV) $(LOAD_VENV) var .pytest_cache .ruff_cache
