"""Run the real pipeline (the `build_warehouse` job: ingestion, extraction, GX checks, dbt build)
on an evaluation folder's articles in a temporary warehouse, time it, and read the marts back."""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg
import duckdb
import polars as pl

from orchestration.evaluation.gold import ARTICLES_FILE, first_lines
from orchestration.resources import PipelineSettings
from orchestration.run import build, check_counts
from orchestration.settings import Settings

EVENTS_ASSET = dg.AssetKey(["extracted", "events"])

# Predicted events: fct_events with its location and the types of its first actor 1 and actor 2 in
# this event (bridge_event_actors.actor_type_in_event; dim_actors.actor_type is an actor's usual type).
EVENTS_SQL = """
select
    e.event_id,
    e.article_id,
    e.event_date,
    e.date_precision,
    e.event_type,
    e.sub_event_type,
    coalesce(l.country_iso3, e.country_iso3) as country_iso3,
    l.location_name,
    l.location_type,
    l.admin1,
    l.latitude,
    l.longitude,
    b1.actor_type_in_event as actor1_type,
    a1.actor_name as actor1_name,
    b2.actor_type_in_event as actor2_type,
    a2.actor_name as actor2_name,
    e.fatalities_best,
    e.injured_best,
    e.evidence_text,
    e.char_start,
    e.sentence_index,
    e.trigger_text
from marts.fct_events e
left join marts.dim_locations l on l.location_id = e.location_id
left join marts.dim_actors a1 on a1.actor_id = e.actor1_id
left join marts.dim_actors a2 on a2.actor_id = e.actor2_id
left join marts.bridge_event_actors b1
    on b1.event_id = e.event_id and b1.actor_id = e.actor1_id and b1.role = 'actor1'
left join marts.bridge_event_actors b2
    on b2.event_id = e.event_id and b2.actor_id = e.actor2_id and b2.role = 'actor2'
order by e.article_id, e.char_start, e.event_id
"""


# Every actor of each event and role (bridge_event_actors), for the mistakes file: fct_events keeps
# only the first-mentioned actor per role, which is the one scored.
ACTOR_ROLES_SQL = """
select
    b.event_id,
    string_agg(case when b.role = 'actor1' then b.actor_type_in_event || ' [' || a.actor_name || ']' end, '; '
        order by b.actor_type_in_event, a.actor_name) as actor1_all,
    string_agg(case when b.role = 'actor2' then b.actor_type_in_event || ' [' || a.actor_name || ']' end, '; '
        order by b.actor_type_in_event, a.actor_name) as actor2_all
from marts.bridge_event_actors b
join marts.dim_actors a on a.actor_id = b.actor_id
group by b.event_id
"""


@dataclass
class PipelineRun:
    success: bool
    run_id: str
    texts: int  # input units handed to the pipeline (JSONL lines)
    build_seconds: float  # wall time of orchestration.run.build (Definitions, Dagster, dbt start-up)
    extraction_seconds: float | None  # `extraction_seconds` metadata of extracted/events
    extracted_articles: int | None
    step_seconds: dict[str, float] = field(default_factory=dict)
    checks_passed: int = 0
    checks_failed: list[str] = field(default_factory=list)
    scored_from: str | None = None  # the warehouse file the marts were read from

    def throughput(self) -> dict:
        return {
            "texts": self.texts,
            "build_seconds": round(self.build_seconds, 3),
            "texts_per_second": self.texts / self.build_seconds if self.build_seconds else None,
            "extraction_seconds": self.extraction_seconds,
            "extraction_texts_per_second": (
                self.extracted_articles / self.extraction_seconds
                if self.extraction_seconds and self.extracted_articles is not None
                else None
            ),
            "step_seconds": {k: round(v, 3) for k, v in self.step_seconds.items()},
            "build_seconds_include": "Definitions loading, Dagster run, ingestion, extraction, GX checks, "
            "dbt start-up, `dbt build` (models and tests) and publishing; not gold reading or scoring",
        }


@contextmanager
def output_to(log_path: Path | None) -> Iterator[None]:
    """Send this process's stdout and stderr (Dagster and dbt logs) to `log_path`; None keeps them."""
    if log_path is None:
        yield
        return
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    with open(log_path, "ab") as log:
        os.dup2(log.fileno(), 1)
        os.dup2(log.fileno(), 2)
        try:
            yield
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])


def run_pipeline(
    articles_jsonl: Path, workdir: Path, *, limit: int | None = None, log_path: Path | None = None
) -> tuple[PipelineRun, Settings]:
    """Copy the input (its first `limit` lines) into `workdir/articles/` and build the warehouse
    `workdir/events.duckdb` from it with an ephemeral Dagster instance."""
    articles_dir = workdir / "articles"
    articles_dir.mkdir(parents=True, exist_ok=True)
    data = first_lines(articles_jsonl, limit)
    (articles_dir / ARTICLES_FILE).write_bytes(data)
    settings = Settings.from_env(
        {"ARTICLES_DIR": str(articles_dir), "WAREHOUSE_PATH": str(workdir / "events.duckdb")}
    )
    # the workdir belongs to the evaluation: a warehouse left by an earlier run must not be scored
    for stale in (settings.warehouse_path, PipelineSettings.from_settings(settings).working_path):
        stale.unlink(missing_ok=True)
    started = time.perf_counter()
    with output_to(log_path), dg.DagsterInstance.ephemeral() as instance:
        result = build(settings, instance)
        build_seconds = time.perf_counter() - started
        steps = _step_seconds(instance, result.run_id)
    passed, _, failed = check_counts(result)
    failed = _failed_check_details(result) or failed
    extraction_seconds, extracted = _extraction_metadata(result)
    texts = sum(1 for line in data.split(b"\n") if line.strip()) if data else 0
    run = PipelineRun(
        success=result.success,
        run_id=result.run_id,
        texts=texts,
        build_seconds=build_seconds,
        extraction_seconds=extraction_seconds,
        extracted_articles=extracted,
        step_seconds=steps,
        checks_passed=passed,
        checks_failed=failed,
    )
    return run, settings


def _failed_check_details(result: dg.ExecuteInProcessResult) -> list[str]:
    """Each failed check with the failing expectations its metadata lists (GX checks do)."""
    details = []
    for event in result.all_events:
        if event.event_type_value != "ASSET_CHECK_EVALUATION" or event.event_specific_data.passed:
            continue
        evaluation = event.event_specific_data
        name = f"{evaluation.asset_key.to_user_string()}:{evaluation.check_name}"
        failing = evaluation.metadata.get("failed_expectations")
        text = json.dumps(failing.value, default=str)[:500] if failing is not None else ""
        details.append(f"{name} {text}".strip())
    return details


def _extraction_metadata(result: dg.ExecuteInProcessResult) -> tuple[float | None, int | None]:
    for event in result.all_events:
        if event.event_type_value != "ASSET_MATERIALIZATION":
            continue
        materialization = event.event_specific_data.materialization
        if materialization.asset_key == EVENTS_ASSET:
            metadata = materialization.metadata
            seconds = metadata.get("extraction_seconds")
            articles = metadata.get("articles")
            return (
                float(seconds.value) if seconds is not None else None,
                int(articles.value) if articles is not None else None,
            )
    return None, None


def _step_seconds(instance: dg.DagsterInstance, run_id: str) -> dict[str, float]:
    """Wall seconds per step (ingestion, extraction, each GX check, dbt) from the run's event log."""
    started: dict[str, float] = {}
    seconds: dict[str, float] = {}
    for record in instance.all_logs(run_id):
        event = record.dagster_event
        if event is None or event.step_key is None:
            continue
        if event.event_type_value == "STEP_START":
            started[event.step_key] = record.timestamp
        elif event.event_type_value in ("STEP_SUCCESS", "STEP_FAILURE") and event.step_key in started:
            seconds[event.step_key] = record.timestamp - started[event.step_key]
    return seconds


def read_marts(warehouse_path: Path) -> dict[str, pl.DataFrame]:
    """The marts the evaluation scores, read-only: predicted events (joined), ingest_log, articles."""
    with duckdb.connect(str(warehouse_path), read_only=True) as con:
        return {
            "events": con.sql(EVENTS_SQL).pl(),
            "ingest_log": con.sql(
                "select source_file, line_number, status, reason, article_id from marts.ingest_log"
            ).pl(),
            "articles": con.sql("select article_id, source_file, line_number from marts.dim_articles").pl(),
            "actor_roles": con.sql(ACTOR_ROLES_SQL).pl(),
        }
