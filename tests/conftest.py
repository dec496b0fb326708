"""Shared fixtures. Data from ../shared/ is optional: tests that need it skip with the reason."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED_ARTICLE = SHARED / "seeds" / "000_e18015ce71bc06fc.txt"
SEED_GOLD = SHARED / "gold" / "000_e18015ce71bc06fc.json"


def require(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is absent (tests read shared data from ../shared/)")
    return path


def article_frame(texts: dict[str, str], published: dict[str, str] | None = None) -> pl.DataFrame:
    """An `articles` frame from id -> text, the way ingestion would give it."""
    from orchestration.extract.schemas import conform

    published = published or {}
    return conform(
        pl.DataFrame(
            {
                "article_id": list(texts),
                "source_file": [f"{k}.txt" for k in texts],
                "line_number": [None] * len(texts),
                "title": [t.split("\n", 1)[0] for t in texts.values()],
                "text": list(texts.values()),
                "published_date": [published.get(k) for k in texts],
                "published_date_basis": ["metadata" if k in published else "unknown" for k in texts],
                "source": [None] * len(texts),
                "url": [None] * len(texts),
                "content_hash": [str(hash(t)) for t in texts.values()],
                "n_chars": [len(t) for t in texts.values()],
            },
            schema_overrides={
                "line_number": pl.Int64,
                "published_date": pl.String,
                "source": pl.String,
                "url": pl.String,
            },
        ).with_columns(pl.col("published_date").str.to_date()),
        "articles",
    )


@pytest.fixture(scope="session")
def seed_articles() -> pl.DataFrame:
    from orchestration.extract.articles import load_articles

    articles, _ = load_articles(require(SEED_ARTICLE).parent)
    return articles


@pytest.fixture(scope="session")
def seed_tables(seed_articles: pl.DataFrame) -> dict[str, pl.DataFrame]:
    from orchestration.extract.pipeline import extract

    return extract(seed_articles)


@pytest.fixture(scope="session")
def seed_gold() -> dict:
    return json.loads(require(SEED_GOLD).read_text())
