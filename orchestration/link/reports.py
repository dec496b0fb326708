"""Reports: one row per extracted event, with what the linker compares (pure polars, no Dagster).

A report is an event as one article tells it. The linker needs, per report: when it happened (a day
number), where (country, place, first-level region, coordinates), what (type family, type, sub-type,
trigger), who (actor names), how many were killed and injured, and when the article was published.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

# The columns the linker reads, in order (contract between reports() and the Splink model).
REPORT_COLUMNS = {
    "unique_id": pl.String,  # the event_id (Splink's record key)
    "article_id": pl.String,
    "published_day": pl.Int32,  # days since 1970-01-01
    "event_day": pl.Int32,
    "country_iso3": pl.String,
    "family": pl.String,  # disorder_type of the event's sub-type (seeds/reference/event_types.csv)
    "event_type": pl.String,
    "sub_event_type": pl.String,
    "trigger": pl.String,
    "location_id": pl.String,
    "place_level": pl.String,  # place, admin1 or country
    "admin1": pl.String,
    "latitude": pl.Float64,
    "longitude": pl.Float64,
    "actors": pl.List(pl.String),
    "keywords": pl.List(pl.String),  # the evidence sentence's rare words (see _keywords)
    "killed": pl.Int64,
    "injured": pl.Int64,
}
EPOCH = dt.date(1970, 1, 1)


def _day(column: str) -> pl.Expr:
    return (pl.col(column) - pl.lit(EPOCH)).dt.total_days().cast(pl.Int32)


def reports(
    events: pl.LazyFrame,
    locations: pl.LazyFrame,
    event_actors: pl.LazyFrame,
    actors: pl.LazyFrame,
    articles: pl.LazyFrame,
    event_types: pl.LazyFrame,
) -> pl.DataFrame:
    """One row per event with the linker's columns. Only events stated to the day take part in
    linking (`linkable`): a month or a year is no window to block on; the others are returned too
    and stay incidents of their own."""
    places = locations.select(
        "location_id",
        pl.col("location_type").alias("place_level"),
        "admin1",
        pl.col("country_iso3").alias("place_country"),
        "latitude",
        "longitude",
    ).unique("location_id", keep="first")
    names = (
        event_actors.join(actors.select("actor_id", "actor_name").unique("actor_id"), on="actor_id")
        .group_by("event_id")
        .agg(pl.col("actor_name").unique().sort().alias("actors"))
    )
    families = event_types.select("event_type", "sub_event_type", pl.col("disorder_type").alias("family"))
    published = articles.select("article_id", "published_date")
    frame = (
        events.join(places, on="location_id", how="left")
        .join(names, on="event_id", how="left")
        .join(families, on=["event_type", "sub_event_type"], how="left")
        .join(published, on="article_id", how="left")
        .with_columns(
            pl.col("event_id").alias("unique_id"),
            _day("published_date").alias("published_day"),
            _day("event_date").alias("event_day"),
            pl.coalesce("place_country", "country_iso3").alias("country_iso3"),
            pl.col("trigger_text").str.to_lowercase().alias("trigger"),
            # only a place's own coordinates say where it happened; a country's centre does not
            pl.when(pl.col("place_level") == "place").then(pl.col("latitude")).alias("latitude"),
            pl.when(pl.col("place_level") == "place").then(pl.col("longitude")).alias("longitude"),
            pl.when(pl.col("actors").list.len() > 0).then(pl.col("actors")).alias("actors"),
            pl.col("fatalities_best").alias("killed"),
            pl.col("injured_best").alias("injured"),
            (
                (pl.col("date_precision") == "day")
                & pl.col("event_date").is_not_null()
                & pl.col("family").is_not_null()
            ).alias("linkable"),
        )
        .with_columns(pl.col("linkable") & pl.col("country_iso3").is_not_null())
        .with_columns(pl.lit(None, dtype=pl.List(pl.String)).alias("keywords"))
        .select(*(pl.col(c).cast(t) for c, t in REPORT_COLUMNS.items()), "linkable")
        .sort("unique_id")
    )
    return _keywords(frame.collect(), events)


# A word is rare when at most this share of reports' evidence sentences use it (and at least two
# reports could share it): names of victims, places and targets ("seamen", "ellacuria"), not the
# vocabulary of every report ("killed", "army"). Frequency, not a stop list, so any language works.
RARE_SHARE = 0.005
MIN_WORD_CHARS = 4


def _keywords(frame: pl.DataFrame, events: pl.LazyFrame) -> pl.DataFrame:
    words = (
        events.select(
            pl.col("event_id").alias("unique_id"),
            pl.col("evidence_text")
            .str.to_lowercase()
            .str.extract_all(rf"[^\W\d_]{{{MIN_WORD_CHARS},}}")
            .alias("word"),
        )
        .explode("word")
        .drop_nulls("word")
        .unique()
        .collect()
    )
    limit = max(2, int(RARE_SHARE * max(frame.height, 1)))
    rare = words.filter(pl.len().over("word") <= limit)
    keywords = rare.group_by("unique_id").agg(pl.col("word").sort().alias("keywords"))
    return (
        frame.drop("keywords").join(keywords, on="unique_id", how="left").select(*REPORT_COLUMNS, "linkable")
    )
