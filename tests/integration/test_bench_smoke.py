"""Smoke run of the benchmark (`python -m bench`) at a tiny size: it runs end to end and its JSON,
table and chart have the expected shape and sane values. No timing thresholds: speed is what
`make bench` measures, not what tests assert. (The start-up run is skipped to keep this shorter;
it is the same measured run on one article. The hash seed is pinned so that the re-run/rebuild
equality is a property of the pipeline's state handling, not of Python's per-process string hashing.)"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.integration

SIZE = 20
FULL_LENGTH_SIZE = 5
STAGES = {"ingest", "extraction", "quality", "dbt", "publish"}


@pytest.fixture(scope="module")
def bench(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench-out")
    scratch = tmp_path_factory.mktemp("bench-tmp")
    completed = subprocess.run(
        [sys.executable, "-m", "bench", "--sizes", str(SIZE), "--no-startup", "--hash-seed", "0"]
        + ["--full-length-sizes", str(FULL_LENGTH_SIZE)]
        + ["--out", str(out), "--tmp", str(scratch)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert completed.returncode == 0, completed.stdout[-4000:] + completed.stderr[-4000:]
    return json.loads((out / "bench.json").read_text()), out, completed.stdout, scratch


def test_report_has_every_section(bench):
    report, _, _, _ = bench
    assert {"meta", "corpus", "startup", "sizes", "full_length", "incremental", "chart"} <= report.keys()
    assert report["meta"]["sizes"] == [SIZE]
    assert report["meta"]["full_length_sizes"] == [FULL_LENGTH_SIZE]
    assert report["corpus"]["distinct_texts"] > SIZE
    assert report["startup"] is None  # skipped by --no-startup


def test_size_entry_is_complete_and_sane(bench):
    report, _, _, _ = bench
    (entry,) = report["sizes"]
    assert entry["size"] == SIZE
    assert entry["success"] and entry["checks"]["failed"] == 0
    assert entry["articles_loaded"] == SIZE and entry["all_units_loaded"]  # repeats are distinct
    assert entry["text_mb"] > 0 and entry["input_mb"] > 0
    assert STAGES <= entry["stages"].keys()
    for stage in ("ingest", "extraction", "quality", "dbt"):
        row = entry["stages"][stage]
        assert row["seconds"] > 0 and row["articles_per_s"] > 0 and row["mb_per_s"] > 0, stage
    steps_total = sum(row["seconds"] or 0 for row in entry["stages"].values())
    e2e = entry["end_to_end"]
    assert 0 < steps_total <= e2e["seconds"] <= entry["process_seconds"]
    assert e2e["articles_per_s"] == pytest.approx(SIZE / e2e["seconds"], rel=0.01)
    assert entry["peak_rss_mb"] > 0
    regex = entry["regex_reference"]
    assert regex["seconds"] > 0 and regex["matches"] >= 0
    assert entry["extraction_vs_regex"] > 0
    assert entry["marts_rows"]["dim_articles"] == SIZE


def test_full_length_corpus_has_no_short_notes_and_its_own_row(bench):
    report, _, stdout, _ = bench
    assert "acled_dev" not in report["corpus"]["full_length_by_origin"]
    assert report["corpus"]["full_length_distinct_texts"] > FULL_LENGTH_SIZE
    (entry,) = report["full_length"]
    assert entry["corpus"] == "full-length" and entry["success"]
    assert entry["articles_loaded"] == FULL_LENGTH_SIZE
    assert entry["extraction_vs_regex"] > 0 and "_result" not in entry
    # per article, a wire story is longer than the mixed corpus' average text
    mixed = report["sizes"][0]
    assert entry["text_mb"] / FULL_LENGTH_SIZE > mixed["text_mb"] / SIZE
    assert any(line.strip().startswith("full-length") for line in stdout.splitlines())


def test_incremental_rerun_equals_a_full_rebuild(bench):
    report, _, _, _ = bench
    inc = report["incremental"]
    assert inc["base_size"] == SIZE and inc["added_articles"] == 1
    assert inc["success"] and inc["rebuild_success"]
    assert inc["fraction_of_full_run"] > 0
    assert inc["tables_compared"] >= 9
    assert inc["equals_full_rebuild"], inc["differing_tables"]


def test_table_chart_and_cleanup(bench):
    _, out, stdout, scratch = bench
    assert "end to end" in stdout and "regex reference pass" in stdout
    assert (out / "bench.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert (out / "logs" / f"size-{SIZE}.log").exists()
    assert not any(scratch.iterdir())  # temporary corpora and warehouses are removed
