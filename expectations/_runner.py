"""Run a table's suite on a polars frame.

GX Core 1.x has no polars engine, and its SQL route does not work on DuckDB, so the frame is handed
over as pandas to an in-memory (ephemeral) context: a pandas data source, one dataframe asset per
table and a whole-dataframe batch definition. Building that context costs more than a validation,
so one is kept per process; the lock serialises use of it when assets run in threads.
"""

from __future__ import annotations

import functools
import json
import threading
from dataclasses import dataclass, field
from typing import Any

import great_expectations as gx
import polars as pl
from great_expectations.core.batch_definition import BatchDefinition
from great_expectations.core.expectation_validation_result import ExpectationValidationResult
from great_expectations.data_context.types.base import ProgressBarsConfig

# Enough unexpected values to see the pattern of a failure without bloating asset-check metadata.
RESULT_FORMAT = {"result_format": "SUMMARY", "partial_unexpected_count": 5}
_COLUMN_KWARGS = ("column", "column_A", "column_B")
_SUMMARY_KEYS = ("observed_value", "details", "element_count", "unexpected_count", "unexpected_percent")
_lock = threading.Lock()


@dataclass(frozen=True)
class ValidationOutcome:
    """What a run of one suite found; every field is JSON-serialisable.

    `failed` holds one dict per failed expectation: `expectation_type`, `column` (the single column
    it checks, else None), `columns` (every column it names), `kwargs`, the result summary
    (`observed_value`, `unexpected_count`, `unexpected_percent`, `partial_unexpected_list`, when GX
    reports them), `notes` and `exception` (the error message if the expectation could not run).
    """

    success: bool
    evaluated: int
    failed: list[dict[str, Any]] = field(default_factory=list)
    statistics: dict[str, Any] = field(default_factory=dict)


@functools.cache
def _context() -> Any:
    context = gx.get_context(mode="ephemeral")
    # tqdm bars would only clutter the Dagster compute logs.
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    context.data_sources.add_pandas(name="extracted")
    return context


@functools.cache
def _batch_definition(table: str) -> BatchDefinition:
    asset = _context().data_sources.get("extracted").add_dataframe_asset(name=table)
    return asset.add_batch_definition_whole_dataframe(name="whole_frame")


def _exception_message(info: dict[str, Any]) -> str | None:
    """The error of an expectation that could not run (a missing column, say). GX reports it either
    flat, or keyed by the metric that raised; the last line of each traceback is the message."""
    if "raised_exception" in info:
        return info.get("exception_message") if info["raised_exception"] else None
    messages = {
        (nested.get("exception_message") or nested.get("exception_traceback") or "").strip()
        for nested in info.values()
        if isinstance(nested, dict)
    }
    return "; ".join(sorted(message.splitlines()[-1] for message in messages if message)) or None


def _summarise(result: ExpectationValidationResult) -> dict[str, Any]:
    as_json = result.to_json_dict()
    config = as_json["expectation_config"]
    kwargs = {key: value for key, value in config["kwargs"].items() if key != "batch_id"}
    details = as_json.get("result") or {}
    summary: dict[str, Any] = {
        "expectation_type": config["type"],
        "column": kwargs.get("column"),
        "columns": [kwargs[key] for key in _COLUMN_KWARGS if key in kwargs],
        "kwargs": kwargs,
        **{key: details[key] for key in _SUMMARY_KEYS if key in details},
        "notes": config.get("notes"),
        "exception": _exception_message(as_json.get("exception_info") or {}),
    }
    if "partial_unexpected_list" in details:
        summary["partial_unexpected_list"] = details["partial_unexpected_list"]
    return summary


def validate(table: str, frame: pl.DataFrame) -> ValidationOutcome:
    """Validate `frame` against the suite of `table` (a key of `expectations.SUITES`)."""
    # Imported here because the registry lives in the package, which imports this module.
    from expectations import SUITES

    if table not in SUITES:
        raise KeyError(f"no expectation suite for table {table!r}; known: {sorted(SUITES)}")
    suite = SUITES[table]()
    with _lock:
        batch = _batch_definition(table).get_batch(batch_parameters={"dataframe": frame.to_pandas()})
        result = batch.validate(suite, result_format=RESULT_FORMAT)
    statistics = {
        **result.to_json_dict()["statistics"],
        "suite": suite.name,
        "rows": frame.height,
    }
    return ValidationOutcome(
        success=bool(result.success),
        evaluated=int(statistics["evaluated_expectations"]),
        failed=[_summarise(r) for r in result.results if not r.success],
        statistics=statistics,
    )


def combine(outcomes: list[ValidationOutcome]) -> ValidationOutcome:
    """One outcome for a table validated in chunks: failed if any chunk failed; a failed expectation
    appears once, with its unexpected counts summed over the chunks and the first chunk's examples."""
    if not outcomes:
        raise ValueError("no validation outcomes to combine")
    if len(outcomes) == 1:
        return outcomes[0]
    failed: dict[str, dict[str, Any]] = {}
    for outcome in outcomes:
        for failure in outcome.failed:
            key = json.dumps([failure["expectation_type"], failure["kwargs"]], sort_keys=True, default=str)
            if key not in failed:
                failed[key] = dict(failure)
            elif "unexpected_count" in failure and "unexpected_count" in failed[key]:
                failed[key]["unexpected_count"] += failure["unexpected_count"]
    rows = sum(outcome.statistics.get("rows", 0) for outcome in outcomes)
    for failure in failed.values():
        if "unexpected_count" in failure and "element_count" in failure:
            failure["element_count"] = rows
            failure["unexpected_percent"] = 100 * failure["unexpected_count"] / max(rows, 1)
    evaluated = outcomes[0].evaluated
    statistics = {
        **outcomes[0].statistics,
        "evaluated_expectations": evaluated,
        "successful_expectations": evaluated - len(failed),
        "unsuccessful_expectations": len(failed),
        "success_percent": 100 * (evaluated - len(failed)) / max(evaluated, 1),
        "rows": rows,
        "chunks": len(outcomes),
    }
    return ValidationOutcome(
        success=all(outcome.success for outcome in outcomes),
        evaluated=evaluated,
        failed=list(failed.values()),
        statistics=statistics,
    )
