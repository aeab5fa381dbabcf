# The two README commands (`make demo`, `make test`) and a few helpers.
# Each target creates .venv and installs the project with its extras when needed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast lab lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev,notebook]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/eventstudy run events.csv --source snapshot --out reports/meta

test: $(STAMP)
	MPLBACKEND=Agg $(BIN)/python -m pytest -q

test-fast: $(STAMP)
	MPLBACKEND=Agg $(BIN)/python -m pytest -q -m 'not slow and not network'

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

lint: $(STAMP)
	$(BIN)/ruff check eventstudy tests benchmarks
	$(BIN)/ruff format --check eventstudy tests benchmarks

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_scale.py

clean:
	rm -rf $(VENV) reports .pytest_cache .ruff_cache .hypothesis
