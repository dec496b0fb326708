"""The Splink model that scores pairs of reports, and the clusters (incidents) it draws from them.

Pure Python on an in-process DuckDB (no Dagster). Splink does the record linkage: blocking, the
comparison vectors, u by random sampling, m by unsupervised expectation maximisation, the match
weights, and connected components. What is ours is the choice of comparisons, the blocking and one
rule around clustering: a report joins at most one report of each other article (its best-scored
one, and only if that one's best in its own article is this report), and never a report of its own
article, because extraction already merged the mentions of one event within an article; an
incident that a chain through other articles gives two reports of one article loses its weakest
link and is clustered again.

Merging is bounded: two reports can only be compared when they are of the same country and type
family and their event dates lie within `window_days` of each other (see BLOCKING). An incident
therefore spans at most a chain of such windows, and a new report can only join incidents with a
report within its window.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

import duckdb
import polars as pl

from orchestration.extract.gazetteer import stable_id
from orchestration.link.reports import REPORT_COLUMNS

COMPARISONS = ("event_date", "place", "actors", "keywords", "killed", "injured", "type", "published")
PAIR_COLUMNS = {
    "event_id_l": pl.String,
    "event_id_r": pl.String,
    "match_weight": pl.Float64,
    "match_probability": pl.Float64,
    **{f"gamma_{c}": pl.Int32 for c in COMPARISONS},
    **{f"bf_{c}": pl.Float64 for c in COMPARISONS},
}
# EM learns best where matches are common: reports of the same week sharing two rare words, and
# reports of the same day and place. Each comparison is free in at least one of them.
TRAINING_BLOCKS = (
    "l.country_iso3 = r.country_iso3 and l.event_week = r.event_week"
    " and len(list_intersect(l.keywords, r.keywords)) >= 2",
    "l.country_iso3 = r.country_iso3 and l.family = r.family and l.event_day = r.event_day"
    " and l.location_id = r.location_id",
)
# Sure links, to estimate the share of pairs that match (Splink's probability_two_random_records_match).
DETERMINISTIC = (
    "l.country_iso3 = r.country_iso3 and l.family = r.family and l.event_day = r.event_day"
    " and l.location_id = r.location_id and l.sub_event_type = r.sub_event_type and l.article_id <> r.article_id",
)
DETERMINISTIC_RECALL = 0.5
# Rounds of "drop the weakest link of an incident holding two reports of one article" (each round
# drops one link per such incident, so a few rounds settle it).
MAX_SPLITS = 20
INCIDENT_COLUMNS = {"event_id": pl.String, "incident_id": pl.String}


@dataclass(frozen=True)
class LinkSettings:
    """window_days: the widest gap between two reports' event dates that can still be one incident
    (0: the same day; chosen on the tuning half of the MUC-4 dev links like the threshold: 1 or 3
    days let reports of neighbouring days of a long offensive chain into one incident).
    threshold: the match probability at or above which two reports are merged (chosen on the tuning
    half of the MUC-4 dev links: `make evaluate DATASET=../shared/eval/muc4_dev`).
    min_training_pairs: below this many candidate pairs EM is not run (too few to learn from) and
    Splink's default m and u values score the pairs."""

    window_days: int = 0
    threshold: float = 0.75
    min_training_pairs: int = 200
    max_u_pairs: float = 3e5
    seed: int = 1


def _blocking_rules(window: int) -> list[str]:
    # Two grids of day buckets of width 2*window+2, offset by half a width: two dates at most
    # `window` days apart share a bucket in at least one grid, so the date window is an equi-join
    # (a band join inside each country and family would compare every pair of a busy country).
    width = 2 * window + 2
    rules = []
    for offset in (0, width // 2):
        rules.append(
            f"l.country_iso3 = r.country_iso3 and l.family = r.family"
            f" and floor((l.event_day + {offset}) / {width}) = floor((r.event_day + {offset}) / {width})"
            f" and abs(l.event_day - r.event_day) <= {window} and l.article_id <> r.article_id"
        )
    return rules


def _comparisons() -> list:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    def days_apart(column: str, days: int, label: str):
        return cll.CustomLevel(f"abs({column}_l - {column}_r) <= {days}", label_for_charts=label)

    def null_either(column: str):
        return cll.CustomLevel(f"{column}_l is null or {column}_r is null").configure(is_null_level=True)

    def rising_count(column: str, same: str, rising: str):
        # tolls rise as bodies are counted: the later report may say more, not fewer
        return cl.CustomComparison(
            output_column_name=column,
            comparison_levels=[
                null_either(column),
                cll.CustomLevel(f"{column}_l = {column}_r", same),
                cll.CustomLevel(
                    f"(published_day_l <= published_day_r and {column}_l <= {column}_r)"
                    f" or (published_day_r <= published_day_l and {column}_r <= {column}_l)",
                    rising,
                ),
                cll.ElseLevel(),
            ],
        )

    return [
        cl.CustomComparison(
            output_column_name="event_date",
            comparison_levels=[
                null_either("event_day"),
                cll.ExactMatchLevel("event_day").configure(label_for_charts="same day"),
                days_apart("event_day", 1, "a day apart"),
                cll.ElseLevel(),
            ],
        ),
        cl.CustomComparison(
            output_column_name="place",
            comparison_levels=[
                null_either("location_id"),
                cll.CustomLevel("location_id_l = location_id_r and place_level_l = 'place'", "same place"),
                cll.DistanceInKMLevel("latitude", "longitude", 5, not_null=True).configure(
                    label_for_charts="places within 5 km"
                ),
                # a region named by both, or a place and the region it lies in: compatible, not the same
                cll.CustomLevel("admin1_l = admin1_r", "same first-level region"),
                cll.CustomLevel(
                    "place_level_l = 'country' or place_level_r = 'country'", "one says only the country"
                ),
                cll.ElseLevel(),
            ],
        ),
        cl.ArrayIntersectAtSizes("actors", [2, 1]),
        cl.ArrayIntersectAtSizes("keywords", [3, 2, 1]),
        rising_count("killed", "same toll", "later report has a higher toll"),
        rising_count("injured", "same number injured", "later report has more injured"),
        cl.CustomComparison(
            output_column_name="type",
            comparison_levels=[
                null_either("sub_event_type"),
                cll.CustomLevel(
                    "sub_event_type_l = sub_event_type_r and trigger_l = trigger_r",
                    "same sub-type and trigger",
                ),
                cll.ExactMatchLevel("sub_event_type").configure(label_for_charts="same sub-type"),
                cll.ExactMatchLevel("event_type").configure(label_for_charts="same type"),
                cll.ElseLevel(),
            ],
        ),
        cl.CustomComparison(
            output_column_name="published",
            comparison_levels=[
                null_either("published_day"),
                days_apart("published_day", 1, "published within a day"),
                days_apart("published_day", 7, "published within a week"),
                cll.ElseLevel(),
            ],
        ),
    ]


def _candidate_pairs(con: duckdb.DuckDBPyConnection, window: int) -> int:
    union = " union ".join(
        f"select l.unique_id, r.unique_id from __reports l join __reports r on l.unique_id < r.unique_id and {rule}"
        for rule in _blocking_rules(window)
    )
    return con.execute(f"select count(*) from ({union})").fetchone()[0]  # noqa: S608


def score_pairs(frame: pl.DataFrame, settings: LinkSettings = LinkSettings()) -> tuple[pl.DataFrame, dict]:
    """Every candidate pair of linkable reports with its match weight, probability and per-comparison
    level (gamma_*) and Bayes factor (bf_*); and a summary of the model (for metadata)."""
    from splink import DuckDBAPI, Linker, SettingsCreator
    from splink.internals.exceptions import SplinkException

    # Splink warns on stderr about levels a small corpus never shows; the summary reports the model.
    logging.getLogger("splink").setLevel(logging.ERROR)

    linkable = frame.filter(pl.col("linkable")).select(list(REPORT_COLUMNS))
    summary: dict = {"reports": frame.height, "linkable_reports": linkable.height, "trained": False}
    if linkable.height < 2:
        return pl.DataFrame(schema=PAIR_COLUMNS), summary | {"candidate_pairs": 0}
    # One thread: Splink's random sample of pairs (u) is then the same on every run.
    con = duckdb.connect(config={"threads": 1})
    try:
        con.register("__reports_arrow", linkable.to_arrow())
        # the week (8-day bucket) is its own column, so Splink still trains event_date in EM
        con.execute("create table __reports as select *, event_day // 8 as event_week from __reports_arrow")
        candidates = _candidate_pairs(con, settings.window_days)
        summary["candidate_pairs"] = candidates
        if candidates == 0:
            return pl.DataFrame(schema=PAIR_COLUMNS), summary
        linker = Linker(
            "__reports",
            SettingsCreator(
                link_type="dedupe_only",
                unique_id_column_name="unique_id",
                comparisons=_comparisons(),
                blocking_rules_to_generate_predictions=_blocking_rules(settings.window_days),
                retain_intermediate_calculation_columns=True,
                retain_matching_columns=True,
                probability_two_random_records_match=_prior(linkable.height, candidates),
            ),
            DuckDBAPI(con),
            # Splink would log every EM iteration to stdout; the asset reports the model as metadata
            set_up_basic_logging=False,
        )
        if candidates >= settings.min_training_pairs:
            linker.training.estimate_probability_two_random_records_match(
                list(DETERMINISTIC), recall=DETERMINISTIC_RECALL
            )
            linker.training.estimate_u_using_random_sampling(
                max_pairs=settings.max_u_pairs, seed=settings.seed
            )
            # Two sessions, so every comparison is estimated in one where it is not blocked on;
            # never within an article, or EM learns "same article" as its match class.
            summary["em_sessions"] = []
            for rule in TRAINING_BLOCKS:
                try:
                    linker.training.estimate_parameters_using_expectation_maximisation(
                        f"{rule} and l.article_id <> r.article_id"
                    )
                    summary["em_sessions"].append({"block": rule, "ran": True})
                except (SplinkException, ValueError, ZeroDivisionError, duckdb.Error) as error:
                    # a corpus without such pairs: the other session (or the defaults) gives the m values
                    summary["em_sessions"].append({"block": rule, "ran": False, "why": str(error)[:200]})
            summary["trained"] = any(session["ran"] for session in summary["em_sessions"])
        predictions = linker.inference.predict().as_duckdbpyrelation()
        pairs = pl.from_arrow(predictions.arrow())
        summary["model"] = _parameters(linker)
    finally:
        con.close()
    pairs = pairs.rename({"unique_id_l": "event_id_l", "unique_id_r": "event_id_r"})
    # Splink leaves out a comparison that training found no level of (a tiny corpus): null then
    missing = [pl.lit(None, dtype=t).alias(c) for c, t in PAIR_COLUMNS.items() if c not in pairs.columns]
    pairs = (
        pairs.with_columns(missing)
        .select(*(pl.col(c).cast(t) for c, t in PAIR_COLUMNS.items()))
        .sort("event_id_l", "event_id_r")
    )
    return pairs, summary


def _prior(reports: int, candidates: int) -> float:
    # Before EM: about one true pair per ten candidate pairs, over all n(n-1)/2 pairs.
    return min(0.5, max(1e-9, candidates / 10 / (reports * (reports - 1) / 2)))


def _parameters(linker) -> dict:
    """Each comparison level's label and its trained m and u (rounded), for the UI."""
    out = {}
    for comparison in linker._settings_obj.comparisons:  # noqa: SLF001 - Splink exposes no public getter
        out[comparison.output_column_name] = [
            {
                "level": level.label_for_charts,
                "m": _round(level.m_probability),
                "u": _round(level.u_probability),
            }
            for level in comparison.comparison_levels
            if not level.is_null_level
        ]
    return out


def _components(con: duckdb.DuckDBPyConnection, nodes: pl.DataFrame, edges: pl.DataFrame) -> pl.DataFrame:
    from splink import DuckDBAPI
    from splink.clustering import cluster_pairwise_predictions_at_threshold

    clusters = cluster_pairwise_predictions_at_threshold(
        nodes.select("event_id").to_arrow(),
        edges.select("event_id_l", "event_id_r").to_arrow(),
        db_api=DuckDBAPI(con),
        node_id_column_name="event_id",
    )
    return pl.from_arrow(clusters.as_duckdbpyrelation().arrow())


def _round(value) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else round(value, 6)


def kept_links(pairs: pl.DataFrame, reports: pl.DataFrame, threshold: float) -> pl.DataFrame:
    """The pairs at or above the threshold that survive the one-report-per-article rule: each report
    keeps its best link into each other article, and a link stays only if it is the best for both
    of its reports (ties broken by event id)."""
    article = reports.select(pl.col("unique_id").alias("event_id"), "article_id")
    links = (
        pairs.filter(pl.col("match_probability") >= threshold)
        .select("event_id_l", "event_id_r", "match_probability")
        .join(article.rename({"event_id": "event_id_l", "article_id": "article_l"}), on="event_id_l")
        .join(article.rename({"event_id": "event_id_r", "article_id": "article_r"}), on="event_id_r")
    )
    best_of_l = (
        pl.col("match_probability").rank("ordinal", descending=True).over("event_id_l", "article_r") == 1
    )
    best_of_r = (
        pl.col("match_probability").rank("ordinal", descending=True).over("event_id_r", "article_l") == 1
    )
    return (
        links.sort("event_id_l", "event_id_r")
        .filter(best_of_l & best_of_r)
        .select("event_id_l", "event_id_r", "match_probability")
    )


def incidents(reports: pl.DataFrame, pairs: pl.DataFrame, threshold: float) -> pl.DataFrame:
    """One row per report with its incident (see `cluster`)."""
    return cluster(reports, pairs, threshold)[0]


def cluster(
    reports: pl.DataFrame, pairs: pl.DataFrame, threshold: float
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(incidents, links): one row per report with its incident, Splink's connected components over
    the kept links; and the links that made them. The incident id is the event id of the incident's
    earliest report (by publication date, then event id), hashed: adding later reports never
    changes it."""
    nodes = reports.select(pl.col("unique_id").alias("event_id"), "published_day")
    if nodes.height == 0:
        return pl.DataFrame(schema=INCIDENT_COLUMNS), kept_links(pairs, reports, threshold)
    edges = kept_links(pairs, reports, threshold)
    articles = reports.select(pl.col("unique_id").alias("event_id"), "article_id")
    con = duckdb.connect(config={"threads": 1})
    try:
        for _ in range(MAX_SPLITS):
            components = _components(con, nodes, edges)
            # Through reports of other articles, two reports of one article can still meet: drop
            # the weakest link of each such incident and cluster again.
            mixed = (
                components.join(articles, on="event_id")
                .filter(pl.len().over("cluster_id", "article_id") > 1)
                .select("cluster_id")
                .unique()
            )
            if mixed.height == 0:
                break
            weakest = (
                edges.join(
                    components.select(pl.col("event_id").alias("event_id_l"), "cluster_id"), on="event_id_l"
                )
                .join(mixed, on="cluster_id")
                .sort("match_probability", "event_id_l", "event_id_r")
                .group_by("cluster_id", maintain_order=True)
                .first()
                .select("event_id_l", "event_id_r")
            )
            edges = edges.join(weakest, on=["event_id_l", "event_id_r"], how="anti")
    finally:
        con.close()
    first = (
        components.select("event_id", "cluster_id")
        .join(nodes, on="event_id")
        .sort("published_day", "event_id", nulls_last=True)
        .group_by("cluster_id", maintain_order=True)
        .agg(pl.col("event_id").first().alias("first_event_id"))
        .with_columns(
            # sha256 has no polars expression; one call per incident
            pl.col("first_event_id")
            .map_elements(lambda event_id: stable_id("incident", event_id), return_dtype=pl.String)
            .alias("incident_id")
        )
    )
    assigned = (
        components.select("event_id", "cluster_id")
        .join(first, on="cluster_id")
        .select("event_id", "incident_id")
        .sort("event_id")
    )
    return assigned, edges
