"""A SQL user on the published warehouse: a separate process polling it through a read-only connection.

    python reader.py WAREHOUSE STOP_FILE OUT_JSON --hold|--reopen

--hold   opens one read-only connection before the build starts and keeps it (a BI tool left open);
--reopen opens a fresh read-only connection for every poll (a user re-running a query).

Each poll reads a few facts in separate statements, so a warehouse mixing two builds would show up
as a snapshot that matches neither. The process writes a `.ready` file beside OUT_JSON once its first
poll succeeded, polls until STOP_FILE exists, then writes every snapshot and every error to OUT_JSON.
Errors (a lock, a missing file) are recorded, never raised: the test decides.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import duckdb

POLL_SECONDS = 0.05


def snapshot(con: duckdb.DuckDBPyConnection) -> list:
    """What a reader sees, one statement at a time (fixed SQL, no input)."""
    events, last_event = con.execute("select count(*), max(event_id) from marts.fct_events").fetchone()
    units = con.execute("select count(*) from marts.ingest_log").fetchone()[0]
    articles = con.execute("select count(*) from marts.dim_articles").fetchone()[0]
    event_ids = con.execute(
        "select md5(coalesce(string_agg(event_id, ',' order by event_id), '')) from marts.fct_events"
    ).fetchone()[0]
    return [events, last_event, units, articles, event_ids]


def main(warehouse: str, stop_file: str, out_json: str, mode: str) -> int:
    stop, out = Path(stop_file), Path(out_json)
    ready = out.with_suffix(".ready")
    snapshots: list[list] = []
    errors: list[str] = []
    held = duckdb.connect(warehouse, read_only=True) if mode == "--hold" else None
    while True:
        stopping = stop.exists()  # one last poll after the stop signal
        try:
            if held is not None:
                snapshots.append([time.time(), snapshot(held)])
            else:
                with duckdb.connect(warehouse, read_only=True) as con:
                    snapshots.append([time.time(), snapshot(con)])
            if not ready.exists():
                ready.write_text("ready")
        except Exception as error:  # noqa: BLE001 - every failure is data for the test
            errors.append(f"{time.time():.3f} {type(error).__name__}: {error}")
        if stopping:
            break
        time.sleep(POLL_SECONDS)
    if held is not None:
        held.close()
    out.write_text(json.dumps({"mode": mode, "snapshots": snapshots, "errors": errors}))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:5]))
