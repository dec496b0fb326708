"""Numbers as written in news: digits, number words, and vague quantities.

Number words are converted by text2num on the distinct phrases only (a few hundred per corpus), so
the Python call is off the per-row path. Vague quantities follow one stated rule (documented in
the README): each maps to a (low, best, high) triple where best is the lowest reading
("dozens" -> 24), ACLED's conservative convention.
"""

from __future__ import annotations

import polars as pl
from text_to_num import text2num

_UNITS = (
    "zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    "sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|"
    "hundred|thousand|million"
)
NUMBER_WORDS = rf"(?:{_UNITS})(?:(?:[ -]|,? and )(?:{_UNITS}))*"
DIGITS = r"\d{1,3}(?:,\d{3})+|\d+"

# (low, best, high) for quantities without a figure.
VAGUE_QUANTITIES: dict[str, tuple[int, int, int | None]] = {
    "a dozen": (12, 12, 12),
    "both": (2, 2, 2),
    "dozens": (24, 24, 99),
    "scores": (40, 40, 99),
    "hundreds": (200, 200, 999),
    "thousands": (2000, 2000, None),
    "several": (3, 3, 9),
    "a few": (2, 2, 5),
    "few": (2, 2, 5),
    "some": (2, 2, None),
    "many": (10, 10, None),
    "a": (1, 1, 1),
    "an": (1, 1, 1),
    # a pronoun after an outcome verb names one person ("opened fire on a civilian, killing him")
    "him": (1, 1, 1),
    "her": (1, 1, 1),
}
VAGUE = "|".join(sorted((k.replace(" ", r"\s+") for k in VAGUE_QUANTITIES), key=len, reverse=True))
NUMBER = rf"(?:{DIGITS}|{NUMBER_WORDS}|{VAGUE})"

# Qualifier -> how it bounds the stated figure n: low, best, high as offsets or None.
QUALIFIERS = (
    "at least|more than|over|upwards of|nearly|almost|about|around|approximately|some|roughly|"
    "up to|as many as|at most|fewer than|less than|an estimated|estimated"
)


def _word_value(phrase: str) -> int | None:
    try:
        return int(text2num(phrase.replace(",", "").replace(" and ", " "), "en"))
    except ValueError:
        return None


def parse_numbers(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    """Add `{column}_low/_best/_high` (Int64) for the number phrases in `column`."""
    phrase = pl.col(column).str.to_lowercase().str.replace_all(r"\s+", " ").str.strip_chars()
    frame = frame.with_columns(phrase.alias("__phrase"))
    distinct = frame.select("__phrase").unique().drop_nulls()
    words = distinct.filter(~pl.col("__phrase").str.contains(r"^[\d,]+$")).filter(
        ~pl.col("__phrase").is_in(list(VAGUE_QUANTITIES))
    )
    # text2num has no vectorised form; it runs once per distinct phrase, not per row.
    words = words.with_columns(
        pl.col("__phrase").map_elements(_word_value, return_dtype=pl.Int64).alias("__word_value")
    )
    vague = pl.DataFrame(
        [(k, *v) for k, v in VAGUE_QUANTITIES.items()],
        schema={"__phrase": pl.String, "__v_low": pl.Int64, "__v_best": pl.Int64, "__v_high": pl.Int64},
        orient="row",
    )
    frame = frame.join(words, on="__phrase", how="left").join(vague, on="__phrase", how="left")
    exact = pl.coalesce(
        pl.col("__phrase").str.replace_all(",", "").cast(pl.Int64, strict=False), pl.col("__word_value")
    )
    return frame.with_columns(
        pl.coalesce(exact, pl.col("__v_low")).alias(f"{column}_low"),
        pl.coalesce(exact, pl.col("__v_best")).alias(f"{column}_best"),
        pl.when(exact.is_not_null()).then(exact).otherwise(pl.col("__v_high")).alias(f"{column}_high"),
        exact.is_null().alias(f"{column}_is_vague"),
    ).drop("__phrase", "__word_value", "__v_low", "__v_best", "__v_high")


def apply_qualifier(qualifier: pl.Expr, low: pl.Expr, best: pl.Expr, high: pl.Expr) -> list[pl.Expr]:
    """(count_low, count_best, count_high) after a qualifier, for a stated figure n:
    "at least n", "more than n", "over n" -> (n, n, open): the figure is a floor, kept as best;
    "about n", "some n" -> (n, n, open); "up to n", "nearly n", "fewer than n" -> (1, n, n): a ceiling.
    """
    q = qualifier.str.to_lowercase()
    floor = q.is_in(["at least", "more than", "over", "upwards of"])
    ceiling = q.is_in(["up to", "as many as", "at most", "fewer than", "less than", "nearly", "almost"])
    approximate = q.is_in(
        ["about", "around", "approximately", "some", "roughly", "an estimated", "estimated"]
    )
    return [
        pl.when(ceiling).then(pl.lit(1)).otherwise(low).alias("count_low"),
        best.alias("count_best"),
        pl.when(floor | approximate).then(pl.lit(None, pl.Int64)).otherwise(high).alias("count_high"),
    ]
