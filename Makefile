# Two commands on a fresh machine:
#   make run   – set up and run the site with demo content and the import worker (SQLite unless DATABASE_URL is set)
#   make test  – set up and run the whole test suite (PostgreSQL when DATABASE_URL is set, as in CI)
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
PORT ?= 8000

.PHONY: run test setup lint check

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed

# The import worker (the database task queue) runs beside the development server and stops with it.
WORKER = $(BIN)/python manage.py db_worker --backend imports --queue-name imports --no-reload

# TestID (Min side's development login) answers on the same port as the site.
run: export LKT_OIDC_ISSUER ?= http://127.0.0.1:$(PORT)/testid
run: setup
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(WORKER) & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: setup
	./scripts/test

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

check: lint test
