# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask
STAMP  := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test install db demo lint format freeze bench clean check-content translations

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(BIN)/python || { rm -rf $(VENV); $(PYTHON) -m venv $(VENV); }
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@rm -f $(VENV)/.installed-*
	@touch $@

install: $(STAMP) ## create the virtual environment and install dependencies

db: install ## apply migrations (SQLite in instance/ unless DATABASE_URL is set)
	$(FLASK) db upgrade

demo: db ## load reference data (organisations) and fictional demo leads
	$(FLASK) staff sync-orgs
	$(FLASK) leads demo
	@echo "Staff area: create an account with  $(FLASK) staff create you@example.org --org brand-lead --role coordinator"

run: demo ## set everything up and serve the site at http://127.0.0.1:5000
	$(FLASK) run --host $(HOST) --port $(PORT)

lint: install ## ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check-content: install ## validate every content file
	$(FLASK) content check

test: lint check-content ## lint, check content, run the test suite
	$(BIN)/pytest

freeze: install ## write the public site as static files to build/site
	$(FLASK) freeze

bench: install ## run the benchmarks (they measure and print; they are not tests)
	$(BIN)/python -m bench

clean:
	rm -rf build .pytest_cache .ruff_cache

translations: install ## extract interface strings, update the de/sv catalogues, compile them (.mo files are committed)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations -w 100
	$(BIN)/pybabel compile -d translations --statistics
