# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask
STAMP  := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
HOST   ?= 127.0.0.1
PORT   ?= 5000
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Test processes (pytest-xdist): each has its own databases, instance folder and ports.
WORKERS         ?= auto
BROWSER_WORKERS ?= 2
COVERAGE        ?= --cov --cov-branch --cov-report=term:skip-covered

.DEFAULT_GOAL := help
.PHONY: help run test test-python unit install pdf-deps db demo lint format freeze bench clean \
	check-content translations

help: ## list the targets
	@awk 'BEGIN {FS = ":[^#]*## "} /^[a-zA-Z_-]+:[^#]*## / {printf "  make %-14s %s\n", $$1, $$2}' \
	  $(MAKEFILE_LIST)

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(BIN)/python || { rm -rf $(VENV); $(PYTHON) -m venv $(VENV); }
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@rm -f $(VENV)/.installed-*
	@touch $@

install: $(STAMP) pdf-deps ## create the virtual environment and install dependencies

# PDF fact sheets: WeasyPrint needs Pango and HarfBuzz from Debian and a font; installed when missing.
PDF_LIBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
pdf-deps:
	@dpkg -s $(PDF_LIBS) >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(PDF_LIBS); }

db: install ## apply migrations (SQLite in instance/ unless DATABASE_URL is set)
	$(FLASK) db upgrade

demo: db ## load reference data (organisations) and fictional demo leads
	$(FLASK) staff sync-orgs
	$(FLASK) leads demo
	@echo "Staff area: create an account with  $(FLASK) staff create you@example.org --org brand-lead --role coordinator"

run: demo ## set everything up and serve the site at http://127.0.0.1:5000
	$(FLASK) run --host $(HOST) --port $(PORT)

lint: install ## ruff (lint, complexity, pytest style), format check, import contracts, mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

format: install ## fix what ruff can fix and format the code
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check-content: install ## validate every content file (and fail on text shown in English)
	$(FLASK) content check --strict

test: lint check-content test-python test-browser ## lint, content check, every test (browser tests included), coverage

test-python: install ## the tests without a browser, in parallel, with branch coverage (PostgreSQL too with TEST_DATABASE_URL)
	$(BIN)/pytest -m "not browser" -n $(WORKERS) --dist worksteal $(COVERAGE)

unit: install ## the pure cores only: no database, no browser, no subprocess (under 2 minutes)
	$(BIN)/pytest -m "not browser and not database and not slow" -n $(WORKERS) --dist worksteal

# Browser tests: Debian's Chromium (never a downloaded browser), axe-core and the Nu HTML Checker
# from npm (package-lock.json), Java for the checker. Each is installed only when missing.
CHROMIUM     ?= /usr/bin/chromium
NODE_STAMP   := node_modules/.package-lock.json
AUDIT_DIR    := tests/browser/audit
AUDIT_STAMP  := $(AUDIT_DIR)/node_modules/.package-lock.json
.PHONY: browser-deps test-browser audit

$(NODE_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

browser-deps: install $(NODE_STAMP)
	@test -x $(CHROMIUM) || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; }
	@command -v java >/dev/null || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq default-jre-headless; }

test-browser: browser-deps ## real-browser tests: journeys, phones, accessibility, HTML validity
	CHROMIUM=$(CHROMIUM) $(BIN)/pytest -m browser -n $(BROWSER_WORKERS) --dist loadgroup tests/browser

$(AUDIT_STAMP): $(AUDIT_DIR)/package.json $(AUDIT_DIR)/package-lock.json
	npm ci --prefix $(AUDIT_DIR) --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

audit: browser-deps $(AUDIT_STAMP) ## Lighthouse scores of home, a country profile, the inquiry form
	CHROME_PATH=$(CHROMIUM) $(BIN)/python -m tests.browser.audit

freeze: install ## write the public site as static files to build/site
	$(FLASK) freeze

# Benchmarks compare with Debian's Hugo, nginx and wrk (installed with apt only when missing) and
# use PostgreSQL at BENCH_POSTGRES_URL for the lead POST (a throwaway database, dropped after).
.PHONY: bench-deps
bench-deps: install
	@{ command -v hugo && { command -v nginx || test -x /usr/sbin/nginx; } && command -v wrk; } \
	  >/dev/null || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq hugo nginx-light wrk; }

bench: bench-deps ## run the benchmarks: one table, written to bench/results.md
	$(BIN)/python -m bench $(BENCH_ARGS)

clean: ## remove build output and caches
	rm -rf build .pytest_cache .ruff_cache

translations: install ## extract interface strings, update the de/sv catalogues, compile them (.mo files are committed)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations -w 100 --ignore-obsolete
	$(BIN)/pybabel compile -d translations --statistics
