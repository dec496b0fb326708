"""`python -m bench [--sizes 1000,10000,100000]`: benchmark the real pipeline at several corpus sizes.

For every size: a corpus of real texts (bench/corpus.py) is written to a temporary folder and the
project's `build_warehouse` job runs on it in a fresh process (bench/worker.py) into a temporary
warehouse. Reported per size: wall seconds, articles/s and MB/s (of article text) per stage
(ingest, extraction, quality checks, dbt build, publish) and end to end, peak RSS of the process
tree, and extraction time as a multiple of one polars regex pass over the same text
(bench/reference.py). Once per benchmark: the fixed start-up cost (interpreter + imports,
`build_definitions`, a run on one tiny article), and after the largest size an incremental
re-run with 1% new articles, timed against the full run and checked equal to a full rebuild.
Output: a table on the terminal, `bench.json` and `bench.png` in --out (warehouse/bench/), and the
full log of every run in --out/logs/.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.corpus import REPO, Pool, load_pool, write_corpus

DEFAULT_SIZES = "1000,10000,100000"
# Full-length articles (MUC-4 wire stories and the seed article, ~2.1 KB each) cost more per article
# than the mixed corpus' short notes; reported beside them.
DEFAULT_FULL_LENGTH_SIZES = "10000,100000"
STAGE_LABELS = {
    "ingest": "ingest",
    "extraction": "extraction",
    "quality": "quality checks (GX)",
    "dbt": "dbt build",
    "publish": "publish",
    "other": "other steps",
}
INCREMENT_SHARE = 0.01
YEAR = re.compile(r"\b(?:19|20)\d\d\b")
CHILD_ENV = {  # the Makefile exports these; set them too when `python -m bench` is called directly
    "DAGSTER_DISABLE_TELEMETRY": "1",
    "DO_NOT_TRACK": "1",
    "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    "GX_ANALYTICS_ENABLED": "false",
}


def parse_sizes(text: str) -> list[int]:
    sizes = sorted({int(part.replace("_", "")) for part in text.split(",") if part.strip()})
    if not sizes or sizes[0] < 1:
        raise argparse.ArgumentTypeError(f"sizes must be positive whole numbers, got {text!r}")
    return sizes


class Runner:
    """Starts measured worker processes and keeps their logs."""

    def __init__(self, out: Path, tmp: Path, hash_seed: int | None = None) -> None:
        self.out, self.tmp = out, tmp
        self.logs = out / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.env = {**os.environ, **{k: os.environ.get(k, v) for k, v in CHILD_ENV.items()}}
        if hash_seed is not None:
            self.env["PYTHONHASHSEED"] = str(hash_seed)
        self.fingerprints: dict[str, str | None] = {}

    def run(self, name: str, articles: Path, warehouse: Path, *flags: str) -> dict:
        result_path = self.tmp / f"{name}.json"
        log_path = self.logs / f"{name}.log"
        command = [
            sys.executable,
            "-m",
            "bench.worker",
            "--articles",
            str(articles),
            "--warehouse",
            str(warehouse),
            "--result",
            str(result_path),
            *flags,
        ]
        started = time.perf_counter()
        with log_path.open("w", encoding="utf-8") as log:
            completed = subprocess.run(command, cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        seconds = time.perf_counter() - started
        if not result_path.exists():
            raise RuntimeError(f"benchmark run {name} crashed (exit {completed.returncode}); see {log_path}")
        result = json.loads(result_path.read_text())
        result["process_seconds"] = round(seconds, 3)
        result["load_average_after"] = _load_average()
        self.fingerprints[name] = result.get("code_fingerprint")
        result["log"] = str(log_path)
        if not result["success"]:
            print(f"  ! run {name} FAILED ({result['checks']}); see {log_path}", flush=True)
        return result


def _rate(amount: float | None, seconds: float | None) -> float | None:
    """amount / seconds to 4 significant digits (MB/s of a tiny corpus is a small number)."""
    if amount is None or not seconds:
        return None
    return float(f"{amount / seconds:.4g}")


def stage_table(result: dict, articles: int, text_mb: float) -> dict[str, dict]:
    rows = {}
    for stage, seconds in result["stages"].items():
        if stage == "other" and seconds is None:
            continue
        rows[stage] = {
            "seconds": seconds,
            "articles_per_s": _rate(articles, seconds),
            "mb_per_s": _rate(text_mb, seconds),
        }
    return rows


def marginal(previous: dict, entry: dict) -> dict:
    """The cost of the extra articles between two sizes: fixed costs cancel out (noise does not)."""
    added = entry["articles_loaded"] - previous["articles_loaded"]
    out = {"from_size": previous["size"], "added_articles": added}
    for name, now, before in [
        ("end_to_end", entry["end_to_end"]["seconds"], previous["end_to_end"]["seconds"]),
        *(
            (stage, entry["stages"][stage]["seconds"], previous["stages"][stage]["seconds"])
            for stage in ("extraction", "quality", "dbt")
            if stage in entry["stages"] and stage in previous["stages"]
        ),
    ]:
        delta = now - before if now is not None and before is not None else None
        out[name] = {
            "extra_seconds": round(delta, 3) if delta is not None else None,
            "articles_per_s": _rate(added, delta) if delta is not None and delta > 0 else None,
        }
    return out


def size_entry(size: int, written: dict, result: dict, previous: dict | None) -> dict:
    articles = result.get("articles") or 0
    text_mb = result.get("text_mb") or 0.0
    wall = result["wall_seconds"]
    entry = {
        "size": size,
        "articles_loaded": articles,
        "all_units_loaded": articles == size,
        "input_mb": round(written["file_bytes"] / 1e6, 3),
        "text_mb": text_mb,
        "success": result["success"],
        "checks": result["checks"],
        "stages": stage_table(result, articles, text_mb),
        "end_to_end": {
            "seconds": wall,
            "articles_per_s": _rate(articles, wall),
            "mb_per_s": _rate(text_mb, wall),
        },
        "cpu_seconds": result.get("cpu_seconds"),
        "process_seconds": result["process_seconds"],
        "import_seconds": result["import_seconds"],
        "run_span_seconds": result["run_span_seconds"],
        "steps": result["steps"],
        "extraction_pure_seconds": result["extraction_pure_seconds"],
        "peak_rss_mb": result["rss"]["peak_rss_tree_mb"],
        "rss": result["rss"],
        "marts_rows": result["marts_rows"],
        "load_average_after": result["load_average_after"],
        "log": result["log"],
    }
    if previous is not None:
        entry["marginal_vs_previous_size"] = marginal(previous, entry)
    regex = result.get("regex")
    extraction = result["stages"].get("extraction")
    entry["regex_reference"] = regex
    entry["extraction_vs_regex"] = (
        round(extraction / regex["seconds"], 1) if regex and regex["seconds"] and extraction else None
    )
    pure = result["extraction_pure_seconds"]
    entry["extraction_pure_vs_regex"] = (
        round(pure / regex["seconds"], 1) if regex and regex["seconds"] and pure else None
    )
    return entry


# --- printing ---------------------------------------------------------------------------------------


def _fmt(value: float | None, digits: int = 2) -> str:
    if value is None:
        return "—"
    if value >= 100_000:
        return f"{value:,.0f}"
    return f"{value:,.{digits}f}"


def print_size(entry: dict) -> None:
    e2e = entry["end_to_end"]["seconds"]
    print(
        f"\n== {entry['size']:,} {entry.get('corpus', 'mixed')} articles ({entry['articles_loaded']:,} loaded), "
        f"{entry['text_mb']:.2f} MB of text, {entry['input_mb']:.2f} MB of JSONL "
        f"(load average after: {entry['load_average_after']}){'' if entry['success'] else ' — RUN FAILED'}"
    )
    print(f"{'stage':<24}{'seconds':>10}{'share':>8}{'articles/s':>13}{'MB/s':>9}")
    for stage, row in entry["stages"].items():
        share = f"{100 * row['seconds'] / e2e:.1f}%" if row["seconds"] is not None and e2e else "—"
        missing = " (no such step)" if entry["success"] else " (not run)"
        label = STAGE_LABELS.get(stage, stage) + (missing if row["seconds"] is None else "")
        print(
            f"{label:<24}{_fmt(row['seconds']):>10}{share:>8}"
            f"{_fmt(row['articles_per_s'], 1):>13}{_fmt(row['mb_per_s'], 3):>9}"
        )
    row = entry["end_to_end"]
    print(
        f"{'end to end (build)':<24}{_fmt(e2e):>10}{'100%':>8}{_fmt(row['articles_per_s'], 1):>13}{_fmt(row['mb_per_s'], 3):>9}"
    )
    print(f"{'process (+ imports)':<24}{_fmt(entry['process_seconds']):>10}")
    print(f"{'CPU s, build (tree)':<24}{_fmt(entry['cpu_seconds']):>10}")
    print(
        f"peak RSS, process tree: {entry['peak_rss_mb']:,.0f} MB "
        f"(this process max {entry['rss']['maxrss_self_mb']:,.0f} MB)"
    )
    extra = entry.get("marginal_vs_previous_size")
    if extra:
        e2e_extra, extraction_extra = extra["end_to_end"], extra.get("extraction", {})
        print(
            f"marginal vs {extra['from_size']:,}: +{extra['added_articles']:,} articles cost "
            f"{_fmt(e2e_extra['extra_seconds'], 1)} s end to end ({_fmt(e2e_extra['articles_per_s'], 1)} articles/s), "
            f"{_fmt(extraction_extra.get('extra_seconds'), 1)} s of extraction "
            f"({_fmt(extraction_extra.get('articles_per_s'), 1)} articles/s)"
        )
    regex = entry["regex_reference"]
    if regex:
        print(
            f"regex reference pass: {regex['seconds']:.3f} s ({_fmt(regex['mb_per_s'], 1)} MB/s, "
            f"{regex['matches']:,} matches) -> extraction step = {entry['extraction_vs_regex']}x "
            f"(pure extract() = {entry['extraction_pure_vs_regex']}x)"
        )
    if not entry["all_units_loaded"]:
        print(f"  ! only {entry['articles_loaded']} of {entry['size']} articles loaded (see ingest_log)")


def print_summary(report: dict) -> None:
    print("\n== summary (seconds; throughput end to end)")
    head = [
        "corpus",
        "articles",
        "MB",
        "ingest",
        "extract",
        "quality",
        "dbt",
        "publish",
        "e2e",
        "art/s",
        "MB/s",
        "marg art/s",
        "CPU s",
        "RSS MB",
        "x regex",
    ]
    widths = [12, 10, 7, 8, 9, 9, 8, 9, 8, 8, 7, 12, 8, 8, 9]
    print("".join(f"{h:>{w}}" for h, w in zip(head, widths, strict=True)))
    for e in report["sizes"] + report.get("full_length", []):
        st = e["stages"]
        cells = [
            e.get("corpus", "mixed"),
            f"{e['size']:,}",
            f"{e['text_mb']:.1f}",
            *(
                _fmt(st.get(s, {}).get("seconds"), 1)
                for s in ("ingest", "extraction", "quality", "dbt", "publish")
            ),
            _fmt(e["end_to_end"]["seconds"], 1),
            _fmt(e["end_to_end"]["articles_per_s"], 1),
            _fmt(e["end_to_end"]["mb_per_s"], 3),
            _fmt(e.get("marginal_vs_previous_size", {}).get("end_to_end", {}).get("articles_per_s"), 1),
            _fmt(e.get("cpu_seconds"), 1),
            f"{e['peak_rss_mb']:,.0f}",
            _fmt(e["extraction_vs_regex"], 1),
        ]
        print("".join(f"{c:>{w}}" for c, w in zip(cells, widths, strict=True)))
    startup = report.get("startup")
    if startup:
        print(
            f"start-up: interpreter + imports {startup['import_seconds']:.1f} s, build_definitions "
            f"{startup['definitions_seconds']:.2f} s, run on 1 article {startup['tiny_run_seconds']:.1f} s "
            f"(dbt build {_fmt(startup['stages']['dbt'], 1)} s, extraction {_fmt(startup['stages']['extraction'], 1)} s), "
            f"process {startup['process_seconds']:.1f} s, peak RSS {startup['peak_rss_mb']:,.0f} MB"
        )
    inc = report.get("incremental")
    if inc:
        verdict = (
            "yes"
            if inc["equals_full_rebuild"]
            else "NO ("
            + ", ".join(
                f"{t}: {d['only_in_rerun']}/{d['rows']} rows differ" for t, d in inc["differing_rows"].items()
            )
            + ")"
        )
        if not inc["same_code"]:
            verdict += " — but the code changed between the two runs"
        print(
            f"incremental: +{inc['added_articles']:,} articles ({100 * INCREMENT_SHARE:g}%) on {inc['base_size']:,}: "
            f"re-run {inc['seconds']:.1f} s = {inc['fraction_of_full_run']:.2f} of the full run "
            f"({inc['mode']}); full rebuild on the same input {inc['rebuild_seconds']:.1f} s; "
            f"warehouse equals the full rebuild: {verdict}"
        )


# --- the benchmark ----------------------------------------------------------------------------------


def _load_average() -> list[float] | None:
    return [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None


def _versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for package in (
        "dagster",
        "dagster-dbt",
        "dbt-core",
        "dbt-duckdb",
        "duckdb",
        "polars",
        "great-expectations",
    ):
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = None
    return found


def _git_commit() -> str | None:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain"], cwd=REPO, capture_output=True, text=True
        ).stdout
        return head + ("+dirty" if dirty.strip() else "")
    except (OSError, subprocess.CalledProcessError):
        return None


def measure_size(
    runner: Runner, pool: Pool, size: int, tmp: Path, entries: list[dict], corpus: str
) -> tuple[dict, Path, Path]:
    """Write `size` articles of `pool`, run the pipeline on them, print and append the entry."""
    prefix = "" if corpus == "mixed" else f"{corpus}-"
    folder = tmp / f"{prefix}articles-{size}"
    warehouse = tmp / f"{prefix}warehouse-{size}" / "events.duckdb"
    print(f"writing {size:,} {corpus} articles and running the pipeline ...", flush=True)
    written = write_corpus(pool, folder, 0, size)
    result = runner.run(f"{prefix}size-{size}", folder, warehouse, "--regex")
    entry = size_entry(size, written, result, entries[-1] if entries else None)
    entry["corpus"] = corpus
    entries.append(entry)
    print_size(entry)
    entry["_result"] = result  # for the incremental run; popped before the report is written
    return entry, folder, warehouse


def measure_startup(runner: Runner, pool: Pool) -> dict:
    folder = runner.tmp / "startup-articles"
    folder.mkdir()
    # The shortest text that states a year: a one-article corpus whose only event is undated fails
    # the events suite's "share of dated events" (a blocking check), and dbt would not run at all.
    dated = [i for i, t in enumerate(pool.texts) if YEAR.search(t.body)] or list(range(len(pool.texts)))
    record = pool.record(min(dated, key=lambda i: len(pool.texts[i].body)))
    (folder / "tiny.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    result = runner.run("startup", folder, runner.tmp / "startup-warehouse" / "events.duckdb")
    return {
        "article_chars": len(record["text"]),
        "import_seconds": result["import_seconds"],
        "definitions_seconds": result["definitions_seconds"],
        "tiny_run_seconds": result["wall_seconds"],
        "process_seconds": result["process_seconds"],
        "stages": result["stages"],
        "steps": result["steps"],
        "peak_rss_mb": result["rss"]["peak_rss_tree_mb"],
        "success": result["success"],
    }


def measure_incremental(
    runner: Runner, pool: Pool, size: int, folder: Path, warehouse: Path, full: dict
) -> dict:
    added = max(1, math.ceil(size * INCREMENT_SHARE))
    write_corpus(pool, folder, size, size + added, prefix="part-increment")
    # The ordinary job on the grown folder, into the warehouse (and extracted parts) the full run
    # left behind: only the new articles are extracted, and dbt's staging reads only the new parts.
    rerun = runner.run(f"incremental-{size}", folder, warehouse, "--md5")
    rebuild = runner.run(f"rebuild-{size + added}", folder, runner.tmp / "rebuild" / "events.duckdb", "--md5")
    a, b = rerun.get("marts_md5") or {}, rebuild.get("marts_md5") or {}
    differing = sorted(t for t in a.keys() | b.keys() if a.get(t) != b.get(t))
    rebuilt = runner.tmp / "rebuild" / "events.duckdb"
    comparable = differing and rerun["success"] and rebuild["success"] and rebuilt.exists()
    differing_rows = _differing_rows(warehouse, rebuilt, differing) if comparable else {}
    shutil.rmtree(rebuilt.parent, ignore_errors=True)
    return {
        "base_size": size,
        "added_articles": added,
        "mode": (
            f"{rerun.get('articles_extracted')} articles extracted into {rerun.get('new_parts')} new parts, "
            f"{rerun.get('articles_reused')} reused"
        ),
        "seconds": rerun["wall_seconds"],
        "fraction_of_full_run": round(rerun["wall_seconds"] / full["wall_seconds"], 3),
        "stages": rerun["stages"],
        "cpu_seconds": rerun.get("cpu_seconds"),
        "process_seconds": rerun["process_seconds"],
        "peak_rss_mb": rerun["rss"]["peak_rss_tree_mb"],
        "success": rerun["success"],
        "rebuild_seconds": rebuild["wall_seconds"],
        "rebuild_cpu_seconds": rebuild.get("cpu_seconds"),
        "rebuild_success": rebuild["success"],
        "equals_full_rebuild": bool(a) and rerun["success"] and rebuild["success"] and not differing,
        "tables_compared": len(a.keys() | b.keys()),
        "differing_tables": differing,
        "differing_rows": differing_rows,
        "marts_md5": a,
        "same_code": rerun.get("code_fingerprint") == rebuild.get("code_fingerprint"),
    }


def _differing_rows(left: Path, right: Path, tables: list[str]) -> dict[str, dict[str, int]]:
    """Rows only in the re-run's mart and rows only in the rebuild's (multiset difference)."""
    import duckdb

    counts = {}
    with duckdb.connect() as con:
        con.execute(f"attach '{left}' as rerun (read_only)")
        con.execute(f"attach '{right}' as rebuild (read_only)")
        for table in tables:
            counts[table] = {
                "rows": con.execute(f"select count(*) from rerun.marts.{table}").fetchone()[0],
                "only_in_rerun": con.execute(
                    f"select count(*) from (from rerun.marts.{table} except all from rebuild.marts.{table})"
                ).fetchone()[0],
                "only_in_rebuild": con.execute(
                    f"select count(*) from (from rebuild.marts.{table} except all from rerun.marts.{table})"
                ).fetchone()[0],
            }
    return counts


def write_chart(report: dict, path: Path) -> Path:
    """Seconds against articles, log-log: end to end and per stage for each corpus, the regex
    reference pass, and the one-article run as a horizontal rule; drawn with altair, saved as PNG
    through vl-convert."""
    import altair as alt

    rows = []
    for entries in (report["sizes"], report.get("full_length", [])):
        for e in entries:
            corpus = e.get("corpus", "mixed")
            points = {"end to end": e["end_to_end"]["seconds"]}
            for stage in ("ingest", "extraction", "quality", "dbt", "publish"):
                points[STAGE_LABELS[stage].replace(" (GX)", "")] = e["stages"].get(stage, {}).get("seconds")
            if e.get("regex_reference"):
                points["regex reference"] = e["regex_reference"]["seconds"]
            rows += [
                {"corpus": corpus, "series": name, "articles": e["size"], "seconds": seconds}
                for name, seconds in points.items()
                if seconds  # a log scale has no place for 0 or a stage that did not run
            ]
    lines = (
        alt.Chart(alt.Data(values=rows))
        .mark_line(point=True)
        .encode(
            x=alt.X("articles:Q", scale=alt.Scale(type="log"), title="articles (log)"),
            y=alt.Y("seconds:Q", scale=alt.Scale(type="log"), title="seconds (log)"),
            color=alt.Color("series:N", title=None),
            strokeDash=alt.StrokeDash("corpus:N", title="corpus"),
        )
    )
    layers = [lines]
    if report.get("startup"):
        tiny = [{"label": "run on 1 article", "seconds": report["startup"]["tiny_run_seconds"]}]
        layers.append(
            alt.Chart(alt.Data(values=tiny)).mark_rule(strokeDash=[2, 2], color="gray").encode(y="seconds:Q")
        )
    chart = alt.layer(*layers).properties(
        title="newsevents benchmark: seconds vs articles", width=640, height=400
    )
    chart.save(str(path), format="png", scale_factor=1.5)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", type=parse_sizes, default=parse_sizes(DEFAULT_SIZES), help="e.g. 1000,10000"
    )
    parser.add_argument(
        "--full-length-sizes",
        type=lambda text: [] if text in ("", "0", "none") else parse_sizes(text),
        default=parse_sizes(DEFAULT_FULL_LENGTH_SIZES),
        help="sizes of the full-length corpus (MUC-4 stories + seed article); 'none' to skip",
    )
    parser.add_argument(
        "--out", type=Path, default=REPO / "warehouse" / "bench", help="where bench.json goes"
    )
    parser.add_argument(
        "--tmp", type=Path, default=None, help="parent of the temporary corpus/warehouse folder"
    )
    parser.add_argument("--no-startup", action="store_true", help="skip the start-up cost run")
    parser.add_argument("--no-incremental", action="store_true", help="skip the +1%% re-run and rebuild")
    parser.add_argument("--keep", action="store_true", help="keep the temporary corpora and warehouses")
    parser.add_argument(
        "--hash-seed",
        type=int,
        default=None,
        help="PYTHONHASHSEED for every run (default: random per process, as with `make run`)",
    )
    args = parser.parse_args(argv)

    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="newsevents-bench-", dir=args.tmp))
    runner = Runner(out, tmp, args.hash_seed)
    pool = load_pool()
    full_pool = load_pool(full_length=True)
    started = time.perf_counter()
    report: dict = {
        "meta": {
            "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "sizes": args.sizes,
            "full_length_sizes": args.full_length_sizes,
            "cpu_count": os.cpu_count(),
            "affinity_cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
            "platform": platform.platform(),
            "python": platform.python_version(),
            "versions": _versions(),
            "git_commit": _git_commit(),
            "load_average_at_start": _load_average(),
            "python_hash_seed": args.hash_seed if args.hash_seed is not None else "random per run",
        },
        "corpus": {
            "distinct_texts": len(pool.texts),
            "by_origin": pool.by_origin,
            "shared_present": pool.shared_present,
            "repeat_marker": 'copy k >= 1 of a text gets a last paragraph "Report k."',
            "full_length_distinct_texts": len(full_pool.texts),
            "full_length_by_origin": full_pool.by_origin,
        },
        "startup": None,
        "sizes": [],
        "full_length": [],
        "incremental": None,
    }
    if not pool.shared_present:
        print("note: ../shared/eval is absent; the corpus cycles the texts of seeds/ only")
    load = _load_average()
    if load and load[0] > 0.75 * (os.cpu_count() or 1):
        print(
            f"note: the machine is busy (load average {load[0]} on {os.cpu_count()} CPUs): wall times "
            "include that contention; CPU seconds and the regex multiple are the steadier figures"
        )
    print(
        f"benchmark corpus: {len(pool.texts):,} distinct real texts {pool.by_origin}; "
        f"sizes {args.sizes}; temporary folder {tmp}",
        flush=True,
    )
    try:
        if not args.no_startup:
            print("measuring start-up cost (run on one tiny article) ...", flush=True)
            report["startup"] = measure_startup(runner, pool)
        for size in args.full_length_sizes:
            entry, _, _ = measure_size(runner, full_pool, size, tmp, report["full_length"], "full-length")
            entry.pop("_result")
            if not args.keep:
                shutil.rmtree(tmp / f"full-length-articles-{size}", ignore_errors=True)
                shutil.rmtree(tmp / f"full-length-warehouse-{size}", ignore_errors=True)
        for size in args.sizes:
            entry, folder, warehouse = measure_size(runner, pool, size, tmp, report["sizes"], "mixed")
            result = entry.pop("_result")
            largest = size == args.sizes[-1]
            if largest and not args.no_incremental:
                print(
                    f"\nincremental: adding {INCREMENT_SHARE:.0%} new articles and re-running ...", flush=True
                )
                report["incremental"] = measure_incremental(runner, pool, size, folder, warehouse, result)
            if not args.keep:
                shutil.rmtree(folder, ignore_errors=True)
                shutil.rmtree(warehouse.parent, ignore_errors=True)
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    report["meta"]["total_seconds"] = round(time.perf_counter() - started, 1)
    report["meta"]["load_average_at_end"] = _load_average()
    report["meta"]["code_fingerprints"] = runner.fingerprints
    report["meta"]["code_changed_during_benchmark"] = len(set(runner.fingerprints.values())) > 1
    if report["meta"]["code_changed_during_benchmark"]:
        print(
            "\n! the pipeline's code changed while the benchmark ran (runs have different code "
            "fingerprints, see meta.code_fingerprints): results mix versions"
        )
    json_path = out / "bench.json"
    png_path = out / "bench.png"
    report["chart"] = str(png_path)
    json_path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    write_chart(report, png_path)
    print_summary(report)
    print(
        f"\nwrote {json_path} and {png_path} (run logs in {runner.logs}); total {report['meta']['total_seconds']:.0f} s"
    )
    ok = all(e["success"] for e in report["sizes"] + report["full_length"]) and (
        report["incremental"] is None or report["incremental"]["equals_full_rebuild"]
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
