"""The resources the assets use: the settings (paths) and dbt."""

from __future__ import annotations

import importlib.metadata
import sys
from functools import cached_property
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource, DbtProject
from packaging import version

from orchestration.settings import DBT_PROJECT_DIR, Settings


class PipelineSettings(dg.ConfigurableResource):
    """Where articles are read from and where extracted tables and the warehouse are written."""

    articles_dir: str
    extract_dir: str
    warehouse_path: str
    max_article_bytes: int = 5_000_000
    extract_workers: int = 1
    extract_batch_mb: float = 2.0

    @classmethod
    def from_settings(cls, settings: Settings) -> PipelineSettings:
        return cls(
            articles_dir=str(settings.articles_dir),
            extract_dir=str(settings.extract_dir),
            warehouse_path=str(settings.warehouse_path),
            max_article_bytes=settings.max_article_bytes,
            extract_workers=settings.extract_workers,
            extract_batch_mb=settings.extract_batch_mb,
        )

    def table_path(self, table: str) -> Path:
        return Path(self.extract_dir) / f"{table}.parquet"

    @property
    def working_path(self) -> Path:
        """Where dbt builds; published over warehouse_path only after every check passed."""
        return Path(self.warehouse_path + ".building")

    def dbt_env(self) -> dict[str, str]:
        """The variables profiles.yml and the dbt sources read."""
        return {
            "EXTRACT_DIR": self.extract_dir,
            "WAREHOUSE_BUILD_PATH": str(self.working_path),
            "DO_NOT_TRACK": "1",
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            # dbt's messages end up in a log file or a pipe as often as on a terminal: no ANSI colours.
            "DBT_USE_COLORS": "false",
            "DBT_USE_COLORS_FILE": "false",
        }


def dbt_project() -> DbtProject:
    return DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


class OfflineDbtCliResource(DbtCliResource):
    """DbtCliResource that learns dbt's version from the installed package.

    dagster-dbt asks `dbt --version` before every command, and that command queries PyPI for the
    latest release (no flag turns it off); the run must not reach the network.
    """

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(importlib.metadata.version("dbt-core"))


def dbt_resource(project: DbtProject) -> DbtCliResource:
    # The dbt installed beside this interpreter, so a venv works without being activated.
    beside = Path(sys.executable).parent / "dbt"
    return OfflineDbtCliResource(
        project_dir=project,
        profiles_dir=str(DBT_PROJECT_DIR),
        dbt_executable=str(beside) if beside.exists() else "dbt",
    )
