"""dbt models the extracted tables into the dimensional warehouse; its tests become asset checks.

dbt builds into a working file that starts as a copy of the published warehouse, so the staging
models (incremental, keyed by extraction part) only read the parts that are new since the last
run. When the dbt project (or dbt, or DuckDB) changed since the published file was built, the
working file starts empty and everything is built afresh.
"""

import contextlib
import hashlib
import os
import re
import shutil
from collections.abc import Iterator, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets
from dagster_dbt.core.dbt_event_iterator import DbtEventIterator

from orchestration.lock import warehouse_lock
from orchestration.progress import Throttled
from orchestration.resources import PipelineSettings
from orchestration.settings import DBT_PROJECT_DIR, REPO_ROOT

BUILD_INFO = "meta.build_info"


def dbt_fingerprint() -> str:
    """A hash of everything that shapes the warehouse's tables besides the extracted data."""
    digest = hashlib.sha256()
    files = [
        *sorted(
            p
            for folder in ("models", "macros", "tests")
            for p in (DBT_PROJECT_DIR / folder).rglob("*")
            if p.is_file()
        ),
        DBT_PROJECT_DIR / "dbt_project.yml",
        DBT_PROJECT_DIR / "profiles.yml",
        *sorted((REPO_ROOT / "seeds" / "reference").rglob("*.csv")),  # warehouse/ sub-folder too
    ]
    for path in files:
        digest.update(str(path.relative_to(REPO_ROOT)).encode())
        digest.update(path.read_bytes())
    for package in ("dbt-core", "dbt-duckdb", "duckdb"):
        digest.update(f"{package}={metadata.version(package)}".encode())
    return digest.hexdigest()[:16]


def published_fingerprint(published: Path) -> str | None:
    """The dbt fingerprint the published warehouse was built with (None: none, or unreadable)."""
    if not published.exists():
        return None
    try:
        with duckdb.connect(str(published), read_only=True) as con:
            row = con.execute(f"select dbt_fingerprint from {BUILD_INFO}").fetchone()  # noqa: S608
    except duckdb.Error:
        return None
    return row[0] if row else None


def start_working_file(published: Path, working: Path, fingerprint: str) -> bool:
    """Seed the working file from the published one when it was built by the same dbt project;
    returns whether it did (else dbt starts from an empty file: a full build)."""
    for leftover in (working, Path(f"{working}.wal")):
        leftover.unlink(missing_ok=True)  # a crashed earlier run may have left one behind
    working.parent.mkdir(parents=True, exist_ok=True)
    if published_fingerprint(published) != fingerprint:
        return False
    partial = working.with_name(working.name + ".copying")
    shutil.copyfile(published, partial)
    os.replace(partial, working)
    return True


def record_fingerprint(working: Path, fingerprint: str) -> None:
    with duckdb.connect(str(working)) as con:
        con.execute("create schema if not exists meta")
        con.execute(
            f"create or replace table {BUILD_INFO} as select ?::varchar as dbt_fingerprint", [fingerprint]
        )


class WarehouseTranslator(DagsterDbtTranslator):
    """Groups dbt assets by layer and describes every dbt test in the UI.

    A model's group is its top-level folder under models/ (staging, intermediate, marts), so a new
    model joins its layer's group without a change here; other nodes (the seeds, in whatever
    sub-folder of seeds/reference/) are grouped by their schema (reference). A test without a description of its own is described from
    its kind and arguments (dagster-dbt would show "No description provided").
    """

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return group_name(dbt_resource_props)

    def get_asset_check_spec(self, asset_spec, manifest, unique_id, project):
        spec = super().get_asset_check_spec(asset_spec, manifest, unique_id, project)
        if spec is None or spec.description:
            return spec
        return spec._replace(description=check_description(manifest["nodes"][unique_id]))


def group_name(props: Mapping[str, Any]) -> str | None:
    fqn = props.get("fqn", [])
    if props.get("resource_type", "model") == "model" and len(fqn) > 2:  # project, folder, ..., name
        return fqn[1]
    return props.get("config", {}).get("schema")


def _ref_name(ref: str) -> str:
    match = re.search(r"(?:ref|source)\(([^)]*)\)", ref)
    return match.group(1).replace("'", "").replace('"', "").split(",")[-1].strip() if match else ref


def check_description(test: Mapping[str, Any]) -> str:
    """The test's own description (dbt 1.11 `description:` on a data test, or `meta.description`),
    else one read from its kind and arguments."""
    own = test.get("description") or test.get("meta", {}).get("description")
    if own:
        return own
    kind = (test.get("test_metadata") or {}).get("name", "")
    kwargs = (test.get("test_metadata") or {}).get("kwargs", {})
    column = kwargs.get("column_name")
    if kind == "unique" and column:
        return f"No two rows share a `{column}`."
    if kind == "not_null" and column:
        return f"`{column}` is never null."
    if kind == "relationships" and column:
        return (
            f"Every non-null `{column}` is a `{kwargs.get('field')}` of `{_ref_name(kwargs.get('to', ''))}`."
        )
    if kind == "accepted_values" and column:
        return f"`{column}` is one of: {', '.join(map(str, kwargs.get('values', [])))}."
    if kind == "unique_combination_of_columns":
        return f"No two rows share the same ({', '.join(kwargs.get('combination_of_columns', []))})."
    arguments = ", ".join(f"{k}={v}" for k, v in kwargs.items() if k != "model")
    return f"dbt test `{kind or test.get('name')}`" + (f" ({arguments})." if arguments else ".")


def build_dbt_assets(project: DbtProject) -> dg.AssetsDefinition:
    @dbt_assets(
        manifest=project.manifest_path,
        project=project,
        name="warehouse_models",
        dagster_dbt_translator=WarehouseTranslator(),
    )
    def warehouse_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, pipeline: PipelineSettings):
        """`dbt build` into the working file: seeds, staging (incremental), intermediate and mart
        models, and every dbt test. The published warehouse is untouched until the publish step."""
        with warehouse_lock(pipeline.warehouse_path):
            fingerprint = dbt_fingerprint()
            incremental = start_working_file(
                Path(pipeline.warehouse_path), pipeline.working_path, fingerprint
            )
            context.log.info(
                "dbt builds incrementally on a copy of the published warehouse"
                if incremental
                else "dbt builds from scratch (no published warehouse of this dbt project)"
            )
            # profiles.yml and the sources read these; dbt is a subprocess and inherits them.
            os.environ.update(pipeline.dbt_env())
            # One fixed target folder (runs hold the writer lock), not one new folder per run.
            invocation = dbt.cli(["build"], context=context, target_path=Path("target") / "run")
            nodes = len(context.selected_asset_keys) + len(context.selected_asset_check_keys)
            events = _reporting_progress(invocation.stream(), Throttled(context.log.info), nodes)
            # Row counts for the UI. On DuckDB dagster-dbt holds the events back until dbt exits (its
            # file lock), so progress is reported from the stream beneath, as dbt finishes each node.
            try:
                yield from DbtEventIterator(events, invocation).fetch_row_counts()
            finally:
                _close_dbt_connections()
            record_fingerprint(pipeline.working_path, fingerprint)

    return warehouse_models


def _close_dbt_connections() -> None:
    """Close the DuckDB connection dagster-dbt's in-process adapter opened to count rows: until it
    is closed, this process cannot open the working file again (to record the fingerprint, to
    publish) with another configuration."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    with contextlib.suppress(Exception):  # no environment: nothing was opened
        DuckDBConnectionManager.env().close()
    DuckDBConnectionManager.close_all_connections()


def _reporting_progress(events: Iterator, report: Throttled, nodes: int) -> Iterator:
    """The dbt events, reporting progress as each model, seed or test finishes."""
    done = 0
    report("dbt", 0, nodes, "nodes", final=True)
    for event in events:
        if isinstance(
            event, dg.Output | dg.AssetMaterialization | dg.AssetCheckResult | dg.AssetCheckEvaluation
        ):
            done = min(done + 1, nodes)
            report("dbt", done, nodes, "nodes")
        yield event
    report("dbt", done, nodes, "nodes", final=True)
