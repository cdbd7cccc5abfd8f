# Reciprocity: the commands. `make help` lists them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: help install run test test-fast test-clock lint fmt messages bench clean

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

install: $(STAMP) ## Create .venv and install the package with its test extras (quick when nothing changed)
	@$(BIN)/reciprocity compilemessages --ignore=.venv -v0 2>/dev/null || true

run: install ## Migrate the local SQLite database, load the demo network and serve on 127.0.0.1:$(PORT)
	$(BIN)/reciprocity migrate --no-input -v0
	$(BIN)/reciprocity rules load
	$(BIN)/reciprocity demo
	$(BIN)/reciprocity runserver 127.0.0.1:$(PORT)

test: install ## Run the whole suite (installs Chromium through apt-get when root and missing)
	@./scripts/ensure-browser || true
	$(BIN)/pytest -q -m "not worker_e2e" $(PYTEST_ARGS)
	@# The worker end-to-end test in a process of its own: nothing the rest of the suite changed
	@# in the Celery app or its connections can reach the worker it starts and kills.
	$(BIN)/pytest -q -p no:randomly -m worker_e2e

test-fast: install ## The suite without browser tests
	$(BIN)/pytest -q -m "not browser" $(PYTEST_ARGS)

test-clock: install ## The fast suite with the machine's clock 1500 days ahead (needs Debian's faketime)
	faketime -f +1500d $(BIN)/pytest -q -m "not browser and not fuzz" $(PYTEST_ARGS)

LINT_PATHS = $(wildcard reciprocity bench conftest.py)

lint: install ## ruff, mypy, the import contracts, missing migrations, then complete catalogues
	$(BIN)/ruff check $(LINT_PATHS) scripts/check-catalogues
	$(BIN)/mypy reciprocity
	$(BIN)/lint-imports --no-cache
	$(BIN)/reciprocity makemigrations --check --dry-run -v0
	@# Last: fr and es complete (no untranslated or fuzzy entry, code strings included) and their
	@# .mo compiled from the .po (docs/translations.md).
	$(BIN)/python scripts/check-catalogues

fmt: install ## Format the code
	$(BIN)/ruff check --fix $(LINT_PATHS)
	$(BIN)/ruff format $(LINT_PATHS)

messages: install ## Refresh the French and Spanish catalogues and compile them
	cd reciprocity && ../$(BIN)/reciprocity makemessages -l fr -l es --no-obsolete -v0 && ../$(BIN)/reciprocity compilemessages -v0

clean: ## Remove the venv and local data
	rm -rf $(VENV) var
