# JETAA Connect. `make run` for the site with demo data, `make test` for the suite.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 5000
# pytest-xdist workers for `make test` (auto: one per core).
TEST_WORKERS ?= auto
export FLASK_APP := jetaa
# `make run` and `make test` choose development explicitly (a known key is fine there).
export JETAA_ENV ?= development

.PHONY: run test lint audit bench bench-mix translations clean-db

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: $(BIN)/python requirements.txt
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

## Set up, migrate the SQLite database, load demo data if empty, serve on 127.0.0.1:$(PORT).
run: $(VENV)/.runtime
	$(BIN)/flask db upgrade heads
	$(BIN)/flask demo-data --if-empty
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

## Set up the dev environment and run the whole suite (SQLite unless TEST_DATABASE_URL is set).
test: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## Known vulnerabilities in the pinned runtime requirements (pip-audit, in a venv of its own).
## Says NOT AUDITED (exit 0; AUDIT_STRICT=1: 2) when no vulnerability service answers.
AUDIT_VENV ?= $(or $(TMPDIR),/tmp)/jetaa-pip-audit
audit:
	test -x $(AUDIT_VENV)/bin/pip-audit || { $(PYTHON) -m venv $(AUDIT_VENV) && \
		$(AUDIT_VENV)/bin/pip install --quiet -r requirements-audit.txt; }
	$(AUDIT_VENV)/bin/python .ci/audit.py $(AUDIT_VENV)/bin/pip-audit requirements.txt

## Full-scale benchmark (run by hand): see bench/README.md.
bench: $(VENV)/.dev
	$(BIN)/python bench/run.py

## Mixed traffic (many members, many pages, writes meanwhile) on the data `make bench` loaded.
bench-mix: $(VENV)/.dev
	$(BIN)/python bench/mix.py --skip-load --cold

## Re-extract and compile the translations after changing strings.
# --ignore-dirs: pybabel skips folders starting with "_" by default, which would miss templates/_macros.
translations: $(VENV)/.dev
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --ignore-dirs ".* __pycache__" \
		-o jetaa/translations/messages.pot .
	$(BIN)/pybabel update -i jetaa/translations/messages.pot -d jetaa/translations --no-fuzzy-matching
	$(BIN)/pybabel compile -d jetaa/translations

clean-db:
	rm -f instance/jetaa.sqlite3
