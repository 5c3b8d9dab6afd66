# One command each: `make run` (set up + yearly refresh on the demo municipality),
# `make test`, `make ui`. The virtual environment is created and installed on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run run-small test test-unit lint ui demo clean system-deps bench

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e ".[test]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/boligmonitor run

run-small: $(STAMP)
	$(BIN)/boligmonitor run --small

test: $(STAMP) system-deps lint
	$(BIN)/python -m pytest

# the quick loop while editing Python: pure-Python tests only, no dbt, CLI or refresh
test-unit: $(STAMP)
	$(BIN)/python -m pytest -m unit

# ruff on the Python (pyproject.toml [tool.ruff]), sqlfluff on the dbt SQL (.sqlfluff)
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/sqlfluff lint --processes 2 dbt_project/models dbt_project/macros

ui: $(STAMP)
	$(BIN)/boligmonitor prepare
	mkdir -p var/dagster_home
	cp -n orchestration/dagster.yaml var/dagster_home/dagster.yaml
	DAGSTER_HOME=$(CURDIR)/var/dagster_home $(BIN)/dagster dev -w workspace.yaml

# Only the demo municipality's extracts (python -m demo skips a folder that is current).
demo: $(STAMP)
	$(BIN)/python -m demo var/demo/extracts

# Measure the refresh (Randers and national scale) and rewrite docs/performance.md.
bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf var dbt_project/target

# The tests start a real PostgreSQL server and render the annex in headless Chromium (Debian
# packages). Installed only when missing; CI runs as root on a clean machine.
system-deps:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || ! command -v chromium >/dev/null 2>&1; then \
		echo "installing postgresql and chromium (Debian packages) ..."; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		for try in 1 2 3 4 5; do $$SUDO apt-get update -qq -o DPkg::Lock::Timeout=600 && break; sleep 15; done; \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends \
			-o DPkg::Lock::Timeout=600 postgresql chromium fonts-dejavu-core; \
	fi
