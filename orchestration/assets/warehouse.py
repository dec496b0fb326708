"""dbt models the extracted tables into the dimensional warehouse; its tests become asset checks.

dbt builds into a working file that starts as a copy of the published warehouse, so the staging
models (incremental, keyed by extraction part) only read the parts that are new since the last
run. When the dbt project (or dbt, or DuckDB) changed since the published file was built, the
working file starts empty and everything is built afresh.
"""

import hashlib
import os
import shutil
from importlib import metadata
from pathlib import Path

import dagster as dg
import duckdb
from dagster_dbt import DbtCliResource, DbtProject, dbt_assets

from orchestration.lock import warehouse_lock
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


def build_dbt_assets(project: DbtProject) -> dg.AssetsDefinition:
    @dbt_assets(manifest=project.manifest_path, project=project, name="warehouse_models")
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
            yield from dbt.cli(["build"], context=context, target_path=Path("target") / "run").stream()
            record_fingerprint(pipeline.working_path, fingerprint)

    return warehouse_models
