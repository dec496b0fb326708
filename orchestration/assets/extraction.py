"""Articles -> sentences, events, actors, event_actors, casualties, locations (Parquet)."""

import time

import dagster as dg

from orchestration.assets.ingestion import ARTICLES
from orchestration.assets.io import read_table, table_metadata, write_table
from orchestration.extract.pipeline import EXTRACTED_TABLES, extract
from orchestration.lock import warehouse_lock
from orchestration.resources import PipelineSettings

DESCRIPTIONS = {
    "sentences": "One row per sentence of every article, with its block kind (headline, standfirst, "
    "body, subhead, embed) and character span.",
    "events": "One row per event found in an article (mentions in headline, body and later "
    "back-references merged), with type, date, place, casualty totals and the evidence sentence.",
    "actors": "One row per actor taking part in an event: states, named armed groups, and generic "
    "actors (civilians, unidentified armed groups) of the event's country.",
    "event_actors": "One row per event and actor role (actor1 who acted, actor2 the target), with the "
    "mention that names the actor.",
    "casualties": "One row per casualty figure stated in the text (killed, injured, missing, abducted, "
    "arrested), with victim group, low/best/high bounds, qualifier and claimant.",
    "locations": "One row per gazetteer location used by an event: country, first-level region or "
    "populated place, with coordinates.",
}
KEYS = {table: dg.AssetKey(["extracted", table]) for table in EXTRACTED_TABLES}


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            KEYS[t],
            description=DESCRIPTIONS[t],
            deps=[ARTICLES],
            group_name="extraction",
            kinds={"polars", "parquet"},
        )
        for t in EXTRACTED_TABLES
    ],
)
def extracted_tables(context: dg.AssetExecutionContext, pipeline: PipelineSettings):
    """Run the pure polars extraction over all articles and write one Parquet file per table."""
    with warehouse_lock(pipeline.warehouse_path):
        articles = read_table(pipeline, "articles")
        started = time.perf_counter()
        tables = extract(articles)
        seconds = time.perf_counter() - started
        for table in EXTRACTED_TABLES:
            write_table(pipeline, table, tables[table])
    text_mb = articles["text"].str.len_bytes().sum() / 1e6 if articles.height else 0.0
    context.log.info(f"extracted {articles.height} articles ({text_mb:.2f} MB) in {seconds:.2f} s")
    for table in EXTRACTED_TABLES:
        metadata = table_metadata(tables[table])
        if table == "events":
            metadata["extraction_seconds"] = dg.MetadataValue.float(round(seconds, 3))
            metadata["articles"] = dg.MetadataValue.int(articles.height)
        yield dg.MaterializeResult(asset_key=KEYS[table], metadata=metadata)
