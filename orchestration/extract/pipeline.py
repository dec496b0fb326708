"""Articles -> the extracted tables of the contract (schemas.py), one pure function."""

from __future__ import annotations

import polars as pl

from orchestration.extract.actors import actor_mentions
from orchestration.extract.casualties import extract_casualties
from orchestration.extract.dates import date_mentions
from orchestration.extract.events import build_events
from orchestration.extract.gazetteer import places as gazetteer_places
from orchestration.extract.mentions import ngrams, place_mentions
from orchestration.extract.schemas import conform
from orchestration.extract.sentences import split_sentences

EXTRACTED_TABLES = ("sentences", "events", "actors", "event_actors", "casualties", "locations")


def extract(articles: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """Run every extraction step over `articles` (schema `articles`); returns conformed frames."""
    sentences = split_sentences(articles)
    grams = ngrams(sentences).collect().lazy()
    places = place_mentions(sentences, grams)
    actors = actor_mentions(sentences, grams, places)
    casualties = extract_casualties(sentences)
    dates = date_mentions(sentences, articles.select("article_id", "published_date"))
    built = build_events(sentences, casualties, places, actors, dates)
    events = built["events"]
    # Every location an event points at, from the gazetteer (an event may be placed at country
    # level from the country an article speaks of, which no place mention names).
    locations = (
        gazetteer_places()
        .filter(pl.col("location_id").is_in(events["location_id"].drop_nulls().unique().implode()))
        .unique("location_id", keep="first")
        .sort("location_id")
        .with_columns(pl.col("location_type").alias("geo_precision"))
    )
    return {
        "sentences": sentences,
        "events": conform(events, "events"),
        "actors": conform(built["actors"], "actors"),
        "event_actors": conform(built["event_actors"], "event_actors"),
        "casualties": conform(built["casualties"], "casualties"),
        "locations": conform(locations.rename({"location_name": "location_name"}), "locations"),
    }
