"""Raw articles on disk -> the `articles` and `ingest_log` tables (Parquet)."""

from pathlib import Path

import dagster as dg
import polars as pl

from orchestration.assets.io import table_metadata, write_table
from orchestration.extract.articles import load_articles
from orchestration.lock import warehouse_lock
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
    """Read every article under ARTICLES_DIR; nothing is dropped without an ingest_log row."""
    with warehouse_lock(pipeline.warehouse_path):
        articles, log = load_articles(
            Path(pipeline.articles_dir), max_article_bytes=pipeline.max_article_bytes
        )
        write_table(pipeline, "articles", articles)
        write_table(pipeline, "ingest_log", log)
    status_counts = dict(log.group_by("status").len().sort("status").iter_rows())
    loaded = status_counts.get("loaded", 0) + status_counts.get("loaded_with_warning", 0)
    if loaded != articles.height:  # reconciliation: each loaded unit is exactly one article
        raise dg.Failure(f"ingest_log says {loaded} units loaded but {articles.height} articles were read")
    context.log.info(f"ingest: {status_counts}")
    yield dg.MaterializeResult(
        asset_key=ARTICLES,
        metadata={
            **table_metadata(articles),
            "published_date_basis": dg.MetadataValue.json(
                dict(articles.group_by("published_date_basis").len().sort("published_date_basis").iter_rows())
            ),
        },
    )
    yield dg.MaterializeResult(
        asset_key=INGEST_LOG,
        metadata={
            **table_metadata(log.filter(pl.col("status") != "loaded"), rows=log.height),
            "status_counts": dg.MetadataValue.json(status_counts),
        },
    )
