"""One measured pipeline run, in a fresh process: `python -m bench.worker --articles DIR --warehouse PATH
--result FILE [--regex] [--md5]`.

Runs `orchestration.run.build` (the `build_warehouse` job of the project's only Definitions, in
process, ephemeral Dagster instance) and writes a JSON result: wall time, per-step and per-stage
times from the run's STEP_START/STEP_SUCCESS events, check counts, row counts, peak RSS of the
process tree; optionally the regex reference pass over the same text and md5s of every mart.
Each run gets its own process so its peak RSS and its cold start are its own.
"""

from __future__ import annotations

import argparse
import inspect
import json
import time

STARTED = time.perf_counter()

STEP_EVENTS = ("STEP_START", "STEP_SUCCESS", "STEP_FAILURE")
RUN_END_EVENTS = ("RUN_SUCCESS", "RUN_FAILURE")  # DagsterEventType names (their values say PIPELINE_)
STAGES = ("ingest", "extraction", "quality", "dbt", "publish")


def stage_of(step_key: str, groups: frozenset[str] = frozenset()) -> str:
    """The benchmark stage of a job step, from its key and the asset groups it materialises
    (`other` for steps added later that none of these names)."""
    if "publish" in step_key or "publish" in groups:
        return "publish"
    if "_gx_" in step_key or step_key.startswith("gx_"):
        return "quality"
    if step_key == "raw_articles" or "ingestion" in groups:
        return "ingest"
    if step_key == "extracted_tables" or "extraction" in groups:
        return "extraction"
    if step_key == "warehouse_models":
        return "dbt"
    return "other"


def step_seconds(entries) -> tuple[dict[str, float], float | None]:
    """Per step key: STEP_START -> STEP_SUCCESS/FAILURE seconds; and the run's start -> end span."""
    starts, ends, run_start, run_end = {}, {}, None, None
    for entry in entries:
        event = entry.dagster_event
        if event is None:
            continue
        kind = event.event_type.name
        if kind == "RUN_START":
            run_start = entry.timestamp
        elif kind in RUN_END_EVENTS:
            run_end = entry.timestamp
        elif kind in STEP_EVENTS and entry.step_key:
            (starts if kind == "STEP_START" else ends)[entry.step_key] = entry.timestamp
    steps = {key: round(ends[key] - starts[key], 3) for key in starts if key in ends}
    span = round(run_end - run_start, 3) if run_start is not None and run_end is not None else None
    return steps, span


def stage_seconds(
    steps: dict[str, float], groups: dict[str, frozenset[str]] | None = None
) -> dict[str, float | None]:
    groups = groups or {}
    stages: dict[str, float | None] = {name: None for name in (*STAGES, "other")}
    for key, seconds in steps.items():
        name = stage_of(key, groups.get(key, frozenset()))
        stages[name] = round((stages[name] or 0.0) + seconds, 3)
    return stages


def step_groups(result, defs) -> dict[str, frozenset[str]]:
    """Step key -> the asset groups of the assets it materialised (e.g. the publish step's group)."""
    graph = defs.get_repository_def().asset_graph
    found: dict[str, set[str]] = {}
    for event in result.all_events:
        if event.event_type_value == "ASSET_MATERIALIZATION" and event.step_key:
            key = event.event_specific_data.materialization.asset_key
            group = graph.get(key).group_name if graph.has(key) else None
            found.setdefault(event.step_key, set()).update([group] if group else [])
    return {step: frozenset(names) for step, names in found.items()}


def _build(build, settings, instance):
    """`orchestration.run.build`, quiet (as `make run` calls it) when this version has the option."""
    if "quiet" in inspect.signature(build).parameters:
        return build(settings, instance, quiet=True)
    return build(settings, instance)


def _extraction_metadata(result) -> dict:
    """The extracted/events materialisation's metadata: extraction seconds, articles extracted and reused."""
    for event in result.all_events:
        if event.event_type_value != "ASSET_MATERIALIZATION":
            continue
        materialization = event.event_specific_data.materialization
        if materialization.asset_key.to_user_string() == "extracted/events":
            return {key: value.value for key, value in materialization.metadata.items() if key != "preview"}
    return {}


def _pure_extraction_seconds(result) -> float | None:
    value = _extraction_metadata(result).get("extraction_seconds")
    return float(value) if value is not None else None


def _cpu_seconds() -> float:
    """User + system CPU seconds of this process and its finished children (dbt): less sensitive
    than wall time to other work on the machine."""
    import resource

    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def marts_md5(warehouse: str) -> dict[str, str | None]:
    """Order-independent md5 of every table in schema `marts` (equal tables <=> equal md5)."""
    import duckdb

    with duckdb.connect(warehouse, read_only=True) as con:
        tables = [
            row[0]
            for row in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts' order by 1"
            ).fetchall()
        ]
        return {
            table: con.execute(
                f"select md5(string_agg(t::varchar, '|' order by t::varchar)) from marts.{table} t"
            ).fetchone()[0]
            for table in tables
        }


def _marts_rows(warehouse: str) -> dict[str, int]:
    import duckdb

    with duckdb.connect(warehouse, read_only=True) as con:
        tables = con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' order by 1"
        ).fetchall()
        return {t: con.execute(f"select count(*) from marts.{t}").fetchone()[0] for (t,) in tables}


def code_fingerprint() -> str:
    """sha256 of the pipeline's code and configuration as this process starts (it imports them next):
    runs with different fingerprints ran different code (someone edited the tree meanwhile)."""
    import hashlib
    from pathlib import Path

    repo = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for folder in (
        "orchestration",
        "expectations",
        "dbt_project/models",
        "dbt_project/macros",
        "dbt_project/tests",
    ):
        for path in sorted((repo / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(repo).as_posix().encode() + b"\0" + path.read_bytes())
    for path in [
        repo / "dbt_project/dbt_project.yml",
        repo / "dbt_project/profiles.yml",
        *sorted((repo / "seeds/reference").glob("*")),
    ]:
        if path.is_file():
            digest.update(path.relative_to(repo).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.worker")
    parser.add_argument("--articles", required=True)
    parser.add_argument("--warehouse", required=True)
    parser.add_argument("--result", required=True)
    parser.add_argument("--regex", action="store_true", help="also run the regex reference pass")
    parser.add_argument("--md5", action="store_true", help="also hash every mart")
    args = parser.parse_args(argv)

    from bench.rss import PeakRss

    out: dict = {"code_fingerprint": code_fingerprint()}
    with PeakRss() as rss:
        import dagster as dg
        import polars as pl

        from orchestration.definitions import build_definitions
        from orchestration.run import build, check_counts
        from orchestration.settings import Settings

        out["import_seconds"] = round(time.perf_counter() - STARTED, 3)
        settings = Settings.from_env({"ARTICLES_DIR": args.articles, "WAREHOUSE_PATH": args.warehouse})
        started = time.perf_counter()
        defs = build_definitions(settings)  # here only to time it and to name the steps' asset groups
        out["definitions_seconds"] = round(time.perf_counter() - started, 3)
        with dg.DagsterInstance.ephemeral() as instance:
            cpu_before = _cpu_seconds()
            started = time.perf_counter()
            result = _build(build, settings, instance)
            out["wall_seconds"] = round(time.perf_counter() - started, 3)
            out["cpu_seconds"] = round(_cpu_seconds() - cpu_before, 3)
            steps, span = step_seconds(instance.all_logs(result.run_id))
        out["success"] = result.success
        out["run_span_seconds"] = span
        out["steps"] = steps
        groups = step_groups(result, defs)
        out["step_groups"] = {step: sorted(names) for step, names in groups.items()}
        out["stages"] = stage_seconds(steps, groups)
        out["extraction_pure_seconds"] = _pure_extraction_seconds(result)
        extraction = _extraction_metadata(result)
        out["articles_extracted"] = extraction.get("articles_extracted")
        out["articles_reused"] = extraction.get("articles_reused")
        out["new_parts"] = len(extraction.get("new_parts") or [])
        passed, failed, failed_names = check_counts(result)
        out["checks"] = {"passed": passed, "failed": failed, "failed_names": failed_names}

        articles_path = settings.extract_dir / "articles.parquet"
        texts = pl.read_parquet(articles_path, columns=["text"])["text"] if articles_path.exists() else None
        out["articles"] = texts.len() if texts is not None else None
        out["text_mb"] = round(float(texts.str.len_bytes().sum()) / 1e6, 3) if texts is not None else None
        log_path = settings.extract_dir / "ingest_log.parquet"
        if log_path.exists():
            log = pl.read_parquet(log_path, columns=["status"])
            out["ingest_status"] = dict(log.group_by("status").len().sort("status").iter_rows())
        out["marts_rows"] = _marts_rows(args.warehouse) if result.success else None
        if args.regex and texts is not None:
            from bench.reference import regex_pass

            out["regex"] = regex_pass(texts)
        if args.md5 and result.success:
            out["marts_md5"] = marts_md5(args.warehouse)
    out["rss"] = rss.report()
    with open(args.result, "w", encoding="utf-8") as handle:
        json.dump(out, handle, indent=2)
    return 0 if result.success else 1


if __name__ == "__main__":
    raise SystemExit(main())
