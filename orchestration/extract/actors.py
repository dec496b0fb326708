"""Actor mentions: states, named armed groups, and generic actors (soldiers, gunmen, civilians).

Each mention is resolved to a canonical actor with an ACLED actor type and, where the text says
so, a country (ISO 3166 alpha-3):
- a country's name, capital used as a metonym ("Velmar says") or demonym ("Velmari fighters")
  is that state ("State forces"); a demonym before a civilian noun ("Velmari nationals") is that
  country's civilians; before a territory noun ("Velmari soil") it is a place, not an actor;
- named armed groups come from the reference list (seeds/reference/armed_groups.csv) or from the
  shape of their names ("Kora Liberation Front (KLF)"), whose acronym then names the same
  group in the rest of the article;
- generic nouns get their country later, from the event they take part in.
"""

from __future__ import annotations

import polars as pl

from orchestration.extract.gazetteer import name_key
from orchestration.extract.mentions import LOCATIVE_BEFORE, _before, country_references, keep_longest
from orchestration.extract.reference import armed_groups
from orchestration.extract.spans import find_all

_TERRITORY_NOUN = r"^\s*(?:soil|territory|airspace|waters|border|borders|side|frontier|villages?|towns?|cities|city|province|region|capital)\b"
_CIVILIAN_NOUN = r"^\s*(?:nationals|citizens|civilians|people|villagers|residents|women|children|men|students|farmers|workers|pilgrims|worshippers)\b"
_CALENDAR_WORD_COMMA = (
    r"(?i)\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|"
    r"june|july|august|september|october|november|december|meanwhile|however|earlier|later|today|yesterday),\s*$"
)
_IN_PLACE_BEFORE = r"(?i)\b(?:in|inside|into|near|across|within|throughout)\s+(?:the\s+)?$"
_CLAIMANT_BEFORE = r"(?i)\baccording to\s+(?:the\s+)?(?:\w+\s+){0,3}$"

# Named-group shape: capitalised words ending in an organisation noun, with a rebel marker inside.
_GROUP_SHAPE = (
    r"(?:[A-Z][\w'’-]+ (?:of |for |and |the )?){1,6}"
    r"(?:Army|Front|Movement|Brigades?|Militia|Organi[sz]ation|Council|Tigers|Commandos?|Party|Group|Forces)"
    r"(?: [\[(][A-Z][A-Za-z-]{1,7}[\])])?"
)
_REBEL_MARKER = r"(?i)liberation|revolutionary|resistance|jihad|mujahideen|rebel|insurgent|separatist|guerrilla|islamic|salafist|patriotic|freedom"

# Unarmed collectives: as victims they are civilians; as the ones doing violence they are a crowd
# (ACLED's rioters: "supporters of the two candidates clashed", "locals beat a suspected thief").
_COLLECTIVE = (
    r"supporters|activists|members|followers|locals|youths?|young men|rivals|rival (?:groups|factions)|factions?|"
    r"(?:two |rival |several |some )?groups|(?:a |one )group|clansmen|clans?|relatives|family members|famil(?:y|ies)|neighbou?rs|"
    r"workers|traders|vendors|drivers|people|persons|villagers|residents|inhabitants|accomplices|associates|henchmen"
)
# Within each pattern, phrases come before their first word: the regex takes the first alternative
# that matches, so "rebel forces" must be tried before "rebel".
_GENERIC = {
    "State forces": r"armed forces|security forces|police forces|military forces|police officers|police agents|police personnel|national guard|border guards?|"
    r"security personnel|government(?:al)? (?:forces|troops|positions|soldiers)|regime forces|air force|soldiers?|troops|army|military|"
    r"police(?:m[ae]n)?|servicem[ae]n|paratroopers|marines|navy|gendarmes?|gendarmerie|authorities|forces",
    "Rebel group": r"(?:rebel|guerrilla|terrorist|militant|insurgent|jihadist|extremist|separatist) "
    r"(?:groups?|organi[sz]ations?|factions?)|rebel forces|insurgent forces|opposition forces|rebels?|insurgents?|"
    r"guerrillas?|separatists?|subversives?|terrorists?|militants?|jihadists?|extremists?",
    "Identity militia": r"(?:ethnic|inter-?ethnic|communal|inter-?communal|tribal|clan|community) "
    r"(?:militias?|militiam[ae]n|fighters|gunmen|raiders)",
    "Political militia": r"(?:unidentified |unknown )?armed (?:m[ae]n|groups?|persons|people|individuals?|youths?)|"
    r"(?:unidentified|unknown|masked) (?:persons?|people|individuals?|m[ae]n|youths?|groups?)|"
    r"paramilitar(?:y|ies)(?: groups?)?|gang members|(?:criminal |armed )?gangs?|"
    r"gunm[ae]n|assailants?|attackers?|militiam[ae]n|militias?",
    "Protesters": r"protesters?|demonstrators?|protestors?",
    "Rioters": r"rioters?|mobs?|crowds?",
    "Civilians": r"civilians?|villagers?|residents?|peasants?|farmers?|students?|worshippers?|journalists?|women|children|pilgrims?|passengers?|"
    + _COLLECTIVE,
}
_GENERIC_PATTERN = "|".join(f"(?:{p})" for p in _GENERIC.values())


_ETHNIC_MILITIA = r"\b\p{Lu}\p{Ll}+(?:[- ]\p{Lu}\p{Ll}+)?(?: ethnic| communal)? (?:militias?|militiam[ae]n|raiders|warriors)\b"
# Capitalised words before "militia" that are not a people's name (sentence-initial words, titles).
_NOT_ETHNONYM = (
    r"^(?:The|A|An|Local|Armed|Suspected|Unidentified|Unknown|Rival|Two|Some|Several|Other|Pro|Anti|"
    r"Government|State|Youth|Village|Community|Militant|Islamist|Christian|Muslim|Allied|Allegedly)\b"
)


def _text_after(text: pl.Expr, end: pl.Expr) -> pl.Expr:
    return text.str.slice(end, 30)


def _generic_type(text: pl.Expr) -> pl.Expr:
    lowered = text.str.to_lowercase()
    expr = pl.when(text.str.contains(_ETHNIC_MILITIA)).then(pl.lit("Identity militia")).otherwise(None)
    for actor_type, pattern in reversed(list(_GENERIC.items())):
        expr = pl.when(lowered.str.contains(f"^(?:{pattern})$")).then(pl.lit(actor_type)).otherwise(expr)
    return expr


def actor_mentions(
    sentences: pl.DataFrame, grams: pl.LazyFrame, places: pl.DataFrame | None = None
) -> pl.DataFrame:
    """One row per actor mention with the canonical actor (name, type, country; country may be null
    for generic actors, to be taken from the event).

    Columns: article_id, sentence_index, char_start, char_end (article offsets), mention_start
    (sentence offset), mention_text, actor_name, actor_type, country_iso3, actor_kind
    (state | group | generic), is_locative, is_claimant. A group found by the shape of its name
    takes the country of a place named inside it ("Sindh Liberation Front" -> PAK), given the
    article's `places` (from `mentions.place_mentions`).
    """
    sent = (
        sentences.lazy()
        .filter(pl.col("block_kind") != "embed")
        .select("article_id", "sentence_index", "char_start", "sentence_text")
    )
    states = (
        country_references(grams, sent)
        .with_columns(_text_after(pl.col("sentence_text"), pl.col("gram_end")).alias("__after"))
        .filter(~((pl.col("alias_kind") == "demonym") & pl.col("__after").str.contains(_TERRITORY_NOUN)))
        .with_columns(
            pl.when((pl.col("alias_kind") == "demonym") & pl.col("__after").str.contains(_CIVILIAN_NOUN))
            .then(pl.lit("Civilians"))
            .otherwise(pl.lit("State forces"))
            .alias("actor_type")
        )
        .select(
            "article_id",
            "sentence_index",
            "char_start",
            "sentence_text",
            pl.col("gram_start").alias("mention_start"),
            pl.col("gram_end").alias("mention_end"),
            pl.col("gram_text").alias("mention_text"),
            pl.when(pl.col("actor_type") == "Civilians")
            .then(pl.format("Civilians ({})", pl.col("country_name")))
            .otherwise(pl.col("country_name"))
            .alias("actor_name"),
            "actor_type",
            "country_iso3",
            pl.lit("state").alias("actor_kind"),
            pl.lit(0).alias("priority"),
            (pl.col("alias_kind") == "capital").alias("is_capital"),
        )
    )
    listed = _listed_groups(sent)
    shaped = _shaped_groups(sent)
    if places is not None:
        named_in = (
            shaped.join(
                places.lazy().select(
                    "article_id",
                    "sentence_index",
                    pl.col("char_start").alias("p_start"),
                    pl.col("char_end").alias("p_end"),
                    pl.col("country_iso3").alias("place_country"),
                ),
                on=["article_id", "sentence_index"],
            )
            .filter(
                (pl.col("p_start") >= pl.col("char_start") + pl.col("mention_start"))
                & (pl.col("p_end") <= pl.col("char_start") + pl.col("mention_end"))
            )
            .group_by("article_id", "actor_name")
            .agg(pl.col("place_country").first())
        )
        shaped = (
            shaped.join(named_in, on=["article_id", "actor_name"], how="left")
            .with_columns(pl.coalesce("country_iso3", "place_country").alias("country_iso3"))
            .drop("place_country")
        )
    generic = pl.concat(
        [
            _sentence_matches(sent, rf"(?i)\b(?:{_GENERIC_PATTERN})\b"),
            # "Velmari militia", "Kora raiders": a people's name before an armed noun
            _sentence_matches(
                sent.filter(pl.col("sentence_text").str.contains(r"militia|raiders|warriors")),
                _ETHNIC_MILITIA,
            ).filter(~pl.col("mention_text").str.contains(_NOT_ETHNONYM)),
        ]
    )
    generic = generic.with_columns(_generic_type(pl.col("mention_text")).alias("actor_type")).with_columns(
        pl.when(pl.col("actor_type") == "Political militia")
        .then(pl.lit("Unidentified Armed Group"))
        .when(pl.col("actor_type") == "State forces")
        .then(pl.lit("State forces"))
        .when(pl.col("actor_type") == "Rebel group")
        .then(pl.lit("Unidentified Rebel Group"))
        .when(
            (pl.col("actor_type") == "Identity militia")
            & pl.col("mention_text").str.contains(_ETHNIC_MILITIA)
        )
        .then(pl.format("{} Ethnic Militia", pl.col("mention_text").str.extract(r"^(\p{Lu}[\p{L}-]+)", 1)))
        .when(pl.col("actor_type") == "Identity militia")
        .then(pl.lit("Unidentified Communal Militia"))
        .otherwise(pl.col("actor_type"))
        .alias("actor_name"),
        pl.lit(None, pl.String).alias("country_iso3"),
        pl.lit("generic").alias("actor_kind"),
        pl.lit(3).alias("priority"),
    )
    columns = [
        "article_id",
        "sentence_index",
        "char_start",
        "sentence_text",
        "mention_start",
        "mention_end",
        "mention_text",
        "actor_name",
        "actor_type",
        "country_iso3",
        "actor_kind",
        "priority",
        "is_capital",
    ]
    everything = pl.concat(
        [
            frame.with_columns(pl.lit(False).alias("is_capital"))
            if "is_capital" not in frame.collect_schema()
            else frame
            for frame in (states, listed, shaped, generic)
        ],
        how="diagonal_relaxed",
    ).select(columns)
    kept = keep_longest(
        everything.sort("priority").unique(
            ["article_id", "sentence_index", "mention_start"], keep="first", maintain_order=True
        ),
        ["article_id", "sentence_index"],
        "mention_start",
        "mention_end",
    )
    before = _before(pl.col("sentence_text"), pl.col("mention_start"))
    same_sentence = ["article_id", "sentence_index"]
    # "Velmar's air force", "Velmari fighters", "Red Hand militants": the noun belongs to the
    # state or group just named.
    owned_by_named = (
        (pl.col("actor_kind") == "generic")
        & pl.col("actor_kind").shift(1).over(same_sentence).is_in(["state", "group"])
        & (pl.col("mention_start") - pl.col("mention_end").shift(1).over(same_sentence) <= 1)
    )
    # "members of the Red Hand Front", "supporters of the militia": the group that follows names them.
    member_of_next = (
        (pl.col("actor_kind") == "generic")
        & pl.col("mention_text").str.contains(rf"(?i)^(?:{_COLLECTIVE})$")
        & (
            (pl.col("actor_kind").shift(-1).over(same_sentence) == "group")
            | (
                (pl.col("actor_kind").shift(-1).over(same_sentence) == "generic")
                & (pl.col("actor_type").shift(-1).over(same_sentence) != "Civilians")
            )
        )
        & pl.col("sentence_text")
        .str.slice(
            pl.col("mention_end"),
            pl.max_horizontal(
                pl.col("mention_start").shift(-1).over(same_sentence) - pl.col("mention_end"), 0
            ),
        )
        .str.contains(r"(?i)^\s+of\s+(?:the\s+)?$")
    )
    # "Dunmore (Velmar)", "Kora, Velmar": a capital after a bracket or comma names a place.
    parenthesised_capital = pl.col("is_capital") & before.str.contains(r"[(,]\s*$")
    return (
        kept.sort("article_id", "sentence_index", "mention_start")
        .filter(~owned_by_named.fill_null(False) & ~member_of_next.fill_null(False) & ~parenthesised_capital)
        .with_columns(
            (pl.col("char_start") + pl.col("mention_start")).cast(pl.Int64).alias("article_start"),
            (pl.col("char_start") + pl.col("mention_end")).cast(pl.Int64).alias("article_end"),
            (
                # "fired at the soldiers", "an attack on police": for a force noun these name a target
                pl.when(pl.col("actor_kind") == "generic")
                .then(before.str.contains(_IN_PLACE_BEFORE))
                .otherwise(before.str.contains(LOCATIVE_BEFORE))
                # "near Kandahar, Afghanistan": a country after a place name qualifies the place.
                | (
                    before.str.contains(r"\p{Lu}[\p{L}'’-]+,\s*$")
                    & ~before.str.contains(_CALENDAR_WORD_COMMA)
                )
            ).alias("is_locative"),
            before.str.contains(_CLAIMANT_BEFORE).alias("is_claimant"),
        )
        .select(
            "article_id",
            "sentence_index",
            pl.col("article_start").alias("char_start"),
            pl.col("article_end").alias("char_end"),
            pl.col("mention_start").cast(pl.Int64),
            "mention_text",
            "actor_name",
            "actor_type",
            "country_iso3",
            "actor_kind",
            "is_locative",
            "is_claimant",
        )
        .sort("article_id", "char_start")
        .collect()
    )


def _sentence_matches(sent: pl.LazyFrame, pattern: str) -> pl.LazyFrame:
    """Matches of `pattern` in each sentence, as mention_text / mention_start / mention_end."""
    return find_all(
        sent,
        text="sentence_text",
        pattern=pattern,
        keep=["article_id", "sentence_index", "char_start", "sentence_text"],
        prefix="mention",
    )


def _listed_groups(sent: pl.LazyFrame) -> pl.LazyFrame:
    groups = armed_groups().with_columns(pl.col("aliases").str.split("|")).explode("aliases")
    aliases = sorted(groups["aliases"].to_list(), key=len, reverse=True)
    pattern = r"\b(?:" + "|".join(_alias_regex(a) for a in aliases) + r")\b"
    lookup = groups.select(
        name_key(pl.col("aliases")).alias("__key"), "actor_name", "actor_type", pl.col("country_iso3")
    ).unique("__key", keep="first")
    return (
        _sentence_matches(sent, pattern)
        .with_columns(name_key(pl.col("mention_text")).alias("__key"))
        .join(lookup.lazy(), on="__key", how="inner")
        .with_columns(pl.lit("group").alias("actor_kind"), pl.lit(1).alias("priority"))
    )


def _alias_regex(alias: str) -> str:
    escaped = alias.replace("'", "['’]").replace(" ", r"\s+").replace("-", r"[- ]")
    escaped = escaped.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")
    # Acronyms must keep their case ("ISIS", not "isis"); names need not (wire copy is upper case).
    return escaped if alias.isupper() or len(alias) <= 4 else f"(?i:{escaped})"


def _shaped_groups(sent: pl.LazyFrame) -> pl.LazyFrame:
    """Groups recognised by the shape of their name; "Name (ABC)" also makes ABC an alias."""
    found = (
        _sentence_matches(sent.filter(pl.col("sentence_text").str.contains(r"\p{Ll}")), _GROUP_SHAPE)
        .filter(pl.col("mention_text").str.contains(_REBEL_MARKER))
        .with_columns(
            pl.col("mention_text").str.extract(r"[\[(]([A-Z][A-Za-z-]{1,7})[\])]$", 1).alias("acronym"),
            pl.col("mention_text")
            .str.replace(r"\s*[\[(][A-Z][A-Za-z-]{1,7}[\])]$", "")
            .str.replace(r"^The ", "")
            .alias("actor_name"),
        )
        .with_columns(
            pl.lit("Rebel group").alias("actor_type"), pl.lit(None, pl.String).alias("country_iso3")
        )
    )
    named = found.with_columns(pl.lit("group").alias("actor_kind"), pl.lit(2).alias("priority")).drop(
        "acronym"
    )
    acronyms = (
        found.drop_nulls("acronym")
        .select("article_id", "acronym", "actor_name")
        .unique(["article_id", "acronym"])
    )
    later = (
        _sentence_matches(sent, r"\b[A-Z][A-Za-z-]{1,7}\b")
        .join(acronyms, left_on=["article_id", "mention_text"], right_on=["article_id", "acronym"])
        .with_columns(
            pl.lit("Rebel group").alias("actor_type"),
            pl.lit(None, pl.String).alias("country_iso3"),
            pl.lit("group").alias("actor_kind"),
            pl.lit(2).alias("priority"),
        )
    )
    return pl.concat([named, later], how="diagonal_relaxed")
