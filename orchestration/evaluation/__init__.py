"""Evaluation against gold data: run the real pipeline on a folder's articles, score the marts.

- `gold`: reading the input lines and both gold formats (ACLED `gold.csv`, MUC-4 `gold.jsonl`).
- `metrics`: pure polars metric functions (frames in, numbers out).
- `runner`: the pipeline run in a temporary warehouse, its timing, and reading the marts.
- `cli`: `python -m orchestration.evaluation <folder> [--out DIR]`, what `make evaluate` calls.

The metrics are defined in the README section "Evaluation".
"""
