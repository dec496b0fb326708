"""Paths and limits, read from the environment once, when Definitions are built (never at import).

| variable          | default                                   |
|-------------------|-------------------------------------------|
| ARTICLES_DIR      | <repo>/seeds                              |
| WAREHOUSE_PATH    | <repo>/warehouse/events.duckdb            |
| EXTRACT_DIR       | <directory of WAREHOUSE_PATH>/extracted   |
| MAX_ARTICLE_BYTES | 5000000                                   |
| EXTRACT_WORKERS   | number of CPUs (processes extracting parts) |
| EXTRACT_BATCH_MB  | 2 (article text per extraction part)      |

DUCKDB_MEMORY_LIMIT (default 2GB, DuckDB's own size syntax) is read by dbt_project/profiles.yml: the
build spills to disk beyond it.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"


@dataclass(frozen=True)
class Settings:
    articles_dir: Path
    warehouse_path: Path
    extract_dir: Path
    max_article_bytes: int = 5_000_000
    extract_workers: int = 1
    extract_batch_mb: float = 2.0

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        warehouse = _absolute(env.get("WAREHOUSE_PATH") or REPO_ROOT / "warehouse" / "events.duckdb")
        extract_dir = _absolute(env.get("EXTRACT_DIR") or warehouse.parent / "extracted")
        max_bytes = env.get("MAX_ARTICLE_BYTES") or "5000000"
        if not max_bytes.isdigit() or int(max_bytes) <= 0:
            raise ValueError(f"MAX_ARTICLE_BYTES must be a positive whole number of bytes, got {max_bytes!r}")
        workers = env.get("EXTRACT_WORKERS") or str(os.cpu_count() or 1)
        if not workers.isdigit() or int(workers) <= 0:
            raise ValueError(f"EXTRACT_WORKERS must be a positive whole number of processes, got {workers!r}")
        batch_mb = env.get("EXTRACT_BATCH_MB") or "2"
        try:
            batch = float(batch_mb)
        except ValueError:
            batch = 0.0
        if not (math.isfinite(batch) and batch > 0):
            raise ValueError(f"EXTRACT_BATCH_MB must be a positive number of megabytes, got {batch_mb!r}")
        return cls(
            articles_dir=_absolute(env.get("ARTICLES_DIR") or REPO_ROOT / "seeds"),
            warehouse_path=warehouse,
            extract_dir=extract_dir,
            max_article_bytes=int(max_bytes),
            extract_workers=int(workers),
            extract_batch_mb=batch,
        )

    @property
    def log_dir(self) -> Path:
        """Where `make run` writes each run's full log (Dagster's events and dbt's output)."""
        return self.warehouse_path.parent / "logs"

    def table_path(self, table: str) -> Path:
        return self.extract_dir / f"{table}.parquet"


def _absolute(path: str | Path) -> Path:
    # Absolute paths: dbt runs from its project directory, and the warehouse's staging views store
    # the Parquet paths they read.
    return Path(path).expanduser().resolve()
