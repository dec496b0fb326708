"""The extracted tables on disk: one folder per table, one Parquet file per content-addressed part.

    EXTRACT_DIR/
      parts.parquet              manifest: part_id, extractor_version, article_id, article_key
                                 (one row per article of each part in use)
      events/<part_id>.parquet   the rows extracted from that part's articles (likewise per table)
      events/_schema.parquet     zero rows: the folder always matches dbt's glob, even when empty

A run writes its new part files first, then the manifest, then deletes the files the manifest no
longer names; files the manifest does not name (from a run killed mid-way) are deleted before
anything else, so dbt never reads a part twice.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import polars as pl

from orchestration.extract import schemas
from orchestration.extract.batches import MANIFEST_SCHEMA
from orchestration.extract.pipeline import EXTRACTED_TABLES, extract

SCHEMA_FILE = "_schema.parquet"
INBOX = ".pending"  # batches handed to worker processes, removed once their parts are written
WATCH_SECONDS = 0.25  # how often the host looks for finished parts while workers run


class PartStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.manifest_path = self.root / "parts.parquet"

    def table_dir(self, table: str) -> Path:
        return self.root / table

    def part_path(self, table: str, part: str) -> Path:
        return self.table_dir(table) / f"{part}.parquet"

    def read_manifest(self) -> pl.DataFrame:
        if not self.manifest_path.exists():
            return pl.DataFrame(schema=MANIFEST_SCHEMA)
        return pl.read_parquet(self.manifest_path)

    def write_manifest(self, manifest: pl.DataFrame) -> None:
        _write_atomically(manifest.sort("part_id", "article_id"), self.manifest_path)

    def prepare(self) -> None:
        """Folders and schema files in place; anything the manifest does not name removed."""
        for table in EXTRACTED_TABLES:
            self.table_dir(table).mkdir(parents=True, exist_ok=True)
            _write_atomically(schemas.empty(table), self.table_dir(table) / SCHEMA_FILE)
        self.remove_unlisted()
        shutil.rmtree(self.root / INBOX, ignore_errors=True)  # left by a run killed mid-way
        for table in EXTRACTED_TABLES:  # single files of the layout before parts
            (self.root / f"{table}.parquet").unlink(missing_ok=True)

    def remove_unlisted(self) -> None:
        """Delete every file of a table folder (part, or `.partial` of a killed write) whose part
        the manifest does not name."""
        listed = set(self.read_manifest()["part_id"].to_list())
        for table in EXTRACTED_TABLES:
            for path in self.table_dir(table).iterdir():
                if path.name != SCHEMA_FILE and path.name.split(".", 1)[0] not in listed:
                    path.unlink()

    def row_counts(self, part: str) -> dict[str, int]:
        return {
            table: pl.scan_parquet(self.part_path(table, part)).select(pl.len()).collect().item()
            for table in EXTRACTED_TABLES
        }

    def scan(self, table: str, parts: list[str] | None = None) -> pl.LazyFrame:
        """All rows of a table (or of the given parts), the schema file included so it never fails."""
        folder = self.table_dir(table)
        if parts is None:
            paths = [str(folder / "*.parquet")]
        else:
            paths = [str(folder / SCHEMA_FILE), *(str(self.part_path(table, p)) for p in parts)]
        return pl.scan_parquet(paths)


def read_batch(articles_path: Path, batch: pl.DataFrame) -> pl.DataFrame:
    """The articles of a batch (`article_id`, `article_row` from `article_keys`), in file order: the
    slice of the articles file between its first and last row, filtered while streaming, so only
    that slice is read and only the batch is held."""
    if batch.height == 0:
        return pl.read_parquet(articles_path, n_rows=0)
    first, last = batch["article_row"].min(), batch["article_row"].max()
    return (
        pl.scan_parquet(articles_path)
        .slice(first, last - first + 1)
        .filter(pl.col("article_id").is_in(batch["article_id"].implode()))
        .collect(engine="streaming")
    )


def extract_parts(
    store: PartStore,
    articles_path: Path,
    batches: list[tuple[str, pl.DataFrame]],
    workers: int,
    on_written: Callable[[str], None] = lambda part: None,
) -> dict[str, dict[str, int]]:
    """Extract each (part_id, batch of article keys) from the articles file and write its part files;
    returns per-part row counts.

    With more than one batch, the batches go to up to `workers` worker processes: polars runs most
    string work on one core per query, so separate processes are what uses the machine's cores,
    and each holds one batch at a time, so memory stays flat however large the corpus. Workers are
    plain `python -m` subprocesses rather than a multiprocessing pool, which would re-import the
    host's main module (a Dagster run worker, pytest, a user's script) in every child. A worker
    reads its batches' articles itself; only their ids pass through the inbox.

    `on_written(part)` is called once per part when its files are written (for progress): a worker
    deletes a batch from the inbox once its part is written, so the host sees parts finish by
    watching the inbox while it waits.
    """
    if workers <= 1 or len(batches) <= 1:
        counts = {}
        for part, batch in batches:
            counts[part] = write_part(store.root, part, read_batch(articles_path, batch))
            on_written(part)
        return counts
    inbox = store.root / INBOX
    shutil.rmtree(inbox, ignore_errors=True)
    inbox.mkdir(parents=True)
    for part, batch in batches:
        batch.select("article_id", "article_row").write_parquet(inbox / f"{part}.parquet")
    # Batches are cut to similar sizes, so dealing them out in turn balances the workers.
    shares = [
        [part for part, _ in batches[i :: min(workers, len(batches))]]
        for i in range(min(workers, len(batches)))
    ]
    processes = []
    for number, share in enumerate(shares):
        log = (inbox / f"worker-{number}.log").open("wb")
        command = [
            sys.executable,
            "-m",
            "orchestration.assets.parts",
            str(store.root),
            str(articles_path),
            *share,
        ]
        processes.append((subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT), log, number))
    pending = [part for part, _ in batches]
    while pending:
        running = any(process.poll() is None for process, _, _ in processes)
        for part in [p for p in pending if not (inbox / f"{p}.parquet").exists()]:
            pending.remove(part)
            on_written(part)
        if not running:
            break
        time.sleep(WATCH_SECONDS)
    failures = []
    for process, log, number in processes:
        code = process.wait()
        log.close()
        if code != 0:
            tail = (inbox / f"worker-{number}.log").read_text(encoding="utf-8", errors="replace")[-3000:]
            failures.append(f"extraction worker {number} exited with {code}:\n{tail}")
    if failures:
        raise RuntimeError("\n".join(failures))
    shutil.rmtree(inbox, ignore_errors=True)
    return {part: store.row_counts(part) for part, _ in batches}


def write_part(root: Path, part: str, articles: pl.DataFrame) -> dict[str, int]:
    """Extract one batch and write one file per table (a worker process runs this)."""
    store = PartStore(root)
    tables = extract(articles)
    for table in EXTRACTED_TABLES:
        _write_atomically(tables[table], store.part_path(table, part))
    return {table: tables[table].height for table in EXTRACTED_TABLES}


def _write_atomically(frame: pl.DataFrame, path: Path) -> None:
    partial = path.with_name(path.name + ".partial")
    frame.write_parquet(partial)
    os.replace(partial, path)


def main(argv: list[str]) -> int:
    """`python -m orchestration.assets.parts <extract_dir> <articles.parquet> <part> ...`: a
    worker's share of batches."""
    root, articles_path = Path(argv[0]), Path(argv[1])
    for part in argv[2:]:
        batch = root / INBOX / f"{part}.parquet"
        write_part(root, part, read_batch(articles_path, pl.read_parquet(batch)))
        batch.unlink()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
