"""`python -m orchestration.run`, except that the rename publishing the warehouse fails (ENOSPC).

This is the latest moment a run can fail: every check passed, dbt wrote the whole working file and
the publish step checkpointed it. The fault is injected only into the rename whose target is
WAREHOUSE_PATH; FAULT_MARKER records that it fired, so the test knows the run got that far.
"""

from __future__ import annotations

import errno
import os
import runpy
import sys
from pathlib import Path

PUBLISHED = str(Path(os.environ["WAREHOUSE_PATH"]).expanduser().resolve())
_replace = os.replace


def replace(src, dst, *args, **kwargs):
    if os.fspath(dst) == PUBLISHED:
        Path(os.environ["FAULT_MARKER"]).write_text(os.fspath(src), encoding="utf-8")
        raise OSError(errno.ENOSPC, "No space left on device (injected by the reliability test)")
    return _replace(src, dst, *args, **kwargs)


os.replace = replace
sys.argv = ["orchestration.run"]
runpy.run_module("orchestration.run", run_name="__main__", alter_sys=True)
