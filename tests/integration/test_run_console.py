"""`python -m orchestration.run` (what `make run` calls) as a user sees it with stdout in a pipe or a
file: a few plain lines, the log file named, and the re-run saying it extracted nothing."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from orchestration import progress

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
SEED_ARTICLE = REPO / "seeds" / "000_e18015ce71bc06fc.txt"
ANSI = re.compile(r"\x1b\[")
SETTINGS = ("DAGSTER_HOME", "ARTICLES_DIR", "WAREHOUSE_PATH", "EXTRACT_DIR", "WAREHOUSE_BUILD_PATH")


def _run(articles: Path, warehouse: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS and k not in ("FORCE_COLOR", "NO_COLOR")}
    # A terminal type that supports colour: if colour appears, it is because stdout was taken for a
    # terminal, not because TERM forbade it.
    env |= {"ARTICLES_DIR": str(articles), "WAREHOUSE_PATH": str(warehouse), "TERM": "xterm-256color"}
    return subprocess.run(
        [sys.executable, "-m", "orchestration.run"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> tuple[subprocess.CompletedProcess, subprocess.CompletedProcess]:
    base = tmp_path_factory.mktemp("console")
    articles = base / "articles"
    articles.mkdir()
    shutil.copy(SEED_ARTICLE, articles)
    warehouse = base / "warehouse" / "events.duckdb"
    return _run(articles, warehouse), _run(articles, warehouse)


def _log_file(stdout: str) -> Path:
    match = re.search(r"^log:\s+(\S+)$", stdout, re.MULTILINE)
    assert match, stdout
    return Path(match[1])


def test_a_run_prints_at_most_15_plain_lines_one_per_stage(runs):
    first, _ = runs
    assert first.returncode == 0, first.stdout + first.stderr[-3000:]
    lines = first.stdout.splitlines()
    assert len(lines) <= 15, first.stdout
    assert not ANSI.search(first.stdout), first.stdout
    assert [line.split()[0] for line in lines[: len(progress.STAGES)]] == list(progress.STAGES)
    assert lines[len(progress.STAGES)].startswith("run succeeded")
    assert "extracted:          1 new or changed articles, 0 reused" in lines


def test_dagster_and_dbt_logs_go_to_the_named_file_without_colour(runs):
    first, _ = runs
    log = _log_file(first.stdout)
    assert log.name.startswith("run-") and log.exists()
    text = log.read_text(encoding="utf-8")
    assert "STEP_SUCCESS" in text or 'Finished execution of step "warehouse_models"' in text
    assert re.search(r"Done\. PASS=\d+ WARN=0 ERROR=0", text), "dbt's own output is in the log"
    assert "progress dbt:" in text
    assert not ANSI.search(text)
    assert "dbt" not in first.stderr.lower(), "dbt's output went to the console, not the log"


def test_a_rerun_with_nothing_new_says_nothing_was_extracted(runs):
    _, again = runs
    assert again.returncode == 0, again.stdout + again.stderr[-3000:]
    assert len(again.stdout.splitlines()) <= 15, again.stdout
    assert re.search(r"^extract\b.*nothing new$", again.stdout, re.MULTILINE), again.stdout
    assert (
        "extracted:          nothing: all 1 articles were extracted before and are unchanged" in again.stdout
    )
    assert _log_file(again.stdout) != _log_file(runs[0].stdout)
