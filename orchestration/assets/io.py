"""Writing extracted tables as Parquet, and the metadata every table asset reports."""

from __future__ import annotations

import os

import dagster as dg
import polars as pl

from orchestration.resources import PipelineSettings

PREVIEW_ROWS = 10


def write_table(pipeline: PipelineSettings, table: str, frame: pl.DataFrame) -> None:
    """Write atomically: a reader (dbt, a check) never sees a half-written file."""
    path = pipeline.table_path(table)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".parquet.partial")
    frame.write_parquet(partial)
    os.replace(partial, path)


def read_table(pipeline: PipelineSettings, table: str) -> pl.DataFrame:
    return pl.read_parquet(pipeline.table_path(table))


def table_metadata(frame: pl.DataFrame, rows: int | None = None) -> dict[str, dg.MetadataValue]:
    with pl.Config(
        tbl_formatting="MARKDOWN",
        tbl_hide_column_data_types=True,
        tbl_hide_dataframe_shape=True,
        tbl_rows=PREVIEW_ROWS,
        tbl_cols=-1,
        fmt_str_lengths=80,
    ):
        preview = str(frame.head(PREVIEW_ROWS)) if frame.height else "(empty)"
    return {
        "dagster/row_count": dg.MetadataValue.int(frame.height if rows is None else rows),
        "preview": dg.MetadataValue.md(preview),
    }
