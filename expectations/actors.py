"""Content of the extracted `actors` frame: one row per distinct actor named in the corpus."""

from __future__ import annotations

import great_expectations as gx

from expectations._common import hex_id, iso3, new_suite, required_text


def suite() -> gx.ExpectationSuite:
    return new_suite(
        "actors",
        [
            *hex_id("actor_id"),
            *required_text("actor_name"),
            *iso3("country_iso3"),
        ],
    )
