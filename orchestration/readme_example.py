"""`python -m orchestration.readme_example` (`make readme`): regenerate the README's example of what
`make run` prints, so it cannot go stale.

It runs the real entry point twice on the default corpus (ARTICLES_DIR unset: seeds/) into a
temporary warehouse, with stdout a pipe as in a log, then an unchanged re-run, and writes both
outputs between the README's markers (temporary paths shown as `/…`). It takes a few minutes.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from orchestration.settings import REPO_ROOT

README = REPO_ROOT / "README.md"
START = "<!-- make-run-example:start (written by `make readme`) -->"
END = "<!-- make-run-example:end -->"
PROMPT = "$ make run"
RERUN = "$ make run        # again, nothing changed"
# What a run inherits besides the temporary paths: a user's settings would change the example.
DROPPED = ("ARTICLES_DIR", "WAREHOUSE_PATH", "EXTRACT_DIR", "DAGSTER_HOME", "WAREHOUSE_BUILD_PATH")


def run_once(warehouse: Path) -> str:
    env = {k: v for k, v in os.environ.items() if k not in DROPPED} | {"WAREHOUSE_PATH": str(warehouse)}
    done = subprocess.run(
        [sys.executable, "-m", "orchestration.run"],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"the run failed (exit {done.returncode}); README left as it was:\n{done.stdout}")
    return done.stdout.replace(str(warehouse.parent.parent), "/…").rstrip("\n")


def example_block(first: str, again: str) -> str:
    return "\n".join([START, "```", PROMPT, first, RERUN, again, "```", END])


def replace_block(readme: str, block: str) -> str:
    start, end = readme.find(START), readme.find(END)
    if start < 0 or end < start:
        raise ValueError(f"README.md has no {START!r} ... {END!r} markers")
    return readme[:start] + block + readme[end + len(END) :]


def example_runs(readme: str) -> tuple[list[str], list[str]]:
    """The README's example: the lines of the first run's output and of the re-run's."""
    start, end = readme.find(START), readme.find(END)
    if start < 0 or end < start:
        raise ValueError(f"README.md has no {START!r} ... {END!r} markers")
    lines = readme[start:end].splitlines()
    first, again = lines.index(PROMPT), lines.index(RERUN)
    return lines[first + 1 : again], [line for line in lines[again + 1 :] if line != "```"]


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="readme-example-") as tmp:
        warehouse = Path(tmp) / "warehouse" / "events.duckdb"
        first, again = run_once(warehouse), run_once(warehouse)
    README.write_text(replace_block(README.read_text(encoding="utf-8"), example_block(first, again)), "utf-8")
    print(f"rewrote the example of `make run` in {README}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
