"""Cross-article event linking: which reports (events as one article tells them) are one incident.

Pure Python, polars and Splink on an in-process DuckDB; no Dagster import. `link()` takes the
extracted tables and returns one row per report with its incident, and the scored pairs.
"""

from __future__ import annotations

import time

import polars as pl

from orchestration.link.model import PAIR_COLUMNS, LinkSettings, cluster, score_pairs
from orchestration.link.reports import reports

__all__ = ["PAIR_FLOOR", "LinkSettings", "link", "published_pairs"]

# Pairs below this match probability are not published: they explain no merge and no near miss.
PAIR_FLOOR = 0.01


def link(
    events: pl.LazyFrame,
    locations: pl.LazyFrame,
    event_actors: pl.LazyFrame,
    actors: pl.LazyFrame,
    articles: pl.LazyFrame,
    event_types: pl.LazyFrame,
    settings: LinkSettings = LinkSettings(),
) -> tuple[pl.DataFrame, pl.DataFrame, dict]:
    """(links, pairs, summary): one row per report (event_id, article_id, incident_id); the scored
    candidate pairs at or above PAIR_FLOOR with `is_kept` (the link merged its two reports); and
    figures for the asset's metadata."""
    started = time.perf_counter()
    frame = reports(events, locations, event_actors, actors, articles, event_types)
    pairs, summary = score_pairs(frame, settings)
    assigned, kept = cluster(frame, pairs, settings.threshold)
    links = assigned.join(
        frame.select(pl.col("unique_id").alias("event_id"), "article_id"), on="event_id", how="left"
    ).select("event_id", "article_id", "incident_id")
    summary |= {
        "incidents": assigned["incident_id"].n_unique(),
        "threshold": settings.threshold,
        "window_days": settings.window_days,
        "seconds": round(time.perf_counter() - started, 3),
    }
    return links, published_pairs(pairs, kept), summary


def published_pairs(pairs: pl.DataFrame, kept: pl.DataFrame) -> pl.DataFrame:
    """The pairs at or above PAIR_FLOOR, `is_kept` when the link is one clustering used."""
    kept = kept.select("event_id_l", "event_id_r", pl.lit(True).alias("is_kept"))
    return (
        pairs.filter(pl.col("match_probability") >= PAIR_FLOOR)
        .join(kept, on=["event_id_l", "event_id_r"], how="left")
        .with_columns(pl.col("is_kept").fill_null(False))
        .select(*PAIR_COLUMNS, "is_kept")
    )
