# The verbs a user needs: run, test, ui, install (and clean). Everything installs itself on first use.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANIFEST := dbt_project/target/manifest.json
DBT_SOURCES := $(shell find dbt_project/models dbt_project/macros dbt_project/tests -type f 2>/dev/null) dbt_project/dbt_project.yml $(wildcard seeds/reference/*.csv seeds/reference/warehouse/*.csv)
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
	@$(BIN)/python -m orchestration.run $(if $(VERBOSE),--verbose)

# Lint first (ruff: lint rules and formatting), then the whole suite; CI runs exactly this.
test: install
	$(BIN)/ruff check --quiet .
	$(BIN)/ruff format --check --quiet .
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

# README's example of `make run`, rewritten from two real runs on the default corpus (a few minutes).
.PHONY: readme
readme: install
	$(BIN)/python -m orchestration.readme_example

# dbt docs of the published warehouse (read-only) in dbt_project/target/docs; SERVE=1 serves them
# on 127.0.0.1:8080. Dagster's manifest in dbt_project/target is left alone.
.PHONY: docs
docs: install
	$(BIN)/python -m orchestration.docs $(if $(SERVE),--serve)

# marts.acled_events as one file, read from the published warehouse (read-only):
# warehouse/export/acled_events.csv or .parquet (FORMAT=csv|parquet; OUT=dir to write elsewhere).
FORMAT ?= csv
.PHONY: export
export: install
	$(BIN)/python -m orchestration.export --format $(FORMAT) $(if $(OUT),--out $(OUT))

# --- BI (README, "BI") -------------------------------------------------------------------------
# `make report`: warehouse/report.html (or beside WAREHOUSE_PATH), self-contained, opens offline.
.PHONY: report
report: install
	$(BIN)/python -m orchestration.report

# `make bi`: Superset on http://127.0.0.1:8088 (user admin, password admin), in a venv of its own
# (.venv-bi, from bi/requirements.lock: its pins conflict with the main stack), state in
# warehouse/superset/. Builds the warehouse first if there is none. `make bi-reset` forgets Superset's
# state (its metadata DB) so the dashboards of bi/dashboards/ are imported afresh.
BI_VENV := .venv-bi
BI_STAMP := $(BI_VENV)/.installed
BI_WAREHOUSE = $(or $(WAREHOUSE_PATH),warehouse/events.duckdb)

.PHONY: bi bi-install bi-reset bi-chromium test-bi
bi-install: $(BI_STAMP)

$(BI_STAMP): bi/requirements.lock
	$(PYTHON) -m venv $(BI_VENV)
	$(BI_VENV)/bin/pip install --quiet --disable-pip-version-check -r bi/requirements.lock
	touch $(BI_STAMP)

bi: $(BI_STAMP)
	@test -f "$(BI_WAREHOUSE)" || $(MAKE) run
	$(BI_VENV)/bin/python bi/manage.py setup
	$(BI_VENV)/bin/python bi/manage.py serve

bi-reset:
	rm -rf warehouse/superset

# Headless Chromium for the BI test: Debian's chromium and chromium-driver (installed here as root).
bi-chromium:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; } || \
	  { echo "missing: chromium and chromedriver (Debian: apt-get install -y chromium chromium-driver)"; exit 1; }

# Starts Superset on a free port with its own state, imports the dashboards over a small test warehouse,
# checks every chart's data through Superset's API and renders both dashboards in headless Chromium.
test-bi: install $(BI_STAMP) bi-chromium
	NEWSEVENTS_BI_TEST=1 $(BIN)/python -m pytest -m bi tests/bi
