"""The article's context: its dateline, the country it speaks of, and the narrative's date and place that an event without its own takes."""

from __future__ import annotations

from functools import lru_cache

import polars as pl

from orchestration.extract.gazetteer import places as gazetteer_places
from orchestration.extract.reference import event_types

DATELINE_MAX_CHARS = 80


def _dateline_ends(sentences: pl.DataFrame) -> pl.DataFrame:
    """Per article, where a wire dateline ("KORA (VELMAR), 14 MAR 91 (KNA) --") ends."""
    first = sentences.sort("article_id", "sentence_index").unique(
        "article_id", keep="first", maintain_order=True
    )
    dash = pl.col("sentence_text").str.find(r" --( |$)")
    return first.select(
        "article_id",
        pl.when(dash <= DATELINE_MAX_CHARS).then(pl.col("char_start") + dash).alias("__dateline_end"),
    ).drop_nulls()


def _focus_country(places: pl.DataFrame, actors: pl.DataFrame) -> pl.DataFrame:
    """Per article, the country it speaks of most: the one most of its place names, country names
    and actors (state forces, demonyms, national groups) belong to; the earlier one on a tie.
    Its country-level location places an event that neither its sentence nor the narrative does."""
    return (
        pl.concat(
            [
                places.select("article_id", "country_iso3", "char_start"),
                actors.select("article_id", "country_iso3", "char_start"),
            ],
            how="vertical_relaxed",
        )
        .drop_nulls("country_iso3")
        .group_by("article_id", "country_iso3")
        .agg(pl.len().alias("__n"), pl.col("char_start").min().alias("__first"))
        .sort(["article_id", "__n", "__first", "country_iso3"], descending=[False, True, False, False])
        .unique("article_id", keep="first", maintain_order=True)
        .join(places_gazetteer_countries(), on="country_iso3")
        .select(
            "article_id",
            pl.col("location_id").alias("__focus_location"),
            pl.col("country_iso3").alias("__focus_country"),
        )
    )


_TYPE_OF_SUB_TYPE = dict(event_types().select("sub_event_type", "event_type").iter_rows())


@lru_cache(maxsize=1)
def places_gazetteer_countries() -> pl.DataFrame:
    """One gazetteer location per country (its country-level row)."""
    return (
        gazetteer_places()
        .filter(pl.col("location_type") == "country")
        .unique("country_iso3", keep="first", maintain_order=True)
        .select("country_iso3", "location_id", "location_type")
    )


NARRATIVE_REACH = 2  # sentences back that an event may borrow an unstated date or place from
# Words that introduce an event as the cause or antecedent of another in the same sentence ("air
# strikes in Iraq over a bombing", "raids in Gaza after the attack"): that event happened elsewhere
# or earlier, so the place the sentence gave the first trigger is not its place.
CAUSE_LINK = (
    r"(?i)\b(?:over|after|following|since|because of|in (?:retaliation|response|revenge) (?:for|to))\b"
)


def _from_narrative(
    events: pl.DataFrame,
    items: pl.DataFrame,
    columns: list[str],
    own_sentence_first: bool = False,
    sentences: pl.DataFrame | None = None,
    reach: int | None = NARRATIVE_REACH,
) -> pl.DataFrame:
    """For each event, the item (date or place) the narrative last set before its first mention,
    else the article's first one: "On 9 May 2020, clashes erupted in Marib. Two soldiers were
    killed." dates and places the second sentence's event too.

    With `own_sentence_first`, an item of the event's own sentence comes first, wherever it stands:
    "students protested and clashed with police in Gazipur" places the protest in Gazipur too,
    though the place went to the nearer trigger "clashed" - unless a cause link stands between the
    item and the event (CAUSE_LINK; needs `sentences`)."""
    # Otherwise items of the event's own sentence that follow a trigger went to that trigger ("air
    # strikes in Kora ... over a bombing"): they do not carry over. One that opens the sentence
    # before any trigger ("On 3 March 2031, herders held a rally ...") scopes over all of it.
    own = pl.col("sentence_index") == pl.col("__own")
    pairs = (
        events.select(
            "root",
            "article_id",
            "first_start",
            pl.col("sentence_index").alias("__own"),
            "__own_first_trigger",
        )
        .join(items, on="article_id")
        .filter(~own | (pl.col("position") < pl.col("__own_first_trigger")) | pl.lit(own_sentence_first))
        # The narrative's setting reaches a couple of sentences, not across a long article
        # (the country-level fallback, sentence -1, has no position in the text).
        .filter(
            (pl.col("sentence_index") == -1)
            | pl.col("sentence_index").is_between(
                pl.col("__own") - (reach if reach is not None else pl.col("__own")), pl.col("__own") + 1
            )
        )
    )
    if own_sentence_first and sentences is not None:
        pairs = pairs.join(
            sentences.select(
                "article_id",
                pl.col("sentence_index").alias("__own"),
                pl.col("char_start").alias("__sentence_start"),
                "sentence_text",
            ),
            on=["article_id", "__own"],
            how="left",
        )
        between = pl.col("sentence_text").str.slice(
            pl.max_horizontal(pl.col("position") - pl.col("__sentence_start"), 0),
            pl.max_horizontal(pl.col("first_start") - pl.col("position"), 0),
        )
        caused = (
            own
            & (pl.col("position") >= pl.col("__own_first_trigger"))
            & (pl.col("position") < pl.col("first_start"))
            & between.str.contains(CAUSE_LINK)
        )
        pairs = pairs.filter(~caused.fill_null(False)).drop("__sentence_start", "sentence_text")
    return (
        pairs.with_columns(
            (pl.col("position") <= pl.col("first_start")).alias("__before"),
            (own & pl.lit(own_sentence_first)).alias("__own_item"),
        )
        .with_columns(
            # latest before the event, else earliest after it
            pl.when(pl.col("__before"))
            .then(-pl.col("position"))
            .otherwise(pl.col("position"))
            .alias("__rank")
        )
        .sort(["root", "__own_item", "__before", "__rank"], descending=[False, True, True, False])
        .unique("root", keep="first", maintain_order=True)
        .select("root", *[pl.col(c).alias(f"__ctx_{c}") for c in columns])
    )
