"""Regex matches with character offsets, as polars expressions.

polars can list all matches of a pattern (`str.extract_all`) but not where they are. Matching the
pattern `(?s).*?(?:P)` instead returns contiguous chunks, each ending with one match of P; the
running sum of chunk lengths is therefore each match's end offset, and the match itself is the
suffix of its chunk. This keeps offset finding vectorised (no per-row Python).
"""

from __future__ import annotations

import polars as pl


def find_all(
    frame: pl.LazyFrame,
    *,
    text: str,
    pattern: str,
    keep: list[str],
    prefix: str = "match",
) -> pl.LazyFrame:
    """One row per non-overlapping match of `pattern` in column `text`.

    Returns the `keep` columns plus `{prefix}_text`, `{prefix}_start`, `{prefix}_end` (0-based,
    end-exclusive character offsets into `text`). `pattern` must not match the empty string.
    """
    chunk_pattern = f"(?s).*?(?:{pattern})"
    suffix_pattern = f"(?s)^.*?((?:{pattern}))$"
    row_key = "__row"
    return (
        frame.with_row_index(row_key)
        .select(row_key, *keep, pl.col(text).str.extract_all(chunk_pattern).alias("__chunk"))
        .explode("__chunk")
        .drop_nulls("__chunk")
        .with_columns(
            pl.col("__chunk").str.len_chars().cum_sum().over(row_key).alias(f"{prefix}_end"),
            pl.col("__chunk").str.extract(suffix_pattern, 1).alias(f"{prefix}_text"),
        )
        .with_columns(
            (pl.col(f"{prefix}_end") - pl.col(f"{prefix}_text").str.len_chars()).alias(f"{prefix}_start")
        )
        .drop("__chunk", row_key)
    )


def strip_span(text: str, start: str, end: str) -> list[pl.Expr]:
    """Expressions that trim whitespace off a span column and move its offsets accordingly."""
    lead = pl.col(text).str.len_chars() - pl.col(text).str.strip_chars_start().str.len_chars()
    stripped = pl.col(text).str.strip_chars()
    return [
        stripped.alias(text),
        (pl.col(start) + lead).alias(start),
        (pl.col(start) + lead + stripped.str.len_chars()).alias(end),
    ]
