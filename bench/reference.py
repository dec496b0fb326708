"""The physical reference: one polars pass of one compiled casualty regex over the text column.

Extraction time is reported as a multiple of this pass (same text, same cores, same process), a
figure that survives a noisy or slower machine better than seconds do.
"""

from __future__ import annotations

import time

import polars as pl

_NUMBER = (
    r"\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|a dozen|dozens|"
    r"scores|hundreds|several"
)
CASUALTY_PATTERN = (
    rf"(?i)\b(?:{_NUMBER}) (?:people|persons|civilians|soldiers|fighters|militants|police(?:men)?)? ?"
    r"(?:were |was |have been |had been )?(?:killed|dead|died|wounded|injured)\b"
)


def regex_pass(texts: pl.Series, repeats: int = 5) -> dict:
    """Time `str.extract_all(CASUALTY_PATTERN)` over `texts` (streaming engine); median of `repeats`."""
    frame = pl.DataFrame({"text": texts})
    query = frame.lazy().select(pl.col("text").str.extract_all(CASUALTY_PATTERN))
    timings, matches = [], 0
    for _ in range(repeats):
        started = time.perf_counter()
        out = query.collect(engine="streaming")
        timings.append(time.perf_counter() - started)
        matches = int(out["text"].list.len().sum())
    seconds = sorted(timings)[len(timings) // 2]
    mb = float(texts.str.len_bytes().sum()) / 1e6
    return {
        "pattern": CASUALTY_PATTERN,
        "seconds": round(seconds, 4),
        "all_seconds": [round(t, 4) for t in timings],
        "mb_per_s": round(mb / seconds, 1) if seconds else None,
        "matches": matches,
    }
