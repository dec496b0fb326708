"""Progress reports: the message an asset logs is the report the console reads back."""

import pytest

from orchestration import progress


def test_a_report_survives_the_log_message():
    assert progress.parse(progress.message("extract", 40, 1300, "articles")) == progress.Report(
        "extract", 40, 1300, "articles"
    )
    # ingestion does not know how many units a folder holds until it has read them all
    assert progress.parse(progress.message("ingest", 20000, None, "units")) == progress.Report(
        "ingest", 20000, None, "units"
    )


def test_other_log_messages_are_not_reports():
    assert progress.parse("extracted 12 new or changed articles (0.03 MB) in 1 parts") is None
    assert progress.parse("progress lunch: 1/2 courses") is None  # not a stage
    assert progress.parse(None) is None


def test_an_unknown_stage_is_refused_when_reported():
    with pytest.raises(ValueError, match="unknown stage"):
        progress.message("lunch", 1, 2, "courses")


def test_throttled_reports_the_first_and_the_final_and_skips_the_rest_within_the_interval():
    sent = []
    report = progress.Throttled(sent.append, seconds=3600)
    for done in range(5):
        report("dbt", done, 10, "nodes")
    report("dbt", 10, 10, "nodes", final=True)
    assert sent == ["progress dbt: 0/10 nodes", "progress dbt: 10/10 nodes"]
