"""Reports of one incident across articles, linked by Splink (orchestration/link/), as Parquet that
dbt reads as the sources `extracted.incident_links` and `extracted.incident_link_pairs`."""

import dagster as dg

from orchestration.assets.extraction import KEYS
from orchestration.assets.ingestion import ARTICLES
from orchestration.assets.io import scan_table, table_metadata
from orchestration.assets.parts import PartStore, _write_atomically
from orchestration.extract import reference
from orchestration.link import link
from orchestration.lock import warehouse_lock
from orchestration.resources import PipelineSettings

INCIDENT_LINKS = dg.AssetKey(["extracted", "incident_links"])
INCIDENT_LINK_PAIRS = dg.AssetKey(["extracted", "incident_link_pairs"])
UPSTREAM = [ARTICLES, *(KEYS[t] for t in ("events", "locations", "actors", "event_actors"))]


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            INCIDENT_LINKS,
            description="One row per report (an extracted event) with the incident it belongs to: "
            "reports of one real-world incident in different articles share an incident_id.",
            deps=UPSTREAM,
            group_name="linking",
            kinds={"splink", "parquet"},
        ),
        dg.AssetSpec(
            INCIDENT_LINK_PAIRS,
            description="One row per pair of reports Splink scored (same country and type family, "
            "event dates within the window), with match weight, probability, the level and Bayes "
            "factor of each comparison, and whether the link merged them.",
            deps=UPSTREAM,
            group_name="linking",
            kinds={"splink", "parquet"},
        ),
    ],
)
def incident_links(context: dg.AssetExecutionContext, pipeline: PipelineSettings):
    """Link the reports of every article into incidents (Splink on DuckDB: blocking, EM, clusters)."""
    with warehouse_lock(pipeline.warehouse_path):
        store = PartStore(pipeline.extract_dir)
        links, pairs, summary = link(
            store.scan("events"),
            store.scan("locations"),
            store.scan("event_actors"),
            store.scan("actors"),
            scan_table(pipeline, "articles").select("article_id", "published_date"),
            reference.event_types().lazy(),
        )
        for frame, key in ((links, INCIDENT_LINKS), (pairs, INCIDENT_LINK_PAIRS)):
            _write_atomically(frame, pipeline.table_path(key.path[-1]))
    model = summary.pop("model", None)
    context.log.info(
        f"linked {summary['reports']} reports into {summary['incidents']} incidents "
        f"({summary['candidate_pairs']} candidate pairs) in {summary['seconds']:.2f} s"
    )
    yield dg.MaterializeResult(
        asset_key=INCIDENT_LINKS,
        metadata=table_metadata(links.head(10), rows=links.height)
        | {
            "linking_seconds": dg.MetadataValue.float(summary["seconds"]),
            "incidents": dg.MetadataValue.int(summary["incidents"]),
            "summary": dg.MetadataValue.json(summary),
        },
    )
    yield dg.MaterializeResult(
        asset_key=INCIDENT_LINK_PAIRS,
        metadata=table_metadata(pairs.sort("match_probability", descending=True).head(10), rows=pairs.height)
        | {
            "merged_pairs": dg.MetadataValue.int(int(pairs["is_kept"].sum())),
            "model": dg.MetadataValue.json(model or {}),
        },
    )
