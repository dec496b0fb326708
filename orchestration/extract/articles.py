"""Articles on disk -> the `articles` and `ingest_log` frames.

Every input unit (a `.txt` file, one line of a `.jsonl` file, or any other file) gets exactly one
`ingest_log` row, so nothing that was handed to the pipeline disappears without a trace. Reading and
decoding files is plain Python I/O; the publication dates are found afterwards with polars
expressions over each chunk. `iter_articles` yields the corpus in chunks of a bounded number of
articles (JSONL files are read line by line), so a caller that writes chunks as they come holds one
chunk's text at a time; only the ids and content digests seen so far (for duplicates) grow with the
corpus. `articles.text` is kept exactly as decoded (newlines normalised,
BOM and outer whitespace stripped) because later stages store character offsets into it.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import json
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO

import polars as pl

from orchestration.extract.dates import MONTH, make_date, month_number, two_digit_year
from orchestration.extract.schemas import conform

_ID_MAX_CHARS = 100
_UNSAFE_ID_CHARS = re.compile(r"[^A-Za-z0-9_.-]")
_BINARY_MAGIC = (
    b"\x89PNG\r\n\x1a\n",
    b"%PDF-",
    b"PK\x03\x04",
    b"PK\x05\x06",
    b"PK\x07\x08",
    b"GIF87a",
    b"GIF89a",
    b"\xff\xd8\xff",  # JPEG
    b"\x1f\x8b",  # gzip
)
# C0 controls and DEL, except the whitespace ones (\t \n \v \f \r) that real text files contain.
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1f\x7f]")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_BINARY_CONTROL_SHARE = 0.10
# A .jsonl file is one binary unit (rather than thousands of junk lines) when its first bytes look
# binary; binary content further down only rejects its own line.
_JSONL_SNIFF_BYTES = 8192
# cp1252 leaves 0x81, 0x8D, 0x8F, 0x90 and 0x9D undefined; like browsers (WHATWG windows-1252) we
# map them to the C1 control of the same number instead of failing, so the fallback always decodes.
_CP1252_HIGH = {i: (bytes([i]).decode("cp1252", errors="ignore") or chr(i)) for i in range(0x80, 0xA0)}
_WARNING_SEPARATOR = " | "
_JSON_TYPE_NAMES = {
    bool: "boolean",
    int: "number",
    float: "number",
    str: "string",
    list: "array",
    dict: "object",
    type(None): "null",
}

# --- publication date patterns (Rust regex syntax, run by polars) ---------------------------------
# Years outside this window are misparses, not news (the text patterns below only match 19xx/20xx).
_EARLIEST_YEAR, _LATEST_YEAR = 1900, 2099
_YEAR4 = r"(?P<year>19\d\d|20\d\d)"
_DAY = r"(?P<day>[0-3]?\d)"
# Wire-service dateline: "KORA, 14 MAR 91 (KNA) --" or "TARSK, 2 FEB 91 --", at the start
# of the text or of the line after the title. The source in brackets may wrap onto the next line.
_DATELINE = (
    rf"(?i)^(?:[^\n]*\n\s*)??[^\n]{{1,80}}?,[ \t]*{_DAY}[ \t]+(?P<month>{MONTH})\.?[ \t]+"
    r"(?P<year>\d{2})\b(?s:.{0,120}?)--"
)
# Full explicit dates anywhere in the text: "March 6, 2031", "6 March 2031", "2031-03-06".
_EXPLICIT_DATES = (
    rf"(?i)\b(?P<month>{MONTH})\.?[ \t]+{_DAY}(?:st|nd|rd|th)?,?[ \t]+{_YEAR4}\b",
    rf"(?i)\b{_DAY}(?:st|nd|rd|th)?[ \t]+(?:of[ \t]+)?(?P<month>{MONTH})\.?,?[ \t]+{_YEAR4}\b",
    rf"\b{_YEAR4}-(?P<month>[01]\d)-(?P<day>[0-3]\d)(?:T|\b)",
)

_RAW_ARTICLE_SCHEMA = {
    "article_id": pl.String,
    "source_file": pl.String,
    "line_number": pl.Int64,
    "title": pl.String,
    "text": pl.String,
    "metadata_date": pl.Date,
    "source": pl.String,
    "url": pl.String,
    "content_hash": pl.String,
}
_RAW_LOG_SCHEMA = {
    "source_file": pl.String,
    "line_number": pl.Int64,
    "status": pl.String,
    "reason": pl.String,
    "article_id": pl.String,
}


# Articles per chunk of iter_articles: ~10 MB of typical news text, a few seconds of work downstream.
CHUNK_ARTICLES = 20_000


def load_articles(
    articles_dir: Path,
    *,
    max_article_bytes: int = 5_000_000,
    exclude_dirs: tuple[str, ...] = ("reference",),
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Read every article under `articles_dir`; return (articles, ingest_log) in contract form.

    Files are visited in sorted relative-path order so ids, duplicate resolution and row order are
    reproducible. Hidden entries and the top-level `exclude_dirs` are skipped without a log row;
    everything else is one or more units with exactly one `ingest_log` row each.
    """
    chunks = list(iter_articles(articles_dir, max_article_bytes=max_article_bytes, exclude_dirs=exclude_dirs))
    return (
        pl.concat([articles for articles, _ in chunks], how="vertical"),
        pl.concat([log for _, log in chunks], how="vertical"),
    )


def iter_articles(
    articles_dir: Path,
    *,
    max_article_bytes: int = 5_000_000,
    exclude_dirs: tuple[str, ...] = ("reference",),
    chunk_articles: int = CHUNK_ARTICLES,
) -> Iterator[tuple[pl.DataFrame, pl.DataFrame]]:
    """`load_articles` in chunks of at most `chunk_articles` articles (and the log rows read with
    them), in the same order; concatenated they equal `load_articles`. At least one chunk, maybe empty."""
    root = Path(articles_dir)
    if not root.exists():
        raise FileNotFoundError(f"articles_dir does not exist: {root}")
    if not root.is_dir():
        raise NotADirectoryError(f"articles_dir is not a directory: {root}")
    ingest = _Ingest()
    for path, problem in _walk(root, exclude_dirs):
        rel = _relative_name(path, root)
        if problem is not None:
            ingest.reject(rel, None, problem)
            continue
        suffix = path.suffix.lower()
        if suffix == ".txt":
            _read_txt(path, rel, ingest, max_article_bytes)
        elif suffix == ".jsonl":
            for _ in _read_jsonl(path, rel, ingest, max_article_bytes):
                if ingest.article_count >= chunk_articles:
                    yield ingest.flush()
        else:
            kind = suffix or "(no extension)"
            ingest.reject(rel, None, f"unsupported file type {kind}")
        if ingest.article_count >= chunk_articles:
            yield ingest.flush()
    yield ingest.flush()


# --- walking ---------------------------------------------------------------------------------------


def _walk(root: Path, exclude_dirs: tuple[str, ...]) -> list[tuple[Path, str | None]]:
    """Files to read, plus entries that can only be logged (unreadable or symlinked directories)."""
    found: list[tuple[Path, str | None]] = []

    def on_error(error: OSError) -> None:
        # os.walk silently drops directories it cannot list; we log them instead.
        found.append((Path(error.filename or root), _error_reason(error)))

    for dirpath, dirnames, filenames in os.walk(root, onerror=on_error, followlinks=False):
        here = Path(dirpath)
        at_top = here == root
        kept = []
        for name in sorted(dirnames):
            if name.startswith(".") or (at_top and name in exclude_dirs):
                continue
            if (here / name).is_symlink():
                found.append((here / name, "symlink to a directory (not followed)"))
                continue
            kept.append(name)
        dirnames[:] = kept
        found.extend((here / name, None) for name in filenames if not name.startswith("."))
    return sorted(found, key=lambda item: _relative_name(item[0], root))


def _relative_name(path: Path, root: Path) -> str:
    rel = path.relative_to(root).as_posix()
    # Undecodable (non-UTF-8) file names arrive with surrogate escapes, which polars cannot store.
    return rel.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _error_reason(error: OSError) -> str:
    # The message without the absolute path, so logs compare equal across machines.
    return f"{type(error).__name__}: {error.strerror or error}"


# --- reading units ---------------------------------------------------------------------------------


class _Rejected(Exception):
    """A unit that cannot become an article; the message is the ingest_log reason."""


def _read_bytes(path: Path, max_bytes: int | None) -> bytes:
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise _Rejected("not a regular file")
        if max_bytes is not None and info.st_size > max_bytes:
            raise _Rejected(f"larger than max_article_bytes ({info.st_size} bytes)")
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as error:
        raise _Rejected(_error_reason(error)) from error


def _read_txt(path: Path, rel: str, ingest: _Ingest, max_bytes: int) -> None:
    try:
        raw = _read_bytes(path, max_bytes)
        text, warning = _decode(raw)
        _reject_if_binary(text)
    except _Rejected as rejected:
        ingest.reject(rel, None, str(rejected))
        return
    text = text.strip()
    if not text:
        ingest.reject(rel, None, "empty")
        return
    ingest.add(
        source_file=rel,
        line_number=None,
        article_id=_sanitise_id(path.stem),
        title=text.split("\n", 1)[0].strip(),
        text=text,
        warnings=[warning] if warning else [],
    )


def _read_jsonl(path: Path, rel: str, ingest: _Ingest, max_bytes: int) -> Iterator[None]:
    """Read a JSONL file line by line, yielding after each line so the caller can flush a chunk."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise _Rejected("not a regular file")
        handle: BinaryIO = open(path, "rb")  # noqa: SIM115 - closed below, also on rejection
    except OSError as error:
        ingest.reject(rel, None, _error_reason(error))
        return
    except _Rejected as rejected:
        ingest.reject(rel, None, str(rejected))
        return
    with handle:
        head = handle.read(_JSONL_SNIFF_BYTES)
        try:
            if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                # Re-encoded so the per-line path only ever sees ASCII-compatible bytes (UTF-16 JSONL
                # is rare: it is read whole).
                raw = _decode(head + handle.read())[0].encode("utf-8")
                head, rest = raw[:_JSONL_SNIFF_BYTES], io.BytesIO(raw[_JSONL_SNIFF_BYTES:])
            else:
                head, rest = head.removeprefix(codecs.BOM_UTF8), handle
            if head.startswith(_BINARY_MAGIC):
                raise _Rejected("binary content")
            _reject_if_binary(head)
        except _Rejected as rejected:
            ingest.reject(rel, None, str(rejected))
            return
        lines = _physical_lines(_Prefixed(head, rest))
        stem = _sanitise_id(path.stem)
        # Blank lines are rejected only once a later line has content: trailing blank lines are the
        # file's ending, not units.
        blank_numbers: list[int] = []
        any_content = False
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                blank_numbers.append(number)
                continue
            any_content = True
            for blank in blank_numbers:
                ingest.reject(rel, blank, "blank line")
            blank_numbers.clear()
            try:
                _read_jsonl_line(line, number, rel, stem, ingest, max_bytes)
            except _Rejected as rejected:
                ingest.reject(rel, number, str(rejected))
            yield
        if not any_content:
            ingest.reject(rel, None, "empty")


class _Prefixed:
    """A binary file whose first bytes were already read (to sniff them), readable line by line."""

    def __init__(self, head: bytes, handle: BinaryIO | io.BytesIO) -> None:
        self.head, self.handle = head, handle

    def __iter__(self) -> Iterator[bytes]:
        lines = iter(self.handle)
        first_newline = self.head.find(b"\n")
        if first_newline < 0:
            # The head holds no line end: it is the start of the first line.
            yield self.head + next(lines, b"")
        else:
            rest = io.BytesIO(self.head)
            for line in rest:
                if not line.endswith(b"\n"):
                    yield line + next(lines, b"")  # the head ended mid-line
                    break
                yield line
        yield from lines


def _physical_lines(source: _Prefixed) -> Iterator[bytes]:
    """Lines without their endings, where \\r\\n, \\n and a lone \\r each end a line (as editors see them)."""
    for line in source:
        line = line.removesuffix(b"\n").removesuffix(b"\r")
        if b"\r" in line:
            yield from line.split(b"\r")
        else:
            yield line


def _read_jsonl_line(line: bytes, number: int, rel: str, stem: str, ingest: _Ingest, max_bytes: int) -> None:
    if len(line) > max_bytes:
        raise _Rejected(f"larger than max_article_bytes ({len(line)} bytes)")
    _reject_if_binary(line)
    decoded, warning = _decode(line)
    warnings = [warning] if warning else []
    try:
        record = json.loads(decoded)
    except json.JSONDecodeError as error:
        raise _Rejected(f"malformed JSON: {error.msg} (column {error.colno})") from error
    if not isinstance(record, dict):
        raise _Rejected(f"malformed JSON: expected an object, got {_json_type(record)}")

    body = record.get("text")
    if body is None:
        raise _Rejected("missing text")
    if not isinstance(body, str):
        raise _Rejected(f"text is not a string (got {_json_type(body)})")
    body = _normalise_newlines(body).strip()
    if not body:
        raise _Rejected("empty text")

    raw_id = record.get("id")
    if isinstance(raw_id, bool) or not isinstance(raw_id, (str, int, type(None))):
        warnings.append(f"id ignored: expected a string or integer, got {_json_type(raw_id)}")
        raw_id = None
    raw_id = str(raw_id).strip() if raw_id is not None else ""
    article_id = _sanitise_id(raw_id) if raw_id else _sanitise_id(f"{stem}-L{number}")

    title = _optional_string(record, "title", warnings)
    title = _normalise_newlines(title).strip() if title else None
    published, published_warning = _parse_published_at(record.get("published_at"))
    if published_warning:
        warnings.append(published_warning)
    ingest.add(
        source_file=rel,
        line_number=number,
        article_id=article_id,
        title=title or None,
        text=f"{title}\n\n{body}" if title else body,
        metadata_date=published,
        source=_optional_string(record, "source", warnings),
        url=_optional_string(record, "url", warnings),
        warnings=warnings,
    )


def _optional_string(record: dict, key: str, warnings: list[str]) -> str | None:
    value = record.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        warnings.append(f"{key} ignored: expected a string, got {_json_type(value)}")
        return None
    return value.strip() or None


def _parse_published_at(value: object) -> tuple[date | None, str | None]:
    if value is None or value == "":
        return None, None
    if not isinstance(value, str):
        return None, f"published_at ignored: expected an ISO date string, got {_json_type(value)}"
    try:
        # The calendar date as written: a timezone offset is not converted, since the source's
        # local date is what a reader of the article would call its publication date.
        published = datetime.fromisoformat(value.strip()).date()
    except ValueError:
        return None, f"published_at ignored: not an ISO date or datetime ({value[:40]!r})"
    if not _EARLIEST_YEAR <= published.year <= _LATEST_YEAR:
        return None, f"published_at ignored: year {published.year} out of range"
    return published, None


def _json_type(value: object) -> str:
    return _JSON_TYPE_NAMES.get(type(value), type(value).__name__)


# --- decoding --------------------------------------------------------------------------------------


def _decode(raw: bytes) -> tuple[str, str | None]:
    """Bytes -> (text with \\n newlines and no BOM, warning or None)."""
    if raw.startswith(_BINARY_MAGIC):
        raise _Rejected("binary content")
    warning = None
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = raw.decode("utf-16")  # consumes the BOM and picks the byte order from it
        except UnicodeDecodeError as error:
            raise _Rejected(
                f"UnicodeDecodeError: invalid UTF-16 after a UTF-16 BOM ({error.reason})"
            ) from error
    else:
        if raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("latin-1").translate(_CP1252_HIGH)
            warning = "decoded as cp1252 (not valid UTF-8)"
    return _normalise_newlines(text.removeprefix("\ufeff")), warning


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _reject_if_binary(data: bytes | str) -> None:
    if isinstance(data, bytes):
        nul, controls = b"\x00", _CONTROL_BYTES
    else:
        nul, controls = "\x00", _CONTROL_CHARS
    if nul in data or len(controls.findall(data)) > _BINARY_CONTROL_SHARE * len(data):
        raise _Rejected("binary content")


def _sanitise_id(raw: str) -> str:
    return _UNSAFE_ID_CHARS.sub("_", raw)[:_ID_MAX_CHARS]


def _content_digest(text: str) -> bytes:
    return hashlib.sha256(" ".join(text.split()).lower().encode("utf-8")).digest()


# --- the two growing tables -----------------------------------------------------------------------


@dataclass
class _Ingest:
    """The rows read since the last flush, and what duplicate detection needs of all rows so far."""

    articles: dict[str, list] = field(default_factory=lambda: {name: [] for name in _RAW_ARTICLE_SCHEMA})
    log: dict[str, list] = field(default_factory=lambda: {name: [] for name in _RAW_LOG_SCHEMA})
    # Keyed by 16 bytes of the content digest rather than its hex form: this map grows with the corpus.
    first_id_by_digest: dict[bytes, str] = field(default_factory=dict)
    used_ids: set[str] = field(default_factory=set)

    @property
    def article_count(self) -> int:
        return len(self.articles["article_id"])

    def flush(self) -> tuple[pl.DataFrame, pl.DataFrame]:
        """The rows read since the last flush, as contract-form frames; the buffers start empty again."""
        raw = pl.LazyFrame(self.articles, schema=_RAW_ARTICLE_SCHEMA)
        articles = conform(
            _with_publication_dates(raw).with_columns(n_chars=pl.col("text").str.len_chars()), "articles"
        )
        ingest_log = conform(pl.LazyFrame(self.log, schema=_RAW_LOG_SCHEMA), "ingest_log")
        self.articles = {name: [] for name in _RAW_ARTICLE_SCHEMA}
        self.log = {name: [] for name in _RAW_LOG_SCHEMA}
        return articles, ingest_log

    def reject(self, source_file: str, line_number: int | None, reason: str) -> None:
        self._log(source_file, line_number, "rejected", reason, None)

    def add(
        self,
        *,
        source_file: str,
        line_number: int | None,
        article_id: str,
        title: str | None,
        text: str,
        warnings: list[str],
        metadata_date: date | None = None,
        source: str | None = None,
        url: str | None = None,
    ) -> None:
        digest = _content_digest(text)
        content_hash = digest.hex()
        first_id = self.first_id_by_digest.get(digest[:16])
        if first_id is not None:
            self._log(source_file, line_number, "duplicate", f"duplicate of {first_id}", first_id)
            return
        if article_id in self.used_ids:
            warnings = [*warnings, f"article id {article_id} already used; renamed"]
            article_id = self._unique_id(article_id, content_hash)
        self.used_ids.add(article_id)
        self.first_id_by_digest[digest[:16]] = article_id
        row = {
            "article_id": article_id,
            "source_file": source_file,
            "line_number": line_number,
            "title": title,
            "text": text,
            "metadata_date": metadata_date,
            "source": source,
            "url": url,
            "content_hash": content_hash,
        }
        for name, value in row.items():
            self.articles[name].append(value)
        status = "loaded_with_warning" if warnings else "loaded"
        self._log(source_file, line_number, status, _WARNING_SEPARATOR.join(warnings) or None, article_id)

    def _unique_id(self, article_id: str, content_hash: str) -> str:
        suffix = f"-{content_hash[:8]}"
        candidate = article_id[: _ID_MAX_CHARS - len(suffix)] + suffix
        counter = 2
        while candidate in self.used_ids:  # only if an input id already looked like a renamed one
            extra = f"{suffix}-{counter}"
            candidate = article_id[: _ID_MAX_CHARS - len(extra)] + extra
            counter += 1
        return candidate

    def _log(
        self,
        source_file: str,
        line_number: int | None,
        status: str,
        reason: str | None,
        article_id: str | None,
    ) -> None:
        row = (source_file, line_number, status, reason, article_id)
        for name, value in zip(_RAW_LOG_SCHEMA, row, strict=True):
            self.log[name].append(value)


# --- publication dates (vectorised) ----------------------------------------------------------------


def _dateline_date(text: pl.Expr) -> pl.Expr:
    parts = text.str.extract_groups(_DATELINE)
    year = two_digit_year(parts.struct.field("year"))
    return make_date(year, month_number(parts.struct.field("month")), parts.struct.field("day"))


def _latest_explicit_dates(articles: pl.LazyFrame) -> pl.LazyFrame:
    """One row per article that mentions a full date: the latest such date."""
    found = []
    for pattern in _EXPLICIT_DATES:
        matches = (
            articles.select("article_id", match=pl.col("text").str.extract_all(pattern))
            .explode("match")
            .drop_nulls("match")
            .select("article_id", parts=pl.col("match").str.extract_groups(pattern))
        )
        parts = pl.col("parts").struct
        found.append(
            matches.select(
                "article_id",
                mentioned=make_date(
                    parts.field("year"), month_number(parts.field("month")), parts.field("day")
                ),
            )
        )
    return (
        pl.concat(found)
        .drop_nulls("mentioned")
        .group_by("article_id")
        .agg(latest_explicit_date=pl.col("mentioned").max())
    )


def _with_publication_dates(articles: pl.LazyFrame) -> pl.LazyFrame:
    """Metadata date, else the wire dateline, else the latest full date in the text, else unknown."""
    with_candidates = articles.with_columns(dateline_date=_dateline_date(pl.col("text"))).join(
        _latest_explicit_dates(articles), on="article_id", how="left", maintain_order="left"
    )
    candidates = {
        "metadata": "metadata_date",
        "dateline": "dateline_date",
        "latest_explicit_date": "latest_explicit_date",
    }
    basis = pl.lit("unknown")
    for name, column in reversed(candidates.items()):
        basis = pl.when(pl.col(column).is_not_null()).then(pl.lit(name)).otherwise(basis)
    return with_candidates.with_columns(
        published_date=pl.coalesce(list(candidates.values())), published_date_basis=basis
    )
