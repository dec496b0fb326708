"""Event mentions -> events: triggers, their arguments, and one event per real-world event.

1. Triggers from the lexicon (seeds/reference/event_triggers.csv) in headline, standfirst and body
   sentences (never in embedded tweets or subheads). A generic trigger ("the strikes", "the
   attack") takes the type of the latest specific violent mention before it in the article, else
   its own default type, else it is dropped; in a sentence that has a specific trigger, generic ones
   are dropped (they refer to it). A sentence with a casualty figure and no trigger is a mention too.
2. Arguments: each casualty figure, place and date goes to the nearest trigger before it in its
   sentence, else the nearest after it. Actor 1 is the nearest actor before the trigger (not in a
   locative phrase, not the source of a claim), or its agent ("attack by X", "missiles from X");
   in the passive ("was summoned") the actor before the trigger is actor 2. Actor 2 is otherwise
   the first actor after the trigger in the same clause that is not a possessive; failing that,
   civilian victims of the event's casualties.
3. Mentions of one event in one article (headline, body, later back-references) are merged when
   they share the event type and nothing conflicts: same actor 1, same country, region and place,
   same date, and the same death toll, where both mentions state one.
"""

from __future__ import annotations

from functools import lru_cache

import polars as pl

from orchestration.extract.gazetteer import countries, stable_id
from orchestration.extract.gazetteer import places as gazetteer_places
from orchestration.extract.reference import event_triggers, event_types
from orchestration.extract.spans import find_all

VIOLENT_TYPES = ["Battles", "Explosions/Remote violence", "Violence against civilians"]
DEMONSTRATION_TYPES = ["Protests", "Riots"]
# One demonstration is reported as a protest, the police's response and the crowd's violence; the
# event takes the most severe reading (ACLED: violent demonstrators make it a riot).
_DEMONSTRATION_SEVERITY = {
    "Peaceful protest": 1,
    "Protest with intervention": 2,
    "Excessive force against protesters": 3,
    "Violent demonstration": 4,
    "Mob violence": 5,
}
# Event types a death or injury can belong to. A protest does not own deaths by itself: deaths of
# protesters become their own event, typed excessive force against protesters.
_HARMFUL_TYPES = [*VIOLENT_TYPES, "Riots"]
_PROTESTER_VICTIMS = r"(?i)\b(?:protesters?|protestors?|demonstrators?|marchers?)\b"
_EVENT_BLOCKS = ["headline", "standfirst", "body"]
# Victims are civilians unless the text names them as armed (soldiers, police, militants ...).
_ARMED_VICTIMS = (
    r"soldiers?|troops?|servicem[ae]n|police|policem[ae]n|officers?|guards?|gendarmes?|militants?|fighters?|"
    r"rebels?|terrorists?|subversives?|guerrillas?|insurgents?|extremists?|gunm[ae]n|attackers?|assailants?|"
    r"jihadists?|combatants?|militiam[ae]n|militias?|elements?|personnel|commanders?|cadres?|recruits?|"
    r"paramilitaries|members|suicide bombers?|bombers?|snipers?|forces"
)


def _is_civilian(victim_group: pl.Expr) -> pl.Expr:
    return victim_group.is_not_null() & ~victim_group.str.contains(rf"(?i)\b(?:{_ARMED_VICTIMS})\b")


# What an event carries about each role's actor (prefixed a1_ / a2_).
_ACTOR_FIELDS = (
    "actor_name",
    "actor_type",
    "actor_kind",
    "actor_country",
    "mention_text",
    "char_start",
    "char_end",
)
_ARMED_TYPES = [
    "State forces",
    "Rebel group",
    "Political militia",
    "Identity militia",
    "External/Other forces",
]
# "shot dead by two masked men", "rockets fired by suspected KLF units": a determiner or a
# couple of modifiers may stand between "by" and the agent's noun.
_AGENT_BY = r"^\s*(?:[\w'’-]+\s+){0,2}?by\s+(?:[\w'’-]+\s+){0,2}$"
# "rockets from Velmar" names who fired; "withdrew its envoy from Velmar" does not.
_AGENT_FROM = r"^\s*(?:[\w'’-]+\s+){0,2}?from\s+(?:the\s+)?$"
_PASSIVE_AUX = r"was|were|been|being|be|is|are|got"
# Case matters in mixed-case text: "IS fighters stormed" names the Islamic State, not a passive.
_PASSIVE_BEFORE = (
    rf"\b(?:{_PASSIVE_AUX}|{'|'.join(a.capitalize() for a in _PASSIVE_AUX.split('|'))})\s+(?:\w+\s+)?$"
)
_PASSIVE_BEFORE_UPPER = rf"\b(?:{_PASSIVE_AUX.upper()})\s+(?:\w+\s+)?$"
# Between a subject and its verb: a few words ("backers of both mayors clashed"), no clause
# break, no verb of its own ("traders were hurt in a raid", "relatives of tortured persons").
_SUBJECT_GAP = r"(?i)^(?:\s*[\w'’()-]+){0,10}\s*$"
_NOT_SUBJECT_GAP = r"(?i)[;:,]|\b(?:that|which|who|whom|was|were|been|be|is|are|will|would|have|has|had|said|says)\b|^\s*of\s*$|['’]s\b"
# Material that sits between a subject and its verb without breaking the clause: a bracketed place
# ("villagers in Kalo (Dara, North) beat"), an appositive ("people, including two guards, beat") and
# earlier verbs of a coordinated list ("residents caught, tied up, and beat").
_PARENTHESIS = r"\s*\([^()]*\)"
_APPOSITIVE = (
    r"(?i),\s*(?:including|led by|along with|together with|backed by|armed with|among them|mostly|"
    r"reportedly|allegedly)\b[^,;:]*,"
)
_COORDINATED_VERBS = r"(?i)(?:\b[a-z]+(?:\s+(?:up|down|out|off|away))?,\s+)+(?:and\s+)?$"


def _clause_gap(gap: pl.Expr) -> pl.Expr:
    """`gap` (text between a subject and a verb) without insertions that leave the clause whole."""
    return (
        gap.str.replace_all(_PARENTHESIS, "")
        .str.replace_all(_APPOSITIVE, "")
        .str.replace(_COORDINATED_VERBS, "")
    )


# A trigger that is a noun after a preposition or determiner is not the crowd's own act ("people
# joined during the fighting", "chiefs and the mass killing of herders"), unless a light verb
# makes it one ("engaged in a clash", "carried out an attack").
_NOUN_TRIGGER_BEFORE = (
    r"(?i)\b(?:during|in|of|after|before|following|amid|from|by|for|over|at|on|into|against|"
    # a modifier may stand before the noun ("in heavy fighting"); a name does not ("in Kelton beat",
    # "members of KLF clashed")
    r"the|a|an|this|that|these|those|their|its|his|her)\s+(?:(?-i:[\p{Ll}\d-][\w-]*)\s+)?$"
)
_LIGHT_VERB_BEFORE = (
    r"(?i)\b(?:(?:engaged|involved|took part|participated|joined)\s+in|carried out|launched|staged|mounted)\s+"
    r"(?:(?:the|a|an)\s+)?(?:[\w-]+\s+)?$"
)
_CLAUSE_BREAK = r"[;:,]|\b(?:that|which|who|after|before|while|when|as|but|following|amid|since|because)\b"
_COMMUNAL_CONTEXT = (
    r"(?i)\b(?:ethnic|inter-?ethnic|communal|inter-?communal|tribal|clan|communit(?:y|ies)|pastoralists?|"
    r"herders?|herdsm[ae]n|famil(?:y|ies))\b"
)
# A fight, not an exchange of fire ("shots", "exchanged fire" need arms) nor a bare casualty figure.
_FIGHT_WORD = r"(?i)^(?:clash|fight|fought|skirmish|scuffle|brawl)"
# Collectives that name a community by descent or way of life (not a village's or a family's members).
_COMMUNITIES = (
    r"(?i)\b(?:ethnic|inter-?ethnic|communal|inter-?communal|tribal|tribes?|clans?|inter-?clan|pastoralists?|"
    r"herders?|herdsm[ae]n)\b"
)
_CASUALTY_DEFAULTS = {
    "killed": ("Violence against civilians", "Attack"),
    "injured": ("Violence against civilians", "Attack"),
    "abducted": ("Violence against civilians", "Abduction/forced disappearance"),
    "arrested": ("Strategic developments", "Arrests"),
}
_TYPE_SPECIFICITY = {"place": 0, "admin1": 1, "country": 2}


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


_CLUSTER_FIELDS = ("a1_key", "country_iso3", "admin1", "place_id", "date_value", "killed_best")


def _cluster(mentions: pl.DataFrame) -> pl.DataFrame:
    """Assign each mention to an event (`root`, the id of the event's first mention).

    Greedy in text order: a mention joins the first earlier event of its family whose accumulated
    fields do not conflict with its own (null is compatible with anything). Violent events form one
    family per event type (one strike is "missiles" in one sentence and "air strikes" in the next),
    and within one sentence all violent types are one family ("fired artillery, mortars and small
    arms at the positions" is one event); demonstrations are one family; other events need the
    same sub-type. This is sequential by nature, so it is a Python loop over a narrow frame: a few
    mentions per article, measured at about 1 µs per mention-event pair.
    """
    family = (
        pl.when(pl.col("event_type").is_in(VIOLENT_TYPES))
        .then(pl.col("event_type"))
        .when(pl.col("event_type").is_in(DEMONSTRATION_TYPES))
        .then(pl.lit("Demonstrations"))
        .otherwise(pl.format("{}|{}", "event_type", "sub_event_type"))
    )
    narrow = mentions.sort("article_id", "m_start").select(
        "mention_id",
        "article_id",
        "sentence_index",
        family.alias("family"),
        pl.col("event_type").is_in(VIOLENT_TYPES).alias("violent"),
        *_CLUSTER_FIELDS,
    )
    roots: list[int] = []
    article = None
    clusters: list[tuple[str, int, dict, set[int]]] = []
    for row in narrow.iter_rows(named=True):
        if row["article_id"] != article:
            article, clusters = row["article_id"], []
        for family_name, root, fields, sentences in clusters:
            same_family = family_name == row["family"] or (
                row["violent"] and family_name in VIOLENT_TYPES and row["sentence_index"] in sentences
            )
            if same_family and all(
                row[f] is None or fields[f] is None or row[f] == fields[f] for f in _CLUSTER_FIELDS
            ):
                for f in _CLUSTER_FIELDS:
                    if fields[f] is None:
                        fields[f] = row[f]
                sentences.add(row["sentence_index"])
                roots.append(root)
                break
        else:
            fields = {f: row[f] for f in _CLUSTER_FIELDS}
            clusters.append((row["family"], row["mention_id"], fields, {row["sentence_index"]}))
            roots.append(row["mention_id"])
    assigned = narrow.select("mention_id").with_columns(pl.Series("root", roots, dtype=pl.UInt32))
    return mentions.join(assigned, on="mention_id")


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


def _count_repeated_toll_once(events: pl.DataFrame) -> pl.DataFrame:
    """A death toll restated later in the article for the same victims ("five monks were murdered"
    ... "the murder of the five monks") is the same deaths: the later event, when its victims and
    date do not conflict with the earlier one's, keeps no figure of its own, so the article's deaths
    are counted once. A different victim group or date makes it a distinct toll."""
    tolls = events.filter(pl.col("fatalities_best").is_not_null()).select(
        "root",
        "article_id",
        "first_start",
        "fatalities_best",
        "killed_group",
        # a date borrowed from far back in the article tells nothing about which deaths these are
        pl.when(pl.col("__dated_nearby")).then(pl.col("event_date")).alias("event_date"),
    )

    def compatible(column: str) -> pl.Expr:
        return (
            pl.col(column).is_null()
            | pl.col(f"{column}_earlier").is_null()
            | (pl.col(column) == pl.col(f"{column}_earlier"))
        )

    restated = (
        tolls.join(tolls, on=["article_id", "fatalities_best"], suffix="_earlier")
        .filter(
            (pl.col("first_start_earlier") < pl.col("first_start"))
            & compatible("killed_group")
            & compatible("event_date")
        )
        .select("root")
        .unique()
    )
    repeated = pl.col("root").is_in(restated["root"].implode())
    return events.with_columns(
        *[
            pl.when(repeated).then(pl.lit(None, pl.Int64)).otherwise(pl.col(c)).alias(c)
            for c in ("fatalities_low", "fatalities_best", "fatalities_high")
        ]
    ).drop("killed_group")


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
        # "at least seven" in one mention leaves the event's upper bound open.
        pl.when(pl.col("killed_high").is_null().any() & pl.col("killed_best").is_not_null().any())
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
