"""Dates in text: explicit ("21 May 2031", "March 6, 2031", "14 NOVEMBER", "2031-03-06") and
relative ("on Thursday", "late Monday", "yesterday", "earlier this month"), resolved against the
article's publication date with a precision (day, week, month, year).

Resolution rules (stated once, documented in the README):
- a weekday is the latest such day on or before the publication date ("on Thursday" in an article
  published on Thursday 6 Mar 2031 is that day; "late Monday" is 3 Mar);
- today / this morning / tonight = publication day; yesterday / last night = the day before;
- last week / earlier this week = the publication date minus 7 / minus 3 days, precision week;
- earlier this month / this month = the publication month, precision month; last month = previous;
- a day and month without a year take the year of the full date the article last gave before them
  ("On 11 October 2031 ... died on 14 October"), choosing the year that puts them nearest to it (so "31
  December 2030 ... on 2 January" is 2031); failing such a date (the first one after them, then) the
  publication year, or the year before when that would put the date after publication;
- a date that cannot be resolved (a day and month or a weekday with neither a full date in the
  article nor a publication date) is kept with a null value: the text still says when the event
  happened, which marks it as a reported incident.
"""

from __future__ import annotations

import polars as pl

from orchestration.extract.spans import find_all

MONTH_NUMBER = {
    name: number
    for number, name in enumerate(
        ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), start=1
    )
}
MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_RELATIVE_OFFSETS = {  # phrase -> (days before publication, precision)
    "today": (0, "day"),
    "this morning": (0, "day"),
    "this afternoon": (0, "day"),
    "this evening": (0, "day"),
    "tonight": (0, "day"),
    "earlier today": (0, "day"),
    "yesterday": (1, "day"),
    "last night": (1, "day"),
    "the day before yesterday": (2, "day"),
    "earlier this week": (3, "week"),
    "this week": (3, "week"),
    "last week": (7, "week"),
}
_MONTH_RELATIVE = {"earlier this month": 0, "this month": 0, "last month": 1}

_DAY = r"[0-3]?\d"
DATE_MENTION = (
    r"(?i:"
    rf"\b(?P<d1>{_DAY})(?:st|nd|rd|th)?[ -](?:of )?(?P<m1>{MONTH})\b\.?(?:,?[ -](?P<y1>(?:19|20)\d\d|\d\d)\b)?"
    rf"|\b(?P<m2>{MONTH})\.? (?P<d2>{_DAY})(?:st|nd|rd|th)?\b(?:,? (?P<y2>(?:19|20)\d\d)\b)?"
    r"|\b(?P<iso>(?:19|20)\d\d-[01]\d-[0-3]\d)\b"
    rf"|\b(?P<rel>{'|'.join(sorted(list(_RELATIVE_OFFSETS) + list(_MONTH_RELATIVE), key=len, reverse=True))})\b"
    rf"|\b(?P<wd>{'|'.join(_WEEKDAYS)})\b"
    r")"
)


def month_number(month: pl.Expr) -> pl.Expr:
    """'Jan', 'JANUARY', 'Sept' -> 1..12 by the first three letters; '01'..'12' -> 1..12."""
    by_name = (
        month.str.slice(0, 3)
        .str.to_uppercase()
        .replace_strict(MONTH_NUMBER, default=None, return_dtype=pl.Int32)
    )
    return pl.coalesce(month.cast(pl.Int32, strict=False), by_name)


def make_date(year: pl.Expr, month: pl.Expr, day: pl.Expr) -> pl.Expr:
    # Via a string so that impossible dates ("31 FEB 90") become null instead of raising.
    return pl.format(
        "{}-{}-{}",
        year.cast(pl.String),
        month.cast(pl.String).str.zfill(2),
        day.cast(pl.String).str.zfill(2),
    ).str.to_date("%Y-%m-%d", strict=False)


def two_digit_year(year: pl.Expr) -> pl.Expr:
    """'90' -> 1990, '05' -> 2005; four-digit years pass through."""
    y = year.cast(pl.Int32, strict=False)
    return pl.when(y >= 100).then(y).when(y < 50).then(y + 2000).otherwise(y + 1900)


def date_mentions(sentences: pl.DataFrame, published: pl.DataFrame) -> pl.DataFrame:
    """One row per date expression: article offsets, resolved date and precision.

    `published` has article_id and published_date (may be null: then relative dates stay null).
    """
    found = find_all(
        sentences.lazy().filter(pl.col("block_kind") != "embed"),
        text="sentence_text",
        pattern=DATE_MENTION,
        keep=["article_id", "sentence_index", "char_start"],
        prefix="date",
    ).join(published.lazy().select("article_id", "published_date"), on="article_id", how="left")
    parts = pl.col("date_text").str.extract_groups(DATE_MENTION).struct
    pub = pl.col("published_date")
    day = pl.coalesce(parts.field("d1"), parts.field("d2"))
    month = month_number(pl.coalesce(parts.field("m1"), parts.field("m2")))
    year = two_digit_year(pl.coalesce(parts.field("y1"), parts.field("y2")))
    in_pub_year = make_date(pub.dt.year(), month, day)
    yearless = pl.when(in_pub_year > pub).then(in_pub_year.dt.offset_by("-1y")).otherwise(in_pub_year)
    rel = parts.field("rel").str.to_lowercase()
    rel_days = rel.replace_strict(
        {k: v[0] for k, v in _RELATIVE_OFFSETS.items()}, default=None, return_dtype=pl.Int32
    )
    rel_precision = rel.replace_strict({k: v[1] for k, v in _RELATIVE_OFFSETS.items()}, default=None)
    month_back = rel.replace_strict(_MONTH_RELATIVE, default=None, return_dtype=pl.Int32)
    weekday = (
        parts.field("wd")
        .str.to_lowercase()
        .replace_strict({w: i + 1 for i, w in enumerate(_WEEKDAYS)}, default=None, return_dtype=pl.Int32)
    )
    days_back = (pub.dt.weekday().cast(pl.Int32) - weekday + 7) % 7
    with_parts = found.with_columns(
        pl.when(parts.field("iso").is_not_null())
        .then(parts.field("iso").str.to_date("%Y-%m-%d", strict=False))
        .when(day.is_not_null() & year.is_not_null())
        .then(make_date(year, month, day))
        .alias("__full"),
        # A leap year, so that "29 February" is a readable day and month.
        pl.when(day.is_not_null() & year.is_null())
        .then(make_date(pl.lit(2000), month, day))
        .alias("__yearless"),
    )
    resolved = (
        with_parts.with_columns(_narrative_anchor(pl.col("__full")).alias("__anchor"))
        .with_columns(
            pl.when(pl.col("__full").is_not_null())
            .then(pl.col("__full"))
            .when(pl.col("__anchor").is_not_null() & pl.col("__yearless").is_not_null())
            .then(_nearest_year(pl.col("__yearless"), pl.col("__anchor")))
            .when(day.is_not_null())
            .then(yearless)
            .when(rel_days.is_not_null())
            .then(pub - pl.duration(days=rel_days))
            .when(month_back.is_not_null())
            .then(pub.dt.month_start().dt.offset_by(pl.format("-{}mo", month_back)))
            .when(weekday.is_not_null())
            .then(pub - pl.duration(days=days_back))
            .alias("date_value"),
        )
        .with_columns(
            pl.when(pl.col("date_value").is_null())
            .then(pl.lit(None, pl.String))
            .when(rel_days.is_not_null())
            .then(rel_precision)
            .when(month_back.is_not_null())
            .then(pl.lit("month"))
            .otherwise(pl.lit("day"))
            .alias("date_precision"),
        )
        # Unresolved, only a readable day and month or a relative expression stays: a day that no
        # calendar has ("31 FEB", "2020-02-31") is no date at all.
        .filter(
            pl.col("date_value").is_not_null()
            | pl.col("__yearless").is_not_null()
            | rel.is_not_null()
            | weekday.is_not_null()
        )
        .select(
            "article_id",
            "sentence_index",
            pl.col("date_text"),
            (pl.col("char_start") + pl.col("date_start")).cast(pl.Int64).alias("date_char_start"),
            "date_value",
            "date_precision",
        )
    )
    return resolved.collect()


def _narrative_anchor(full_date: pl.Expr) -> pl.Expr:
    """Per date mention, the full date (with a year) the article gave last before it, else the first
    one after it: the narrative's time frame that a bare day and month belong to."""
    order = pl.col("char_start") + pl.col("date_start")
    before = full_date.forward_fill().shift(1).over("article_id", order_by=order)
    after = full_date.backward_fill().shift(-1).over("article_id", order_by=order)
    return pl.coalesce(before, after)


def _nearest_year(yearless: pl.Expr, anchor: pl.Expr) -> pl.Expr:
    """The day and month of `yearless` in the year (the anchor's, or one either side) that puts it
    nearest to `anchor`."""
    same = make_date(anchor.dt.year(), yearless.dt.month(), yearless.dt.day())
    # 29 February: only leap years have it; the anchor's year may not.
    same = pl.coalesce(same, make_date(anchor.dt.year(), yearless.dt.month(), pl.lit(28)))
    earlier = same.dt.offset_by("-1y")
    later = same.dt.offset_by("1y")
    gap = lambda candidate: (candidate - anchor).abs()  # noqa: E731
    return (
        pl.when(gap(earlier) < gap(same))
        .then(earlier)
        .when(gap(later) < gap(same))
        .then(later)
        .otherwise(same)
    )
