# Zhitong: `make run` serves the board with demo data; `make test` runs every test.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_PASSWORD_FILE := var/demo-password

.PHONY: run test fuzz explain lint format install lock migrate seed messages bench screenshots lighthouse clean

# Installs exactly what requirements.lock pins (the tested versions, every
# one at or above its security floor: docs/security.md), then the project.
$(STAMP): pyproject.toml requirements.lock
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

# Re-pin every package (runtime and dev) within pyproject.toml's ranges.
lock:
	test -x $(BIN)/pip-compile || $(BIN)/python -m pip install --quiet "pip-tools>=7.4,<8"
	$(BIN)/pip-compile --quiet --extra dev --strip-extras --allow-unsafe \
		--output-file requirements.lock pyproject.toml

$(DEMO_PASSWORD_FILE):
	mkdir -p var
	$(BIN)/python -c "import secrets; print(secrets.token_urlsafe(9))" > $@

# The embedded board is a development server: DEBUG on, so it runs with the
# built-in secret key and console email, which production refuses
# (docs/security.md, "Settings and headers"). DJANGO_DEBUG=0 in the
# environment overrides it.
migrate seed run messages: export DJANGO_DEBUG ?= 1
# Links in e-mails open on the address being served.
run: export SITE_URL ?= http://$(HOST):$(PORT)

migrate: install
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput

seed: migrate $(DEMO_PASSWORD_FILE)
	$(BIN)/python manage.py seed_demo --password="$$(cat $(DEMO_PASSWORD_FILE))" --messages 300

# HTTP and WebSockets through one ASGI server (daphne); static files via WhiteNoise.
run: seed
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@echo "Serving Zhitong on http://$(HOST):$(PORT)/ (Ctrl-C stops it)"
	$(BIN)/daphne -b $(HOST) -p $(PORT) config.asgi:application

# Lint, format, and the import order (contracts in pyproject.toml).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The whole suite: lint, then every test, in three runs: the bulk in two
# parallel workers; the browser tests (Playwright keeps an event loop in its
# thread for the session); the tests that start servers or stop Redis, alone.
# Uses PostgreSQL and Redis when DATABASE_URL / REDIS_URL are set.
test: lint
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=config.settings.test
	$(BIN)/pytest -n 2 -m "not services" --ignore=tests/browser
	$(BIN)/pytest tests/browser
	$(BIN)/pytest -m services

# Input robustness, deep: Schemathesis over every API operation with its
# coverage phase and FUZZ_EXAMPLES generated requests per operation and role,
# and the property tests with PROPERTY_EXAMPLES; new examples each run
# (make test repeats a few fixed ones). docs/security.md, "Input robustness".
FUZZ_EXAMPLES ?= 200
PROPERTY_EXAMPLES ?= 2000
fuzz: install
	ZHITONG_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) ZHITONG_PROPERTY_EXAMPLES=$(PROPERTY_EXAMPLES) \
		$(BIN)/pytest -n 2 -p no:cacheprovider tests/test_api_fuzz.py \
		tests/test_sanitizer_properties.py tests/test_message_form_properties.py

# Query plans at scale: a throwaway PostgreSQL database (BENCH_DATABASE_URL,
# default zhitong_bench_plans) with EXPLAIN_MESSAGES messages, and EXPLAIN
# ANALYZE of every query of the board, message, official, queue, inbox and
# API pages; fails when one reads a large table whole. docs/benchmarks.md,
# "Query plans". Seeding a million takes about ten minutes.
EXPLAIN_MESSAGES ?= 1000000
explain: install
	$(BIN)/python bench/query_plans.py --messages $(EXPLAIN_MESSAGES)

# Every performance figure beside references measured in the same run
# (bench/suite.py, docs/benchmarks.md): starts what it needs on 127.0.0.1,
# seeds N messages, stops by itself. N=100000 for a quick run; BENCH_KEEP=1
# keeps the database, BENCH_REUSE=1 measures a kept one again. Needs wrk.
N ?= 1000000
bench: install
	$(BIN)/python bench/suite.py --messages $(N)

messages: install
	$(BIN)/python manage.py makemessages --locale zh_Hans --ignore ".venv/*" --ignore "var/*" --ignore "node_modules/*" --no-obsolete
	$(BIN)/python manage.py makemessages --domain djangojs --locale zh_Hans --ignore ".venv/*" --ignore "var/*" --ignore "node_modules/*" --ignore "static/vendor/*" --ignore "tests/*" --ignore "docs/*" --no-obsolete
	$(BIN)/python manage.py compilemessages --locale zh_Hans --ignore ".venv/*"

# The main pages at 390 px and 1280 px in Chinese and English, in real
# Chromium with demo data, to docs/screenshots/ (README shows a few).
screenshots: install
	$(BIN)/python scripts/screenshots.py --out docs/screenshots

# Lighthouse (npm, on Debian's Chromium): accessibility and best practices
# of the board, a message page, an official page and the compose page.
lighthouse: install
	npm install --no-audit --no-fund
	$(BIN)/python scripts/lighthouse.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
