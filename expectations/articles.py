"""Content of the extracted `articles` frame: one row per loaded article.

An empty corpus is legal, so there is no row-count floor; what must hold is that every loaded
article has text, and that `n_chars` counts that text in characters, the unit of every span.
"""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe
from great_expectations.expectations.row_conditions import Column

from expectations._common import (
    HEX_ID,
    at_least,
    date_in_range,
    new_suite,
    optional_text,
    required_text,
)

ARTICLE_ID = r"^[A-Za-z0-9_.-]{1,100}$"


def suite() -> gx.ExpectationSuite:
    return new_suite(
        "articles",
        [
            # Article ids come from the source record (or file stem and line), passed through the
            # reader's sanitiser, not from a digest.
            gxe.ExpectColumnValuesToMatchRegex(column="article_id", regex=ARTICLE_ID),
            *required_text("source_file"),
            # Null for whole-file articles; JSONL lines count from 1, as editors show them.
            *at_least(1, "line_number"),
            *optional_text("title", "source"),
            *required_text("text"),
            *date_in_range("published_date"),
            *required_text("published_date_basis"),
            gxe.ExpectColumnValuesToNotBeNull(
                column="published_date",
                row_condition=Column("published_date_basis") != "unknown",
                notes="A basis other than 'unknown' names where the date was found, so it is there.",
            ),
            gxe.ExpectColumnValuesToMatchRegex(column="url", regex=r"^https?://\S+$"),
            gxe.ExpectColumnValuesToMatchRegex(column="content_hash", regex=HEX_ID),
            gxe.ExpectColumnValuesToNotBeNull(column="n_chars"),
            *at_least(1, "n_chars"),
            gxe.ExpectTableRowCountToEqual(
                value=0,
                row_condition="text.notna() & n_chars.notna() & (text.str.len() != n_chars)",
                condition_parser="pandas",
                notes="Rows where n_chars != len(text): spans are counted in characters, not bytes.",
            ),
        ],
    )
