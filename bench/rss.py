"""Peak resident memory of this process and all its descendants (dbt runs as a subprocess).

psutil is not a dependency, so the tree is sampled from /proc (Linux) every 50 ms: the sum of the
resident sizes of this process and every descendant. getrusage gives exact per-process maxima as a
cross-check: RUSAGE_SELF (this process) and RUSAGE_CHILDREN (the largest waited-for descendant).
Caveat: Linux keeps a process's high-water mark across execve, so a child forked from this large
Python process (dbt) reports at least this process's size at the fork; RUSAGE_CHILDREN therefore
bounds dbt from above and is not dbt's own peak. The sampled tree figure is the one to read.
"""

from __future__ import annotations

import os
import resource
import sys
import threading
from pathlib import Path

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_PROC = Path("/proc")


def _rss_bytes(pid: int) -> int:
    try:
        return int((_PROC / str(pid) / "statm").read_text().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return 0  # the process ended between listing and reading


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in (_PROC / str(pid) / "task").iterdir():
            try:
                found += [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
    except OSError:
        pass
    return found


def tree_rss_bytes(root: int) -> int:
    total, stack, seen = 0, [root], set()
    while stack:
        pid = stack.pop()
        if pid in seen:
            continue
        seen.add(pid)
        total += _rss_bytes(pid)
        stack += _children(pid)
    return total


def _maxrss_bytes(who: int) -> int:
    value = resource.getrusage(who).ru_maxrss
    return value if sys.platform == "darwin" else value * 1024  # kilobytes on Linux


class PeakRss:
    """Context manager sampling the tree's RSS; read `.report()` afterwards."""

    def __init__(self, interval: float = 0.05) -> None:
        self.interval = interval
        self.sampled = _PROC.joinpath(str(os.getpid()), "statm").exists()
        self.peak_tree = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="bench-rss", daemon=True)

    def _loop(self) -> None:
        pid = os.getpid()
        while not self._stop.is_set():
            self.peak_tree = max(self.peak_tree, tree_rss_bytes(pid))
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakRss:
        if self.sampled:
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self.sampled:
            self._thread.join()

    def report(self) -> dict:
        mb = 1024 * 1024
        self_max = _maxrss_bytes(resource.RUSAGE_SELF)
        children_max = _maxrss_bytes(resource.RUSAGE_CHILDREN)
        return {
            # The sampled sum over the tree; without /proc, the sum of the two getrusage maxima
            # (an upper bound: they need not have peaked at the same moment).
            "peak_rss_tree_mb": round((self.peak_tree if self.sampled else self_max + children_max) / mb, 1),
            "peak_rss_tree_method": "sampled /proc every 50 ms"
            if self.sampled
            else "getrusage self+children",
            "maxrss_self_mb": round(self_max / mb, 1),
            "maxrss_largest_child_mb": round(children_max / mb, 1),
        }
