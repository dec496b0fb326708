"""Benchmark corpus: real article texts, repeated with fresh ids up to the requested size.

The pool is every distinct text of ../shared/eval/acled_dev, ../shared/eval/muc4_dev and seeds/
(.txt and .jsonl, not seeds/reference/), de-duplicated the way ingestion does (case- and
whitespace-insensitive content) and shuffled with a fixed seed, so every size has the same mix of
short ACLED notes and long wire stories. Article i is pool text i mod len(pool); its copy number
k = i // len(pool). Copy 0 is the text as published; copy k >= 1 gets one extra paragraph,
"Report k." (ingestion de-duplicates identical content, so repeats must differ, and a short
numbered line is the smallest realistic change: no trigger, date, place or casualty word).
Articles are written as JSONL, 10,000 lines a file, ids `bench-0000000`...

The full-length pool (`load_pool(full_length=True)`) leaves out the ACLED notes (0.47 KB on
average, which hide the cost per byte): the MUC-4 wire stories and the articles of seeds/, about
2.1 KB each.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED_EVAL = REPO.parent / "shared" / "eval"
SHARED_SOURCES = (
    ("acled_dev", SHARED_EVAL / "acled_dev" / "articles.jsonl"),
    ("muc4_dev", SHARED_EVAL / "muc4_dev" / "articles.jsonl"),
)
SEEDS = REPO / "seeds"
LINES_PER_FILE = 10_000
SHUFFLE_SEED = 20240118


@dataclass(frozen=True)
class Text:
    origin: str  # which corpus the text comes from
    title: str
    body: str
    source: str | None


@dataclass
class Pool:
    texts: list[Text]
    by_origin: dict[str, int]  # distinct texts contributed by each origin
    shared_present: bool

    def record(self, index: int) -> dict:
        """The JSONL record of benchmark article `index` (0-based)."""
        text = self.texts[index % len(self.texts)]
        copy = index // len(self.texts)
        body = text.body if copy == 0 else f"{text.body}\n\nReport {copy}."
        record = {"id": f"bench-{index:07d}", "title": text.title, "text": body}
        if text.source:
            record["source"] = text.source
        return record


def _key(title: str, body: str) -> str:
    # The same normalisation as ingestion's content hash (orchestration/extract/articles.py).
    text = f"{title}\n\n{body}" if title else body
    return " ".join(text.split()).lower()


SHORT_NOTE_ORIGINS = ("acled_dev",)


def load_pool(full_length: bool = False) -> Pool:
    candidates: list[Text] = []
    shared_present = all(path.exists() for _, path in SHARED_SOURCES)
    if shared_present:
        for origin, path in SHARED_SOURCES:
            candidates += _jsonl_texts(path, origin)
    for path in sorted(SEEDS.glob("*.jsonl")):
        candidates += _jsonl_texts(path, f"seeds/{path.name}")
    for path in sorted(SEEDS.glob("*.txt")):
        raw = path.read_text(encoding="utf-8").strip()
        title, _, body = raw.partition("\n")
        candidates.append(Text(f"seeds/{path.name}", title.strip(), body.strip(), None))
    seen: set[str] = set()
    texts: list[Text] = []
    by_origin: dict[str, int] = {}
    for text in candidates:
        key = _key(text.title, text.body)
        if not text.body.strip() or key in seen or (full_length and text.origin in SHORT_NOTE_ORIGINS):
            continue
        seen.add(key)
        texts.append(text)
        by_origin[text.origin] = by_origin.get(text.origin, 0) + 1
    if not texts:
        raise RuntimeError("no benchmark texts found (../shared/eval/ and seeds/ are both empty)")
    random.Random(SHUFFLE_SEED).shuffle(texts)
    return Pool(texts=texts, by_origin=by_origin, shared_present=shared_present)


def _jsonl_texts(path: Path, origin: str) -> list[Text]:
    texts = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            record = json.loads(line)
            body = record.get("text")
            if not isinstance(body, str):
                continue
            title = record.get("title") if isinstance(record.get("title"), str) else ""
            source = record.get("source") if isinstance(record.get("source"), str) else None
            texts.append(Text(origin, title.strip(), body.strip(), source))
    return texts


def write_corpus(pool: Pool, folder: Path, start: int, stop: int, prefix: str = "part") -> dict:
    """Write articles [start, stop) as JSONL files into `folder`; returns what was written."""
    folder.mkdir(parents=True, exist_ok=True)
    files, file_bytes, text_bytes = [], 0, 0
    for chunk_start in range(start, stop, LINES_PER_FILE):
        chunk_stop = min(stop, chunk_start + LINES_PER_FILE)
        path = folder / f"{prefix}-{chunk_start // LINES_PER_FILE:05d}.jsonl"
        with path.open("w", encoding="utf-8") as handle:
            for index in range(chunk_start, chunk_stop):
                record = pool.record(index)
                text_bytes += len(record["text"].encode("utf-8")) + len(record["title"].encode("utf-8"))
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        files.append(path.name)
        file_bytes += path.stat().st_size
    return {"articles": stop - start, "files": files, "file_bytes": file_bytes, "text_bytes": text_bytes}
