"""The Definitions object: what the UI shows (assets, lineage, checks), without running anything."""

from __future__ import annotations

import json

import dagster as dg

from orchestration.definitions import BUILD_JOB, build_definitions
from orchestration.settings import DBT_PROJECT_DIR, Settings

EXTRACTED = [
    "actors",
    "articles",
    "casualties",
    "event_actors",
    "events",
    "ingest_log",
    "locations",
    "sentences",
]
MARTS = [
    "acled_events",
    "agg_actor_dyads",
    "agg_events_country_day",
    "bridge_event_actors",
    "dim_actors",
    "dim_articles",
    "dim_dates",
    "dim_event_types",
    "dim_locations",
    "fct_casualties",
    "fct_events",
    "ingest_log",
    "map_events",
]
PLAUSIBILITY_CHECKS = [
    "plausible_actor_types_for_event_type",
    "plausible_event_date_not_after_publication",
    "plausible_location_in_country",
    "plausible_toll_below_ceiling",
    "plausible_toll_not_rate_or_period_total",
]


def _graph(tmp_path):
    settings = Settings.from_env(
        {"ARTICLES_DIR": str(tmp_path), "WAREHOUSE_PATH": str(tmp_path / "w.duckdb")}
    )
    defs = build_definitions(settings)
    return defs, defs.get_repository_def().asset_graph


def test_asset_keys_cover_extraction_and_every_mart(tmp_path):
    _, graph = _graph(tmp_path)
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    assert {f"extracted/{t}" for t in EXTRACTED} <= keys
    assert {f"marts/{m}" for m in MARTS} <= keys
    assert "reference/event_types" in keys
    assert graph.get(dg.AssetKey(["report"])).parent_keys == {dg.AssetKey(["warehouse"])}


def test_dbt_staging_models_read_the_extracted_assets(tmp_path):
    _, graph = _graph(tmp_path)
    for table in ["articles", "events", "casualties", "actors", "event_actors", "locations", "ingest_log"]:
        staging = dg.AssetKey(["staging", f"stg_extracted__{table}"])
        assert dg.AssetKey(["extracted", table]) in graph.get(staging).parent_keys, table


def test_checks_gx_on_extracted_tables_and_dbt_tests_on_marts(tmp_path):
    _, graph = _graph(tmp_path)
    checks = {(key.asset_key.to_user_string(), key.name) for key in graph.asset_check_keys}
    gx = {
        (f"extracted/{t}", f"gx_{t}")
        for t in ["articles", "events", "actors", "event_actors", "casualties", "locations"]
    }
    assert gx <= checks
    assert ("marts/fct_events", "unique_fct_events_event_id") in checks
    assert ("marts/fct_events", "relationships_fct_events_actor1_id__actor_id__ref_dim_actors_") in checks
    assert {("marts/acled_events", name) for name in PLAUSIBILITY_CHECKS} <= checks


def test_plausibility_checks_warn_and_keep_their_failing_rows():
    # Severity warn: `make run` goes on and publishes (a human decides); the flagged rows are kept
    # in schema plausibility. Every other dbt test stays an error.
    manifest = json.loads((DBT_PROJECT_DIR / "target" / "manifest.json").read_text(encoding="utf-8"))
    tests = {n["name"]: n["config"] for n in manifest["nodes"].values() if n["resource_type"] == "test"}
    for name in PLAUSIBILITY_CHECKS:
        assert tests[name]["severity"].lower() == "warn", name
        assert tests[name]["store_failures"] and tests[name]["schema"] == "plausibility", name
    assert {n for n, c in tests.items() if c["severity"].lower() == "warn"} == set(PLAUSIBILITY_CHECKS)


def test_build_job_selects_everything(tmp_path):
    defs, graph = _graph(tmp_path)
    job = defs.resolve_job_def(BUILD_JOB)
    assert set(job.asset_layer.selected_asset_keys) == set(graph.get_all_asset_keys()) - {
        key for key in graph.get_all_asset_keys() if graph.get(key).is_external
    }


def test_assets_are_grouped_by_layer(tmp_path):
    _, graph = _graph(tmp_path)
    group = {key.to_user_string(): graph.get(key).group_name for key in graph.get_all_asset_keys()}
    assert {group[f"extracted/{t}"] for t in ["articles", "ingest_log"]} == {"ingestion"}
    assert {group[f"extracted/{t}"] for t in EXTRACTED if t not in ("articles", "ingest_log")} == {
        "extraction"
    }
    assert group["staging/stg_extracted__events"] == "staging"
    assert group["intermediate/int_dates_spined"] == "intermediate"
    assert {group[f"marts/{m}"] for m in MARTS} == {"marts"}
    assert group["reference/event_types"] == "reference"
    assert group["warehouse"] == "publish"
    assert set(group.values()) <= {
        "ingestion",
        "extraction",
        "linking",
        "reference",
        "staging",
        "intermediate",
        "marts",
        "publish",
    }


def test_every_dbt_test_has_a_description(tmp_path):
    _, graph = _graph(tmp_path)
    specs = {
        (spec.asset_key.to_user_string(), spec.name): spec
        for assets in graph.assets_defs
        for spec in assets.check_specs
    }
    assert all(spec.description for spec in specs.values()), [
        k for k, s in specs.items() if not s.description
    ]
    assert specs[("marts/fct_events", "unique_fct_events_event_id")].description == (
        "No two rows share a `event_id`."
    )
    assert (
        specs[
            ("marts/fct_events", "relationships_fct_events_actor1_id__actor_id__ref_dim_actors_")
        ].description
        == "Every non-null `actor1_id` is a `actor_id` of `dim_actors`."
    )


def test_runs_execute_in_one_process(tmp_path):
    defs, _ = _graph(tmp_path)
    assert defs.resolve_job_def(BUILD_JOB).executor_def is dg.in_process_executor
    assert defs.resolve_implicit_global_asset_job_def().executor_def is dg.in_process_executor
