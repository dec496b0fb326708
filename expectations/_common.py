"""Expectation builders shared by the table suites, so one rule reads the same in every table."""

from __future__ import annotations

import datetime as dt

import great_expectations as gx
import great_expectations.expectations as gxe
from great_expectations.expectations.expectation import Expectation

from orchestration.extract.schemas import TABLES

# Ids minted by the pipeline are hex digests (`gazetteer.stable_id`); the length is left to the
# extraction code.
HEX_ID = r"^[0-9a-f]+$"
ISO3 = r"^[A-Z]{3}$"
# Wide enough for any archive the corpus could hold, narrow enough to catch a misparsed year
# ("0024", "2924") before it becomes a date dimension row.
EARLIEST_DATE = dt.datetime(1900, 1, 1)
LATEST_DATE = dt.datetime(2100, 12, 31)


def new_suite(table: str, expectations: list[Expectation]) -> gx.ExpectationSuite:
    """A suite named after the table whose first rule is the contract's column list, in order
    (`schemas.conform` selects the columns in contract order).

    The expectations go through the constructor: `ExpectationSuite.add_expectation` needs an active
    data context, and a suite should be buildable (and inspectable in tests) without one.
    """
    return gx.ExpectationSuite(
        name=f"extracted_{table}",
        expectations=[
            gxe.ExpectTableColumnsToMatchOrderedList(column_list=list(TABLES[table])),
            *expectations,
        ],
    )


def hex_id(column: str) -> list[Expectation]:
    return [gxe.ExpectColumnValuesToMatchRegex(column=column, regex=HEX_ID)]


def iso3(column: str) -> list[Expectation]:
    return [gxe.ExpectColumnValuesToMatchRegex(column=column, regex=ISO3)]


def required_text(column: str) -> list[Expectation]:
    return [
        gxe.ExpectColumnValuesToNotBeNull(column=column),
        gxe.ExpectColumnValueLengthsToBeBetween(column=column, min_value=1),
    ]


def optional_text(*columns: str) -> list[Expectation]:
    """Absent text is null, never an empty string, so null shares mean what they say."""
    return [gxe.ExpectColumnValueLengthsToBeBetween(column=column, min_value=1) for column in columns]


def at_least(minimum: int, *columns: str) -> list[Expectation]:
    return [gxe.ExpectColumnValuesToBeBetween(column=column, min_value=minimum) for column in columns]


def date_in_range(column: str) -> list[Expectation]:
    return [gxe.ExpectColumnValuesToBeBetween(column=column, min_value=EARLIEST_DATE, max_value=LATEST_DATE)]


def ordered_counts(low: str, best: str, high: str) -> list[Expectation]:
    """Non-negative counts with low <= best <= high; a missing bound ("at least 12") is not
    compared."""
    return [
        *at_least(0, low, best, high),
        *(
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A=greater,
                column_B=lesser,
                or_equal=True,
                ignore_row_if="either_value_is_missing",
            )
            for greater, lesser in ((best, low), (high, best), (high, low))
        ),
    ]


def offsets(start: str = "char_start", end: str = "char_end") -> list[Expectation]:
    """A non-empty 0-based, end-exclusive character span."""
    return [
        *at_least(0, start),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A=end, column_B=start, or_equal=False, ignore_row_if="either_value_is_missing"
        ),
    ]


def span(text: str, start: str = "char_start", end: str = "char_end") -> list[Expectation]:
    """A non-empty 0-based, end-exclusive character span whose length is the length of the text
    it locates. That the text really sits at that place in `articles.text` needs the article, so it
    is a warehouse test, not a frame check."""
    return [
        *offsets(start, end),
        gxe.ExpectTableRowCountToEqual(
            value=0,
            # GX has no row-wise comparison of a column with an expression of others, so the
            # condition selects the offending rows and the rule says there are none. The pandas
            # query string is the only condition form that can take a string length.
            row_condition=(
                f"{text}.notna() & {start}.notna() & {end}.notna() & ({text}.str.len() != {end} - {start})"
            ),
            condition_parser="pandas",
            notes=f"Rows where len({text}) != {end} - {start}: offsets are counted in characters.",
        ),
    ]
