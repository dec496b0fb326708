"""Progress reports from inside a step, as log messages the run's console reads back.

An asset can reach whoever watches the run only through Dagster's event log (in `make run`'s
process, or from a run the UI launched), and a log message is the event that carries free data in
the middle of a step. So a step with measurable progress logs `progress <stage>: <done>/<total>
<unit>` (total `?` when unknown), which also reads well in the UI's log; `orchestration.console`
parses it with `parse`. Both ends live here, so the format has one home.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass

# The run's stages, in the order they run; `make run` prints one progress line for each.
STAGES = ("ingest", "extract", "checks", "dbt", "publish")

_PATTERN = re.compile(r"^progress (?P<stage>\w+): (?P<done>\d+)/(?P<total>\d+|\?) (?P<unit>\w+)$")


@dataclass(frozen=True)
class Report:
    stage: str
    done: int
    total: int | None
    unit: str


def message(stage: str, done: int, total: int | None, unit: str) -> str:
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}; stages are {', '.join(STAGES)}")
    return f"progress {stage}: {done}/{'?' if total is None else total} {unit}"


def parse(text: str | None) -> Report | None:
    match = _PATTERN.match(text or "")
    if match is None or match["stage"] not in STAGES:
        return None
    total = None if match["total"] == "?" else int(match["total"])
    return Report(match["stage"], int(match["done"]), total, match["unit"])


class Throttled:
    """Calls `emit` with a report at most every `seconds` (and always for the first and the last), so
    a step with thousands of small units logs a few dozen lines, not thousands."""

    def __init__(self, emit: Callable[[str], None], seconds: float = 1.0) -> None:
        self._emit = emit
        self._seconds = seconds
        self._last = float("-inf")

    def __call__(self, stage: str, done: int, total: int | None, unit: str, *, final: bool = False) -> None:
        now = time.monotonic()
        if final or now - self._last >= self._seconds:
            self._last = now
            self._emit(message(stage, done, total, unit))
