"""`python -m orchestration.evaluation <folder> [--out DIR]`: score the pipeline against a gold folder.

Runs the real pipeline on `<folder>/articles.jsonl` into a temporary warehouse, compares the marts
with `<folder>/gold.csv` (ACLED format) or `<folder>/gold.jsonl` (MUC-4 format), prints a table and
writes `<out>/metrics.json`, `<out>/mistakes.csv` and `<out>/run.log` (Dagster and dbt output).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

import duckdb
import polars as pl

from orchestration.evaluation import gold as gold_io
from orchestration.evaluation import halves, linking
from orchestration.evaluation import metrics as m
from orchestration.evaluation.runner import PipelineRun, read_marts, run_pipeline
from orchestration.link import LinkSettings
from orchestration.resources import PipelineSettings
from orchestration.settings import REPO_ROOT

DEFAULT_OUT_ROOT = REPO_ROOT / "warehouse" / "evaluation"
FORMAT_NAMES = {"acled": "ACLED", "muc4": "MUC-4", "fullnews": "full-news"}

# What each reported number means (also written into metrics.json and the README).
DEFINITIONS = {
    "acled": {
        "texts_with_event": "share of gold texts whose article has at least one predicted event",
        "event_type": "primary event's event_type equals the text's first gold row's event_type",
        "sub_event_type": "primary event's sub_event_type equals the first gold row's sub_event_type",
        "country": "ISO3 of the primary event's location (else the event's country_iso3) equals the "
        "ISO3 of the first gold row's country",
        "admin1": "admin1 of the primary event's location equals the gold admin1, accent- and "
        "case-insensitive (apostrophes dropped, hyphens read as spaces)",
        "location_50km": "primary event's location within 50 km (haversine) of the gold coordinates",
        "event_date": "primary event's event_date equals the gold event_date, over texts whose first "
        "gold row has time_precision 1",
        "actor1_type": "type of the primary event's actor 1 equals inter1 (1..8 -> State forces .. "
        "External/Other forces)",
        "actor2_type": "type of the primary event's actor 2 equals inter2; when inter2 is 0 or empty "
        "(no actor 2), correct only if no actor 2 is predicted",
        "fatalities_exact": "the text's total fatalities_best over all its events equals the sum of its "
        "gold fatalities, over texts without fatality_caveat and with note_shared_by_n_rows = 1",
        "fatal_detection_precision": "texts predicted fatal (total > 0) that are fatal in gold, same texts "
        "as fatalities_exact",
        "fatal_detection_recall": "gold-fatal texts predicted fatal, same texts as fatalities_exact",
        "fatal_detection_f1": "harmonic mean of fatal_detection precision and recall",
    },
    "muc4": {
        "incident_detection_precision": "documents with a predicted violent event (Battles, "
        "Explosions/Remote violence, Violence against civilians, Riots) that have a gold template",
        "incident_detection_recall": "documents with a gold template that have a predicted violent event",
        "incident_detection_f1": "harmonic mean of incident_detection precision and recall",
        "deaths_exact": "the document's total fatalities_best over all its events equals the sum of the "
        "numeric deaths numbers over its templates, over documents with at least one numeric number",
        "incident_countries_precision": "predicted (document, country) pairs - ISO3 countries of the "
        "violent events - that are among the gold incident countries, pooled over documents",
        "incident_countries_recall": "gold (document, incident country) pairs that were predicted",
        "incident_countries_f1": "harmonic mean of incident_countries precision and recall",
    },
    "fullnews": {
        f"{fact}_{part}": f"{part} of the {what} per article, pooled over articles (micro); a figure, "
        "country or type counts once per article"
        for fact, what in (
            ("killed", "killed figures (fatalities_best of the events vs the gold events' killed)"),
            ("injured", "injured figures (injured_best vs the gold events' injured)"),
            (
                "violent_countries",
                "countries of violent events (Battles, Explosions/Remote violence, "
                "Violence against civilians, Riots)",
            ),
            ("event_types", "event types"),
        )
        for part in ("precision", "recall", "f1")
    },
    "throughput": {
        "texts_per_second": "input texts / wall seconds of the whole build (includes Definitions "
        "loading, Dagster, ingestion, extraction, GX checks, dbt start-up, dbt build with tests, publishing)",
        "extraction_texts_per_second": "articles / extraction_seconds of the extracted/events asset "
        "(the polars extraction alone)",
    },
}


def evaluate(
    folder: Path,
    out: Path | None = None,
    *,
    limit: int | None = None,
    keep_warehouse: bool = False,
    verbose: bool = False,
) -> dict:
    """Run the pipeline on `folder`, score it and write metrics.json and mistakes.csv into `out`."""
    folder = Path(folder).resolve()
    articles = folder / gold_io.ARTICLES_FILE
    if not articles.exists():
        raise FileNotFoundError(f"{articles} does not exist")
    kind = gold_io.detect_format(folder)
    out = Path(out).resolve() if out else DEFAULT_OUT_ROOT / folder.name
    out.mkdir(parents=True, exist_ok=True)
    for stale in ("metrics.json", "mistakes.csv"):  # never leave an earlier run's results beside this log
        (out / stale).unlink(missing_ok=True)
    log_path = None if verbose else out / "run.log"
    if log_path is not None:
        log_path.write_text("")

    input_lines = gold_io.read_input_lines(articles, limit)
    print(
        f"evaluating {folder.name} ({FORMAT_NAMES[kind]} format): "
        f"building a warehouse from {input_lines.height} texts"
        + (f" (Dagster and dbt output in {log_path})" if log_path else ""),
        flush=True,
    )
    if keep_warehouse:
        run, marts = _run_and_read(articles, out / "warehouse", limit, log_path)
    else:
        with tempfile.TemporaryDirectory(prefix="newsevents-eval-") as tmp:
            run, marts = _run_and_read(articles, Path(tmp), limit, log_path)

    events = marts["events"].join(marts["actor_roles"], on="event_id", how="left", maintain_order="left")
    mapping = m.scored_articles(input_lines, marts["ingest_log"], gold_io.ARTICLES_FILE)
    in_input = input_lines["gold_id"].drop_nulls()
    if kind == "acled":
        gold = gold_io.read_acled_gold(folder / gold_io.ACLED_GOLD)
        if limit is not None:
            gold = gold.filter(pl.col("gold_id").is_in(in_input.implode()))
        texts = _texts(gold["gold_id"].unique(maintain_order=True), mapping)
        compared = m.acled_compare(texts, m.acled_gold_texts(gold), events)
        score, mistakes = m.acled_metrics, m.acled_mistakes(compared, input_lines)
        confusion = m.acled_confusion(compared)
        extra = {
            "gold_rows": gold.height,
            "gold_countries_unmapped": _unmapped_acled(gold),
            "event_type_by_class": confusion.to_dicts(),
        }
    elif kind == "fullnews":
        gold = gold_io.read_fullnews_gold(folder)
        if limit is not None:
            gold = gold.filter(pl.col("gold_id").is_in(in_input.implode()))
        texts = _texts(gold["gold_id"], mapping)
        compared = m.fullnews_compare(texts, gold, events)
        score, mistakes = m.fullnews_metrics, m.fullnews_mistakes(compared, input_lines)
        extra = {"gold_events": int(gold["n_gold_events"].sum())}
    else:
        gold = gold_io.read_muc4_gold(folder / gold_io.MUC4_GOLD)
        if limit is not None:
            gold = gold.filter(pl.col("gold_id").is_in(in_input.implode()))
        texts = _texts(gold["gold_id"], mapping)
        compared = m.muc4_compare(texts, gold, events)
        score, mistakes = m.muc4_metrics, m.muc4_mistakes(compared, input_lines)
        extra = {
            "documents_with_templates": int((gold["n_templates"] > 0).sum()),
            "gold_countries_unmapped": sorted(set(gold["unmapped_countries"].explode().drop_nulls())),
        }

    scores = score(compared)
    by_half = halves.with_half(compared)
    half_scores = {half: score(by_half.filter(pl.col("half") == half)) for half in halves.HALVES}
    report = {
        "dataset": folder.name,
        "folder": str(folder),
        "format": kind,
        "limit": limit,
        "texts": input_lines.height,
        "gold_texts": texts.height,
        "gold_texts_by_status": dict(
            texts.group_by("status")
            .len()
            .sort("status")
            .select(pl.col("status").fill_null("?"), "len")
            .iter_rows()
        ),
        **extra,
        "predicted_events": marts["events"].height,
        "run": {
            "success": run.success,
            "run_id": run.run_id,
            "checks_passed": run.checks_passed,
            "checks_failed": run.checks_failed,
            "scored_from": run.scored_from,
        },
        "throughput": run.throughput(),
        "metrics": {s.name: {"value": s.value, "n": s.n, **s.detail} for s in scores},
        "halves": {
            half: {s.name: {"value": s.value, "n": s.n, **s.detail} for s in half_scores[half]}
            for half in halves.HALVES
        },
        "overfitting": _gaps(scores, half_scores),
        "definitions": {**DEFINITIONS[kind], **DEFINITIONS["throughput"]},
        "mistakes": dict(mistakes.group_by("metric").len().sort("metric").iter_rows()),
    }
    if (folder / linking.LINKS_FILE).exists():
        report["linking"] = linking.evaluate_links(
            folder / linking.LINKS_FILE,
            marts["link_reports"],
            marts["link_pairs"],
            mapping,
            LinkSettings().threshold,
        )
        report["linking"]["linking_seconds"] = run.step_seconds.get("incident_links")
    (out / "metrics.json").write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
    mistakes.sort("metric", "article_id", maintain_order=True).write_csv(out / "mistakes.csv")
    print(format_table(report, scores, run, half_scores))
    if kind == "acled":
        print(format_confusion(confusion))
    if "linking" in report:
        print(
            linking.format_report(report["linking"], report["linking"]["linking_seconds"], run.build_seconds)
        )
    print(f"written: {out / 'metrics.json'}, {out / 'mistakes.csv'} ({mistakes.height} rows)")
    return report


def _run_and_read(
    articles: Path, workdir: Path, limit: int | None, log_path: Path | None
) -> tuple[PipelineRun, dict[str, pl.DataFrame]]:
    """Build, then read the published warehouse; after a failed run (a failing dbt test stops the
    publish step) read dbt's unpublished working file instead, so the failure can still be scored."""
    workdir.mkdir(parents=True, exist_ok=True)
    run, settings = run_pipeline(articles, workdir, limit=limit, log_path=log_path)
    working = PipelineSettings.from_settings(settings).working_path
    # a failed run leaves any earlier published file untouched: never score that one
    source = working if not run.success and working.exists() else settings.warehouse_path
    if not source.exists():
        failed = "; ".join(run.checks_failed) or "no failed check"
        raise RuntimeError(
            f"the run {'succeeded' if run.success else 'FAILED'} but built no warehouse "
            f"(failed checks: {failed}); see {log_path or 'the output above'}"
        )
    try:
        marts = read_marts(source)
        with duckdb.connect(str(source), read_only=True) as con:
            marts |= linking.read_linking(con)
    except duckdb.Error as error:  # a blocking check or dbt failed before the marts were built
        raise RuntimeError(f"the run failed before the marts were built ({error}); see the log") from error
    run.scored_from = str(source)
    return run, marts


def _gaps(scores: list[m.Metric], half_scores: dict[str, list[m.Metric]]) -> dict[str, float]:
    """Metrics whose halves differ by more than `halves.GAP_WARNING` (tuning minus check; a tuning
    half ahead is over-fitting, a check half ahead says the halves are too small to tell)."""
    tuning = {s.name: s.value for s in half_scores[halves.TUNING]}
    check = {s.name: s.value for s in half_scores[halves.CHECK]}
    return {
        s.name: round(tuning[s.name] - check[s.name], 4)
        for s in scores
        if tuning.get(s.name) is not None
        and check.get(s.name) is not None
        and abs(tuning[s.name] - check[s.name]) > halves.GAP_WARNING
    }


def _texts(gold_ids: pl.Series, mapping: pl.DataFrame) -> pl.DataFrame:
    """One row per gold text with the article it is scored against (see metrics.scored_articles)."""
    return (
        gold_ids.rename("gold_id")
        .to_frame()
        .join(mapping, on="gold_id", how="left", maintain_order="left")
        .with_columns(pl.col("status").fill_null("not in input"))
    )


def _unmapped_acled(gold: pl.DataFrame) -> list[str]:
    return sorted(gold.filter(pl.col("country_iso3").is_null())["country"].drop_nulls().unique().to_list())


def format_table(
    report: dict, scores: list[m.Metric], run: PipelineRun, half_scores: dict[str, list[m.Metric]]
) -> str:
    """The compact table printed to stdout: metric, value and n over all texts, then per half."""

    def shown(metric: m.Metric) -> str:
        return "n/a" if metric.value is None else f"{metric.value:.3f}"

    by_half = {half: {s.name: s for s in half_scores[half]} for half in halves.HALVES}
    rows = [
        (
            s.name,
            shown(s),
            str(s.n),
            *(f"{shown(by_half[half][s.name])} ({by_half[half][s.name].n})" for half in halves.HALVES),
        )
        for s in scores
    ]
    t = run.throughput()
    rows.append(("throughput_texts_per_s", f"{t['texts_per_second']:.2f}", str(t["texts"]), "", ""))
    if t["extraction_texts_per_second"] is not None:
        rows.append(
            (
                "extraction_texts_per_s",
                f"{t['extraction_texts_per_second']:.2f}",
                str(run.extracted_articles),
                "",
                "",
            )
        )
    width = max(len(r[0]) for r in rows + [("metric", "", "")])
    lines = [
        f"{report['dataset']} ({report['format']}): run {'succeeded' if run.success else 'FAILED'}, "
        f"{report['texts']} texts, build {run.build_seconds:.1f} s"
        + (f" (extraction {run.extraction_seconds:.1f} s)" if run.extraction_seconds is not None else "")
        + f", gold texts by status {report['gold_texts_by_status']}",
        f"{'metric':<{width}}  {'value':>8}  {'n':>6}  {'tuning half (n)':>16}  {'check half (n)':>16}",
        f"{'-' * width}  {'-' * 8}  {'-' * 6}  {'-' * 16}  {'-' * 16}",
    ]
    lines += [
        f"{name:<{width}}  {value:>8}  {n:>6}  {tuning:>16}  {check:>16}"
        for name, value, n, tuning, check in rows
    ]
    if report["overfitting"]:
        gaps = ", ".join(f"{name} {gap:+.3f}" for name, gap in report["overfitting"].items())
        lines.append(f"halves differ by more than {halves.GAP_WARNING} (tuning - check): {gaps}")
    if run.checks_failed:
        lines.append(f"failed checks: {', '.join(run.checks_failed)}")
    if not run.success:
        lines.append(f"the run FAILED: scored from {run.scored_from}")
    return "\n".join(lines)


def format_confusion(confusion: pl.DataFrame) -> str:
    """Event type per gold class: texts, accuracy, and where the rest went (predicted type: count)."""
    lines = ["event type by gold class (primary event; the rest: predicted type x texts)"]
    counts = [c for c in confusion.columns if c not in ("event_type", "texts", "accuracy")]
    for row in confusion.iter_rows(named=True):
        others = sorted(
            ((c, row[c]) for c in counts if c != row["event_type"] and row[c]), key=lambda kv: -kv[1]
        )
        lines.append(
            f"  {row['event_type']:<28} {row['accuracy']:.3f} of {row['texts']:>5}"
            + ("  | " + ", ".join(f"{name} {n}" for name, n in others) if others else "")
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m orchestration.evaluation",
        description="Run the pipeline on <folder>/articles.jsonl and score it against <folder>/gold.csv "
        "(ACLED format) or <folder>/gold.jsonl (MUC-4 format).",
    )
    parser.add_argument("folder", type=Path, help="evaluation folder, e.g. ../shared/eval/acled_dev")
    parser.add_argument("--out", type=Path, help="output folder [warehouse/evaluation/<folder name>/]")
    parser.add_argument("--limit", type=int, help="only the first N input lines (and their gold)")
    parser.add_argument(
        "--keep-warehouse", action="store_true", help="keep the warehouse in <out>/warehouse/ to query it"
    )
    parser.add_argument(
        "--verbose", action="store_true", help="show Dagster and dbt output instead of logging it"
    )
    args = parser.parse_args(argv)
    if args.limit is not None and args.limit <= 0:
        parser.error("--limit must be a positive number of lines")
    # No telemetry, as with `make run` (the Makefile exports the same variables).
    for key, value in {
        "DAGSTER_DISABLE_TELEMETRY": "1",
        "DO_NOT_TRACK": "1",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "GX_ANALYTICS_ENABLED": "false",
    }.items():
        os.environ.setdefault(key, value)
    try:
        report = evaluate(
            args.folder, args.out, limit=args.limit, keep_warehouse=args.keep_warehouse, verbose=args.verbose
        )
    except (FileNotFoundError, RuntimeError) as error:
        print(f"evaluation failed: {error}", file=sys.stderr)
        return 1
    return 0 if report["run"]["success"] else 1
