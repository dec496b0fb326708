"""Content of the extracted `casualties` frame: one row per casualty count stated in a sentence
("at least 12 people were killed", "30 injured"). The offsets locate the figure; evidence_text is
the whole sentence around it, so their lengths differ by design."""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe

from expectations._common import (
    at_least,
    hex_id,
    new_suite,
    optional_text,
    ordered_counts,
    required_text,
    offsets,
)


def suite() -> gx.ExpectationSuite:
    return new_suite(
        "casualties",
        [
            *hex_id("casualty_id"),
            *at_least(0, "sentence_index"),
            *ordered_counts("count_low", "count_best", "count_high"),
            *optional_text("victim_group", "qualifier", "claimed_by"),
            *required_text("evidence_text"),
            gxe.ExpectColumnValuesToNotBeNull(column="char_start"),
            gxe.ExpectColumnValuesToNotBeNull(column="char_end"),
            *offsets(),
        ],
    )
