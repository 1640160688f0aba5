# Two commands on a fresh machine:
#   make run   – set up and run the site with demo content and the import worker (SQLite unless DATABASE_URL is set)
#   make test  – set up and run the whole test suite (PostgreSQL when DATABASE_URL is set, as in CI)
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
PORT ?= 8000
# bash, so a step whose output is filtered through grep still fails when the step itself fails (PIPESTATUS).
SHELL := /bin/bash

.PHONY: run test setup lint check

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	@echo "==> 1/4 Installerer Python-pakkene i $(VENV) (første gang 1–2 minutter; hver pakke vises)"
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install -r requirements-dev.txt 2>&1 | grep --line-buffered -E "^(Collecting|Successfully|ERROR)"; \
	  test $${PIPESTATUS[0]} -eq 0
	touch $@

setup: $(VENV)/.installed

# The import worker (the database task queue) runs beside the development server and stops with it.
WORKER = $(BIN)/python manage.py db_worker --backend imports --queue-name imports --no-reload

# TestID (Min side's development login) answers on the same port as the site, and the links in e-mails
# (tasks, imports, reminders) point at the address the site actually runs on: `make run PORT=8080`.
run: export LKT_OIDC_ISSUER ?= http://127.0.0.1:$(PORT)/testid
run: export WAGTAILADMIN_BASE_URL ?= http://127.0.0.1:$(PORT)
run: setup
	@echo "==> 2/4 Oppretter databasetabellene (første gang rundt ett minutt)"
	$(BIN)/python manage.py migrate --noinput 2>&1 | grep --line-buffered -v "^  Applying"; \
	  test $${PIPESTATUS[0]} -eq 0
	@echo "==> 3/4 Legger inn demoinnhold: postnummerregisteret, kommuner, aktører, forløp og pasienter (første gang 1–2 minutter)"
	$(BIN)/python manage.py load_demo
	@echo "==> 4/4 Starter importarbeideren og nettstedet på http://127.0.0.1:$(PORT)/ (Ctrl+C stopper begge)"
	$(WORKER) & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: setup
	./scripts/test

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

check: lint test
