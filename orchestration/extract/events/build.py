"""build_events: sentences and their mentions (casualties, places, actors, dates) -> events, actors, event_actors and casualty rows. The order of the steps; each step lives in its own module."""

from __future__ import annotations

import polars as pl

from orchestration.extract.events.assemble import _assemble
from orchestration.extract.events.clustering import _cluster
from orchestration.extract.events.context import _dateline_ends, _focus_country, places_gazetteer_countries
from orchestration.extract.events.roles import _CROWD_TYPES, _assign_actors, _nearest_mention
from orchestration.extract.events.triggers import _text_before_trigger, _typed_mentions
from orchestration.extract.events.vocabulary import (
    _ACTOR_FIELDS,
    _ARMED_TYPES,
    _COMMUNAL_CONTEXT,
    _COMMUNITIES,
    _FIGHT_WORD,
    _HARMFUL_TYPES,
    _TYPE_SPECIFICITY,
    DEMONSTRATION_TYPES,
    _is_civilian,
)


def build_events(
    sentences: pl.DataFrame,
    casualties: pl.DataFrame,
    places: pl.DataFrame,
    actors: pl.DataFrame,
    dates: pl.DataFrame,
) -> dict[str, pl.DataFrame]:
    """Events with their arguments; returns frames for events, actors, event_actors, casualties
    and locations (not yet conformed)."""
    mentions = _typed_mentions(sentences, casualties)
    casualties = _without_motives(casualties, mentions)

    harm = casualties.filter(pl.col("outcome").is_in(["killed", "injured"]))
    cas = pl.concat(
        [
            _nearest_mention(
                harm.select("article_id", "sentence_index", "char_start"),
                mentions.filter(
                    pl.col("event_type").is_in(_HARMFUL_TYPES)
                    | (pl.col("sub_event_type") == "Excessive force against protesters")
                ),
                "char_start",
            ),
            _nearest_mention(
                casualties.join(harm, on=["article_id", "char_start"], how="anti").select(
                    "article_id", "sentence_index", "char_start"
                ),
                mentions,
                "char_start",
            ),
        ]
    )
    cas_full = casualties.join(cas, on=["article_id", "sentence_index", "char_start"], how="left")
    killed = pl.col("outcome") == "killed"
    per_mention = (
        cas_full.drop_nulls("mention_id")
        .group_by("mention_id")
        .agg(
            # Figures for victim groups of one mention add up ("two farmers and five herders" = 7).
            pl.when(killed.any()).then(pl.col("count_best").filter(killed).sum()).alias("killed_best"),
            pl.when(killed.any()).then(pl.col("count_low").filter(killed).sum()).alias("killed_low"),
            pl.when(killed.any() & pl.col("count_high").filter(killed).is_not_null().all())
            .then(pl.col("count_high").filter(killed).sum())
            .alias("killed_high"),
            (pl.col("outcome") == "killed").any().alias("has_killed"),
            pl.col("victim_group").filter(killed).drop_nulls().first().alias("killed_group"),
            pl.when((pl.col("outcome") == "injured").any())
            .then(pl.col("count_best").filter(pl.col("outcome") == "injured").sum())
            .alias("injured_best"),
            (pl.col("outcome") == "injured").any().alias("has_injured"),
            pl.col("figure_text")
            .filter(_is_civilian(pl.col("victim_group")))
            .first()
            .alias("civilian_victims"),
            pl.col("char_start").filter(_is_civilian(pl.col("victim_group"))).first().alias("victims_start"),
            pl.col("char_end").filter(_is_civilian(pl.col("victim_group"))).first().alias("victims_end"),
        )
    )

    # A country or capital counts as the event's place only in a locative phrase ("inside Velmar")
    # or as a wire dateline at the very start ("KORA, 14 MAR 91 --"), not as an actor
    # ("Velmar launches", "Velmar says").
    dateline = (pl.col("char_start") == 0) & (pl.col("location_type") == "place")
    # In all-caps wire copy every word looks like a name, so a town or region named nowhere in a
    # place's position is as often a common word ("THE LEAGUE", "LATE FRIDAY") as a place: it
    # still tells that the sentence is set somewhere, but it places nothing (no event's location,
    # no say in the article's country).
    unplaced_caps = (
        pl.col("location_type").is_in(["place", "admin1"])
        & ~pl.col("is_locative")
        & ~dateline
        & ~pl.col("mention_text").str.contains(r"\p{Ll}")
    )
    places = (
        places.filter(
            pl.col("is_locative")
            | dateline
            | ~(pl.col("is_capital") | (pl.col("location_type") == "country"))
        )
        .with_columns(unplaced_caps.alias("unsure_place"))
        .join(  # "Kora" inside "Kora Liberation Front" is part of a name, not a place
            actors.filter(pl.col("actor_kind") == "group").select(
                "article_id",
                "sentence_index",
                pl.col("char_start").alias("g_start"),
                pl.col("char_end").alias("g_end"),
            ),
            on=["article_id", "sentence_index"],
            how="left",
        )
        .filter(
            pl.col("g_start").is_null()
            | ~((pl.col("char_start") >= pl.col("g_start")) & (pl.col("char_end") <= pl.col("g_end")))
        )
        .drop("g_start", "g_end")
        .unique(["article_id", "char_start"], maintain_order=True)
        .join(_dateline_ends(sentences), on="article_id", how="left")
        .with_columns((pl.col("char_start") < pl.col("__dateline_end").fill_null(0)).alias("in_dateline"))
        .drop("__dateline_end")
    )
    located = _nearest_mention(
        places.select(
            "article_id",
            "sentence_index",
            "char_start",
            "location_id",
            "location_type",
            "admin1",
            "country_iso3",
            "in_dateline",
            "unsure_place",
        ),
        mentions,
        "char_start",
    )
    unsure_only = (
        located.drop_nulls("mention_id")
        .group_by("mention_id")
        .agg(pl.col("unsure_place").all().alias("unsure_place_only"))
    )
    located = located.filter(~pl.col("unsure_place"))
    sure_places = places.filter(~pl.col("unsure_place"))
    # The dateline says where the report was filed; any place the event's words name comes first
    # ("KORA (VELMAR) ... the assassination ... in Dunmore").
    best_place = (
        located.drop_nulls("mention_id")
        .with_columns(
            pl.col("location_type")
            .replace_strict(_TYPE_SPECIFICITY, return_dtype=pl.Int64)
            .alias("specificity")
        )
        .sort("mention_id", "in_dateline", "specificity", "char_start")
        .group_by("mention_id", maintain_order=True)
        .agg(
            pl.col("location_id").first(),
            pl.col("location_type").first(),
            pl.col("country_iso3").first(),
            pl.col("admin1").drop_nulls().first(),
            pl.col("location_id").filter(pl.col("location_type") == "place").first().alias("place_id"),
        )
    )
    dated = _nearest_mention(
        dates.select(
            "article_id",
            "sentence_index",
            pl.col("date_char_start").alias("char_start"),
            "date_text",
            "date_value",
            "date_precision",
        ),
        mentions,
        "char_start",
    )
    best_date = (
        dated.drop_nulls("mention_id")
        # a resolved date before one whose year or anchor the text does not give
        .sort("mention_id", pl.col("date_value").is_null(), "char_start")
        .unique("mention_id", keep="first")
        .select("mention_id", "date_text", "date_value", "date_precision")
    )
    roles, actor_table = _assign_actors(mentions, actors)
    actor_of = actor_table.rename({"country_iso3": "actor_country"}).select(
        "actor_mention_id", *_ACTOR_FIELDS
    )
    enriched = (
        mentions.join(per_mention, on="mention_id", how="left")
        .join(best_place, on="mention_id", how="left")
        .join(unsure_only, on="mention_id", how="left")
        .join(best_date, on="mention_id", how="left")
        .join(roles, on="mention_id", how="left")
        .join(
            actor_of.rename({c: f"a1_{c}" for c in actor_of.columns}),
            left_on="actor1_mention",
            right_on="a1_actor_mention_id",
            how="left",
        )
        .join(
            actor_of.rename({c: f"a2_{c}" for c in actor_of.columns}),
            left_on="actor2_mention",
            right_on="a2_actor_mention_id",
            how="left",
        )
        .with_columns(
            pl.when(pl.col("a1_actor_name").is_not_null() & (pl.col("a1_actor_kind") != "generic"))
            .then(pl.format("{}|{}", "a1_actor_name", pl.col("a1_actor_country").fill_null("")))
            .alias("a1_key")
        )
    )
    # ACLED: violence against civilians needs civilian targets; an attack on soldiers, police or an
    # armed group is a battle.
    armed_target = pl.col("a2_actor_type").is_in(_ARMED_TYPES) & (pl.col("sub_event_type") == "Attack")
    fight = pl.col("sub_event_type").is_in(["Attack", "Armed clash", "Looting/property destruction"])
    # Later mentions of the fight that name no one ("Two were injured in the clash") are the crowd's too.
    crowd_before = (pl.col("crowd_agent") & fight).cast(pl.Int8).cum_max().over(
        "article_id", order_by="m_start"
    ) == 1
    # A clash that names no one, in an article that names no armed actor at all, is a fight between
    # communities (ACLED's identity militias) where the text says so, else between crowds.
    armed_articles = (
        actors.filter(
            pl.col("actor_kind").is_in(["state", "group"]) | pl.col("actor_type").is_in(_ARMED_TYPES)
        )
        .select("article_id", pl.lit(True).alias("__armed_article"))
        .unique("article_id")
    )
    enriched = enriched.join(armed_articles, on="article_id", how="left").with_columns(
        pl.col("__armed_article").fill_null(False)
    )
    unowned_clash = (
        (pl.col("sub_event_type") == "Armed clash")
        & pl.col("trigger_text").str.contains(_FIGHT_WORD)
        & pl.col("actor1_mention").is_null()
        & (
            pl.col("actor2_mention").is_null()
            | (
                (pl.col("a2_actor_kind") == "generic")
                & pl.col("a2_actor_type").is_in(["Civilians", "Rioters"])
            )
        )
        & ~pl.col("__armed_article")
    )
    # Clans, ethnic groups or herders and farmers fighting each other are communal militias even when
    # the text names them by a collective ("members of two clans clashed", "pastoralists and farmers
    # clashed"), not as crowds.
    communities_clash = (
        (pl.col("sub_event_type") == "Armed clash")
        & pl.col("crowd_agent")
        & pl.col("sentence_text").str.contains(_COMMUNITIES)
        & ~pl.col("__armed_article")
    )
    communal = (unowned_clash & pl.col("sentence_text").str.contains(_COMMUNAL_CONTEXT)) | communities_clash
    # A clash needs two armed sides: police clashing with residents, supporters or demonstrators
    # fight a crowd (ACLED: rioters against state forces).
    clash_with_crowd = (
        (pl.col("sub_event_type") == "Armed clash")
        & pl.col("trigger_text").str.contains(_FIGHT_WORD)
        & (pl.col("a2_actor_kind") == "generic")
        & pl.col("a2_actor_type").is_in(_CROWD_TYPES)
        & (pl.col("actor1_mention").is_null() | (pl.col("a1_actor_type") == "State forces"))
    )
    # "held a rally and fought with police", "demonstrated ... and attacked the vehicles":
    # a fight verb coordinated after a demonstration in its sentence, naming no one of its own, is the
    # crowd's.
    after_demonstration = (
        pl.col("event_type")
        .is_in(DEMONSTRATION_TYPES)
        .cast(pl.Int8)
        .cum_max()
        .over(["article_id", "sentence_index"], order_by="m_start")
        == 1
    )
    coordinated_verb = _text_before_trigger().str.contains(r"(?i)\band\s+(?:later\s+|then\s+|also\s+)?$")
    mob = (
        fight
        & (
            pl.col("crowd_agent")
            | (after_demonstration & pl.col("actor1_mention").is_null() & coordinated_verb)
            | (crowd_before & pl.col("actor1_mention").is_null())
            | (unowned_clash & ~communal)
            | clash_with_crowd.fill_null(False)
        )
        & ~communal
    )
    enriched = enriched.with_columns(
        # A fight between crowds has rioters on both sides (ACLED: Rioters-Rioters).
        (mob & (pl.col("sub_event_type") == "Armed clash")).alias("crowd_fight"),
        communal.alias("communal_fight"),
        pl.when(mob)
        .then(pl.lit("Riots"))
        .when(armed_target)
        .then(pl.lit("Battles"))
        .otherwise(pl.col("event_type"))
        .alias("event_type"),
        pl.when(mob)
        .then(pl.lit("Mob violence"))
        .when(armed_target)
        .then(pl.lit("Armed clash"))
        .otherwise(pl.col("sub_event_type"))
        .alias("sub_event_type"),
    )
    enriched = _cluster(enriched.drop("__armed_article"))
    context = {
        "dates": dates.select(
            "article_id",
            "sentence_index",
            pl.col("date_char_start").alias("position"),
            "date_value",
            "date_precision",
            "date_text",
        ),
        "places": sure_places.with_columns(
            pl.col("location_type")
            .replace_strict(_TYPE_SPECIFICITY, return_dtype=pl.Int64)
            .alias("specificity")
        )
        # The earliest of a sentence's most specific places: a full sort order, so the choice does not
        # depend on which other articles share the frame.
        .sort("article_id", "sentence_index", "in_dateline", "specificity", "char_start")
        .unique(["article_id", "sentence_index"], keep="first", maintain_order=True)
        .select(
            "article_id",
            "sentence_index",
            pl.col("char_start").alias("position"),
            "location_id",
            "country_iso3",
            "location_type",
        ),
    }
    # An article that names no place at all is still placed in the country it speaks of
    # ("Lebanese truck drivers blocked the highway"), at country precision.
    country_rows = places_gazetteer_countries()
    country_refs = (
        actors.filter((pl.col("actor_kind") == "state") & pl.col("country_iso3").is_not_null())
        .join(context["places"].select("article_id").unique(), on="article_id", how="anti")
        .join(country_rows, on="country_iso3")
        .select(
            "article_id",
            pl.lit(-1, pl.Int64).alias("sentence_index"),
            pl.col("char_start").alias("position"),
            "location_id",
            "country_iso3",
            "location_type",
        )
    )
    context["places"] = pl.concat([context["places"], country_refs], how="vertical_relaxed")
    context["focus"] = _focus_country(sure_places, actors)
    return _assemble(enriched, cas_full, sentences, context)


def _without_motives(casualties: pl.DataFrame, mentions: pl.DataFrame) -> pl.DataFrame:
    """Drop deaths that a demonstration is about ("protested against the killing of two traders",
    "rioted after a rider was shot dead"): ACLED codes that earlier killing as an event of its own,
    so the demonstration's report does not carry its toll. Elsewhere ("the talks were cancelled
    after the assassination of ten union leaders") the death may be the only incident reported."""
    demonstrating = (
        mentions.filter(pl.col("event_type").is_in(DEMONSTRATION_TYPES))
        .select("article_id", "sentence_index")
        .unique()
        .with_columns(pl.lit(True).alias("__demonstrating"))
    )
    motive = pl.col("background") & pl.col("__demonstrating").fill_null(False)
    return (
        casualties.join(demonstrating, on=["article_id", "sentence_index"], how="left")
        .filter(~motive)
        .drop("__demonstrating")
    )
