"""Raw articles on disk -> the `articles` and `ingest_log` tables (Parquet)."""

from collections import Counter
from pathlib import Path

import dagster as dg
import polars as pl

from orchestration.assets.io import PREVIEW_ROWS, ChunkedTableWriter, table_metadata
from orchestration.extract.articles import iter_articles
from orchestration.lock import warehouse_lock
from orchestration.progress import Throttled
from orchestration.resources import PipelineSettings

ARTICLES = dg.AssetKey(["extracted", "articles"])
INGEST_LOG = dg.AssetKey(["extracted", "ingest_log"])


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            ARTICLES,
            description="One row per article read from ARTICLES_DIR (.txt files and JSONL lines), "
            "with its text, title and publication date (and how that date was found).",
            group_name="ingestion",
            kinds={"polars", "parquet"},
        ),
        dg.AssetSpec(
            INGEST_LOG,
            description="One row per input unit (file, or JSONL line): loaded, loaded_with_warning, "
            "duplicate or rejected, with the reason. Every unit appears exactly once.",
            group_name="ingestion",
            kinds={"polars", "parquet"},
        ),
    ],
)
def raw_articles(context: dg.AssetExecutionContext, pipeline: PipelineSettings):
    """Read every article under ARTICLES_DIR; nothing is dropped without an ingest_log row. Articles
    are read and written in chunks, so memory does not grow with the corpus's text."""
    status_counts: Counter[str] = Counter()
    date_bases: Counter[str] = Counter()
    preview, log_preview = None, None
    report = Throttled(context.log.info)
    with warehouse_lock(pipeline.warehouse_path):
        with (
            ChunkedTableWriter(pipeline, "articles") as articles_out,
            ChunkedTableWriter(pipeline, "ingest_log") as log_out,
        ):
            for articles, log in iter_articles(
                Path(pipeline.articles_dir), max_article_bytes=pipeline.max_article_bytes
            ):
                articles_out.write(articles)
                log_out.write(log)
                report("ingest", log_out.rows, None, "units")
                status_counts.update(dict(log.group_by("status").len().iter_rows()))
                date_bases.update(dict(articles.group_by("published_date_basis").len().iter_rows()))
                if preview is None or preview.height == 0:
                    preview = articles.head(PREVIEW_ROWS)
                unusual = log.filter(pl.col("status") != "loaded").head(PREVIEW_ROWS)
                if log_preview is None or log_preview.height < PREVIEW_ROWS:
                    log_preview = unusual if log_preview is None else pl.concat([log_preview, unusual])
    loaded = status_counts["loaded"] + status_counts["loaded_with_warning"]
    if loaded != articles_out.rows:  # reconciliation: each loaded unit is exactly one article
        raise dg.Failure(
            f"ingest_log says {loaded} units loaded but {articles_out.rows} articles were written"
        )
    report("ingest", log_out.rows, log_out.rows, "units", final=True)
    context.log.info(f"ingest: {dict(sorted(status_counts.items()))}")
    yield dg.MaterializeResult(
        asset_key=ARTICLES,
        metadata={
            **table_metadata(preview, rows=articles_out.rows),
            "published_date_basis": dg.MetadataValue.json(dict(sorted(date_bases.items()))),
        },
    )
    yield dg.MaterializeResult(
        asset_key=INGEST_LOG,
        metadata={
            **table_metadata(log_preview, rows=log_out.rows),
            "status_counts": dg.MetadataValue.json(dict(sorted(status_counts.items()))),
        },
    )
