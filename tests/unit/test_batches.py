"""Content-addressed parts: planning, reuse, and the per-article independence they rely on."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from orchestration.extract.articles import load_articles
from orchestration.extract.batches import (
    MANIFEST_SCHEMA,
    article_keys,
    manifest_rows,
    part_id,
    pending_articles,
    plan_batches,
    reusable_parts,
)
from orchestration.assets.parts import read_batch
from orchestration.extract.pipeline import EXTRACTED_TABLES, extract
from tests.conftest import REPO, article_frame

MUC_SEED = REPO / "seeds" / "muc4_dev.jsonl"


def _keys(sizes: list[int]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "article_id": [f"a{i}" for i in range(len(sizes))],
            "article_key": [f"k{i}" for i in range(len(sizes))],
            "text_bytes": sizes,
        },
        schema={"article_id": pl.String, "article_key": pl.String, "text_bytes": pl.Int64},
    )


def test_batches_are_cut_by_text_size_and_article_count_in_corpus_order():
    batches = plan_batches(_keys([40, 40, 40, 200, 10, 10]), max_bytes=100, max_articles=10)
    assert [b["article_id"].to_list() for b in batches] == [["a0", "a1", "a2"], ["a3"], ["a4", "a5"]]
    by_count = plan_batches(_keys([1] * 5), max_bytes=100, max_articles=2)
    assert [b.height for b in by_count] == [2, 2, 1]
    assert plan_batches(_keys([]), max_bytes=100, max_articles=2) == []


def test_article_key_changes_with_any_field_and_only_then():
    first = article_frame({"a": "Rebels attacked a town.", "b": "Police arrested two men."})
    edited = first.with_columns(
        pl.when(pl.col("article_id") == "b")
        .then(pl.lit("Police arrested three men."))
        .otherwise("text")
        .alias("text")
    )
    redated = first.with_columns(pl.lit("2020-01-02").str.to_date().alias("published_date"))
    keys = article_keys(first)["article_key"].to_list()
    assert article_keys(first)["article_key"].to_list() == keys  # deterministic
    edited_keys = article_keys(edited)["article_key"].to_list()
    assert edited_keys[0] == keys[0]
    assert edited_keys[1] != keys[1]
    assert set(article_keys(redated)["article_key"].to_list()).isdisjoint(keys)


def test_a_part_is_reused_only_while_every_article_in_it_is_unchanged_and_the_extractor_is_the_same():
    keys = _keys([10, 10, 10, 10])
    manifest = pl.concat(
        [
            manifest_rows(keys.slice(0, 2), "p1", "v1"),
            manifest_rows(keys.slice(2, 2), "p2", "v1"),
        ]
    )
    assert manifest.schema == pl.Schema(MANIFEST_SCHEMA)
    changed = keys.with_columns(
        pl.when(pl.col("article_id") == "a3")
        .then(pl.lit("k3-edited"))
        .otherwise("article_key")
        .alias("article_key")
    )
    reused = reusable_parts(manifest, changed, "v1")
    assert reused["part_id"].unique().to_list() == ["p1"]
    assert pending_articles(changed, reused)["article_id"].to_list() == ["a2", "a3"]
    removed = keys.filter(pl.col("article_id") != "a0")
    assert reusable_parts(manifest, removed, "v1")["part_id"].unique().to_list() == ["p2"]
    assert reusable_parts(manifest, keys, "v2").height == 0


def test_part_id_names_the_set_of_articles_and_the_extractor():
    keys = _keys([1, 2, 3])
    assert part_id(keys, "v1") == part_id(keys.reverse(), "v1")
    assert part_id(keys, "v1") != part_id(keys, "v2")
    assert part_id(keys, "v1") != part_id(keys.head(2), "v1")


def test_extraction_of_an_article_does_not_depend_on_the_other_articles_in_the_frame(tmp_path):
    """What makes parts (and incremental runs) sound: the whole corpus at once gives the same rows
    as the corpus cut into batches (actors and locations repeat per batch; their sets are equal)."""
    folder = tmp_path / "articles"
    folder.mkdir()
    lines = MUC_SEED.read_text(encoding="utf-8").splitlines()[:600]
    (folder / "muc.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    articles, _ = load_articles(Path(folder))
    whole = extract(articles)
    batch_size = 100
    parts = [extract(articles.slice(start, batch_size)) for start in range(0, articles.height, batch_size)]
    assert whole["events"].height > 100
    for table in EXTRACTED_TABLES:
        together = whole[table].unique()
        batched = pl.concat([p[table] for p in parts]).unique()
        assert together.sort(together.columns).equals(batched.sort(batched.columns)), table


def test_extraction_settings_are_checked():
    from orchestration.settings import Settings

    settings = Settings.from_env({"EXTRACT_WORKERS": "3", "EXTRACT_BATCH_MB": "0.5"})
    assert (settings.extract_workers, settings.extract_batch_mb) == (3, 0.5)
    assert Settings.from_env({}).extract_batch_mb == 2.0
    for bad in ("0", "-1", "two", "1.5"):
        with pytest.raises(ValueError, match="EXTRACT_WORKERS must be a positive whole number"):
            Settings.from_env({"EXTRACT_WORKERS": bad})
    for bad in ("0", "-2", "lots", "nan", "inf"):
        with pytest.raises(ValueError, match="EXTRACT_BATCH_MB must be a positive number"):
            Settings.from_env({"EXTRACT_BATCH_MB": bad})


def test_keys_of_a_scanned_file_locate_each_batch_as_a_slice_of_it(tmp_path):
    """Extraction never loads the articles table whole: keys come from a streaming scan (equal to
    the in-memory ones) and a batch is read back from the file by its rows."""
    articles, _ = load_articles(REPO / "seeds")
    path = tmp_path / "articles.parquet"
    articles.write_parquet(path, row_group_size=50)

    keys = article_keys(pl.scan_parquet(path))

    assert keys.equals(article_keys(articles))
    assert keys["article_row"].to_list() == list(range(articles.height))
    picked = keys.filter(pl.col("article_row").is_in([3, 4, 120, 121, 250]))
    batch = read_batch(path, picked)
    assert batch["article_id"].to_list() == picked["article_id"].to_list()
    assert batch.equals(articles[[3, 4, 120, 121, 250]])
    assert read_batch(path, picked.clear()).schema == articles.schema


def test_extractor_version_covers_code_in_sub_packages(tmp_path, monkeypatch):
    from orchestration.extract import batches

    package = tmp_path / "extract"
    (package / "events").mkdir(parents=True)
    (package / "pipeline.py").write_text("x = 1\n")
    (package / "events" / "roles.py").write_text("y = 1\n")
    monkeypatch.setattr(batches, "EXTRACT_PACKAGE", package)
    before = batches.extractor_version()
    (package / "events" / "roles.py").write_text("y = 2\n")
    assert batches.extractor_version() != before
