"""`python -m orchestration.run`: build the warehouse (the `build_warehouse` job) and print a summary.

This is what `make run` calls. It runs in process against the Dagster instance in DAGSTER_HOME (so
the run shows in `make ui`), or an ephemeral instance when DAGSTER_HOME is unset.
"""

from __future__ import annotations

import os
import sys
import time

import dagster as dg
import duckdb

from orchestration.definitions import BUILD_JOB, build_definitions
from orchestration.lock import WarehouseBusy, warehouse_lock
from orchestration.settings import Settings


QUIET_LOGS = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


def build(
    settings: Settings, instance: dg.DagsterInstance, *, quiet: bool = False
) -> dg.ExecuteInProcessResult:
    """Run the build job in process, holding the warehouse's writer lock for the whole run."""
    defs = build_definitions(settings)
    with warehouse_lock(settings.warehouse_path):
        return defs.resolve_job_def(BUILD_JOB).execute_in_process(
            instance=instance, raise_on_error=False, run_config=QUIET_LOGS if quiet else None
        )


def check_counts(result: dg.ExecuteInProcessResult) -> tuple[int, int, list[str]]:
    passed, failed, names = 0, 0, []
    for event in result.all_events:
        if event.event_type_value == "ASSET_CHECK_EVALUATION":
            evaluation = event.event_specific_data
            if evaluation.passed:
                passed += 1
            else:
                failed += 1
                names.append(f"{evaluation.asset_key.to_user_string()}:{evaluation.check_name}")
    return passed, failed, names


def summary(settings: Settings, result: dg.ExecuteInProcessResult, seconds: float) -> str:
    passed, failed, failed_names = check_counts(result)
    lines = [f"run {'succeeded' if result.success else 'FAILED'} in {seconds:.1f} s (run id {result.run_id})"]
    if not result.success:
        lines.append(f"the published warehouse was left as it was: {settings.warehouse_path}")
    elif settings.warehouse_path.exists():
        with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
            statuses = dict(
                con.execute("select status, count(*) from marts.ingest_log group by 1 order by 1").fetchall()
            )
            counts = {
                table: con.execute(f"select count(*) from marts.{table}").fetchone()[0]  # fixed table names
                for table in ("dim_articles", "fct_events", "dim_actors", "fct_casualties", "dim_locations")
            }
        units = sum(statuses.values())
        lines += [
            f"input units read:   {units} ({', '.join(f'{k} {v}' for k, v in statuses.items())})",
            f"articles:           {counts['dim_articles']}",
            f"events:             {counts['fct_events']}",
            f"actors:             {counts['dim_actors']}",
            f"casualty records:   {counts['fct_casualties']}",
            f"locations:          {counts['dim_locations']}",
        ]
    lines += [
        f"checks:             {passed} passed, {failed} failed"
        + (f" ({', '.join(failed_names)})" if failed_names else ""),
        f"warehouse:          {settings.warehouse_path}",
    ]
    return "\n".join(lines)


def main() -> int:
    settings = Settings.from_env()
    instance = dg.DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else dg.DagsterInstance.ephemeral()
    started = time.perf_counter()
    try:
        with instance:
            result = build(settings, instance, quiet=True)
    except WarehouseBusy as busy:
        print(f"not started: {busy}", file=sys.stderr)
        return 3
    print(summary(settings, result, time.perf_counter() - started))
    return 0 if result.success else 1


if __name__ == "__main__":
    sys.exit(main())
