"""Great Expectations suites (expectations/) as blocking Dagster asset checks, one per extracted table.

A failed check stops the run before dbt reads the table, and its metadata lists the failing
expectations with examples of the offending values, so the UI shows what was wrong.
"""

import dagster as dg

from expectations import BLOCKING, SUITES, validate
from orchestration.assets.io import read_table
from orchestration.resources import PipelineSettings


def _check_for(table: str) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=dg.AssetKey(["extracted", table]),
        name=f"gx_{table}",
        description=f"Great Expectations suite extracted_{table} (content of the extracted frame).",
        blocking=table in BLOCKING,
    )
    def _check(pipeline: PipelineSettings) -> dg.AssetCheckResult:
        outcome = validate(table, read_table(pipeline, table))
        return dg.AssetCheckResult(
            passed=outcome.success,
            severity=dg.AssetCheckSeverity.ERROR,
            metadata={
                "expectations_evaluated": outcome.evaluated,
                "expectations_failed": len(outcome.failed),
                "failed_expectations": dg.MetadataValue.json(outcome.failed),
                "statistics": dg.MetadataValue.json(outcome.statistics),
            },
        )

    return _check


def gx_checks() -> list[dg.AssetChecksDefinition]:
    return [_check_for(table) for table in SUITES]
