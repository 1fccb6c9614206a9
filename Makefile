# Zhitong: `make run` serves the board with demo data; `make test` runs every test.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_PASSWORD_FILE := var/demo-password

.PHONY: run test lint format install migrate seed messages bench clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

$(DEMO_PASSWORD_FILE):
	mkdir -p var
	$(BIN)/python -c "import secrets; print(secrets.token_urlsafe(9))" > $@

migrate: install
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput

seed: migrate $(DEMO_PASSWORD_FILE)
	$(BIN)/python manage.py seed_demo --password "$$(cat $(DEMO_PASSWORD_FILE))" --messages 300

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

messages: install
	$(BIN)/python manage.py makemessages --locale zh_Hans --ignore ".venv/*" --ignore "var/*" --no-obsolete
	$(BIN)/python manage.py compilemessages --locale zh_Hans --ignore ".venv/*"

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
