"""Great Expectations suites (expectations/) as blocking Dagster asset checks, one per extracted table.

The articles check validates the articles that are new or changed since they were last extracted.
A check on an extracted table validates the rows its latest materialisation wrote: the parts listed
in its `new_parts` metadata (parts are immutable and content-addressed, so a reused part was
validated when it was written). A failed check stops the run before dbt reads the table, and its metadata
lists the failing expectations with examples of the offending values, so the UI shows what was wrong.
Both are validated in chunks (a few parts, or ~50 MB of articles, at a time) whose outcomes are
combined, so the checks' memory does not grow with the corpus.
"""

from collections.abc import Iterator

import dagster as dg
import polars as pl

from expectations import BLOCKING, SUITES, ValidationOutcome, combine, validate
from orchestration.assets.io import scan_table
from orchestration.assets.parts import PartStore, read_batch
from orchestration.extract.batches import article_keys, extractor_version, plan_batches
from orchestration.extract.pipeline import EXTRACTED_TABLES
from orchestration.resources import PipelineSettings

# GX validates pandas copies of these chunks, so a chunk bounds the checks' memory, not the corpus.
VALIDATION_CHUNK_BYTES = 50_000_000
VALIDATION_CHUNK_ROWS = 100_000
VALIDATION_CHUNK_PARTS = 25


def _new_parts(context: dg.AssetCheckExecutionContext, key: dg.AssetKey) -> list[str] | None:
    """The parts the latest materialisation wrote; None (validate everything) if it did not say."""
    event = context.instance.get_latest_materialization_event(key)
    materialization = event.asset_materialization if event else None
    entry = materialization.metadata.get("new_parts") if materialization else None
    return list(entry.value) if entry is not None else None


def _articles_not_yet_validated(pipeline: PipelineSettings) -> Iterator[pl.DataFrame]:
    """Articles not in a part of the current extractor under their current content, in chunks: an
    article in such a part passed this check (and these suites) before it was extracted, as the check
    blocks extraction, and is unchanged since."""
    keys = article_keys(scan_table(pipeline, "articles"))
    extracted = (
        PartStore(pipeline.extract_dir)
        .read_manifest()
        .filter(pl.col("extractor_version") == extractor_version())
        .select("article_id", "article_key")
    )
    todo = keys.join(extracted, on=["article_id", "article_key"], how="anti", maintain_order="left")
    batches = plan_batches(todo, max_bytes=VALIDATION_CHUNK_BYTES, max_articles=VALIDATION_CHUNK_ROWS)
    if not batches:
        yield pl.read_parquet(pipeline.table_path("articles"), n_rows=0)
    for batch in batches:
        yield read_batch(pipeline.table_path("articles"), batch)


def _part_rows(store: PartStore, table: str, parts: list[str]) -> Iterator[pl.DataFrame]:
    """A table's rows in the given parts, a few parts at a time."""
    if not parts:
        yield store.scan(table, []).collect()
    for start in range(0, len(parts), VALIDATION_CHUNK_PARTS):
        yield store.scan(table, parts[start : start + VALIDATION_CHUNK_PARTS]).collect()


def _validate_in_chunks(table: str, frames: Iterator[pl.DataFrame]) -> ValidationOutcome:
    return combine([validate(table, frame) for frame in frames])


def _check_for(table: str) -> dg.AssetChecksDefinition:
    key = dg.AssetKey(["extracted", table])

    @dg.asset_check(
        asset=key,
        name=f"gx_{table}",
        description=f"Great Expectations suite extracted_{table} on the rows of the parts the latest "
        "materialisation wrote.",
        blocking=table in BLOCKING,
    )
    def _check(context: dg.AssetCheckExecutionContext, pipeline: PipelineSettings) -> dg.AssetCheckResult:
        if table in EXTRACTED_TABLES:
            store = PartStore(pipeline.extract_dir)
            parts = _new_parts(context, key)
            listed = (
                parts if parts is not None else store.read_manifest()["part_id"].unique().sort().to_list()
            )
            outcome = _validate_in_chunks(table, _part_rows(store, table, listed))
        else:  # written whole by ingestion
            parts = None
            outcome = _validate_in_chunks(table, _articles_not_yet_validated(pipeline))
        return dg.AssetCheckResult(
            passed=outcome.success,
            severity=dg.AssetCheckSeverity.ERROR,
            metadata={
                "rows_validated": outcome.statistics["rows"],
                "chunks_validated": outcome.statistics.get("chunks", 1),
                "parts_validated": dg.MetadataValue.json(parts if parts is not None else "all"),
                "expectations_evaluated": outcome.evaluated,
                "expectations_failed": len(outcome.failed),
                "failed_expectations": dg.MetadataValue.json(outcome.failed),
                "statistics": dg.MetadataValue.json(outcome.statistics),
            },
        )

    return _check


def gx_checks() -> list[dg.AssetChecksDefinition]:
    return [_check_for(table) for table in SUITES]
