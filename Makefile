# Портал «500+». Two commands: `make run` (demo) and `make test` (whole suite).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
RUN_STAMP := $(VENV)/.run-installed
DEV_STAMP := $(VENV)/.dev-installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test bench lint check-migrations services system-deps clean

$(VENV)/bin/python:
	bash scripts/ensure-python.sh $(PYTHON)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(RUN_STAMP): pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install -q .
	touch $@

$(DEV_STAMP): pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install -q ".[dev]"
	touch $@ $(RUN_STAMP)

## make run: install, migrate SQLite, load the demo region, serve on http://$(HOST):$(PORT)
# (make run HOST=… PORT=…: the address is printed before serving, and is the one the
# demo's letters link to)
DEMO_ENV := DJANGO_SETTINGS_MODULE=config.settings.dev PORTAL_BASE_URL=http://$(HOST):$(PORT) \
	DJANGO_ALLOWED_HOSTS=$(HOST),127.0.0.1,localhost
run: $(RUN_STAMP)
	$(DEMO_ENV) $(PY) manage.py migrate --noinput
	$(DEMO_ENV) $(PY) manage.py load_demo
	@echo
	@echo "Демо-портал «500+»: http://$(HOST):$(PORT)/ (вход: http://$(HOST):$(PORT)/login/, остановить — Ctrl+C)"
	@echo
	$(DEMO_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

## make test: install (Python and Debian packages), start PostgreSQL and Redis, run everything
test: system-deps $(DEV_STAMP) services
	bash scripts/ensure-node-deps.sh
	$(PY) -m ruff check .
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py check
	bash scripts/check-deploy.sh $(PY)
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -m pytest $(PYTEST_ARGS)

## make bench: benchmarks, each printed as a ratio to a baseline measured in the same run
bench: $(DEV_STAMP) services
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -m benchmarks

system-deps:
	bash scripts/ensure-system-deps.sh

services:
	bash scripts/ensure-services.sh

lint: $(DEV_STAMP)
	$(PY) -m ruff check .

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache
