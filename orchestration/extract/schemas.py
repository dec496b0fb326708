"""The contract between extraction (polars) and the warehouse (dbt sources).

Every table that Python writes is declared here once, with its polars dtypes. Extraction functions
return frames with exactly these columns (see `conform`), the Dagster assets write them as Parquet,
and dbt reads them as sources of the same name.

Conventions:
- Character offsets (`char_start`, `char_end`) are 0-based, end-exclusive positions in
  `articles.text`, counted in characters (not bytes): `substr(text, char_start + 1, char_end -
  char_start)` in DuckDB returns the span. For sentences and events the span is the evidence
  sentence; for casualties, event_actors and locations it is the figure or name itself, and
  `evidence_text` (casualties) is the whole sentence around it.
- `evidence_text` is the sentence as split, with the line breaks of hard-wrapped wire copy read as
  spaces (one character for one, so offsets are unaffected).
- `articles.line_number` is 1-based for JSONL lines and null where a whole file is the input unit;
  when `title` is set, `text` starts with it at offset 0.
- Ids: `article_id` is the sanitised source id ([A-Za-z0-9_.-], at most 100 characters); every
  other id is a 16-hex-digit stable hash of its natural key (rerunning gives the same ids).
"""

from __future__ import annotations

import polars as pl

ARTICLES = {
    "article_id": pl.String,
    "source_file": pl.String,
    "line_number": pl.Int64,
    "title": pl.String,
    "text": pl.String,
    "published_date": pl.Date,
    "published_date_basis": pl.String,
    "source": pl.String,
    "url": pl.String,
    "content_hash": pl.String,
    "n_chars": pl.Int64,
}

INGEST_LOG = {
    "source_file": pl.String,
    "line_number": pl.Int64,
    "status": pl.String,
    "reason": pl.String,
    "article_id": pl.String,
}

SENTENCES = {
    "article_id": pl.String,
    "sentence_index": pl.Int64,
    "char_start": pl.Int64,
    "char_end": pl.Int64,
    "sentence_text": pl.String,
    "block_kind": pl.String,
}

EVENTS = {
    "event_id": pl.String,
    "article_id": pl.String,
    "sentence_index": pl.Int64,
    "event_type": pl.String,
    "sub_event_type": pl.String,
    "trigger_text": pl.String,
    "event_date": pl.Date,
    "date_precision": pl.String,
    "date_text": pl.String,
    "location_id": pl.String,
    "country_iso3": pl.String,
    "fatalities_low": pl.Int64,
    "fatalities_best": pl.Int64,
    "fatalities_high": pl.Int64,
    "injured_best": pl.Int64,
    "n_mentions": pl.Int64,
    "evidence_text": pl.String,
    "char_start": pl.Int64,
    "char_end": pl.Int64,
}

ACTORS = {
    "actor_id": pl.String,
    "actor_name": pl.String,
    "actor_type": pl.String,
    "country_iso3": pl.String,
}

EVENT_ACTORS = {
    "event_id": pl.String,
    "actor_id": pl.String,
    "role": pl.String,
    "mention_text": pl.String,
    "char_start": pl.Int64,
    "char_end": pl.Int64,
}

CASUALTIES = {
    "casualty_id": pl.String,
    "event_id": pl.String,
    "article_id": pl.String,
    "sentence_index": pl.Int64,
    "outcome": pl.String,
    "victim_group": pl.String,
    "count_low": pl.Int64,
    "count_best": pl.Int64,
    "count_high": pl.Int64,
    "qualifier": pl.String,
    "claimed_by": pl.String,
    "evidence_text": pl.String,
    "char_start": pl.Int64,
    "char_end": pl.Int64,
}

LOCATIONS = {
    "location_id": pl.String,
    "location_name": pl.String,
    "location_type": pl.String,
    "admin1": pl.String,
    "country_iso3": pl.String,
    "latitude": pl.Float64,
    "longitude": pl.Float64,
    "geo_precision": pl.String,
}

# Table name -> schema, in the order the pipeline produces them. The names are the dbt source
# table names and the last part of the Dagster asset keys (["extracted", name]).
TABLES: dict[str, dict[str, pl.DataType]] = {
    "articles": ARTICLES,
    "ingest_log": INGEST_LOG,
    "sentences": SENTENCES,
    "events": EVENTS,
    "actors": ACTORS,
    "event_actors": EVENT_ACTORS,
    "casualties": CASUALTIES,
    "locations": LOCATIONS,
}

INGEST_STATUSES = ("loaded", "loaded_with_warning", "duplicate", "rejected")
PUBLISHED_DATE_BASES = ("metadata", "dateline", "latest_explicit_date", "unknown")
DATE_PRECISIONS = ("day", "week", "month", "year", "unknown")
ACTOR_TYPES = (
    "State forces",
    "Rebel group",
    "Political militia",
    "Identity militia",
    "Rioters",
    "Protesters",
    "Civilians",
    "External/Other forces",
)
CASUALTY_OUTCOMES = ("killed", "injured", "missing", "abducted", "arrested")
ACTOR_ROLES = ("actor1", "actor2")
LOCATION_TYPES = ("country", "admin1", "place")
GEO_PRECISIONS = ("place", "admin1", "country")
BLOCK_KINDS = ("headline", "standfirst", "body", "subhead", "embed")


def empty(table: str) -> pl.DataFrame:
    return pl.DataFrame(schema=TABLES[table])


def conform(frame: pl.DataFrame | pl.LazyFrame, table: str) -> pl.DataFrame:
    """Select and cast exactly the contract's columns, in order; a missing column is an error."""
    schema = TABLES[table]
    return frame.lazy().select([pl.col(name).cast(dtype) for name, dtype in schema.items()]).collect()
