"""Write marts.acled_events out as one file: `python -m orchestration.export --format csv|parquet`
(what `make export FORMAT=...` calls).

The published warehouse (WAREHOUSE_PATH) is opened read-only, so an export never blocks or sees
half of a run (README, "Reading the warehouse while a run builds"). The file is written under a
temporary name and renamed, so a reader of the export never sees half of it either.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import duckdb

from orchestration.settings import Settings

TABLE = "marts.acled_events"
FORMATS = {"csv": "(format csv, header true)", "parquet": "(format parquet)"}


def export(warehouse: Path, out_dir: Path, file_format: str) -> tuple[Path, int]:
    """Copy acled_events (ordered by event_date, then event_id_cnty) to out_dir/acled_events.<format>."""
    if file_format not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {file_format!r}")
    if not warehouse.exists():
        raise FileNotFoundError(f"no warehouse at {warehouse}: run `make run` first")
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"acled_events.{file_format}"
    partial = target.with_name(target.name + ".partial")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        (rows,) = con.execute(f"select count(*) from {TABLE}").fetchone()  # noqa: S608 (fixed name)
        # COPY takes no bound parameters; the path is ours, quoted as a SQL string literal.
        quoted = "'" + str(partial).replace("'", "''") + "'"
        con.execute(
            f"copy (select * from {TABLE} order by event_date nulls last, event_id_cnty) "  # noqa: S608
            f"to {quoted} {FORMATS[file_format]}"
        )
    os.replace(partial, target)
    return target, rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--format", choices=sorted(FORMATS), default="csv")
    parser.add_argument("--out", type=Path, help="folder to write to (default: <warehouse dir>/export)")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    out_dir = args.out or settings.warehouse_path.parent / "export"
    try:
        target, rows = export(settings.warehouse_path, out_dir, args.format)
    except (FileNotFoundError, duckdb.Error) as error:
        print(f"export failed: {error}", file=sys.stderr)
        return 1
    print(f"wrote {rows} events to {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
