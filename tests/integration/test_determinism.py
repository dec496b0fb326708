"""Same input, same tables: across processes with different hash seeds and a freshly built gazetteer."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import REPO, SEED_ARTICLE, require

pytestmark = pytest.mark.integration

SCRIPT = """
import hashlib, sys
from pathlib import Path
from orchestration.extract.articles import load_articles
from orchestration.extract.pipeline import extract
articles, _ = load_articles(Path(sys.argv[1]))
tables = extract(articles)
for name in sorted(tables):
    frame = tables[name].sort(tables[name].columns)
    print(name, hashlib.sha256(frame.write_csv().encode()).hexdigest())
"""


def _fingerprints(corpus, cache, seed):
    env = {**os.environ, "PYTHONHASHSEED": str(seed), "GAZETTEER_CACHE_DIR": str(cache)}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(corpus)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return dict(line.split() for line in done.stdout.splitlines())


def test_extraction_does_not_depend_on_hash_seed_or_gazetteer_cache(tmp_path):
    corpus = tmp_path / "articles"
    corpus.mkdir()
    (corpus / SEED_ARTICLE.name).write_bytes(require(SEED_ARTICLE).read_bytes())
    (corpus / "muc.jsonl").write_text(
        "\n".join((REPO / "seeds" / "muc4_dev.jsonl").read_text(encoding="utf-8").splitlines()[:40]) + "\n",
        encoding="utf-8",
    )
    first = _fingerprints(corpus, tmp_path / "cache-1", seed=1)
    second = _fingerprints(corpus, tmp_path / "cache-2", seed=2)
    assert set(first) == {"sentences", "events", "actors", "event_actors", "casualties", "locations"}
    assert first == second
