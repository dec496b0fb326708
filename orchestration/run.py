"""`python -m orchestration.run [--verbose]`: build the warehouse (the `build_warehouse` job) and say
how it went.

This is what `make run` calls. It runs in process against the Dagster instance in DAGSTER_HOME (so
the run shows in `make ui`), or an ephemeral instance when DAGSTER_HOME is unset. The console gets
one progress line per stage and a summary (orchestration/console.py); everything else Dagster and
dbt say goes to `<warehouse dir>/logs/run-<run id>.log`, or also to the console with `--verbose`.

Dagster is imported inside `main`, after the first line is drawn: importing it takes seconds.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING

from rich.console import Console

from orchestration.console import COUNTED, Outcome, RunListener, StageProgress, stages_by_step, summary_lines
from orchestration.lock import WarehouseBusy, warehouse_lock
from orchestration.settings import Settings

if TYPE_CHECKING:
    import dagster as dg


def _console_logs(level: str) -> dict:
    return {"loggers": {"console": {"config": {"log_level": level}}}}


QUIET_LOGS = _console_logs("WARNING")


def build(
    settings: Settings,
    instance: dg.DagsterInstance,
    *,
    quiet: bool = False,
    run_id: str | None = None,
    defs: dg.Definitions | None = None,
    run_config: dict | None = None,
) -> dg.ExecuteInProcessResult:
    """Run the build job in process, holding the warehouse's writer lock for the whole run."""
    from orchestration.definitions import BUILD_JOB, build_definitions

    defs = defs or build_definitions(settings)
    with warehouse_lock(settings.warehouse_path):
        return defs.resolve_job_def(BUILD_JOB).execute_in_process(
            instance=instance,
            raise_on_error=False,
            run_id=run_id,
            run_config=run_config or (QUIET_LOGS if quiet else None),
        )


def check_results(result: dg.ExecuteInProcessResult) -> tuple[list[str], list[str], list[str]]:
    """The checks of a run by outcome: passed, failed (an error) and warned (failed at severity warn,
    the plausibility checks: rows for a human to look at, not a failure), as `asset:check` names."""
    passed, failed, warned = [], [], []
    for event in result.all_events:
        if event.event_type_value == "ASSET_CHECK_EVALUATION":
            check = event.event_specific_data
            name = f"{check.asset_key.to_user_string()}:{check.check_name}"
            if check.passed:
                passed.append(name)
            elif check.severity.value == "WARN":
                warned.append(name)
            else:
                failed.append(name)
    return passed, failed, warned


def check_counts(result: dg.ExecuteInProcessResult) -> tuple[int, int, list[str]]:
    """Checks passed, checks failed (warnings are neither) and the failed checks' names."""
    passed, failed, _ = check_results(result)
    return len(passed), len(failed), failed


def outcome(settings: Settings, result: dg.ExecuteInProcessResult, seconds: float, log: Path) -> Outcome:
    import duckdb

    found = Outcome(
        success=result.success,
        seconds=seconds,
        run_id=result.run_id,
        warehouse=settings.warehouse_path,
        log=log,
    )
    passed, found.checks_failed, found.checks_warned = check_results(result)
    found.checks_passed = len(passed)
    for event in result.all_events:
        if event.event_type_value == "STEP_FAILURE":
            error = event.event_specific_data.error
            while error is not None and error.cause is not None:  # Dagster's wrapper -> what went wrong
                error = error.cause
            found.failed_steps.append((event.step_key, _first_line(error)))
        elif event.event_type_value == "ASSET_MATERIALIZATION":
            metadata = event.event_specific_data.materialization.metadata
            if "articles_extracted" in metadata:
                found.articles_extracted = metadata["articles_extracted"].value
                found.articles_reused = metadata["articles_reused"].value
    if result.success and settings.warehouse_path.exists():
        with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
            found.input_units = dict(
                con.execute("select status, count(*) from marts.ingest_log group by 1 order by 1").fetchall()
            )
            found.rows = {
                table: con.execute(f"select count(*) from marts.{table}").fetchone()[0]  # noqa: S608 - fixed names
                for table in ("dim_articles", *(t for t, _ in COUNTED))
            }
    return found


def _first_line(error) -> str:
    """`DagsterAssetCheckFailedError: 1 blocking asset check failed ...` (no module path)."""
    if error is None:
        return "(no message)"
    line = (error.message.strip().splitlines() or [""])[0]
    prefix, _, rest = line.partition(": ")
    if prefix.rsplit(".", 1)[-1] == error.cls_name:
        line = rest
    return f"{error.cls_name}: {line}"[:160]


class _Tee:
    """A text stream writing to two (`--verbose`: the console and the log file)."""

    def __init__(self, *streams: IO[str]) -> None:
        self.streams = streams

    def write(self, text: str) -> int:
        for stream in self.streams:
            stream.write(text)
        return len(text)

    def flush(self) -> None:
        for stream in self.streams:
            stream.flush()

    def isatty(self) -> bool:
        return False


@contextlib.contextmanager
def _streams_to(log: IO[str], verbose: bool) -> Iterator[None]:
    """stdout and stderr of this process (dbt's output, which dagster-dbt echoes to stdout; warnings)
    into the log file, and with `verbose` to the console as well."""
    out, err = (_Tee(sys.stdout, log), _Tee(sys.stderr, log)) if verbose else (log, log)
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        yield


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m orchestration.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--verbose", action="store_true", help="print Dagster's and dbt's logs as they come")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    console = Console(file=sys.stdout, highlight=False, soft_wrap=True)
    run_id = str(uuid.uuid4())  # what Dagster would pick; chosen here to name the log file first
    log_path = settings.log_dir / f"run-{run_id}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with (
        log_path.open("w", encoding="utf-8", buffering=1) as log,
        StageProgress(console, redirect=args.verbose) as stages,
        _streams_to(log, args.verbose),
    ):
        import dagster as dg

        from orchestration.definitions import build_definitions

        defs = build_definitions(settings)
        stages.expect(stages_by_step(defs))
        instance = (
            dg.DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else dg.DagsterInstance.ephemeral()
        )
        try:
            with instance:
                instance.add_event_listener(run_id, RunListener(stages, log))
                result = build(
                    settings,
                    instance,
                    run_id=run_id,
                    defs=defs,
                    run_config=_console_logs("INFO" if args.verbose else "CRITICAL"),
                )
        except WarehouseBusy as busy:
            stages.hide()
            print(f"not started: {busy}", file=sys.__stderr__)
            return 3
        stages.close()
        found = outcome(settings, result, time.perf_counter() - started, log_path)
    for line in summary_lines(found):
        console.print(line, markup=False)
    return 0 if result.success else 1


if __name__ == "__main__":
    sys.exit(main())
