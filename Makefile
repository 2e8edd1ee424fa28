# Stratlas: every target bootstraps .venv from nothing (python3 -m venv + pip), then does its job.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.stratlas-installed

.PHONY: site test lint typecheck pytest serve bench clean setup

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

## make site: set up, validate the records (strict), build the site into site/
site: $(STAMP)
	$(BIN)/stratlas validate --strict records/

## make test: set up, then lint, type-check and run every test
test: lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check toolkit tests
	$(BIN)/ruff format --check toolkit tests

typecheck: $(STAMP)
	$(BIN)/mypy toolkit

pytest: $(STAMP)
	$(BIN)/pytest

clean:
	rm -rf $(VENV) site docs/generated .pytest_cache .mypy_cache .ruff_cache
