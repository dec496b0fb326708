"""One writer per warehouse: an exclusive lock file beside WAREHOUSE_PATH.

`make run` (and the evaluation and benchmark commands) hold the lock for the whole run; each writing
step of a run launched from the UI takes it for its own duration. A second writer therefore fails
at once with a clear message instead of interleaving its files with the first one's. The lock is an
flock on an open file: the kernel releases it when the holder exits, even after `kill -9`, so a
crash never leaves a stale lock behind.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

HELD_BY_ENV = "NEWSEVENTS_WAREHOUSE_LOCK_PID"


class WarehouseBusy(RuntimeError):
    pass


def lock_path(warehouse_path: str | Path) -> Path:
    return Path(f"{warehouse_path}.lock")


@contextlib.contextmanager
def warehouse_lock(warehouse_path: str | Path) -> Iterator[None]:
    """Hold the warehouse's writer lock, or raise WarehouseBusy naming the holder."""
    if os.environ.get(HELD_BY_ENV) == str(os.getpid()):
        yield  # this process already holds it (an in-process run inside `make run`)
        return
    path = lock_path(warehouse_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+")  # noqa: SIM115 - held open for the lock's lifetime
    try:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown process"
            raise WarehouseBusy(
                f"another build of {warehouse_path} is running ({holder}); wait for it to finish or stop it"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}, since {time.strftime('%Y-%m-%d %H:%M:%S')}")
        handle.flush()
        previous = os.environ.get(HELD_BY_ENV)
        os.environ[HELD_BY_ENV] = str(os.getpid())
        try:
            yield
        finally:
            if previous is None:
                os.environ.pop(HELD_BY_ENV, None)
            else:
                os.environ[HELD_BY_ENV] = previous
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    finally:
        handle.close()
