"""Assembling the output tables from clustered mentions: one row per event with its type, date, place, toll and evidence, its actors and casualty rows."""

from __future__ import annotations

import polars as pl

from orchestration.extract.events.clustering import _count_repeated_toll_once
from orchestration.extract.events.context import (
    _TYPE_OF_SUB_TYPE,
    NARRATIVE_REACH,
    _from_narrative,
    places_gazetteer_countries,
)
from orchestration.extract.events.default_actors import _default_actors, _foreign_state_is_external
from orchestration.extract.events.vocabulary import (
    _ACTOR_FIELDS,
    _DEMONSTRATION_SEVERITY,
    _TYPE_SPECIFICITY,
    DEMONSTRATION_TYPES,
    VIOLENT_TYPES,
)
from orchestration.extract.gazetteer import countries, stable_id


def _assemble(
    mentions: pl.DataFrame,
    casualties: pl.DataFrame,
    sentences: pl.DataFrame,
    context: dict[str, pl.DataFrame],
) -> dict[str, pl.DataFrame]:
    country_names = countries().select("country_iso3", "country_name").unique("country_iso3")
    info = (
        pl.col("has_killed").fill_null(False).cast(pl.Int32) * 4
        + pl.col("has_injured").fill_null(False).cast(pl.Int32) * 2
        + pl.col("date_value").is_not_null().cast(pl.Int32) * 2
        + pl.col("location_id").is_not_null().cast(pl.Int32)
        + pl.col("actor1_mention").is_not_null().cast(pl.Int32)
    )
    ordered = mentions.sort("article_id", "m_start").with_columns(
        info.alias("info"),
        pl.col("location_type")
        .replace_strict(_TYPE_SPECIFICITY, default=9, return_dtype=pl.Int64)
        .alias("specificity"),
    )
    first_non_null = lambda c: pl.col(c).drop_nulls().first()  # noqa: E731
    events = ordered.group_by("root", maintain_order=True).agg(
        pl.col("article_id").first(),
        pl.col("m_start").first().alias("first_start"),
        pl.col("event_type").first(),
        # An exchange of fire anywhere in the event makes it a clash ("fired mortars and small arms").
        pl.when((pl.col("sub_event_type") == "Armed clash").any())
        .then(pl.lit("Armed clash"))
        .otherwise(pl.col("sub_event_type").filter(pl.col("kind") == "specific").first())
        .alias("__specific_sub"),
        pl.col("sub_event_type")
        .sort_by(
            pl.col("sub_event_type").replace_strict(
                _DEMONSTRATION_SEVERITY, default=0, return_dtype=pl.Int64
            ),
            descending=True,
            maintain_order=True,
        )
        .first()
        .alias("__severest_sub"),
        pl.col("sub_event_type").first().alias("__any_sub"),
        pl.len().alias("n_mentions"),
        pl.col("crowd_fight").any(),
        pl.col("communal_fight").any(),
        pl.col("sub_event_type")
        .is_in(["Peaceful protest", "Violent demonstration"])
        .any()
        .alias("__demonstration"),
        # Anchored: a mention with its own date, place or casualty figure (not borrowed from the
        # narrative); "the attacks raised tensions" names no event of its own.
        (
            pl.col("date_text").is_not_null()
            | pl.col("location_id").is_not_null()
            | pl.col("unsure_place_only").fill_null(False)
            | pl.col("has_killed").fill_null(False)
            | pl.col("has_injured").fill_null(False)
        )
        .any()
        .alias("anchored"),
        pl.col("date_value").drop_nulls().first().alias("event_date"),
        pl.col("date_precision").filter(pl.col("date_value").is_not_null()).first().alias("date_precision"),
        pl.col("date_text").drop_nulls().first().alias("date_text"),
        pl.col("location_id").sort_by("specificity", maintain_order=True).first().alias("location_id"),
        pl.col("country_iso3")
        .sort_by("specificity", maintain_order=True)
        .drop_nulls()
        .first()
        .alias("location_country"),
        pl.col("killed_best").max().alias("fatalities_best"),
        pl.col("killed_group").drop_nulls().first().alias("killed_group"),
        pl.col("killed_low").max().alias("fatalities_low"),
        # "at least seven" in one mention leaves the event's upper bound open; a mention that states
        # no toll (a headline, a back-reference) says nothing about the bound.
        pl.when((pl.col("killed_high").is_null() & pl.col("killed_best").is_not_null()).any())
        .then(None)
        .otherwise(pl.col("killed_high").max())
        .alias("fatalities_high"),
        pl.col("injured_best").max().alias("injured_best"),
        *[first_non_null(f"a1_{c}").alias(f"a1_{c}") for c in _ACTOR_FIELDS],
        # Actor 2: a named actor (state or group) from any mention beats a generic one.
        pl.struct(pl.col("^a2_.*$"), "civilian_victims", "victims_start", "victims_end")
        .filter(pl.col("a2_actor_name").is_not_null() | pl.col("civilian_victims").is_not_null())
        .sort_by(
            (pl.col("a2_actor_kind").fill_null("generic") == "generic").filter(
                pl.col("a2_actor_name").is_not_null() | pl.col("civilian_victims").is_not_null()
            ),
            maintain_order=True,
        )
        .first()
        .alias("__a2"),
        pl.col("mention_id")
        .sort_by("info", descending=True, maintain_order=True)
        .first()
        .alias("evidence_mention"),
        pl.col("trigger_text")
        .sort_by("info", descending=True, maintain_order=True)
        .first()
        .alias("trigger_text"),
        pl.col("m_start")
        .sort_by("info", descending=True, maintain_order=True)
        .first()
        .alias("trigger_start"),
        pl.col("m_end").sort_by("info", descending=True, maintain_order=True).first().alias("trigger_end"),
        pl.col("sentence_index")
        .sort_by("info", descending=True, maintain_order=True)
        .first()
        .alias("sentence_index"),
        pl.col("mention_id").alias("mention_ids"),
    )
    date_cols = ["date_value", "date_precision", "date_text"]
    place_cols = ["location_id", "country_iso3"]
    first_trigger = mentions.group_by("article_id", "sentence_index").agg(
        pl.col("m_start").min().alias("__own_first_trigger")
    )
    events = events.join(first_trigger, on=["article_id", "sentence_index"], how="left")
    resolved_dates = context["dates"].filter(pl.col("date_value").is_not_null())
    events = (
        # A report's time frame holds until another date is given ("On 19 July 2024, ... Total 5
        # fatalities."), however long the report; a place is only the setting of nearby sentences.
        events.join(
            _from_narrative(events, resolved_dates, [*date_cols, "sentence_index"], reach=None),
            on="root",
            how="left",
        )
        .join(
            _from_narrative(
                events, context["places"], place_cols, own_sentence_first=True, sentences=sentences
            ),
            on="root",
            how="left",
        )
        .with_columns(
            pl.when(pl.col("event_date").is_null() & pl.col("__ctx_date_value").is_not_null())
            .then(pl.col("__ctx_date_precision"))
            .otherwise(pl.col("date_precision"))
            .alias("date_precision"),
            pl.when(pl.col("event_date").is_null() & pl.col("__ctx_date_value").is_not_null())
            .then(pl.col("__ctx_date_text"))
            .otherwise(pl.col("date_text"))
            .alias("date_text"),
            # Whether the event's time is stated in or near its sentence (the test for a passing
            # mention below), not only somewhere earlier in the article.
            (
                pl.col("date_text").is_not_null()
                | (pl.col("__ctx_sentence_index") >= pl.col("sentence_index") - NARRATIVE_REACH)
            )
            .fill_null(False)
            .alias("__dated_nearby"),
            pl.coalesce("event_date", "__ctx_date_value").alias("event_date"),
            pl.when(pl.col("location_id").is_null())
            .then(pl.col("__ctx_country_iso3"))
            .otherwise(pl.col("location_country"))
            .alias("location_country"),
            pl.coalesce("location_id", "__ctx_location_id").alias("location_id"),
        )
        .drop(pl.selectors.starts_with("__ctx_"))
        .join(context["focus"], on="article_id", how="left")
        .with_columns(
            pl.when(pl.col("location_id").is_null())
            .then(pl.col("__focus_country"))
            .otherwise(pl.col("location_country"))
            .alias("location_country"),
            pl.coalesce("location_id", "__focus_location").alias("location_id"),
        )
        .drop("__focus_location", "__focus_country")
    )
    events = (
        events.with_columns(
            # ACLED: a protest where people are killed or hurt is excessive force against protesters.
            pl.when(
                (pl.col("event_type") == "Protests")
                & (pl.col("__severest_sub").replace_strict(_DEMONSTRATION_SEVERITY, default=0) < 4)
                & ((pl.col("fatalities_best").fill_null(0) > 0) | (pl.col("injured_best").fill_null(0) > 0))
            )
            .then(pl.lit("Excessive force against protesters"))
            # ACLED: a crowd's violence is a violent demonstration when it happens at one ("clashed
            # during their rally"), mob violence otherwise.
            .when((pl.col("__severest_sub") == "Mob violence") & pl.col("__demonstration"))
            .then(pl.lit("Violent demonstration"))
            .when(pl.col("event_type").is_in(DEMONSTRATION_TYPES))
            .then(pl.col("__severest_sub"))
            .otherwise(pl.coalesce("__specific_sub", "__any_sub"))
            .alias("sub_event_type"),
            pl.struct("article_id", "first_start", "event_type")
            .map_elements(lambda s: stable_id("event", *s.values()), return_dtype=pl.String)  # once per event
            .alias("event_id"),
            # A diplomatic act takes place in the acting state, whatever places the sentence names.
            pl.when(pl.col("event_type") == "Diplomatic")
            .then(pl.coalesce("a1_actor_country", "location_country"))
            .otherwise(pl.col("location_country"))
            .alias("country_iso3"),
            pl.col("date_precision").fill_null("unknown"),
            pl.col("__a2").struct.unnest(),
        )
        .with_columns(
            # The event type is the one its chosen sub-type belongs to (merged mentions may differ).
            pl.col("sub_event_type")
            .replace_strict(_TYPE_OF_SUB_TYPE, default=pl.col("event_type"))
            .alias("event_type")
        )
        .join(
            sentences.select(
                "article_id",
                "sentence_index",
                pl.col("sentence_text").alias("evidence_text"),
                "char_start",
                "char_end",
            ),
            on=["article_id", "sentence_index"],
            how="left",
        )
    )
    # A violent event that no mention anchors in time, place or toll is a back-reference or
    # commentary ("recall the terrible blast of last year"), not a reported incident.
    events = events.filter(pl.col("anchored") | ~pl.col("event_type").is_in(VIOLENT_TYPES))
    # A place alone does not make one passing mention a report: "the bombings in Medellin", "the
    # attacks on Usulutan" in commentary have no time, near or in the sentence, and no toll.
    passing = (
        (pl.col("n_mentions") == 1)
        & ~pl.col("__dated_nearby")
        & pl.col("fatalities_best").is_null()
        & pl.col("injured_best").is_null()
    )
    events = events.filter(~(passing & pl.col("event_type").is_in(VIOLENT_TYPES)))
    events = _count_repeated_toll_once(events).drop("__dated_nearby")
    # ... and its place is that state when the sentence's places lie elsewhere ("recalled its
    # ambassador from Iran"), so an event's place and country never disagree.
    state_location = places_gazetteer_countries().select(
        "country_iso3", pl.col("location_id").alias("__state_location")
    )
    events = (
        events.join(state_location, on="country_iso3", how="left")
        .with_columns(
            pl.when(
                (pl.col("event_type") == "Diplomatic")
                & (
                    pl.col("location_country").is_null()
                    | (pl.col("location_country") != pl.col("country_iso3"))
                )
            )
            .then(pl.col("__state_location"))
            .otherwise(pl.col("location_id"))
            .alias("location_id")
        )
        .drop("__state_location")
    )
    events = _default_actors(events)
    # Actors: generic ones take the event's country; named ones keep their own.
    country_of_event = pl.col("country_iso3")
    actor_rows = []
    for role, prefix in (("actor1", "a1_"), ("actor2", "a2_")):
        actor_rows.append(
            events.filter(pl.col(f"{prefix}actor_name").is_not_null()).select(
                "event_id",
                pl.lit(role).alias("role"),
                pl.col(f"{prefix}actor_name").alias("raw_name"),
                _foreign_state_is_external(prefix).alias("actor_type"),
                pl.coalesce(pl.col(f"{prefix}actor_country"), country_of_event).alias("country_iso3"),
                (pl.col(f"{prefix}actor_kind") == "generic").alias("generic"),
                pl.col(f"{prefix}mention_text").alias("mention_text"),
                pl.col(f"{prefix}char_start").cast(pl.Int64).alias("char_start"),
                pl.col(f"{prefix}char_end").cast(pl.Int64).alias("char_end"),
            )
        )
    victims = events.filter(
        pl.col("a2_actor_name").is_null() & pl.col("civilian_victims").is_not_null()
    ).select(
        "event_id",
        pl.lit("actor2").alias("role"),
        pl.lit("Civilians").alias("raw_name"),
        pl.lit("Civilians").alias("actor_type"),
        country_of_event.alias("country_iso3"),
        pl.lit(True).alias("generic"),
        pl.col("civilian_victims").alias("mention_text"),
        pl.col("victims_start").cast(pl.Int64).alias("char_start"),
        pl.col("victims_end").cast(pl.Int64).alias("char_end"),
    )
    event_actors = (
        pl.concat([*actor_rows, victims], how="vertical_relaxed")
        .join(country_names, on="country_iso3", how="left")
        .with_columns(
            pl.when(~pl.col("generic"))
            .then(pl.col("raw_name"))
            .when(pl.col("actor_type") == "State forces")
            .then(pl.coalesce("country_name", pl.lit("Unidentified State Forces")))
            .when(pl.col("country_name").is_not_null())
            .then(pl.format("{} ({})", pl.col("raw_name"), pl.col("country_name")))
            .otherwise(pl.col("raw_name"))
            .alias("actor_name")
        )
        .with_columns(
            pl.struct("actor_name", "actor_type", "country_iso3")
            .map_elements(lambda s: stable_id("actor", *s.values()), return_dtype=pl.String)  # once per link
            .alias("actor_id")
        )
    )
    actors = event_actors.select("actor_id", "actor_name", "actor_type", "country_iso3").unique(
        "actor_id", maintain_order=True
    )
    root_of = mentions.select("mention_id", "root").join(events.select("root", "event_id"), on="root")
    casualty_rows = casualties.join(root_of, on="mention_id", how="left").with_columns(
        pl.struct("article_id", "char_start", "outcome")
        .map_elements(lambda s: stable_id("casualty", *s.values()), return_dtype=pl.String)  # once per figure
        .alias("casualty_id")
    )
    return {
        "events": events,
        "event_actors": event_actors,
        "actors": actors,
        "casualties": casualty_rows,
        "mentions": mentions,
    }
