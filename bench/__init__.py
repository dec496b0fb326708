"""`python -m bench`: the shipped benchmark of the real pipeline (see README, "Benchmark").

Modules: corpus (real texts repeated to a size), worker (one pipeline run in a fresh process,
measured), rss (peak RSS of a process tree), reference (the one-regex polars pass), run (the
driver: sizes, start-up cost, incremental re-run, table, JSON, chart), chart (a dependency-free
PNG), profiling (cProfile of the pure extraction).
"""
