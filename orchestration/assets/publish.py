"""Publish the working warehouse over WAREHOUSE_PATH in one atomic rename.

The step runs only when every upstream step succeeded: the blocking GX checks on the extracted
tables and `dbt build` (a failing dbt test fails that step). A failure or a kill at any moment
before the rename leaves the published file exactly as it was; readers holding it open keep
reading the old file (the rename swaps the directory entry, not their open file) and new
connections see the new one, never a mix.
"""

import os
from pathlib import Path

import dagster as dg
import duckdb

from orchestration.lock import warehouse_lock
from orchestration.resources import PipelineSettings

WAREHOUSE = dg.AssetKey(["warehouse"])


def build_publish_asset(upstream: list[dg.AssetKey]) -> dg.AssetsDefinition:
    @dg.asset(key=WAREHOUSE, deps=upstream, group_name="publish", kinds={"duckdb"})
    def publish_warehouse(
        context: dg.AssetExecutionContext, pipeline: PipelineSettings
    ) -> dg.MaterializeResult:
        """The published DuckDB warehouse file (WAREHOUSE_PATH) that SQL users and BI tools read."""
        published = Path(pipeline.warehouse_path)
        with warehouse_lock(published):
            rows = publish(pipeline.working_path, published)
        context.log.info(f"published {published}")
        return dg.MaterializeResult(
            metadata={
                "path": dg.MetadataValue.path(str(published)),
                "bytes": os.path.getsize(published),
                "mart_rows": dg.MetadataValue.json(rows),
            }
        )

    return publish_warehouse


def publish(working: Path, published: Path) -> dict[str, int]:
    """Checkpoint the working file, make it durable, rename it over the published one."""
    with duckdb.connect(str(working)) as con:
        con.execute("checkpoint")  # everything in the main file, no WAL to carry along
        tables = con.execute(
            "select table_schema || '.' || table_name from information_schema.tables "
            "where table_schema = 'marts' order by 1"
        ).fetchall()
        rows = {name: con.execute(f"select count(*) from {name}").fetchone()[0] for (name,) in tables}  # noqa: S608
    with open(working, "rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(working, published)
    directory = os.open(published.parent, os.O_RDONLY)
    try:
        os.fsync(directory)  # the rename itself survives a power cut
    finally:
        os.close(directory)
    return rows
