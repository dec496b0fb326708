"""`python -m orchestration.run`, except that the blocking GX check on extracted/events fails.

The suite itself runs on the real frame; its verdict is then turned into a failure, as a broken
extraction would make it. Everything else (the run, Dagster's blocking of downstream steps, the
publish step never running) is the product's own behaviour.
"""

from __future__ import annotations

import dataclasses
import runpy
import sys

import orchestration.checks as checks

_validate = checks.validate


def validate(table, frame):
    outcome = _validate(table, frame)
    if table != "events":
        return outcome
    injected = {"expectation_type": "injected_failure", "column": None, "columns": [], "kwargs": {}}
    return dataclasses.replace(outcome, success=False, failed=[*outcome.failed, injected])


checks.validate = validate
sys.argv = ["orchestration.run"]
runpy.run_module("orchestration.run", run_name="__main__", alter_sys=True)
