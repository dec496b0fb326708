"""dbt models the extracted tables into the dimensional warehouse; its tests become asset checks."""

import os
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource, DbtProject, dbt_assets

from orchestration.lock import warehouse_lock
from orchestration.resources import PipelineSettings


def build_dbt_assets(project: DbtProject) -> dg.AssetsDefinition:
    @dbt_assets(manifest=project.manifest_path, project=project, name="warehouse_models")
    def warehouse_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, pipeline: PipelineSettings):
        """`dbt build` into a fresh working file: seeds, staging, intermediate and mart models, and
        every dbt test. The published warehouse is untouched until the publish step."""
        with warehouse_lock(pipeline.warehouse_path):
            for leftover in (pipeline.working_path, Path(f"{pipeline.working_path}.wal")):
                leftover.unlink(missing_ok=True)  # a crashed earlier run may have left one behind
            pipeline.working_path.parent.mkdir(parents=True, exist_ok=True)
            # profiles.yml and the sources read these; dbt is a subprocess and inherits them.
            os.environ.update(pipeline.dbt_env())
            # One fixed target folder (runs hold the writer lock), not one new folder per run.
            yield from dbt.cli(["build"], context=context, target_path=Path("target") / "run").stream()

    return warehouse_models
