"""Scoring cross-article event linking against `links.jsonl` (the MUC-4 dev links).

Rules (../shared/eval/README.md, "muc4_dev/links.jsonl"): only articles that are members of a
cluster count. A pair of articles is positive when both have members in one cluster, predicted when
they share an incident; pairs between a cluster's `possible_members` and its members count neither
way. Pairwise precision, recall and F1 over unordered article pairs, also without the pairs inside
the largest cluster; B-cubed at article level (each article's set of linked articles, itself
included). Halves: `int(sha1(id), 16) % 2 == 0` is the tuning half, the rest the check half; a half
scores the pairs whose two articles are both in it (B-cubed: its articles, their sets cut to it).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import polars as pl

from orchestration.evaluation.halves import half_of

LINKS_FILE = "links.jsonl"
# Match probabilities tried when choosing the threshold on the tuning half.
THRESHOLDS = (0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999)

Pair = tuple[str, str]


def _pair(a: str, b: str) -> Pair:
    return (a, b) if a < b else (b, a)


@dataclass(frozen=True)
class GoldLinks:
    articles: frozenset[str]  # every article that is a member of a cluster
    positive: frozenset[Pair]
    ignored: frozenset[Pair]  # possible member x member: neither positive nor negative
    largest: frozenset[Pair]  # the positive pairs inside the largest cluster
    linked: dict[str, frozenset[str]]  # article -> the articles it shares a cluster with (itself too)


def read_gold_links(path: Path) -> GoldLinks:
    positive: set[Pair] = set()
    ignored: set[Pair] = set()
    articles: set[str] = set()
    linked: dict[str, set[str]] = {}
    largest: set[Pair] = set()
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        cluster = json.loads(line)
        members = sorted({m["article_id"] for m in cluster["members"]})
        possible = {m["article_id"] for m in cluster.get("possible_members", [])} - set(members)
        articles.update(members)
        for a in members:
            linked.setdefault(a, {a}).update(members)
        pairs = {_pair(a, b) for a, b in combinations(members, 2)}
        positive |= pairs
        ignored |= {_pair(a, b) for a in possible for b in members}
        if len(pairs) > len(largest):
            largest = pairs
    return GoldLinks(
        frozenset(articles),
        frozenset(positive),
        frozenset(ignored - positive),
        frozenset(largest),
        {a: frozenset(s) for a, s in linked.items()},
    )


def predicted_pairs(report_incidents: pl.DataFrame, articles: Iterable[str]) -> set[Pair]:
    """Article pairs that share an incident, among the given articles. `report_incidents` has
    `gold_id` (the article as the gold names it) and `incident_id`, one row per report."""
    keep = report_incidents.filter(pl.col("gold_id").is_in(list(articles))).unique(["gold_id", "incident_id"])
    pairs: set[Pair] = set()
    for members in keep.group_by("incident_id").agg("gold_id")["gold_id"].to_list():
        pairs |= {_pair(a, b) for a, b in combinations(sorted(set(members)), 2)}
    return pairs


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {
        "precision": p,
        "recall": r,
        "f1": 2 * p * r / (p + r) if p + r else 0.0,
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }


def score(gold: GoldLinks, predicted: set[Pair], half: str | None = None) -> dict:
    """Pairwise P/R/F1 (all pairs, and without the largest cluster's) and article-level B-cubed."""
    articles = {a for a in gold.articles if half is None or half_of(a) == half}
    predicted = {p for p in predicted if p[0] in articles and p[1] in articles} - gold.ignored
    positive = {p for p in gold.positive if p[0] in articles and p[1] in articles}
    out = {"articles": len(articles), "positive_pairs": len(positive), "predicted_pairs": len(predicted)}
    out["pairwise"] = _prf(len(predicted & positive), len(predicted - positive), len(positive - predicted))
    rest_pred, rest_pos = predicted - gold.largest, positive - gold.largest
    out["pairwise_without_largest"] = _prf(
        len(rest_pred & rest_pos), len(rest_pred - rest_pos), len(rest_pos - rest_pred)
    )
    system: dict[str, set[str]] = {a: {a} for a in articles}
    for a, b in predicted:
        system[a].add(b)
        system[b].add(a)
    precision = recall = 0.0
    for a in articles:
        truth = gold.linked[a] & articles
        both = len(truth & system[a])
        precision += both / len(system[a])
        recall += both / len(truth)
    n = len(articles) or 1
    p, r = precision / n, recall / n
    out["bcubed"] = {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}
    return out


def choose_threshold(scores_by_threshold: dict[float, dict]) -> float:
    """The threshold with the best pairwise F1 on the tuning half (ties: the higher threshold, which
    merges less)."""
    return max(scores_by_threshold, key=lambda t: (round(scores_by_threshold[t]["pairwise"]["f1"], 6), t))


def format_scores(name: str, result: dict) -> list[str]:
    def row(label: str, s: dict) -> str:
        return f"  {label:<26} P {s['precision']:.3f}  R {s['recall']:.3f}  F1 {s['f1']:.3f}"

    return [
        f"{name} ({result['articles']} articles, {result['positive_pairs']} positive pairs, "
        f"{result['predicted_pairs']} predicted)",
        row("pairwise", result["pairwise"]),
        row("pairwise w/o largest", result["pairwise_without_largest"]),
        row("B-cubed (articles)", result["bcubed"]),
    ]


REPORTS_SQL = """
select r.event_id as unique_id, r.article_id, r.incident_id,
       (a.published_date - date '1970-01-01')::integer as published_day
from marts.fct_event_reports r
left join marts.dim_articles a using (article_id)
"""
PAIRS_SQL = "select event_id_l, event_id_r, match_probability from marts.incident_links"


def read_linking(con) -> dict[str, pl.DataFrame]:
    """The reports with their incidents and the scored pairs, from an open warehouse connection."""
    return {"link_reports": con.sql(REPORTS_SQL).pl(), "link_pairs": con.sql(PAIRS_SQL).pl()}


def evaluate_links(
    gold_path: Path, reports: pl.DataFrame, pairs: pl.DataFrame, mapping: pl.DataFrame, configured: float
) -> dict:
    """Scores at the pipeline's own threshold (the incidents in the warehouse), and a sweep of
    thresholds over the published pairs: the one with the best tuning-half F1 is chosen, and the
    check half is reported at it. `mapping` has gold_id -> article_id (metrics.scored_articles)."""
    from orchestration.link.model import incidents

    gold = read_gold_links(gold_path)
    by_article = mapping.filter(pl.col("article_id").is_not_null()).select("gold_id", "article_id")

    def scored(assigned: pl.DataFrame) -> dict:
        with_gold = assigned.join(by_article, on="article_id", how="inner")
        predicted = predicted_pairs(with_gold, gold.articles)
        return {half or "full": score(gold, predicted, half) for half in (None, "tuning", "check")}

    pipeline = scored(reports.select("article_id", "incident_id"))
    sweep = {}
    for threshold in sorted({*THRESHOLDS, configured}):
        assigned = incidents(reports, pairs, threshold).join(
            reports.select(pl.col("unique_id").alias("event_id"), "article_id"), on="event_id"
        )
        sweep[threshold] = scored(assigned)
    chosen = choose_threshold({t: s["tuning"] for t, s in sweep.items()})
    return {
        "configured_threshold": configured,
        "at_configured_threshold": pipeline,
        "chosen_threshold": chosen,
        "at_chosen_threshold": sweep[chosen],
        "sweep_tuning_f1": {str(t): round(s["tuning"]["pairwise"]["f1"], 4) for t, s in sweep.items()},
    }


def format_report(result: dict, linking_seconds: float | None, build_seconds: float) -> str:
    lines = [f"linking (links.jsonl), threshold in the pipeline {result['configured_threshold']}:"]
    for half, scores in result["at_configured_threshold"].items():
        lines += format_scores(f" {half}", scores)
    lines.append(
        f"threshold chosen on the tuning half: {result['chosen_threshold']} "
        f"(tuning F1 by threshold: {result['sweep_tuning_f1']})"
    )
    lines += format_scores(" check half at the chosen threshold", result["at_chosen_threshold"]["check"])
    if linking_seconds is not None:
        lines.append(
            f"linking {linking_seconds:.1f} s of the {build_seconds:.1f} s build "
            f"({100 * linking_seconds / build_seconds:.1f}%)"
        )
    return "\n".join(lines)
