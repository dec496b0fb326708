"""`python -m bench.profiling --size 10000`: cProfile of the pure extraction on a benchmark corpus.

Writes the corpus, reads it with the project's ingestion function (not profiled), then profiles
`orchestration.extract.pipeline.extract` and prints the top functions of orchestration/extract by
cumulative time, the top functions overall by own time (polars' native work shows up as
`collect`), and that native time split by the extraction function that ran each query. Saves profile-<size>.prof and .txt in --out (warehouse/bench/).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import shutil
import tempfile
import time
from pathlib import Path

from bench.corpus import REPO, load_pool, write_corpus

EXTRACT_DIR = "orchestration/extract/"


def _rows(stats: pstats.Stats, keep, sort_index: int, top: int) -> list[str]:
    entries = []
    for (filename, line, name), (_cc, ncalls, tottime, cumtime, _callers) in stats.stats.items():
        if keep(filename):
            entries.append((cumtime, tottime, ncalls, filename, line, name))
    entries.sort(key=lambda e: e[sort_index], reverse=True)
    out = [f"{'cumtime s':>10}{'tottime s':>11}{'calls':>9}  function"]
    for cumtime, tottime, ncalls, filename, line, name in entries[:top]:
        where = filename.split(str(REPO) + "/", 1)[-1]
        if "site-packages/" in where:
            where = where.split("site-packages/", 1)[1]
        out.append(f"{cumtime:>10.2f}{tottime:>11.2f}{ncalls:>9}  {where}:{line}({name})")
    return out


def _collect_callers(stats: pstats.Stats, top: int) -> list[str]:
    """cProfile sees a polars query as one call of the native `collect`; this splits its time by
    the Python function that ran the query (through polars' own wrappers)."""
    native = [key for key in stats.stats if key[2] == "<method 'collect' of 'builtins.PyLazyFrame' objects>"]
    totals: dict[tuple, float] = {}

    def walk(key: tuple, seconds_share: float, depth: int = 0) -> None:
        # Walk up through polars' frames to the first orchestration frame, splitting time by calls.
        callers = stats.stats[key][4]
        total = sum(c[3] for c in callers.values()) or 1.0
        for caller, (_cc, _nc, _tt, ct) in callers.items():
            share = seconds_share * ct / total
            if "orchestration/" in caller[0] or depth > 12:
                totals[caller] = totals.get(caller, 0.0) + share
            else:
                walk(caller, share, depth + 1)

    for key in native:
        walk(key, stats.stats[key][3])
    rows = sorted(totals.items(), key=lambda item: item[1], reverse=True)[:top]
    out = [f"{'seconds':>10}  function"]
    for (filename, line, name), seconds in rows:
        out.append(f"{seconds:>10.2f}  {filename.split(str(REPO) + '/', 1)[-1]}:{line}({name})")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profiling")
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--out", type=Path, default=REPO / "warehouse" / "bench")
    args = parser.parse_args(argv)

    from orchestration.extract.articles import load_articles
    from orchestration.extract.pipeline import extract

    args.out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="newsevents-profile-"))
    try:
        write_corpus(load_pool(), tmp, 0, args.size)
        articles, _ = load_articles(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    extract(articles)
    profiler.disable()
    seconds = time.perf_counter() - started

    stats = pstats.Stats(profiler)
    lines = [
        f"extract() on {articles.height:,} articles "
        f"({articles['text'].str.len_bytes().sum() / 1e6:.2f} MB of text): {seconds:.1f} s under cProfile",
        "",
        f"top {args.top} functions of {EXTRACT_DIR} by cumulative time:",
        *_rows(stats, lambda f: EXTRACT_DIR in f, 0, args.top),
        "",
        f"top {args.top} functions overall by own time (native polars work is inside collect & co.):",
        *_rows(stats, lambda f: True, 1, args.top),
    ]
    lines += ["", "native polars time (LazyFrame.collect) by the extraction function that called it:"]
    lines += _collect_callers(stats, args.top)
    text = "\n".join(lines)
    print(text)
    (args.out / f"profile-{args.size}.txt").write_text(text + "\n", encoding="utf-8")
    profiler.dump_stats(args.out / f"profile-{args.size}.prof")
    buffer = io.StringIO()
    pstats.Stats(profiler, stream=buffer).sort_stats("cumulative").print_stats(40)
    (args.out / f"profile-{args.size}-full.txt").write_text(buffer.getvalue(), encoding="utf-8")
    print(f"\nwrote {args.out}/profile-{args.size}.txt, .prof and -full.txt")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
