# The verbs a user needs: run, test, ui, install (and clean). Everything installs itself on first use.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANIFEST := dbt_project/target/manifest.json
DBT_SOURCES := $(shell find dbt_project/models dbt_project/macros dbt_project/tests -type f 2>/dev/null) dbt_project/dbt_project.yml $(wildcard seeds/reference/*.csv)
UI_HOST ?= 127.0.0.1
UI_PORT ?= 3000

# Dagster's run history lives in the repo (git-ignored); no telemetry from Dagster, dbt or GX.
export DAGSTER_HOME := $(CURDIR)/dagster_home
export DAGSTER_DISABLE_TELEMETRY := 1
export DO_NOT_TRACK := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export GX_ANALYTICS_ENABLED := false

.PHONY: install run test ui clean

install: $(STAMP) $(MANIFEST)

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

# dagster-dbt reads the manifest when Definitions load; parsing here keeps dbt parse off the run path.
$(MANIFEST): $(STAMP) $(DBT_SOURCES)
	cd dbt_project && ../$(BIN)/dbt parse --quiet --profiles-dir .

run: install
	$(BIN)/python -m orchestration.run

test: install
	$(BIN)/python -m pytest

ui: install
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/dg dev --host $(UI_HOST) --port $(UI_PORT)

clean:
	rm -rf warehouse/events.duckdb warehouse/extracted dbt_project/target dbt_project/logs
