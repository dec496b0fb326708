"""The project's only Definitions: ingestion -> extraction -> dbt -> publish, with GX and dbt checks."""

from __future__ import annotations

import dagster as dg

from orchestration.assets.extraction import extracted_tables
from orchestration.assets.ingestion import raw_articles
from orchestration.assets.linking import incident_links
from orchestration.assets.publish import build_publish_asset
from orchestration.assets.report import warehouse_report
from orchestration.assets.warehouse import build_dbt_assets
from orchestration.checks import gx_checks
from orchestration.resources import PipelineSettings, dbt_project, dbt_resource
from orchestration.settings import Settings

BUILD_JOB = "build_warehouse"


def build_definitions(settings: Settings) -> dg.Definitions:
    project = dbt_project()
    if not project.manifest_path.exists():
        # A fresh checkout that skipped `make install`: parse once (off the hot path afterwards).
        dbt_resource(project).cli(["parse"], target_path=project.target_path).wait()
    dbt_models = build_dbt_assets(project)
    return dg.Definitions(
        assets=[
            raw_articles,
            extracted_tables,
            incident_links,
            dbt_models,
            build_publish_asset(list(dbt_models.keys)),
            warehouse_report,
        ],
        asset_checks=gx_checks(),
        jobs=[
            dg.define_asset_job(
                BUILD_JOB,
                selection=dg.AssetSelection.all(),
                description="Build the warehouse from ARTICLES_DIR.",
            )
        ],
        resources={"pipeline": PipelineSettings.from_settings(settings), "dbt": dbt_resource(project)},
        # Every run (the job, and the UI's "Materialize all") in one process: the default executor
        # starts a Python process per step, which costs minutes of imports; the work that runs in
        # parallel (extraction workers, dbt threads) has its own processes or threads.
        executor=dg.in_process_executor,
    )


@dg.definitions
def defs() -> dg.Definitions:
    return build_definitions(Settings.from_env())
