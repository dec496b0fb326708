"""The HTML report written beside the published warehouse after every run (`report.html`), for
people who have no BI server: orchestration/report.py draws it from `marts.acled_events`."""

from pathlib import Path

import dagster as dg

from orchestration.assets.publish import WAREHOUSE
from orchestration.resources import PipelineSettings

REPORT = dg.AssetKey(["report"])


@dg.asset(key=REPORT, deps=[WAREHOUSE], group_name="publish", kinds={"html"})
def warehouse_report(context: dg.AssetExecutionContext, pipeline: PipelineSettings) -> dg.MaterializeResult:
    """report.html beside the published warehouse: a map, events and fatalities over time, types and
    top actors, and the deadliest events with their sentence; it opens offline."""
    from orchestration.report import write_report  # altair loads only when a report is drawn

    path = write_report(Path(pipeline.warehouse_path))
    context.log.info(f"report written: {path}")
    return dg.MaterializeResult(
        metadata={"path": dg.MetadataValue.path(str(path)), "bytes": path.stat().st_size}
    )
