"""Trigger mentions: the lexicon matched in event sentences, generic triggers typed by context, and the mentions that are not acts (hypothetical, negated, remembered, a protest's grievance)."""

from __future__ import annotations

import polars as pl

from orchestration.extract.events.vocabulary import (
    _CASUALTY_DEFAULTS,
    _EVENT_BLOCKS,
    _HARMFUL_TYPES,
    _PROTESTER_VICTIMS,
    VIOLENT_TYPES,
)
from orchestration.extract.reference import event_triggers
from orchestration.extract.spans import find_all


def _retyped(
    condition: pl.Expr,
    event_type: str,
    sub_event_type: str,
    *,
    type_column: str = "event_type",
    sub_type_column: str = "sub_event_type",
) -> list[pl.Expr]:
    """Both type columns set where `condition` holds (evaluated on the values before the change)."""
    return [
        pl.when(condition).then(pl.lit(event_type)).otherwise(pl.col(type_column)).alias(type_column),
        pl.when(condition)
        .then(pl.lit(sub_event_type))
        .otherwise(pl.col(sub_type_column))
        .alias(sub_type_column),
    ]


def trigger_mentions(sentences: pl.DataFrame) -> pl.DataFrame:
    lexicon = event_triggers().with_row_index("rule")
    combined = r"(?i:\b(?:" + "|".join(f"(?:{p})" for p in lexicon["pattern"]) + r")\b)"
    found = find_all(
        sentences.lazy().filter(pl.col("block_kind").is_in(_EVENT_BLOCKS)),
        text="sentence_text",
        pattern=combined,
        keep=["article_id", "sentence_index", "char_start", "sentence_text"],
        prefix="trigger",
    )
    rule = pl.lit(None, pl.UInt32)
    for index, pattern in reversed(list(enumerate(lexicon["pattern"]))):
        rule = (
            pl.when(pl.col("trigger_text").str.contains(f"(?i)^(?:{pattern})$"))
            .then(pl.lit(index, pl.UInt32))
            .otherwise(rule)
        )
    # A generic phrase can swallow a specific trigger ("fired 60mm mortars at the barracks"): the
    # weapon it names decides the type.
    inner = pl.lit(None, pl.UInt32)
    for index, (pattern, kind) in reversed(list(enumerate(zip(lexicon["pattern"], lexicon["kind"])))):
        if kind == "specific":
            inner = (
                pl.when(pl.col("trigger_text").str.contains(f"(?i)\\b(?:{pattern})\\b"))
                .then(pl.lit(index, pl.UInt32))
                .otherwise(inner)
            )
    generic_rules = lexicon.filter(pl.col("kind") == "generic")["rule"].implode()
    return (
        found.with_columns(rule.alias("rule"))
        .with_columns(
            pl.when(pl.col("rule").is_in(generic_rules))
            .then(pl.coalesce(inner, pl.col("rule")))
            .otherwise(pl.col("rule"))
            .alias("rule")
        )
        .join(lexicon.lazy().drop("pattern"), on="rule", how="inner")
        .select(
            "article_id",
            "sentence_index",
            "sentence_text",
            pl.col("char_start").alias("sentence_start"),
            (pl.col("char_start") + pl.col("trigger_start")).cast(pl.Int64).alias("m_start"),
            (pl.col("char_start") + pl.col("trigger_end")).cast(pl.Int64).alias("m_end"),
            "trigger_text",
            pl.col("event_type").alias("rule_type"),
            pl.col("sub_event_type").alias("rule_sub_type"),
            "kind",
        )
        .collect()
    )


# "protested the death of a rider", "demanding justice for the killing of two students": a death
# named as what a protest is about happened before it; it is not an event of this report.
_NOMINAL_CASUALTY = (
    r"(?i)^(?:the\s+)?(?:deaths?|killings?|murders?|assassinations?|lynchings?|shootings?|stabbings?|"
    r"injur(?:y|ies)|beatings?)\s+of\b"
)


def _grievances(sentences: pl.DataFrame, casualties: pl.DataFrame, typed: pl.DataFrame) -> pl.DataFrame:
    """Casualty figures (article_id, char_start) in nominal form in a sentence with a protest."""
    protest_sentences = (
        typed.filter(pl.col("event_type") == "Protests")
        .group_by("article_id", "sentence_index")
        .agg(pl.col("m_start").min().alias("__protest_start"))
    )
    phrase_offset = (pl.col("phrase_char_start") - pl.col("__sentence_start")).cast(pl.Int64)
    return (
        casualties.join(protest_sentences, on=["article_id", "sentence_index"])
        .join(
            sentences.select("article_id", "sentence_index", pl.col("char_start").alias("__sentence_start")),
            on=["article_id", "sentence_index"],
        )
        .filter(
            pl.col("evidence_text").str.slice(phrase_offset).str.contains(_NOMINAL_CASUALTY)
            | (
                (pl.col("phrase_char_start") > pl.col("__protest_start"))
                & pl.col("evidence_text").str.slice(0, phrase_offset).str.contains(_GRIEVANCE_CUE)
            )
            | pl.col("evidence_text").str.slice(0, phrase_offset).str.contains(_RELATIVE_CLAUSE)
        )
        .select("article_id", "char_start")
    )


# A trigger governed by a modal or an intention ("will attack", "would be a massacre", "threatened
# to bomb") reports no act; nor does one that is negated or denied ("no priest has ever been
# murdered", "did not attack", "denied attacking"). The cue must sit a few words before the trigger,
# in the same clause. "may" is left out: in upper-case wire copy it is also the month.
_IRREALIS_CUE = (
    r"will|would|could|might|can|cannot|should|must|shall|"
    r"(?:threaten|plan|vow|intend|promise|want|seek|prepare|aim)(?:s|ed|ing)? to|"
    # an act still in the making or only feared: "preparing an attack", "the possibility of a raid"
    r"prepar(?:e|es|ed|ing)|plott?(?:s|ed|ing)?|possibility of|threats? of|risk of|fears? of|would-be"
)
_NEGATION_CUE = r"not|never|no|nor|denied|denies|deny|denying"
_UNREAL_BEFORE = rf"(?i)\b(?:{_IRREALIS_CUE}|{_NEGATION_CUE})(?:\s+[\w'’-]+){{0,4}}\s+$"
# Remembering an act is no report of it: "let us recall the explosion", "the anniversary of the massacre".
_REMEMBERED_BEFORE = (
    r"(?i)\b(?:recall(?:s|ed|ing)?|remember(?:s|ed|ing)?|commemorat\w+|anniversary of|in memory of)"
    r"(?:\s+[\w'’-]+){0,3}\s+$"
)
# A fight against a social ill is a figure of speech: "the battle against drug trafficking".
_FIGURATIVE_AFTER = (
    r"(?i)^\s+(?:against|on) (?:the )?(?:drug[- ]trafficking|drugs|narcotics|drug trade|corruption|crime|"
    r"poverty|terrorism|impunity|inflation|hunger|illiteracy|smuggling|(?:corona)?virus|covid(?:-19)?|pandemic)\b"
    r"|(?i)^\s+of (?:words|ideas)\b"
)


def _text_before_trigger() -> pl.Expr:
    """The mention's sentence up to its trigger."""
    return pl.col("sentence_text").str.slice(0, pl.col("m_start") - pl.col("sentence_start"))


def _unreal_trigger() -> pl.Expr:
    before = _text_before_trigger()
    after = pl.col("sentence_text").str.slice(pl.col("m_end") - pl.col("sentence_start"))
    return (
        before.str.contains(_UNREAL_BEFORE)
        | before.str.contains(_REMEMBERED_BEFORE)
        | after.str.contains(_FIGURATIVE_AFTER)
    )


def _fallback_mentions(
    sentences: pl.DataFrame, casualties: pl.DataFrame, typed: pl.DataFrame
) -> pl.DataFrame:
    """A casualty figure in a sentence without a trigger that could own it stands for its own event
    (deaths and injuries need a violent trigger; abductions and arrests any trigger)."""
    defaults = pl.DataFrame(
        [(k, *v) for k, v in _CASUALTY_DEFAULTS.items()],
        schema=["outcome", "rule_type", "rule_sub_type"],
        orient="row",
    )
    owners = typed.select(
        "article_id", "sentence_index", pl.col("event_type").is_in(_HARMFUL_TYPES).alias("harmful")
    )
    violent_sentences = owners.filter(pl.col("harmful")).select("article_id", "sentence_index").unique()
    any_sentences = owners.select("article_id", "sentence_index").unique()
    harm = (
        casualties.filter(pl.col("outcome").is_in(["killed", "injured"]))
        .join(violent_sentences, on=["article_id", "sentence_index"], how="anti")
        .join(_grievances(sentences, casualties, typed), on=["article_id", "char_start"], how="anti")
    )
    other = casualties.filter(~pl.col("outcome").is_in(["killed", "injured"])).join(
        any_sentences, on=["article_id", "sentence_index"], how="anti"
    )
    return (
        pl.concat([harm, other])
        .join(defaults, on="outcome")
        .with_columns(
            _retyped(
                pl.col("victim_group").str.contains(_PROTESTER_VICTIMS)
                & pl.col("outcome").is_in(["killed", "injured"]),
                "Protests",
                "Excessive force against protesters",
                type_column="rule_type",
                sub_type_column="rule_sub_type",
            )
        )
        .sort("article_id", "char_start")
        .unique(["article_id", "sentence_index"], keep="first", maintain_order=True)
        .join(
            sentences.select(
                "article_id", "sentence_index", "sentence_text", pl.col("char_start").alias("sentence_start")
            ),
            on=["article_id", "sentence_index"],
        )
        .select(
            "article_id",
            "sentence_index",
            "sentence_text",
            "sentence_start",
            pl.col("phrase_char_start").alias("m_start"),
            pl.col("char_end").alias("m_end"),
            # the phrase up to the figure's end, so text and span agree
            pl.col("sentence_text")
            .str.slice(
                (pl.col("phrase_char_start") - pl.col("sentence_start")).cast(pl.Int64),
                (pl.col("char_end") - pl.col("phrase_char_start")).cast(pl.Int64),
            )
            .alias("trigger_text"),
            "rule_type",
            "rule_sub_type",
            pl.lit("fallback").alias("kind"),
            pl.col("rule_type").alias("event_type"),
            pl.col("rule_sub_type").alias("sub_event_type"),
        )
    )


# An arrest named as a grievance ("demanding the release of those arrested", "against the arrest
# of") happened before; it is not the authorities acting at this event.
_GRIEVANCE_BEFORE = (
    r"(?i)\b(?:release|releasing|demand(?:s|ed|ing)?|condemn(?:s|ed|ing)?|justice for|denounc(?:e|ed|ing))\b[^;.]*$|"
    r"\b(?:against|over|protest(?:s|ed|ing)?)\s+(?:the\s+|their\s+|his\s+|her\s+)?(?:\w+\s+)?$"
)
# "vandalized the office, following anti-government demonstrations": the protests are background.
_BACKGROUND_BEFORE = (
    r"(?i)\b(?:following|after|returning from|in the wake of)\s+(?:(?:the|a|an)\s+)?(?:[\w-]+\s+){0,3}$"
)
_EARLIER_BEFORE = r"(?i)\b(?:prior|previous|earlier|past)\s+(?:[\w-]+\s+)?$"
# "the protesters dispersed" (they left) is not the police dispersing them.
_CROWD_LEFT = (
    r"(?i)\b(?:protesters|protestors|demonstrators|crowd|they|participants|rally|gathering)\s+(?:\w+\s+)?$"
)


def _drops_non_acts(triggered: pl.DataFrame) -> pl.DataFrame:
    before = _text_before_trigger()
    grievance = (pl.col("rule_sub_type") == "Arrests") & before.str.contains(_GRIEVANCE_BEFORE)
    crowd_left = pl.col("trigger_text").str.to_lowercase().str.starts_with("dispers") & before.str.contains(
        _CROWD_LEFT
    )
    # "intervened", "used force", "broke up" say nothing of a protest unless the article reports one.
    intervention = pl.col("trigger_text").str.contains(r"(?i)^(?:intervened|used force|broke up)$")
    lone_intervention = intervention & ~(pl.col("rule_type") == "Protests").filter(~intervention).any().over(
        "article_id"
    )
    # "against the strike called over prior clashes": a back-reference to another event.
    earlier = before.str.contains(_EARLIER_BEFORE) | (
        (pl.col("rule_type") == "Protests") & before.str.contains(_BACKGROUND_BEFORE)
    ).fill_null(False)
    return triggered.filter(
        ~grievance.fill_null(False)
        & ~crowd_left.fill_null(False)
        & ~earlier
        & ~lone_intervention.fill_null(False)
    )


# What a protest is about, after it in its sentence: violence in a relative clause ("colleagues of a
# teacher who was shot dead staged a protest") or named as the grievance ("protested against the
# rape and killing of a girl", "demanding the return of children kidnapped by rebels").
_GRIEVANCE_CUE = (
    r"(?i)(?:\b(?:who|whom|whose|which|that)(?:\s+[\w'’-]+){0,4}|"
    r"\b(?:against|over|demand(?:s|ed|ing)?|justice for|condemn(?:s|ed|ing)?|denounc(?:e|ed|ing))"
    r"(?:\s+[\w'’-]+){0,5})\s*$"
)


_RELATIVE_CLAUSE = r"(?i)\b(?:who|whom|whose)(?:\s+[\w'’-]+){0,4}\s*$"


def _grievance_of_a_protest() -> pl.Expr:
    before = _text_before_trigger()
    protest_start = (
        pl.col("m_start")
        .filter(pl.col("event_type") == "Protests")
        .min()
        .over("article_id", "sentence_index")
    )
    return (
        pl.col("event_type").is_in(VIOLENT_TYPES)
        & (
            ((protest_start < pl.col("m_start")) & before.str.contains(_GRIEVANCE_CUE))
            # the protesters' description, before the protest ("colleagues of a teacher who was shot")
            | (protest_start.is_not_null() & before.str.contains(_RELATIVE_CLAUSE))
        )
        # "protested over the arrests and attacked the police": a coordinated verb is the crowd's act
        & ~before.str.contains(r"(?i)\band\s+(?:then\s+|later\s+)?$")
    )


def _typed_mentions(sentences: pl.DataFrame, casualties: pl.DataFrame) -> pl.DataFrame:
    triggered = _drops_non_acts(trigger_mentions(sentences)).filter(~_unreal_trigger())
    has_specific = (pl.col("kind") == "specific").any().over("article_id", "sentence_index")
    antecedent = (
        pl.when((pl.col("kind") == "specific") & pl.col("rule_type").is_in(VIOLENT_TYPES))
        .then(pl.struct(pl.col("rule_type").alias("t"), pl.col("rule_sub_type").alias("s")))
        .forward_fill()
        .over("article_id", order_by="m_start")
    )
    typed = (
        triggered.sort("article_id", "m_start")
        .filter((pl.col("kind") == "specific") | ~has_specific)
        .with_columns(antecedent.alias("__antecedent"))
        .with_columns(
            pl.when(pl.col("kind") == "specific")
            .then(pl.col("rule_type"))
            .otherwise(pl.coalesce(pl.col("__antecedent").struct.field("t"), pl.col("rule_type")))
            .alias("event_type"),
            pl.when(pl.col("kind") == "specific")
            .then(pl.col("rule_sub_type"))
            .otherwise(pl.coalesce(pl.col("__antecedent").struct.field("s"), pl.col("rule_sub_type")))
            .alias("sub_event_type"),
        )
        .drop_nulls("event_type")
        .drop("__antecedent")
        # Arrests at a protest are the authorities' intervention in it (ACLED codes one event).
        .with_columns(
            _retyped(
                (pl.col("sub_event_type") == "Arrests")
                & (pl.col("event_type") == "Protests").any().over("article_id"),
                "Protests",
                "Protest with intervention",
            )
        )
    )
    typed = typed.filter(~_grievance_of_a_protest().fill_null(False))
    fallback = _fallback_mentions(sentences, casualties, typed)
    # A bare casualty sentence after a violent event continues it ("Rebels and soldiers clashed ...
    # Twelve fighters were killed"): it takes that event's type, and merging decides the rest.
    previous_violent = (
        pl.when(pl.col("event_type").is_in(VIOLENT_TYPES) & (pl.col("kind") != "fallback"))
        .then(pl.struct(pl.col("event_type").alias("t"), pl.col("sub_event_type").alias("s")))
        .forward_fill()
        .over("article_id", order_by="m_start")
    )
    continued = (
        pl.col("__previous").is_not_null()
        & (pl.col("kind") == "fallback")
        & (pl.col("rule_sub_type") != "Excessive force against protesters")
    )
    return (
        pl.concat([typed, fallback], how="vertical_relaxed")
        .sort("article_id", "m_start")
        .with_columns(previous_violent.alias("__previous"))
        .with_columns(
            pl.when(continued)
            .then(pl.col("__previous").struct.field("t"))
            .otherwise(pl.col("event_type"))
            .alias("event_type"),
            pl.when(continued)
            .then(pl.col("__previous").struct.field("s"))
            .otherwise(pl.col("sub_event_type"))
            .alias("sub_event_type"),
            pl.when(pl.col("kind") == "fallback")
            .then(pl.lit("generic"))
            .otherwise(pl.col("kind"))
            .alias("kind"),
        )
        .drop("__previous")
        .with_row_index("mention_id")
    )
