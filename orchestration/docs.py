"""`python -m orchestration.docs [--serve]` (`make docs`): dbt's documentation site for the published
warehouse (WAREHOUSE_PATH), with the catalog read from that file.

dbt runs with the profile's `docs` target, which opens the file read-only, and writes into its own
folder, `dbt_project/target/docs/`: Dagster's manifest in `dbt_project/target/` and the runs' folder
are left alone, and a run may go on meanwhile. `--serve` then serves the site on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from orchestration.settings import DBT_PROJECT_DIR, Settings

TARGET = Path("target") / "docs"  # relative to the dbt project, as dbt resolves --target-path


def dbt_command(*args: str) -> list[str]:
    beside = Path(sys.executable).parent / "dbt"
    return [
        str(beside) if beside.exists() else "dbt",
        "--no-use-colors",
        *args,
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
        "--target",
        "docs",
        "--target-path",
        str(TARGET),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m orchestration.docs", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--serve", action="store_true", help="serve the site on 127.0.0.1 (PORT, default 8080)"
    )
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    if not settings.warehouse_path.exists():
        print(f"no warehouse at {settings.warehouse_path}: run `make run` first", file=sys.stderr)
        return 2
    env = os.environ | {
        "WAREHOUSE_PATH": str(settings.warehouse_path),
        "EXTRACT_DIR": str(settings.extract_dir),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DO_NOT_TRACK": "1",
    }
    generated = subprocess.run(dbt_command("docs", "generate"), cwd=DBT_PROJECT_DIR, env=env, check=False)
    if generated.returncode != 0:
        return generated.returncode
    print(f"dbt docs of {settings.warehouse_path}: {DBT_PROJECT_DIR / TARGET / 'index.html'}")
    if args.serve:
        port = os.environ.get("PORT", "8080")
        serve = dbt_command("docs", "serve", "--host", "127.0.0.1", "--port", port, "--no-browser")
        return subprocess.run(serve, cwd=DBT_PROJECT_DIR, env=env, check=False).returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
