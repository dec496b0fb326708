"""Default actors: the unnamed actor an event implies (unidentified armed group, protesters, rioters, civilians) and states acting outside their country."""

from __future__ import annotations

import polars as pl

from orchestration.extract.events.roles import _CROWD_TYPES
from orchestration.extract.events.vocabulary import _ACTOR_FIELDS, VIOLENT_TYPES


def _generic_actor(role: str, name: pl.Expr, actor_type: pl.Expr, keep_mention: bool = False) -> pl.Expr:
    """A generic actor (no country) in `role`'s struct fields ("a1" / "a2"), evidenced by the
    event's trigger, or by the role's own mention where `keep_mention` and one exists."""

    def evidence(field: str, trigger: str) -> pl.Expr:
        column = f"{role}_{field}"
        return (pl.coalesce(column, trigger) if keep_mention else pl.col(trigger)).alias(column)

    return pl.struct(
        name.alias(f"{role}_actor_name"),
        actor_type.alias(f"{role}_actor_type"),
        pl.lit("generic").alias(f"{role}_actor_kind"),
        pl.lit(None, pl.String).alias(f"{role}_actor_country"),
        evidence("mention_text", "trigger_text"),
        evidence("char_start", "trigger_start"),
        evidence("char_end", "trigger_end"),
    )


def _default_actors(events: pl.DataFrame) -> pl.DataFrame:
    """ACLED's actor conventions where the text names no one for a role:
    a protest's actor 1 is its protesters and a riot's its rioters (a state actor found there, such as
    police dispersing the crowd, is actor 2); violence by an unnamed perpetrator is an unidentified
    armed group's; arrests are made by the state's forces. Synthesised actors point at the trigger."""
    a1 = [f"a1_{c}" for c in _ACTOR_FIELDS]
    a2 = [f"a2_{c}" for c in _ACTOR_FIELDS]
    crowd = (
        pl.when(pl.col("event_type") == "Protests")
        .then(pl.lit("Protesters"))
        .when(pl.col("event_type") == "Riots")
        .then(pl.lit("Rioters"))
    )
    unnamed = (
        pl.when(pl.col("communal_fight") & (pl.col("event_type") == "Battles"))
        .then(pl.lit("Identity militia"))
        .when(pl.col("event_type").is_in(VIOLENT_TYPES))
        .then(pl.lit("Political militia"))
        .when(pl.col("sub_event_type") == "Arrests")
        .then(pl.lit("State forces"))
    )
    displaced_state = (
        crowd.is_not_null()
        & (pl.col("a1_actor_type") == "State forces")
        & (
            pl.col("a2_actor_name").is_null()
            # "police clashed with residents": the crowd is actor 1 in ACLED's coding
            | ((pl.col("a2_actor_kind") == "generic") & pl.col("a2_actor_type").is_in(_CROWD_TYPES))
        )
        & (pl.col("sub_event_type") != "Peaceful protest")
    )
    # Both sides of a fight between communities are communal militias.
    other_community = _generic_actor(
        "a2", pl.lit("Unidentified Communal Militia"), pl.lit("Identity militia")
    )
    communities_both_sides = (
        pl.col("communal_fight") & (pl.col("event_type") == "Battles") & pl.col("a2_actor_name").is_null()
    )
    rioters_both_sides = (
        pl.col("crowd_fight")
        & (pl.col("event_type") == "Riots")
        & (
            pl.col("a2_actor_name").is_null()
            | (
                (pl.col("a2_actor_kind") == "generic")
                & pl.col("a2_actor_type").is_in(["Civilians", "Rioters"])
            )
        )
    )
    # The crowd's own mention when one names it, else the trigger.
    other_crowd = _generic_actor("a2", pl.lit("Rioters"), pl.lit("Rioters"), keep_mention=True)
    # ACLED: violence against civilians has civilians on the receiving end by definition, named or
    # not ("a man was hacked to death", "gunmen opened fire in the market"); so do arrests that
    # name no armed group ("police arrested three suspects").
    unnamed_victims = (
        ((pl.col("event_type") == "Violence against civilians") | (pl.col("sub_event_type") == "Arrests"))
        & pl.col("a2_actor_name").is_null()
        & pl.col("civilian_victims").is_null()
    )
    civilians = _generic_actor("a2", pl.lit("Civilians"), pl.lit("Civilians"))
    # A peaceful protest has no second side in ACLED's coding: the government it addresses is not one.
    no_second_side = pl.col("sub_event_type") == "Peaceful protest"
    synthesised = pl.coalesce(
        pl.when(crowd.is_not_null() & (pl.col("a1_actor_type").fill_null("") != crowd)).then(crowd),
        pl.when(pl.col("a1_actor_name").is_null()).then(unnamed),
    )
    names = {
        "Political militia": "Unidentified Armed Group",
        "State forces": "State forces",
        "Identity militia": "Unidentified Communal Militia",
    }
    return (
        events.with_columns(
            synthesised.alias("__type"),
            pl.when(displaced_state)
            .then(pl.struct(a1).struct.rename_fields(a2))
            .when(rioters_both_sides)
            .then(other_crowd)
            .when(communities_both_sides)
            .then(other_community)
            .when(unnamed_victims)
            .then(civilians)
            .otherwise(pl.struct(a2))
            .alias("__a2_new"),
        )
        .with_columns(
            pl.when(pl.col("__type").is_not_null())
            .then(_generic_actor("a1", pl.col("__type").replace(names), pl.col("__type")))
            .otherwise(pl.struct(a1))
            .alias("__a1_new"),
        )
        .with_columns(
            pl.when(no_second_side).then(pl.lit(None)).otherwise(pl.col("__a2_new")).alias("__a2_new"),
            pl.when(no_second_side)
            .then(pl.lit(None, pl.String))
            .otherwise(pl.col("civilian_victims"))
            .alias("civilian_victims"),
        )
        .drop(a1, a2)
        .with_columns(
            pl.col("__a1_new").struct.unnest(),
            pl.col("__a2_new").struct.unnest(),
        )
        .drop("__a1_new", "__a2_new", "__type")
    )


def _foreign_state_is_external(prefix: str) -> pl.Expr:
    """ACLED: a state's forces acting outside their own country ("Velmari forces" raiding across the
    border, Velmari drones over Kora) are external forces there."""
    actor_country = pl.col(f"{prefix}actor_country")
    return (
        pl.when(
            (pl.col(f"{prefix}actor_type") == "State forces")
            & actor_country.is_not_null()
            & pl.col("country_iso3").is_not_null()
            & (actor_country != pl.col("country_iso3"))
        )
        .then(pl.lit("External/Other forces"))
        .otherwise(pl.col(f"{prefix}actor_type"))
    )
