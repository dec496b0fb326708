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

# Score the pipeline against a gold folder (../shared/eval/acled_dev or ../shared/eval/muc4_dev):
# metrics.json and mistakes.csv go to warehouse/evaluation/<folder name>/ (or OUT=dir).
.PHONY: evaluate
evaluate: install
	@test -n "$(DATASET)" || { echo "usage: make evaluate DATASET=../shared/eval/acled_dev [OUT=dir]"; exit 2; }
	$(BIN)/python -m orchestration.evaluation $(DATASET) $(if $(OUT),--out $(OUT))

# The benchmark (README, "Benchmark"): per-stage seconds, throughput and peak RSS at each size of
# SIZES, the start-up cost and a +1% re-run; a table here, bench.json and bench.png in warehouse/bench/.
SIZES ?= 1000,10000,100000
.PHONY: bench
bench: install
	$(BIN)/python -m bench --sizes $(SIZES)

# --- BI (README, "BI") -------------------------------------------------------------------------
# `make report`: warehouse/report.html (or beside WAREHOUSE_PATH), self-contained, opens offline.
.PHONY: report
report: install
	$(BIN)/python -m orchestration.report
