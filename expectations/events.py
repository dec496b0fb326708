"""Content of the extracted `events` frame: one row per event found in an article sentence."""

from __future__ import annotations

import csv
from pathlib import Path

import great_expectations as gx
import great_expectations.expectations as gxe
from great_expectations.expectations.row_conditions import Column

from expectations._common import (
    at_least,
    date_in_range,
    hex_id,
    iso3,
    new_suite,
    optional_text,
    ordered_counts,
    required_text,
    span,
)

EVENT_TYPES_CSV = Path(__file__).resolve().parents[1] / "seeds" / "reference" / "event_types.csv"


def read_ontology(path: Path = EVENT_TYPES_CSV) -> tuple[list[tuple[str, str]], list[str]]:
    """(event_type, sub_event_type) pairs, and the sub-event types the ontology marks non-violent.

    Read with csv.DictReader by column name: only the leading columns are used, so a comma in the
    free-text description (the seed once had them unquoted) cannot shift them.
    """
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    pairs = [(row["event_type"], row["sub_event_type"]) for row in rows]
    non_violent = [row["sub_event_type"] for row in rows if row["is_violent"].strip().lower() == "false"]
    return pairs, non_violent


def suite() -> gx.ExpectationSuite:
    pairs, non_violent = read_ontology()
    dated_precision = Column("date_precision").is_not_null() & (Column("date_precision") != "unknown")
    return new_suite(
        "events",
        [
            *hex_id("event_id"),
            *at_least(0, "sentence_index"),
            gxe.ExpectColumnPairValuesToBeInSet(
                column_A="event_type",
                column_B="sub_event_type",
                value_pairs_set=pairs,
                # A missing half of the pair is as wrong as an unknown pair.
                ignore_row_if="neither",
            ),
            *optional_text("trigger_text", "date_text"),
            *date_in_range("event_date"),
            gxe.ExpectColumnValuesToNotBeNull(
                column="event_date",
                row_condition=dated_precision,
                notes="A date precision other than 'unknown' describes a date, so the date is there.",
            ),
            *iso3("country_iso3"),
            *ordered_counts("fatalities_low", "fatalities_best", "fatalities_high"),
            *at_least(0, "injured_best"),
            gxe.ExpectColumnValuesToNotBeNull(column="n_mentions"),
            *at_least(1, "n_mentions"),
            gxe.ExpectColumnValuesToBeBetween(
                column="fatalities_best",
                max_value=0,
                row_condition=Column("sub_event_type").is_in(non_violent),
                notes="The ontology marks these sub-event types non-violent; a death count on one "
                "is a count attached to the wrong event.",
            ),
            *required_text("evidence_text"),
            gxe.ExpectColumnValuesToNotBeNull(column="char_start"),
            gxe.ExpectColumnValuesToNotBeNull(column="char_end"),
            *span("evidence_text"),
        ],
    )
