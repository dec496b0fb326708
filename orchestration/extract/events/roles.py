"""Role assignment: which actor mention is actor 1 (agent, subject, nearest before the trigger) and which actor 2 (target, victims) of each trigger mention."""

from __future__ import annotations

import polars as pl

from orchestration.extract.events.vocabulary import (
    _AGENT_BY,
    _AGENT_FROM,
    _CLAUSE_BREAK,
    _LIGHT_VERB_BEFORE,
    _NOT_SUBJECT_GAP,
    _NOUN_TRIGGER_BEFORE,
    _PASSIVE_BEFORE,
    _PASSIVE_BEFORE_UPPER,
    _SUBJECT_GAP,
    VIOLENT_TYPES,
    _clause_gap,
)


def _nearest_mention(items: pl.DataFrame, mentions: pl.DataFrame, position: str) -> pl.DataFrame:
    """Attach each item to the nearest mention before it in its sentence, else the nearest after."""
    pairs = items.join(
        mentions.select("article_id", "sentence_index", "mention_id", "m_start"),
        on=["article_id", "sentence_index"],
    ).with_columns(
        (pl.col(position) >= pl.col("m_start")).alias("__after_trigger"),
        (pl.col(position) - pl.col("m_start")).abs().alias("__distance"),
    )
    item_key = [c for c in items.columns]
    return (
        pairs.sort(
            [*item_key, "__after_trigger", "__distance"],
            descending=[False] * len(item_key) + [True, False],
            nulls_last=True,
        )
        .unique(item_key, keep="first", maintain_order=True)
        .drop("m_start", "__after_trigger", "__distance")
    )


# An unarmed collective ("villagers", "supporters of the candidate", "a mob") as the one acting.
_CROWD_TYPES = ["Civilians", "Rioters", "Protesters"]
_is_crowd = pl.col("actor_type").is_in(_CROWD_TYPES) & (pl.col("actor_kind") == "generic")


def _with_previous_actor(actors: pl.DataFrame) -> pl.DataFrame:
    """`actors` with where the previous actor of the same sentence ends and whether it is a crowd."""
    same_sentence = ["article_id", "sentence_index"]
    return actors.with_columns(
        pl.col("char_end").shift(1).over(same_sentence, order_by="char_start").alias("__previous_end"),
        _is_crowd.shift(1).over(same_sentence, order_by="char_start").alias("__previous_is_crowd"),
    )


def _assign_actors(mentions: pl.DataFrame, actors: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """actor1 / actor2 mention per event mention (see the module docstring)."""
    pairs = mentions.select(
        "article_id",
        "sentence_index",
        "mention_id",
        "m_start",
        "m_end",
        "sentence_text",
        "sentence_start",
        "event_type",
    ).join(
        _with_previous_actor(actors.with_row_index("actor_mention_id")), on=["article_id", "sentence_index"]
    )
    rel_m_start = pl.col("m_start") - pl.col("sentence_start")
    rel_m_end = pl.col("m_end") - pl.col("sentence_start")
    rel_a_start = pl.col("char_start") - pl.col("sentence_start")
    rel_a_end = pl.col("char_end") - pl.col("sentence_start")
    between_after = pl.col("sentence_text").str.slice(
        rel_m_end, pl.max_horizontal(rel_a_start - rel_m_end, 0)
    )
    text_before_trigger = pl.col("sentence_text").str.slice(0, rel_m_start)
    between_before = _clause_gap(
        pl.col("sentence_text").str.slice(rel_a_end, pl.max_horizontal(rel_m_start - rel_a_end, 0))
    )
    pairs = pairs.with_columns(
        (
            (pl.col("char_end") <= pl.col("m_start"))
            # the subject opening a long trigger ("guerrillas killed 10 policemen", "warplanes struck")
            | ((pl.col("char_start") == pl.col("m_start")) & (pl.col("char_end") < pl.col("m_end")))
        ).alias("before"),
        (
            (pl.col("char_start") >= pl.col("m_end"))
            # the target inside a long trigger ("fired mortars at the governmental positions")
            | ((pl.col("char_start") > pl.col("m_start")) & (pl.col("char_end") <= pl.col("m_end")))
        ).alias("after"),
        (
            between_after.str.contains(_AGENT_BY)
            | (between_after.str.contains(_AGENT_FROM) & pl.col("event_type").is_in(VIOLENT_TYPES))
        ).alias("is_agent"),
        between_after.str.contains(_CLAUSE_BREAK).alias("clause_break"),
        (
            text_before_trigger.str.contains(_PASSIVE_BEFORE)
            # wire copy in capitals ("WERE KILLED")
            | (
                ~pl.col("sentence_text").str.contains(r"\p{Ll}")
                & text_before_trigger.str.contains(_PASSIVE_BEFORE_UPPER)
            )
        ).alias("passive"),
        (
            pl.col("mention_text").str.contains(r"['’]s$")
            | pl.col("sentence_text").str.slice(rel_a_end, 2).str.contains(r"^['’]s")
        ).alias("possessive"),
        (
            between_before.str.contains(_SUBJECT_GAP)
            & ~between_before.str.contains(_NOT_SUBJECT_GAP)
            & (
                ~between_before.str.contains(_NOUN_TRIGGER_BEFORE)
                | between_before.str.contains(_LIGHT_VERB_BEFORE)
            )
        ).alias("subject_of_trigger"),
        (rel_m_start - rel_a_end).alias("gap_before"),
        (rel_a_start - rel_m_end).alias("gap_after"),
    )
    usable = ~pl.col("is_locative") & ~pl.col("is_claimant")
    agent = (
        pairs.filter(pl.col("after") & pl.col("is_agent") & usable)
        .sort("mention_id", "gap_after")
        .unique("mention_id", keep="first")
        .select(
            "mention_id", pl.col("actor_mention_id").alias("agent_id"), _is_crowd.alias("__agent_is_crowd")
        )
    )
    # "youths and police clashed", "members of KLF and the gendarmes clashed": a crowd joined to the
    # state's forces as the subject of a clash fights them.
    joined_to_crowd = (
        pl.col("__previous_is_crowd")
        & (pl.col("actor_type") == "State forces")
        & pl.col("sentence_text")
        .str.slice(
            pl.col("__previous_end") - pl.col("sentence_start"),
            pl.max_horizontal(pl.col("char_start") - pl.col("__previous_end"), 0),
        )
        .str.contains(r"(?i)^\s*(?:[\w'’()-]+\s+){0,3}?and\s+(?:the\s+)?$")
    ).fill_null(False)
    preceding = (
        pairs.filter(pl.col("before") & usable & (pl.col("actor_type") != "Civilians"))
        .sort("mention_id", "gap_before")
        .unique("mention_id", keep="first")
        .select(
            "mention_id",
            pl.col("actor_mention_id").alias("preceding_id"),
            "passive",
            (joined_to_crowd & ~pl.col("passive") & pl.col("subject_of_trigger")).alias("__joined_crowd"),
        )
    )
    # Residents, villagers or a crowd doing the violence themselves ("residents lynched", "a group of
    # people clashed"): ACLED's mob violence, by rioters.
    crowd = (
        # a crowd noun that is not the subject ("residents, including two women, beat") is passed over
        pairs.filter(
            pl.col("before") & usable & ~pl.col("passive") & (pl.col("subject_of_trigger") | ~_is_crowd)
        )
        .sort("mention_id", "gap_before")
        .unique("mention_id", keep="first")
        .filter(_is_crowd & pl.col("subject_of_trigger"))
        .select("mention_id", pl.lit(True).alias("crowd_agent"))
    )
    following_all = pairs.filter(
        pl.col("after") & usable & ~pl.col("is_agent") & ~pl.col("possessive") & ~pl.col("clause_break")
    ).sort("mention_id", "gap_after")
    following = following_all.unique("mention_id", keep="first").select(
        "mention_id", pl.col("actor_mention_id").alias("following_id")
    )
    # "clashes between A and B": A acted, B is the other side ("a clash between two crowds": both).
    between_first = (
        pairs.filter(
            pl.col("after")
            & usable
            & between_after.str.contains(r"(?i)^\s*(?:\w+\s+){0,3}?between\s+(?:the\s+)?$")
        )
        .sort("mention_id", "gap_after")
        .unique("mention_id", keep="first")
        .select(
            "mention_id",
            pl.col("actor_mention_id").alias("between_first"),
            pl.col("char_end").alias("__first_end"),
            _is_crowd.alias("__first_is_crowd"),
        )
    )
    between_second = (
        between_first.join(
            pairs.filter(pl.col("after") & usable).select("mention_id", "actor_mention_id", "char_start"),
            on="mention_id",
        )
        .filter(pl.col("char_start") > pl.col("__first_end"))
        .sort("mention_id", "char_start")
        .unique("mention_id", keep="first")
        .select("mention_id", pl.col("actor_mention_id").alias("between_second"))
    )
    between = between_first.join(between_second, on="mention_id", how="left").drop("__first_end")
    roles = (
        mentions.select("mention_id")
        .join(agent, on="mention_id", how="left")
        .join(preceding, on="mention_id", how="left")
        .join(following, on="mention_id", how="left")
        .join(crowd, on="mention_id", how="left")
        .join(between, on="mention_id", how="left")
        .with_columns(pl.col("passive").fill_null(False), pl.col("crowd_agent").fill_null(False))
        .with_columns(
            pl.when(pl.col("between_first").is_not_null() & pl.col("preceding_id").is_null())
            .then(pl.col("between_second"))
            .otherwise(pl.col("following_id"))
            .alias("following_id"),
            pl.when(pl.col("preceding_id").is_null())
            .then(pl.col("between_first"))
            .otherwise(pl.col("preceding_id"))
            .alias("preceding_id"),
            # "a clash between two crowds of herders": the crowd is both sides.
            (
                pl.col("crowd_agent")
                | pl.col("__joined_crowd").fill_null(False)
                | (pl.col("preceding_id").is_null() & pl.col("__first_is_crowd").fill_null(False))
                # "was beaten to death by villagers"
                | pl.col("__agent_is_crowd").fill_null(False)
            ).alias("crowd_agent"),
        )
        .select(
            "mention_id",
            pl.when(pl.col("agent_id").is_not_null())
            .then(pl.col("agent_id"))
            .when(~pl.col("passive"))
            .then(pl.col("preceding_id"))
            .alias("actor1_mention"),
            pl.when(pl.col("passive") & pl.col("agent_id").is_null())
            .then(pl.coalesce(pl.col("preceding_id"), pl.col("following_id")))
            .otherwise(pl.col("following_id"))
            .alias("actor2_mention"),
            "crowd_agent",
        )
    )
    return roles, actors.with_row_index("actor_mention_id")
