# One command each: `make run` (set up + yearly refresh on the demo municipality),
# `make test`, `make ui`. The virtual environment is created and installed on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run run-small test ui demo clean bench

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e ".[test]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/boligmonitor run

run-small: $(STAMP)
	$(BIN)/boligmonitor run --small

test: $(STAMP)
	$(BIN)/python -m pytest

ui: $(STAMP)
	$(BIN)/boligmonitor prepare
	mkdir -p var/dagster_home
	DAGSTER_HOME=$(CURDIR)/var/dagster_home $(BIN)/dagster dev -w workspace.yaml

# Measure the refresh (Randers and national scale) and rewrite docs/performance.md.
bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf var exports/published dbt_project/target
