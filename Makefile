# Two commands: `make run` serves the app with demo data, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi.py
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test lint format setup setup-dev translations db demo messages bench clean

run: setup translations db demo
	$(BIN)/flask run --host 127.0.0.1 --port 5000

test: setup-dev translations
	$(BIN)/pytest $(PYTEST_ARGS)

lint: setup-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

setup: $(VENV)/.runtime

setup-dev: $(VENV)/.dev

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(VENV)/bin/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.runtime $@

translations: setup
	$(BIN)/pybabel compile --use-fuzzy -d rating/translations --statistics 2>&1 | tail -n 3

# Re-extract the strings marked for translation and merge them into each catalogue.
messages: setup
	$(BIN)/pybabel extract -F babel.cfg -k _l --ignore-dirs ".* __pycache__" -o rating/translations/messages.pot --no-location --sort-output .
	$(BIN)/pybabel update -i rating/translations/messages.pot -d rating/translations --no-fuzzy-matching --ignore-obsolete

db: setup
	mkdir -p instance
	$(BIN)/flask db upgrade

demo: setup
	$(BIN)/flask seed demo

# Load test vs a bare-Flask ceiling (docs/PERFORMANCE.md); e.g. BENCH_ARGS="--databases sqlite".
bench: setup translations
	$(BIN)/python -m bench.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) instance/*.db .pytest_cache
