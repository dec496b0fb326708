"""Writing extracted tables as Parquet, and the metadata every table asset reports."""

from __future__ import annotations

import os
from pathlib import Path
from types import TracebackType

import dagster as dg
import polars as pl
import pyarrow.parquet as pq

from orchestration.resources import PipelineSettings

PREVIEW_ROWS = 10


class ChunkedTableWriter:
    """Write a table chunk by chunk into one Parquet file (a row group per chunk), so the whole table
    never sits in memory; the file appears atomically when the block ends without an error."""

    def __init__(self, pipeline: PipelineSettings, table: str) -> None:
        self.path = pipeline.table_path(table)
        self.partial = self.path.with_suffix(".parquet.partial")
        self.rows = 0
        self._writer: pq.ParquetWriter | None = None
        self._empty: pl.DataFrame | None = None

    def write(self, frame: pl.DataFrame) -> None:
        if self._empty is None:
            self._empty = frame.clear()
        if frame.height == 0:
            return
        arrow = frame.to_arrow()
        if self._writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._writer = pq.ParquetWriter(self.partial, arrow.schema, compression="zstd")
        self._writer.write_table(arrow.cast(self._writer.schema))
        self.rows += frame.height

    def __enter__(self) -> ChunkedTableWriter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._writer is not None:
            self._writer.close()
        if kind is not None:
            Path(self.partial).unlink(missing_ok=True)
            return
        if self._writer is None:  # no rows: an empty file with the table's schema
            if self._empty is None:
                raise ValueError(f"nothing was written to {self.path.name}, not even an empty chunk")
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._empty.write_parquet(self.partial)
        os.replace(self.partial, self.path)


def scan_table(pipeline: PipelineSettings, table: str) -> pl.LazyFrame:
    return pl.scan_parquet(pipeline.table_path(table))


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
