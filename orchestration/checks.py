"""Great Expectations suites (expectations/) as blocking Dagster asset checks, one per extracted table.

The articles check validates the articles that are new or changed since they were last extracted.
A check on an extracted table validates the rows its latest materialisation wrote: the parts listed
in its `new_parts` metadata (parts are immutable and content-addressed, so a reused part was
validated when it was written). A failed check stops the run before dbt reads the table, and its metadata
lists the failing expectations with examples of the offending values, so the UI shows what was wrong.
"""

import dagster as dg
import polars as pl

from expectations import BLOCKING, SUITES, validate
from orchestration.assets.io import read_table
from orchestration.assets.parts import PartStore
from orchestration.extract.batches import article_keys, extractor_version
from orchestration.extract.pipeline import EXTRACTED_TABLES
from orchestration.resources import PipelineSettings


def _new_parts(context: dg.AssetCheckExecutionContext, key: dg.AssetKey) -> list[str] | None:
    """The parts the latest materialisation wrote; None (validate everything) if it did not say."""
    event = context.instance.get_latest_materialization_event(key)
    materialization = event.asset_materialization if event else None
    entry = materialization.metadata.get("new_parts") if materialization else None
    return list(entry.value) if entry is not None else None


def _articles_not_yet_validated(pipeline: PipelineSettings) -> pl.DataFrame:
    """Articles not in a part of the current extractor under their current content: an article in
    such a part passed this check (and these suites) before it was extracted, as the check blocks
    extraction, and is unchanged since."""
    articles = read_table(pipeline, "articles")
    extracted = (
        PartStore(pipeline.extract_dir)
        .read_manifest()
        .filter(pl.col("extractor_version") == extractor_version())
        .select("article_id", "article_key")
    )
    return articles.join(
        article_keys(articles)
        .select("article_id", "article_key")
        .join(extracted, on=["article_id", "article_key"], how="semi"),
        on="article_id",
        how="anti",
        maintain_order="left",
    )


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
            parts = _new_parts(context, key)
            frame = PartStore(pipeline.extract_dir).scan(table, parts).collect()
        else:  # written whole by ingestion
            parts, frame = None, _articles_not_yet_validated(pipeline)
        outcome = validate(table, frame)
        return dg.AssetCheckResult(
            passed=outcome.success,
            severity=dg.AssetCheckSeverity.ERROR,
            metadata={
                "rows_validated": frame.height,
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
