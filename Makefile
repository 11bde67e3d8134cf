# Two commands for a newcomer: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup migrate demo run test fuzz lint format messages bench clean

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
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

format: setup
	$(BIN)/ruff check --fix src tests
	$(BIN)/ruff format src tests

# Extract and compile the translation catalogues (needs GNU gettext).
messages: setup
	cd src/shegong && ../../$(BIN)/shegong makemessages -l zh_Hans -l en --no-obsolete
	cd src/shegong && ../../$(BIN)/shegong compilemessages

test: lint
	$(BIN)/shegong makemigrations --check --dry-run
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

# The API fuzzing of `make test` (tests/test_api_fuzz.py) with many more examples,
# new ones each run.
FUZZ_EXAMPLES ?= 200
fuzz: setup
	SHEGONG_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest -n 2 tests/test_api_fuzz.py $(PYTEST_ARGS)

# Statistics benchmark at city scale on its own database (BENCH_DATABASE_URL, default
# a SQLite file in var/). BENCH_ARGS="--years 10" is the full run (slow: ~25 min to
# generate on SQLite); see docs/performance.md.
BENCH_DATABASE_URL ?= sqlite:///$(CURDIR)/var/bench.sqlite3
BENCH_ARGS ?= --years 10
bench: setup
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/shegong migrate --noinput -v0
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/shegong bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
