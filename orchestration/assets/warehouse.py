"""dbt models the extracted tables into the dimensional warehouse; its tests become asset checks."""

import os

import dagster as dg
from dagster_dbt import DbtCliResource, DbtProject, dbt_assets

from orchestration.resources import PipelineSettings


def build_dbt_assets(project: DbtProject) -> dg.AssetsDefinition:
    @dbt_assets(manifest=project.manifest_path, project=project, name="warehouse_models")
    def warehouse_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, pipeline: PipelineSettings):
        """`dbt build`: seeds, staging, intermediate and mart models, and every dbt test."""
        # profiles.yml and the sources read these; dbt is a subprocess and inherits them.
        os.environ.update(pipeline.dbt_env())
        yield from dbt.cli(["build"], context=context).stream()

    return warehouse_models
