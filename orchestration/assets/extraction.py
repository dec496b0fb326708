"""Articles -> sentences, events, actors, event_actors, casualties, locations (Parquet parts).

Only articles that are new or changed since the last run are extracted (orchestration/extract/
batches.py); the parts of unchanged articles are kept. Each table asset's metadata says how many
articles were extracted and reused, and which parts are new: the GX checks validate those.
"""

import time

import dagster as dg
import polars as pl

from orchestration.assets.ingestion import ARTICLES
from orchestration.assets.io import scan_table, table_metadata
from orchestration.assets.parts import PartStore, extract_parts
from orchestration.extract.batches import (
    article_keys,
    extractor_version,
    manifest_rows,
    part_id,
    pending_articles,
    plan_batches,
    reusable_parts,
)
from orchestration.extract.pipeline import EXTRACTED_TABLES
from orchestration.lock import warehouse_lock
from orchestration.progress import Throttled
from orchestration.resources import PipelineSettings

DESCRIPTIONS = {
    "sentences": "One row per sentence of every article, with its block kind (headline, standfirst, "
    "body, subhead, embed) and character span.",
    "events": "One row per event found in an article (mentions in headline, body and later "
    "back-references merged), with type, date, place, casualty totals and the evidence sentence.",
    "actors": "One row per actor taking part in an event: states, named armed groups, and generic "
    "actors (civilians, unidentified armed groups) of the event's country (one row per actor and part).",
    "event_actors": "One row per event and actor role (actor1 who acted, actor2 the target), with the "
    "mention that names the actor.",
    "casualties": "One row per casualty figure stated in the text (killed, injured, missing, abducted, "
    "arrested), with victim group, low/best/high bounds, qualifier and claimant.",
    "locations": "One row per gazetteer location used by an event: country, first-level region or "
    "populated place, with coordinates (one row per location and part).",
}
KEYS = {table: dg.AssetKey(["extracted", table]) for table in EXTRACTED_TABLES}
# A bound on articles per part besides EXTRACT_BATCH_MB: many tiny articles still make small parts.
MAX_BATCH_ARTICLES = 20_000


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
    """Extract new and changed articles in parts (pure polars, several processes); keep the parts
    of unchanged articles."""
    with warehouse_lock(pipeline.warehouse_path):
        store = PartStore(pipeline.extract_dir)
        store.prepare()
        version = extractor_version()
        keys = article_keys(scan_table(pipeline, "articles"))
        reused = reusable_parts(store.read_manifest(), keys, version)
        batches = plan_batches(
            pending_articles(keys, reused),
            max_bytes=int(pipeline.extract_batch_mb * 1e6),
            max_articles=MAX_BATCH_ARTICLES,
        )
        work = [(part_id(batch, version), batch) for batch in batches]
        sizes = {part: batch.height for part, batch in work}
        to_extract, done = sum(sizes.values()), 0
        report = Throttled(context.log.info)
        report("extract", 0, to_extract, "articles", final=True)

        def written(part: str) -> None:
            nonlocal done
            done += sizes[part]
            report("extract", done, to_extract, "articles", final=done == to_extract)

        started = time.perf_counter()
        counts = extract_parts(
            store, pipeline.table_path("articles"), work, pipeline.extract_workers, on_written=written
        )
        new_rows = {table: sum(rows[table] for rows in counts.values()) for table in EXTRACTED_TABLES}
        seconds = time.perf_counter() - started
        added = [manifest_rows(batch, part, version) for (part, _), batch in zip(work, batches, strict=True)]
        store.write_manifest(pl.concat([reused, *added], how="vertical") if added else reused)
        store.remove_unlisted()
    new_parts = [part for part, _ in work]
    extracted = sum(batch.height for batch in batches)
    text_mb = sum(batch["text_bytes"].sum() for batch in batches) / 1e6
    context.log.info(
        f"extracted {extracted} new or changed articles ({text_mb:.2f} MB) in {len(work)} parts "
        f"in {seconds:.2f} s; reused {reused['part_id'].n_unique()} parts ({reused.height} articles)"
    )
    for table in EXTRACTED_TABLES:
        rows = store.scan(table).select(pl.len()).collect().item()
        metadata = table_metadata(store.scan(table).head(10).collect(), rows=rows)
        metadata |= {
            "new_rows": dg.MetadataValue.int(new_rows[table]),
            "new_parts": dg.MetadataValue.json(new_parts),
            "articles_extracted": dg.MetadataValue.int(extracted),
            "articles_reused": dg.MetadataValue.int(reused.height),
        }
        if table == "events":
            metadata["extraction_seconds"] = dg.MetadataValue.float(round(seconds, 3))
            metadata["articles"] = dg.MetadataValue.int(keys.height)
            metadata["extracted_mb"] = dg.MetadataValue.float(round(text_mb, 3))
        yield dg.MaterializeResult(asset_key=KEYS[table], metadata=metadata)
