# Quick start: `make run` (demo site) and `make test` (ruff, mypy, pytest).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_DATA ?= demo-data
# Demo-only credentials of the embedded demo site (see README); never used for a real site.
DEMO_ENV := CONTINUITY_HOME=$(DEMO_DATA) CONTINUITY_USER=crise CONTINUITY_PASSWORD=demo-crise-2026

.PHONY: run test lint typecheck pytest bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.system-deps: installer/system-deps.sh | $(BIN)/python
	bash installer/system-deps.sh
	touch $@

$(VENV)/.run-installed: pyproject.toml $(VENV)/.system-deps
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml $(VENV)/.system-deps
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

run: $(VENV)/.run-installed
	$(DEMO_ENV) $(BIN)/continuity demo --if-missing
	$(DEMO_ENV) $(BIN)/continuity census

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .

typecheck: $(VENV)/.test-installed
	$(BIN)/mypy

pytest: $(VENV)/.test-installed
	$(BIN)/python -m pytest -q

test: lint typecheck pytest

bench: $(VENV)/.test-installed
	$(BIN)/python -m bench.bench_store

clean:
	rm -rf $(VENV) $(DEMO_DATA) .mypy_cache .ruff_cache .pytest_cache
