# careerbreak — the two commands: `make run` and `make test`. Everything installs into .venv from PyPI.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
DEVIDP_PORT ?= 8001
export PORT DEVIDP_PORT

.PHONY: run test lint typecheck pytest e2e install install-dev check-system migrate demo-data messages compile-messages check-migrations check-translations api-schema gettext install-bench bench bench-quick clean help

help:
	@echo "make run    install, prepare the embedded database and demo data, serve on http://127.0.0.1:$(PORT)"
	@echo "make test   install test tools, run ruff, mypy, the translation and migration checks, and pytest"
	@echo "            (the browser journeys included: make e2e runs them alone)"
	@echo "make bench-quick  the benchmarks, short, a few minutes (PostgreSQL, gunicorn, workers started here)"
	@echo "make api-schema   rewrite docs/api/openapi.json from the code (commit it with the change)"
	@echo "make bench        the full benchmarks (about 12 minutes, 14 the first time); see docs/performance.md"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "careerbreak needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Re-install when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@ $(VENV)/.installed

$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	@touch $@ $(VENV)/.installed

# WeasyPrint (the PDF documents) needs Pango >= 1.44 from the system, which pip cannot install.
check-system:
	@if [ "$$(uname -s)" = Darwin ]; then \
	  ls /opt/homebrew/lib/libpango-1.0*.dylib /usr/local/lib/libpango-1.0*.dylib >/dev/null 2>&1 \
	    || { echo "careerbreak renders its PDF documents with WeasyPrint, which needs Pango (>= 1.44)." >&2; \
	         echo "Install it with:  brew install pango" >&2; exit 1; }; \
	else \
	  libs="$$( { ldconfig -p || /sbin/ldconfig -p; } 2>/dev/null )"; \
	  { grep -q 'libpango-1.0.so' <<<"$$libs" && grep -q 'libpangoft2-1.0.so' <<<"$$libs"; } \
	    || { echo "careerbreak renders its PDF documents with WeasyPrint, which needs Pango (>= 1.44)." >&2; \
	         echo "Install it with:  sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0   (Debian, Ubuntu)" >&2; \
	         echo "             or:  brew install pango   (macOS)" >&2; exit 1; }; \
	fi

install: check-system $(VENV)/.installed
install-dev: check-system $(VENV)/.installed-dev
install-bench: check-system $(VENV)/.installed-bench

# axe-core for the browser journeys, exactly as package-lock.json pins it.
node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is missing (axe-core for the browser journeys): apt-get install npm"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# makemessages needs GNU gettext's xgettext.
gettext:
	@command -v xgettext >/dev/null || { echo "GNU gettext is missing (xgettext extracts the strings): apt-get install gettext"; exit 1; }

compile-messages: install
	$(BIN)/python manage.py compile_translations

migrate: install
	@mkdir -p var
	$(BIN)/python manage.py migrate --no-input

demo-data: migrate
	$(BIN)/python manage.py load_demo_data

run: compile-messages demo-data
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	$(BIN)/python manage.py rundemo --port $(PORT) --devidp-port $(DEVIDP_PORT)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install-dev
	$(BIN)/mypy src config

check-migrations: install-dev
	$(BIN)/python manage.py makemigrations --check --dry-run

# The committed OpenAPI document (docs/api/openapi.json), rewritten from the code; a test compares them.
api-schema: install-dev
	$(BIN)/python manage.py api_schema

# Every string translated in fr, nl, de, en, and none of the code missing from the catalogues.
check-translations: install-dev gettext
	$(BIN)/python manage.py check_translations --with-extraction

# The suite runs in two processes (pytest-xdist; the machine has two cores); PYTEST_ARGS="-n 0" runs it in one.
PYTEST_ARGS ?= -n 2

pytest: install-dev
	$(BIN)/python manage.py compile_translations
	$(BIN)/pytest -m "not e2e" $(PYTEST_ARGS)

# Browser journeys (tests/e2e): Playwright drives Debian's Chromium (apt-get install chromium) against
# the system served for real; screenshots in test-artifacts/screenshots/. Skipped without Chromium,
# except under CI=true, where a missing browser fails the run.
e2e: install-dev node_modules/.package-lock.json
	$(BIN)/python manage.py compile_translations
	$(BIN)/pytest -m e2e tests/e2e $(E2E_ARGS)

test: lint typecheck check-migrations check-translations pytest e2e

# Refresh the catalogues after changing user-facing text (then translate the new entries).
messages: install-dev gettext
	$(BIN)/python manage.py makemessages -l fr -l nl -l de -l en --no-obsolete --no-location --ignore '.venv/*' --ignore 'var/*' --ignore 'tests/*' --ignore 'bench/*' --ignore 'node_modules/*'

# Benchmarks (docs/performance.md): each starts PostgreSQL if needed, its own database, gunicorn, the
# identity provider, two task workers and the fake eBox, and stops them; results in bench/results/.
bench: install-bench
	$(BIN)/python -m bench.run

bench-quick: install-bench
	$(BIN)/python -m bench.run --quick

clean:
	rm -rf $(VENV) var/careerbreak.sqlite3* var/static
