"""The tuning half and the check half of a dev set (`../shared/eval/README.md`, "Tuning half and check half").

A text belongs to the tuning half when `int(sha1(id).hexdigest(), 16) % 2 == 0`, else to the check
half. Rules are tuned on the tuning half; the check half says whether they carry over. A gap between
the two is over-fitting, so every score is reported for both.
"""

from __future__ import annotations

import hashlib

import polars as pl

TUNING = "tuning"
CHECK = "check"
HALVES = (TUNING, CHECK)
# A gap above this between the halves is reported as over-fitting (the accuracy issue's bound).
GAP_WARNING = 0.03


def half_of(text_id: str) -> str:
    """Which half a text id belongs to (stable: depends on the id alone)."""
    return TUNING if int(hashlib.sha1(text_id.encode("utf-8")).hexdigest(), 16) % 2 == 0 else CHECK


def with_half(frame: pl.DataFrame, id_column: str = "gold_id") -> pl.DataFrame:
    """`frame` with a `half` column computed from `id_column`."""
    # sha1 of a string has no polars expression; one Python call per text is negligible here.
    return frame.with_columns(pl.col(id_column).map_elements(half_of, return_dtype=pl.String).alias("half"))
