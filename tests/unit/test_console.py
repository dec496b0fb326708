"""`make run`'s console: stage lines and summary, on a console that is not a terminal (a pipe, a
log file), and the README's example of it (written by `make readme`) in the same format."""

from __future__ import annotations

import io
import re
from pathlib import Path

from rich.console import Console

from orchestration import progress
from orchestration.console import Outcome, StageProgress, summary_lines
from orchestration.readme_example import README, example_runs

STEPS = {
    "read": "ingest",
    "extract": "extract",
    "gx_a": "checks",
    "gx_b": "checks",
    "dbt": "dbt",
    "pub": "publish",
}


def _piped() -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, width=100, highlight=False, soft_wrap=True), out


def _run(stages: StageProgress, *, to_extract: int, fail: str | None = None) -> None:
    stages.expect(STEPS)
    for step, stage in STEPS.items():
        stages.step_started(step)
        if stage == "extract":
            for done in (0, to_extract):
                stages.reported(progress.Report("extract", done, to_extract, "articles"))
        stages.step_ended(step, "failure" if step == fail else "success")
        if step == fail:
            break
    stages.close()


def _stage_lines(to_extract: int, fail: str | None = None) -> list[str]:
    console, out = _piped()
    with StageProgress(console) as stages:
        _run(stages, to_extract=to_extract, fail=fail)
    return out.getvalue().splitlines()


def _outcome(extracted: int, warned: int = 0) -> Outcome:
    return Outcome(
        success=True,
        seconds=61.5,
        run_id="0b7e4c1a-6a43-4cf1-9d1d-3c1f2b7a9e10",
        warehouse=Path("/data/warehouse/events.duckdb"),
        log=Path("/data/warehouse/logs/run-0b7e4c1a-6a43-4cf1-9d1d-3c1f2b7a9e10.log"),
        checks_passed=72,
        checks_warned=[f"marts/acled_events:plausible_{i}" for i in range(warned)],
        articles_extracted=extracted,
        articles_reused=12 - extracted,
        input_units={"duplicate": 1, "loaded": 12},
        rows={
            "dim_articles": 12,
            "fct_events": 30,
            "dim_actors": 9,
            "fct_casualties": 14,
            "dim_locations": 8,
        },
    )


def test_off_a_terminal_each_stage_prints_one_plain_line_when_it_ends():
    lines = _stage_lines(to_extract=5)
    assert [line.split()[0] for line in lines] == list(progress.STAGES)
    assert not any("\x1b" in line for line in lines)
    assert "5/5 articles" in lines[1] and lines[1].endswith("done")
    assert "2/2 suites" in lines[2]


def test_nothing_to_extract_says_so():
    (extract,) = [line for line in _stage_lines(to_extract=0) if line.startswith("extract")]
    assert extract.endswith("nothing new")


def test_after_a_failed_step_the_later_stages_say_they_did_not_run():
    lines = _stage_lines(to_extract=5, fail="gx_b")
    ends = {line.split()[0]: line.split()[-1] for line in lines}
    assert ends["checks"] == "FAILED" and ends["dbt"] == "run" and ends["publish"] == "run"
    assert lines[3].endswith("not run")


def test_the_summary_says_what_was_extracted_and_what_reused():
    first = summary_lines(_outcome(extracted=12))
    assert "extracted:          12 new or changed articles, 0 reused" in first
    again = summary_lines(_outcome(extracted=0))
    assert "extracted:          nothing: all 12 articles were extracted before and are unchanged" in again
    assert (
        again[-1] == "log:                /data/warehouse/logs/run-0b7e4c1a-6a43-4cf1-9d1d-3c1f2b7a9e10.log"
    )


def test_a_failed_run_names_the_step_and_reports_no_counts():
    failed = Outcome(
        success=False,
        seconds=3.0,
        run_id="r",
        warehouse=Path("/w/events.duckdb"),
        log=Path("/w/logs/run-r.log"),
        checks_failed=["extracted/events:gx_events"],
        failed_steps=[("extracted_events_gx_events", "expectations failed")],
    )
    lines = summary_lines(failed)
    assert lines[0].startswith("run FAILED")
    assert "failed step:        extracted_events_gx_events: expectations failed" in lines
    assert "the published warehouse was left as it was: /w/events.duckdb" in lines
    assert "checks:             0 passed, 1 failed (extracted/events:gx_events)" in lines
    assert not any(line.startswith(("articles:", "marts:")) for line in lines)


def _shape(line: str) -> str:
    """A printed line with what varies between runs (numbers, paths, run ids, rates, the bar's
    length, the ingest statuses present) made constant: what is left is the format."""
    line = re.sub(r"run id [0-9a-f-]+", "run id ID", line)
    line = re.sub(r"/\S*", "PATH", line)
    line = re.sub(r"\((?:[a-z_]+ \d+(?:, )?)+\)", "(STATUSES)", line)
    line = re.sub(r"[\d,.]+/s", "", line)
    line = re.sub(r"\d[\d,.:]*", "N", line)
    line = re.sub(r"━+", "BAR", line)
    return " ".join(line.split())


def test_the_readme_example_has_the_format_the_run_prints():
    first, again = example_runs(README.read_text(encoding="utf-8"))
    for shown, to_extract in ((first, 5), (again, 0)):
        # whether checks warn depends on the corpus, so the example may or may not have that line
        warned = 2 if any(line.startswith("warnings:") for line in shown) else 0
        printed = _stage_lines(to_extract) + summary_lines(_outcome(extracted=to_extract, warned=warned))
        assert [_shape(line) for line in shown] == [_shape(line) for line in printed]
        assert len(shown) <= 15


def test_checks_that_warn_are_not_failures_and_take_one_line():
    lines = summary_lines(_outcome(extracted=1, warned=3))
    assert "checks:             72 passed, 0 failed" in lines
    assert "warnings:           3 checks flag rows for a human to review: marts/acled_events (3)" in lines
    assert not any(line.startswith("warnings:") for line in summary_lines(_outcome(extracted=1)))


def test_off_a_terminal_lines_come_in_stage_order_even_when_stages_end_out_of_order():
    console, out = _piped()
    with StageProgress(console) as stages:
        stages.expect({"read": "ingest", "extract": "extract", "link": "extract", "gx": "checks"})
        stages.step_started("read")
        stages.step_ended("read", "success")
        stages.step_started("extract")
        stages.step_ended("extract", "success")
        stages.step_started("gx")
        stages.step_ended("gx", "success")  # checks end while linking, part of extract, still runs
        assert [line.split()[0] for line in out.getvalue().splitlines()] == ["ingest"]
        stages.step_started("link")
        stages.step_ended("link", "success")
        stages.close()
    assert [line.split()[0] for line in out.getvalue().splitlines()] == list(progress.STAGES)
