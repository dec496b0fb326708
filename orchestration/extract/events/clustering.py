"""Clustering mentions into events (one per real-world event per article) and counting a toll repeated across mentions once."""

from __future__ import annotations

import polars as pl

from orchestration.extract.events.vocabulary import DEMONSTRATION_TYPES, VIOLENT_TYPES

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
