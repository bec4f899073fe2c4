# Everything sets itself up from python3, pip and make: the venv is created on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install test lint typecheck pytest demo bench bench-smoke run clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest -q -n auto

test: lint typecheck pytest

demo: $(STAMP)
	$(BIN)/python -m demo

# Measured speed and scale, appended to docs/benchmarks.md (minutes; not part of `test`).
bench: $(STAMP)
	$(BIN)/python -m bench

# The same scripts with tiny sizes, recording nothing: checks that they still run.
bench-smoke: $(STAMP)
	$(BIN)/python -m bench --smoke

run: $(STAMP)
	$(BIN)/python -m bot run

clean:
	rm -rf $(VENV) demo-output .pytest_cache .mypy_cache .ruff_cache
