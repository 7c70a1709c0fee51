# The README's two commands: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 5000
export FLASK_APP := wsgi.py

# Compiled catalogues are built here from the .po files, never committed.
CATALOGUES := $(wildcard qa_app/translations/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGUES:.po=.mo)

.PHONY: run test install lint format clean translations compile-translations

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) $(COMPILED)

%.mo: %.po $(STAMP)
	$(BIN)/pybabel compile --statistics -i $< -o $@

compile-translations: $(COMPILED)

# After changing any user-facing text: re-extract, update every catalogue, then translate the
# new empty entries in qa_app/translations/*/LC_MESSAGES/messages.po.
translations: $(STAMP)
	$(BIN)/python -m tools.catalogues update
	$(BIN)/python -m tools.catalogues check || true

# Serves the app with a jobs worker beside it (docs/jobs.md); one Ctrl-C stops both.
run: $(STAMP) $(COMPILED)
	mkdir -p instance
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo --once
	@echo "QA Scorecard: open http://$(HOST):$(PORT)/login  (demo logins: instance/demo-logins.txt)"
	$(BIN)/flask jobs serve --host $(HOST) --port $(PORT)

# One test process per core (pytest-xdist); a test file stays in one process, so its module
# fixtures (the browser journeys' served demo) are built once. Files go out in the order
# collected (tests/conftest.py puts the longest first), not re-sorted by their number of tests.
test: $(STAMP) $(COMPILED)
	$(BIN)/python -m pytest -n auto --dist loadfile --no-loadscope-reorder

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache $(COMPILED)
