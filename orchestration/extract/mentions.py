"""Gazetteer mentions: word n-grams of each sentence joined against reference names.

Tokens and n-grams are frames; matching is a hash join on normalised keys, so the cost grows with
the text, not with the size of the gazetteer. In mixed-case text a name must be capitalised to
count (so "chin" or "reading" are not places); in all-caps text (wire copy) every n-gram counts.
"""

from __future__ import annotations

from functools import lru_cache

import polars as pl

from orchestration.extract.gazetteer import (
    MIN_SKELETON_LENGTH,
    WIRE_ALIAS_POPULATION,
    countries,
    name_key,
    places,
    skeleton_key,
)
from orchestration.extract.spans import find_all

MAX_NGRAM = 5
_TOKEN = r"[\p{L}\p{N}](?:[\p{L}\p{N}'’\-]|\.[\p{L}\p{N}])*"
_BREAK = r"[,;:()\[\]\"“”—–]| - "
GENERIC_REGION_COUNTRIES = 3
MIN_CONSENSUS_SPANS = 2
MIN_CONTEXT_FREE_POPULATION = 1_000_000
_EDGE_FILLER = r"(?i)^(?:and|of|va|the|in|at)\b|\b(?:and|of|va|the|in|at)$"
# Region names made only of compass words ("East", "North Central") name no place on their own.
_COMPASS_ONLY = (
    r"^(?:north|south|east|west|central|northern|southern|eastern|western|capital|middle|upper|lower|centre|center|far|"
    r"norte|sur|sud|nord|est|ouest|oeste|este|centro|centrale?|occidental|oriental|septentrional|meridional)+$"
)
_CALENDAR_WORD = (
    r"(?i)^(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|monday|tuesday|wednesday|thursday|friday|saturday|sunday)$"
)
_TYPE_RANK = {"country": 0, "place": 1, "admin1": 2}


# "in central Dunmore", "across northwestern Velmar": a word of position may stand between.
_POSITION = (
    r"(?:central|downtown|rural|coastal|(?:north|south)?-?(?:north|south|east|west)(?:ern)?|"
    r"(?:north|south)-?(?:east|west)ern)"
)
LOCATIVE_BEFORE = (
    r"(?i)\b(?:in|inside|into|near|across|within|throughout|at|to|toward|towards|over|on)\s+(?:the\s+)?"
    rf"(?:[\w'’-]+,?\s+(?:and|or)\s+)?(?:{_POSITION}\s+)?$"
)


# A bracket or "Name, " before a name: it qualifies a place ("Dunmore (Velmar)", "Tarsk, Kora").
ANCHOR_BEFORE = r"(?:\(|\p{Lu}[\p{L}'’-]+,)\s*$"


_HEAD_OF_NAME = r"^ of \p{Lu}"


# Nouns of settlements and units: "residents of X", "the town of X", "X town", "X district".
_PLACE_NOUN = (
    r"towns?|city|cities|villages?|districts?|provinces?|regions?|county|counties|municipality|commune|area|"
    r"outskirts|suburbs?|neighbou?rhoods?|governorate|department|locality|parish|sub-county|upazila|camp|"
    r"subdivisions?|divisions?|arrondissements?|prefectures?|sub-prefectures?|tehsils?|mandals?|wards?|"
    r"chiefdoms?|residents|inhabitants|natives|people"
)
PLACE_NOUN_BEFORE = rf"(?i)\b(?:{_PLACE_NOUN})\s+of\s+(?:the\s+)?$"
PLACE_NOUN_AFTER = rf"(?i)^\s+(?:{_PLACE_NOUN})\b"
# The noun may be inside the matched name itself: keys drop "city" or "district", so "Velmar city"
# matches Velmar whole and nothing follows it.
PLACE_NOUN_LAST = rf"(?i)\s(?:{_PLACE_NOUN})$"
# Words that name a settlement inside a place's own name ("Cape Town", "Upper Town"): keys drop
# them, so the text must have them for the name to match ("Cape Point" is not Cape Town).
_NAME_FILLER = r"(?i)\b(?:town|city|village)\b"


def _used_as_place(text: pl.Expr, start: pl.Expr, end: pl.Expr) -> pl.Expr:
    """A name in a place's position: after a locative preposition, a bracket or "Name, ", after
    "residents of" / "the town of", or before a settlement noun ("Dunmore town"). In all-caps
    text every word looks like a name, so "Name, " says nothing there."""
    before = _before(text, start)
    after = text.str.slice(end.cast(pl.Int64), 20)
    name = text.str.slice(start.cast(pl.Int64), (end.cast(pl.Int64) - start.cast(pl.Int64)))
    return (
        before.str.contains(LOCATIVE_BEFORE)
        | before.str.contains(r"\(\s*$")
        | (before.str.contains(ANCHOR_BEFORE) & text.str.contains(r"\p{Ll}"))
        | before.str.contains(PLACE_NOUN_BEFORE)
        | after.str.contains(PLACE_NOUN_AFTER)
        | name.str.contains(PLACE_NOUN_LAST)
    )


def _before(text: pl.Expr, start: pl.Expr, width: int = 40) -> pl.Expr:
    """Up to `width` characters of `text` before `start` (offsets may be unsigned: cast first)."""
    start = start.cast(pl.Int64)
    return text.str.slice(pl.max_horizontal(start - width, 0), pl.min_horizontal(start, width))


def tokens(sentences: pl.DataFrame | pl.LazyFrame) -> pl.LazyFrame:
    """One row per word token, with sentence-relative offsets."""
    return find_all(
        sentences.lazy().select("article_id", "sentence_index", "char_start", "sentence_text"),
        text="sentence_text",
        pattern=_TOKEN,
        keep=["article_id", "sentence_index", "char_start", "sentence_text"],
        prefix="tok",
    ).with_columns(pl.int_range(pl.len()).over("article_id", "sentence_index").alias("tok_index"))


def ngrams(sentences: pl.DataFrame | pl.LazyFrame, max_n: int = MAX_NGRAM) -> pl.LazyFrame:
    """Every run of 1..max_n tokens that does not cross punctuation, with its key.

    Keys are built per token and concatenated (the key of a phrase is the concatenation of its
    words' keys), so the expensive normalisation runs once per word, and no n-gram row carries
    text: `with_text` attaches it to the few rows that matched a gazetteer.
    """
    sentence_keys = ["article_id", "sentence_index"]
    # Tokens are in text order, so a plain shift looks ahead; it stays in the sentence while the
    # sentence id it lands on is the same (cheaper than a window per sentence).
    same = lambda k: pl.col("__sentence").shift(-k) == pl.col("__sentence")  # noqa: E731
    next_start = pl.when(same(1)).then(pl.col("tok_start").shift(-1))
    tok = (
        tokens(sentences)
        .with_columns(pl.struct(sentence_keys).rank("dense").alias("__sentence"))
        .with_columns(
            name_key(pl.col("tok_text")).alias("tok_key"),
            pl.col("tok_text").str.contains(_EDGE_FILLER).alias("edge_filler"),
            # punctuation between this word and the next ends any phrase through it
            pl.col("sentence_text")
            .str.slice(pl.col("tok_end"), (next_start - pl.col("tok_end")).fill_null(0))
            .str.contains(_BREAK)
            .alias("break_after"),
            pl.col("sentence_text").str.contains(r"\p{Ll}").alias("mixed_case"),
        )
        .drop("sentence_text", "tok_text")
    )
    parts = []
    for n in range(1, max_n + 1):
        ahead = [pl.col("tok_key").shift(-k) for k in range(n)]
        breaks = [pl.col("break_after").shift(-k) for k in range(n - 1)]
        parts.append(
            tok.with_columns(
                pl.when(same(n - 1)).then(pl.col("tok_end").shift(-(n - 1))).alias("gram_end"),
                pl.concat_str(ahead).alias("key"),
                (pl.any_horizontal(breaks) if breaks else pl.lit(False)).alias("__crosses"),
                pl.col("edge_filler").shift(-(n - 1)).alias("__last_filler"),
            )
            .filter(
                pl.col("gram_end").is_not_null()
                & ~pl.col("__crosses")
                & ~pl.col("edge_filler")
                & ~pl.col("__last_filler")
                & (pl.col("key").str.len_chars() > 0)
            )
            .select(
                *sentence_keys,
                "char_start",
                pl.lit(n).alias("n_tokens"),
                pl.col("tok_start").alias("gram_start"),
                "gram_end",
                "mixed_case",
                "key",
            )
        )
    return pl.concat(parts)


def with_text(frame: pl.LazyFrame, sentences: pl.DataFrame | pl.LazyFrame) -> pl.LazyFrame:
    """Attach `sentence_text` and the matched `gram_text` to n-gram rows."""
    return frame.join(
        sentences.lazy().select("article_id", "sentence_index", "sentence_text"),
        on=["article_id", "sentence_index"],
    ).with_columns(
        pl.col("sentence_text")
        .str.slice(pl.col("gram_start"), pl.col("gram_end") - pl.col("gram_start"))
        .alias("gram_text")
    )


def _capitalised(text: pl.Expr) -> pl.Expr:
    return text.str.contains(r"^\p{Lu}")


def keep_longest(matches: pl.LazyFrame, by: list[str], start: str, end: str) -> pl.LazyFrame:
    """Drop matches that overlap an earlier or longer one in the same sentence."""
    return (
        matches.sort([*by, start, end], descending=[False] * len(by) + [False, True])
        .unique([*by, start], keep="first", maintain_order=True)
        .with_columns(pl.col(end).cum_max().shift(1).over(by).fill_null(-1).alias("__prev_end"))
        .filter(pl.col(start) >= pl.col("__prev_end"))
        .drop("__prev_end")
    )


@lru_cache(maxsize=1)
def _specific_places() -> pl.DataFrame:
    """The gazetteer without region names too generic to place anything ("Northern", "East")."""
    gaz = places()
    generic_admin1 = (
        gaz.filter(pl.col("location_type") == "admin1")
        .group_by("key")
        .agg(pl.col("country_iso3").n_unique().alias("n_countries"))
        .filter(pl.col("n_countries") >= GENERIC_REGION_COUNTRIES)
        .select("key")
    )
    # Only the regions go: a city of that name stays a place (Bolivia's seat of government
    # shares its name with regions of three countries).
    regions = gaz.filter(pl.col("location_type") == "admin1")
    compass = pl.col("key").str.contains(_COMPASS_ONLY)
    # A compass name that only one country gives a region ("Upper Nile") names that region; one
    # many countries share ("Northern") names none, and a settlement called "Central" or "South"
    # is no reading of the bare word either.
    unique_region = pl.col("country_iso3").n_unique().over("key") == 1
    return pl.concat(
        [
            gaz.filter(
                (pl.col("location_type") != "admin1") & ~(compass & (pl.col("location_type") == "place"))
            ),
            regions.join(generic_admin1, on="key", how="anti").filter(~compass | unique_region),
        ]
    )


# What stands between a place and the region that qualifies it: "Tarsk, Kora", "Tarsk (Dunmore,
# Kora)", "Tarsk (Tarsk-Velmar, Kora)": a comma or an opening bracket, and at most one
# capitalised name (a district) before the region.
QUALIFIER_GAP = r"^\s*[,(\[]\s*(?:\p{Lu}[^,()\[\]]{0,40},\s*)?$"


def _outside_qualifier_dropped(candidates: pl.LazyFrame) -> pl.LazyFrame:
    """Place readings that lie outside the region qualifying their name ("Izyum, Donetsk": not the
    Izyum in Kharkiv). A name whose every reading lies outside goes: the region places the event."""
    spans = ["article_id", "sentence_index", "gram_start", "gram_end"]
    regions = candidates.filter((pl.col("location_type") == "admin1") & pl.col("in_context")).select(
        "article_id",
        "sentence_index",
        pl.col("gram_start").alias("__q_start"),
        "country_iso3",
        pl.col("admin1").alias("__q_admin1"),
    )
    places_ = candidates.filter(pl.col("location_type") == "place").select(*spans, "sentence_text").unique()
    qualified = (
        places_.join(regions, on=["article_id", "sentence_index"])
        .filter(pl.col("__q_start") > pl.col("gram_end"))
        .filter(
            pl.col("sentence_text")
            .str.slice(pl.col("gram_end"), pl.col("__q_start") - pl.col("gram_end"))
            .str.contains(QUALIFIER_GAP)
        )
        .select(*spans, "country_iso3", "__q_admin1")
    )
    inside = qualified.select(*spans, "country_iso3", pl.col("__q_admin1").alias("admin1")).unique()
    outside = (
        candidates.filter(pl.col("location_type") == "place")
        .join(qualified.select(spans).unique(), on=spans)
        .join(inside, on=[*spans, "country_iso3", "admin1"], how="anti")
        .select(*spans, "location_id")
    )
    return candidates.join(outside, on=[*spans, "location_id"], how="anti")


def country_references(grams: pl.LazyFrame, sentences: pl.DataFrame | pl.LazyFrame) -> pl.LazyFrame:
    """Names, capitals and demonyms of countries ("Kenya", "Nairobi", "Kenyan")."""
    refs = countries().lazy().select("key", "country_iso3", "country_name", "alias_kind")
    return (
        with_text(grams.join(refs, on="key"), sentences)
        .filter(_capitalised(pl.col("gram_text")))
        .select(
            "article_id",
            "sentence_index",
            "char_start",
            "gram_start",
            "gram_end",
            "gram_text",
            "sentence_text",
            "country_iso3",
            "country_name",
            "alias_kind",
        )
    )


def place_mentions(sentences: pl.DataFrame | pl.LazyFrame, grams: pl.LazyFrame | None = None) -> pl.DataFrame:
    """One row per place name in the text, resolved to one gazetteer location.

    A place or region counts only where its country is in the article's context (the countries the
    article names, by name, capital or people; failing those, the countries of the regions it
    names); an article without any context admits capitalised cities of a million or more. Small
    places with common-word names ("Of", "Press") are otherwise everywhere. Regions
    whose name recurs in three or more countries ("Northern", "Capital") are too generic to count.
    Ambiguous names prefer a location in context, then a country over a place over a region,
    exact spelling over a transliteration variant, and the more populous location.
    """
    grams = ngrams(sentences) if grams is None else grams
    capital_keys = countries().filter(pl.col("alias_kind") == "capital")["key"].implode()
    gaz = _specific_places().lazy()
    exact = with_text(grams.join(gaz, on="key"), sentences).with_columns(pl.lit(0).alias("variant"))
    variant = (
        grams.filter(pl.col("key").str.len_chars() >= MIN_SKELETON_LENGTH)
        .with_columns(skeleton_key(pl.col("key")).alias("skeleton"))
        .filter(pl.col("skeleton").str.len_chars() >= MIN_SKELETON_LENGTH)
        .join(gaz.filter(pl.col("location_type") != "place").drop("key"), on="skeleton")
        .pipe(with_text, sentences)
        .with_columns(pl.lit(1).alias("variant"))
    )
    candidates = (
        pl.concat([exact.drop("skeleton"), variant.drop("skeleton")], how="diagonal_relaxed")
        .filter(~pl.col("mixed_case") | _capitalised(pl.col("gram_text")))
        # "SINCE" is also a name of San Luis de Since: all-caps copy takes a town's other names only
        # for cities.
        .filter(
            pl.col("mixed_case") | ~pl.col("alternate_name") | (pl.col("population") >= WIRE_ALIAS_POPULATION)
        )
        # "On 21 May 2031": calendar words are dates, whatever village shares their name.
        .filter(~pl.col("gram_text").str.contains(_CALENDAR_WORD))
        # "University of Dunmore", "Bank of Velmar": a name followed by "of" and another name is the
        # head of a longer name, not a place (in mixed case, where capitals mean something).
        .filter(
            ~pl.col("mixed_case")
            | (pl.col("location_type") == "country")
            | ~pl.col("sentence_text").str.slice(pl.col("gram_end"), 6).str.contains(_HEAD_OF_NAME)
        )
        .filter(~pl.col("alias").str.contains(_NAME_FILLER) | pl.col("gram_text").str.contains(_NAME_FILLER))
        .with_columns(
            pl.col("location_type").replace_strict(_TYPE_RANK, return_dtype=pl.Int64).alias("type_rank")
        )
        # Materialised once: the context steps below read the candidates several times.
        .collect()
        .lazy()
    )
    span_keys = ["article_id", "sentence_index", "gram_start"]
    references = country_references(grams, sentences)
    named_countries = pl.concat(
        [
            candidates.filter((pl.col("location_type") == "country") & (pl.col("variant") == 0)).select(
                *span_keys, "country_iso3"
            ),
            references.select(*span_keys, "country_iso3"),
        ]
    )
    # A name inside a longer one is no mention of its own ("Point" in "Cape Point").
    outermost = candidates.filter(pl.col("location_type") != "country").join(
        keep_longest(
            candidates.select("article_id", "sentence_index", "gram_start", "gram_end").unique(),
            ["article_id", "sentence_index"],
            "gram_start",
            "gram_end",
        ),
        on=["article_id", "sentence_index", "gram_start", "gram_end"],
    )
    # A wire dateline ("DUNMORE, 14 MAR 91 (KNA) --") opens the article with a place.
    dateline = ((pl.col("char_start") + pl.col("gram_start")) == 0) & pl.col("sentence_text").str.slice(
        pl.col("gram_end").cast(pl.Int64), 2
    ).str.contains(r"^(?:,| \()")
    anchored = _used_as_place(pl.col("sentence_text"), pl.col("gram_start"), pl.col("gram_end")) | dateline
    # Evaluated once, on the place and region names only (the text tests are the costly part).
    outermost = outermost.with_columns(anchored.alias("__anchored")).collect().lazy()
    anchored = pl.col("__anchored")
    named_regions = (
        outermost.filter(pl.col("location_type") == "admin1")
        .group_by(span_keys)
        .agg(
            pl.col("country_iso3").unique().alias("isos"),
            # only a region named as a place can join named countries ("in Unity" is a region,
            # "Free Unity Council" is not)
            (pl.col("mixed_case") & anchored).first().alias("joins_named"),
        )
        .filter(pl.col("isos").list.len() == 1)
        .select(*span_keys, pl.col("isos").list.first().alias("country_iso3"), "joins_named")
    )
    # Place names the article uses as places ("in Tarsk, Dunmore (DN)": after a locative
    # preposition, a bracket or "Name, "), for every country that has a place of that name.
    used_as_places = outermost.filter(anchored & pl.col("location_type").is_in(["place", "admin1"]))
    # How much of the article each country explains: the distinct spans that name it, its regions
    # or its places. Ambiguous names ("Tripoli": Libya, Lebanon) go to the country that also
    # explains the article's other names ("Tripoli and Byblos": Lebanon).
    support = (
        pl.concat(
            [
                named_countries,
                named_regions.drop("joins_named"),
                used_as_places.select(*span_keys, "country_iso3"),
            ],
            how="vertical_relaxed",
        )
        .unique()
        .group_by("article_id", "country_iso3")
        .agg(pl.len().alias("support"))
    )
    # The country that explains most of the place names the article uses as places.
    # The name of a region of one of the named countries is theirs and votes for no other ("...,
    # Kora" in a report on Velmari forces: a neighbour has a town Kora too, but it does not count).
    # A town name the named countries share is no such evidence ("Venezuelan migrants protested in
    # Villa del Rosario": Colombia's).
    explained = (
        used_as_places.filter(pl.col("location_type") == "admin1")
        .join(
            named_countries.select("article_id", "country_iso3").unique(), on=["article_id", "country_iso3"]
        )
        .select(span_keys)
    )
    consensus = (
        used_as_places.join(explained, on=span_keys, how="anti")
        .group_by("article_id", "country_iso3")
        .agg(
            # distinct names: "in front ... in front" is one common word, however often it recurs
            pl.col("key").n_unique().alias("spans"),
            pl.col("population").max().alias("largest"),
            pl.col("mixed_case").all().alias("mixed_case"),
        )
        .sort(["article_id", "spans", "largest"], descending=[False, True, True])
        .unique("article_id", keep="first", maintain_order=True)
        .select("article_id", "country_iso3", "spans", "mixed_case")
    )
    # The context: the countries the article names by name, capital or people. The countries of
    # the regions it names and a consensus of several place names join them (a report from
    # Bangladesh on a protest about Gaza names only Israel and Palestine, but "in Sirajganj town
    # and in Bogra town" is Bangladeshi); an article that names no country falls back on them
    # anyway. One place name alone is too often a common word some country has a village of, and
    # so is any word of all-caps wire copy: those never join named countries.
    context = (
        pl.concat(
            [
                named_countries.select("article_id", "country_iso3", pl.lit(0).alias("rank")),
                named_regions.select(
                    "article_id",
                    "country_iso3",
                    pl.when(pl.col("joins_named")).then(1).otherwise(2).alias("rank"),
                ),
                consensus.select(
                    "article_id",
                    "country_iso3",
                    pl.when((pl.col("spans") >= MIN_CONSENSUS_SPANS) & pl.col("mixed_case"))
                    .then(1)
                    .otherwise(2)
                    .alias("rank"),
                ),
            ]
        )
        .filter(pl.col("rank") <= pl.col("rank").min().over("article_id").clip(lower_bound=1))
        # A name the article's named countries have is theirs (a town followed by ", Croatia"); the
        # consensus country only takes the names they lack.
        .group_by("article_id", pl.col("country_iso3").alias("context_iso3"))
        .agg(pl.col("rank").min().alias("context_rank"))
        .with_columns(pl.lit(True).alias("in_context"))
    )
    has_context = context.select("article_id").unique().with_columns(pl.lit(True).alias("has_context"))
    candidates = (
        candidates.join(
            context,
            left_on=["article_id", "country_iso3"],
            right_on=["article_id", "context_iso3"],
            how="left",
        )
        .join(has_context, on="article_id", how="left")
        .join(support, on=["article_id", "country_iso3"], how="left")
        .with_columns(
            pl.col("in_context").fill_null(False),
            pl.col("has_context").fill_null(False),
            pl.col("support").fill_null(0),
        )
        .filter(
            (pl.col("location_type") == "country")
            | pl.col("in_context")
            | (
                (pl.col("location_type") == "place")
                & ~pl.col("has_context")
                & pl.col("mixed_case")
                & (pl.col("population") >= MIN_CONTEXT_FREE_POPULATION)
            )
        )
    )
    spans = keep_longest(
        candidates.select("article_id", "sentence_index", "gram_start", "gram_end").unique(),
        ["article_id", "sentence_index"],
        "gram_start",
        "gram_end",
    )
    candidates = (
        candidates.join(spans, on=["article_id", "sentence_index", "gram_start", "gram_end"])
        # Materialised: the qualifier step reads the candidates three times.
        .collect()
        .lazy()
        .pipe(_outside_qualifier_dropped)
    )
    # A place inside a region the article names ("Jalalpur, Shamli (Uttar Pradesh)") beats a
    # namesake elsewhere in the same country.
    named_admin1 = (
        candidates.filter((pl.col("location_type") == "admin1") & pl.col("in_context"))
        .select("article_id", pl.col("admin1").alias("named_admin1"))
        .unique()
        .with_columns(pl.lit(True).alias("in_named_admin1"))
    )
    resolved = (
        candidates.join(
            named_admin1,
            left_on=["article_id", "admin1"],
            right_on=["article_id", "named_admin1"],
            how="left",
        )
        .with_columns(pl.col("in_named_admin1").fill_null(False))
        .sort(
            # location_id last: equal candidates resolve the same way in every run
            [
                *span_keys,
                "in_context",
                "context_rank",
                "in_named_admin1",
                "type_rank",
                "support",
                "variant",
                "population",
                "location_id",
            ],
            descending=[False, False, False, True, False, True, False, True, False, True, False],
        )
        .unique(span_keys, keep="first", maintain_order=True)
        .select(
            "article_id",
            "sentence_index",
            (pl.col("char_start") + pl.col("gram_start")).alias("char_start"),
            (pl.col("char_start") + pl.col("gram_end")).alias("char_end"),
            pl.col("gram_text").alias("mention_text"),
            "location_id",
            "location_name",
            "location_type",
            "admin1",
            "country_iso3",
            "latitude",
            "longitude",
            "population",
            "in_context",
            # "in Dunmore", "Kora Airport (Dunmore)", "Tarsk, Velmar": used as a place
            _used_as_place(pl.col("sentence_text"), pl.col("gram_start"), pl.col("gram_end")).alias(
                "is_locative"
            ),
            pl.col("key").is_in(capital_keys).alias("is_capital"),
        )
    )
    return resolved.collect()
