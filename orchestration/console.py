"""What `make run` shows: one progress line per stage while the run goes, then a short summary.

The lines follow the run's own event log. `make run` registers `RunListener` on the Dagster
instance for its run id, so it sees every event the run stores, in order, in its own process:
steps starting and finishing, and the `progress ...` messages assets log while they work
(`orchestration.progress`). The same events make the run's log file, one line each, so the file and
the UI's run log tell the same story. The listener does not touch the run: it reads events.

No Dagster import at module level: `make run` draws its first line before Dagster is imported
(importing it takes seconds).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from rich.console import Console
from rich.progress import BarColumn, Progress, ProgressColumn, Task, TextColumn, TimeRemainingColumn
from rich.table import Column
from rich.text import Text

from orchestration import progress

UNITS = {"ingest": "units", "extract": "articles", "checks": "suites", "dbt": "nodes", "publish": "steps"}
NOT_RUN = ("not run", "skipped")
# Dagster-side asset groups -> stages (linking reports of one incident is part of extracting); dbt's
# assets (grouped by layer) are the `dbt` stage by kind.
GROUP_STAGES = {"ingestion": "ingest", "extraction": "extract", "linking": "extract", "publish": "publish"}


def stages_by_step(defs: Any) -> dict[str, str]:
    """Each step (op) of the Definitions' assets and checks -> its stage. Steps of groups no stage
    names (none today) are left out: they run, they just have no line."""
    stages = {}
    for assets in defs.get_repository_def().asset_graph.assets_defs:
        if not assets.is_executable:
            continue
        specs = list(assets.specs)
        if not specs:
            stage = "checks" if assets.check_keys else None
        elif "dbt" in specs[0].kinds:
            stage = "dbt"
        else:
            stage = GROUP_STAGES.get(specs[0].group_name)
        if stage:
            stages[assets.node_def.name] = stage
    return stages


class _Count(ProgressColumn):
    def __init__(self) -> None:
        super().__init__(Column(min_width=20, no_wrap=True))

    def render(self, task: Task) -> Text:
        if task.start_time is None or task.fields["note"] in NOT_RUN:
            return Text("")
        total = "?" if task.total is None else f"{task.total:.0f}"
        return Text(f"{task.completed:.0f}/{total} {task.fields['unit']}")


class _Rate(ProgressColumn):
    def __init__(self) -> None:
        super().__init__(Column(min_width=7, justify="right", no_wrap=True))

    def render(self, task: Task) -> Text:
        seconds = task.finished_time if task.finished else None
        speed = task.completed / seconds if seconds else task.speed
        if not speed or task.fields["unit"] in ("steps", "suites") or task.fields["note"] in NOT_RUN:
            return Text("")
        return Text(f"{speed:,.0f}/s" if speed >= 10 else f"{speed:.1f}/s")


@dataclass
class _Stage:
    task: Any
    steps: int = 0
    steps_done: int = 0
    reported: bool = False
    state: str = "waiting"
    printed: bool = False


class StageProgress:
    """The stage lines. On a terminal they redraw in place (rich's live display); otherwise each
    line is printed once, when its stage ends, so a log or a pipe gets plain text and no ANSI codes."""

    def __init__(self, console: Console, *, redirect: bool = False) -> None:
        self.console = console
        self.live = console.is_terminal
        self.progress = Progress(
            TextColumn("{task.description:<8}"),
            BarColumn(bar_width=20),
            _Count(),
            _Rate(),
            TimeRemainingColumn(compact=True, elapsed_when_finished=True),
            TextColumn("{task.fields[note]}"),
            console=console,
            disable=not self.live,
            redirect_stdout=redirect,
            redirect_stderr=redirect,
        )
        self.loading = self.progress.add_task("load", total=None, unit="", note="Dagster and the dbt project")
        self.stages = {
            name: _Stage(
                self.progress.add_task(name, total=None, start=False, unit=UNITS[name], note="waiting")
            )
            for name in progress.STAGES
        }
        self.step_stage: dict[str, str] = {}

    def __enter__(self) -> StageProgress:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def expect(self, step_stage: Mapping[str, str]) -> None:
        """The run's steps are known (Definitions are built): loading is over."""
        self.step_stage = dict(step_stage)
        for stage, count in Counter(step_stage.values()).items():
            self.stages[stage].steps = count
        self.progress.update(self.loading, visible=False)

    def step_started(self, step: str) -> None:
        stage = self._stage(step)
        if stage and stage.state == "waiting":
            stage.state = "running"
            self.progress.start_task(stage.task)
            self.progress.update(stage.task, note="")

    def step_ended(self, step: str, outcome: str) -> None:
        """outcome: success, failure or skipped."""
        stage = self._stage(step)
        if stage is None or stage.state not in ("waiting", "running"):
            return
        if outcome != "success":
            self._end(stage, "FAILED" if outcome == "failure" else "skipped")
            return
        stage.steps_done += 1
        if not stage.reported:
            self.progress.update(stage.task, completed=stage.steps_done, total=stage.steps)
        if stage.steps_done >= stage.steps:
            self._end(stage, "done")

    def reported(self, report: progress.Report) -> None:
        stage = self.stages[report.stage]
        if stage.state == "waiting":
            stage.state = "running"
            self.progress.start_task(stage.task)
        stage.reported = True
        self.progress.update(stage.task, completed=report.done, total=report.total, unit=report.unit, note="")

    def close(self) -> None:
        """The run is over: a stage that never started did not run."""
        for stage in self.stages.values():
            if stage.state in ("waiting", "running"):
                self._end(stage, "not run")

    def hide(self) -> None:
        """Nothing ran (the run did not start): no lines at all."""
        for task in self.progress.task_ids:
            self.progress.update(task, visible=False)

    def _stage(self, step: str | None) -> _Stage | None:
        name = self.step_stage.get(step or "")
        return self.stages[name] if name else None

    def _end(self, stage: _Stage, note: str) -> None:
        task = self.progress.tasks[stage.task]
        if note == "done":
            total = task.total if task.total is not None else task.completed
            if stage.reported and total == 0:
                note = "nothing new"
            self.progress.update(stage.task, total=total, completed=total)
        elif note in NOT_RUN:
            self.progress.update(stage.task, total=1, completed=0)  # an empty bar, not a pulsing one
        self.progress.stop_task(stage.task)
        self.progress.update(stage.task, note=note)
        stage.state = note
        if not self.live:
            self._print_ended()

    def _print_ended(self) -> None:
        """Off a terminal: print the lines of ended stages in the stages' order (the GX checks on the
        extracted tables end before linking, the last step of `extract`), each once."""
        for stage in self.stages.values():
            if stage.state in ("waiting", "running"):
                return
            if not stage.printed:
                stage.printed = True
                self.console.print(self.progress.make_tasks_table([self.progress.tasks[stage.task]]))


def log_line(entry: Any) -> str:
    """One line of the run's log file for a Dagster event-log entry."""
    when = dt.datetime.fromtimestamp(entry.timestamp).isoformat(sep=" ", timespec="milliseconds")
    level = logging.getLevelName(entry.level)
    text = entry.message or ""
    event = entry.dagster_event
    if event is not None and event.event_type_value == "STEP_FAILURE":
        text = f"{text}\n{event.event_specific_data.error.to_string()}"
    return f"{when} {level:<7} {entry.step_key or '-':<32} {text}"


class RunListener:
    """Called by the instance with every event the run stores: writes it to the log file and moves
    the stage lines."""

    def __init__(self, stages: StageProgress, log: IO[str]) -> None:
        self.stages = stages
        self.log = log

    def __call__(self, entry: Any) -> None:
        self.log.write(log_line(entry) + "\n")
        self.log.flush()
        event = entry.dagster_event
        kind = event.event_type_value if event is not None else None
        if kind == "STEP_START":
            self.stages.step_started(entry.step_key)
        elif kind in ("STEP_SUCCESS", "STEP_FAILURE", "STEP_SKIPPED"):
            self.stages.step_ended(entry.step_key, kind.removeprefix("STEP_").lower())
        elif kind is None and (report := progress.parse(entry.user_message)) is not None:
            self.stages.reported(report)


@dataclass
class Outcome:
    """What a finished run says, gathered from its events and the published warehouse."""

    success: bool
    seconds: float
    run_id: str
    warehouse: Path
    log: Path
    checks_passed: int = 0
    checks_failed: list[str] = field(default_factory=list)
    checks_warned: list[str] = field(default_factory=list)
    failed_steps: list[tuple[str, str]] = field(default_factory=list)
    articles_extracted: int | None = None
    articles_reused: int | None = None
    input_units: dict[str, int] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)


# The marts the summary counts, as (table, what a row is).
COUNTED = (
    ("fct_events", "events"),
    ("dim_actors", "actors"),
    ("fct_casualties", "casualty records"),
    ("dim_locations", "locations"),
)


def summary_lines(outcome: Outcome) -> list[str]:
    lines = [
        f"run {'succeeded' if outcome.success else 'FAILED'} in {outcome.seconds:.1f} s "
        f"(run id {outcome.run_id})"
    ]
    lines += [f"failed step:        {step}: {error}" for step, error in outcome.failed_steps]
    if not outcome.success:
        lines.append(f"the published warehouse was left as it was: {outcome.warehouse}")
    else:
        units = outcome.input_units
        lines += [
            f"input units read:   {sum(units.values())} ({', '.join(f'{k} {v}' for k, v in units.items())})",
            f"articles:           {outcome.rows.get('dim_articles', 0)}",
            f"extracted:          {_extracted(outcome)}",
            "marts:              " + ", ".join(f"{outcome.rows.get(t, 0)} {what}" for t, what in COUNTED),
        ]
    failed = outcome.checks_failed
    lines += [
        f"checks:             {outcome.checks_passed} passed, {len(failed)} failed"
        + (f" ({', '.join(failed)})" if failed else ""),
        *_warnings(outcome.checks_warned),
        f"warehouse:          {outcome.warehouse}",
        f"log:                {outcome.log}",
    ]
    return lines


def _warnings(warned: list[str]) -> list[str]:
    """Checks of severity warn that flagged rows, counted per asset: at most one line."""
    if not warned:
        return []
    assets = Counter(name.split(":", 1)[0] for name in warned)
    where = ", ".join(f"{asset} ({n})" for asset, n in sorted(assets.items()))
    return [f"warnings:           {len(warned)} checks flag rows for a human to review: {where}"]


def _extracted(outcome: Outcome) -> str:
    extracted, reused = outcome.articles_extracted, outcome.articles_reused
    if extracted is None:
        return "not reported"
    if extracted == 0:
        return f"nothing: all {reused} articles were extracted before and are unchanged"
    return f"{extracted} new or changed articles, {reused} reused"
