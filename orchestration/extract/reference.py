"""Reference tables shipped under seeds/reference/ (event ontology, trigger lexicon, armed groups)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import polars as pl

REFERENCE_DIR = Path(__file__).resolve().parents[2] / "seeds" / "reference"


@lru_cache(maxsize=None)
def read(name: str) -> pl.DataFrame:
    return pl.read_csv(REFERENCE_DIR / f"{name}.csv", infer_schema_length=0)


def event_types() -> pl.DataFrame:
    return read("event_types")


def event_triggers() -> pl.DataFrame:
    return read("event_triggers")


def armed_groups() -> pl.DataFrame:
    return read("armed_groups")
