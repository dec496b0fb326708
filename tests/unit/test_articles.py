"""Ingestion: every file or JSONL line is one unit with one ingest_log row, and articles keep their text."""

from __future__ import annotations

import codecs
import json
import os
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from orchestration.extract.articles import iter_articles, load_articles
from orchestration.extract.schemas import ARTICLES, INGEST_LOG, INGEST_STATUSES

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SEED = SHARED / "seeds" / "000_e18015ce71bc06fc.txt"
MUC4 = SHARED / "eval" / "muc4_dev" / "articles.jsonl"

PNG_HEADER = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
)
STORY = "Rebels attack army post\nOn 9 May 2020, rebels attacked an army post near the border, killing two.\n"


def log_row(log: pl.DataFrame, source_file: str, line_number: int | None = None) -> dict:
    line = pl.col("line_number").is_null() if line_number is None else pl.col("line_number") == line_number
    rows = log.filter((pl.col("source_file") == source_file) & line).to_dicts()
    assert len(rows) == 1, f"expected one ingest_log row for {source_file}:{line_number}, got {rows}"
    return rows[0]


def article(articles: pl.DataFrame, article_id: str) -> dict:
    rows = articles.filter(pl.col("article_id") == article_id).to_dicts()
    assert len(rows) == 1, f"expected one article {article_id}, got {len(rows)}"
    return rows[0]


def jsonl(*records: object) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)


def test_seed_article_is_dated_by_the_embedded_tweets(tmp_path: Path) -> None:
    if not SEED.is_file():
        pytest.skip(f"shared seed article not found at {SEED} (needs the ../shared folder next to the repo)")
    (tmp_path / SEED.name).write_bytes(SEED.read_bytes())

    articles, log = load_articles(tmp_path)

    seed = article(articles, "000_e18015ce71bc06fc")
    # the file's first line is the title and its last line ends the text (read, not quoted here)
    lines = [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert seed["title"] == lines[0]
    assert seed["text"].startswith(seed["title"] + "\n")
    assert seed["text"].endswith(lines[-1])
    assert seed["published_date"] == date(2024, 1, 18)
    assert seed["published_date_basis"] == "latest_explicit_date"
    assert seed["n_chars"] == len(seed["text"])
    assert log_row(log, SEED.name) == {
        "source_file": SEED.name,
        "line_number": None,
        "status": "loaded",
        "reason": None,
        "article_id": "000_e18015ce71bc06fc",
    }


def test_muc4_wire_dateline_gives_the_publication_date(tmp_path: Path) -> None:
    if not MUC4.is_file():
        pytest.skip(f"MUC-4 dev set not found at {MUC4} (needs the ../shared folder next to the repo)")
    with MUC4.open(encoding="utf-8") as corpus:
        first_line = corpus.readline()
    (tmp_path / "muc4.jsonl").write_text(first_line, encoding="utf-8")

    articles, _ = load_articles(tmp_path)

    muc = article(articles, "DEV-MUC3-0001")
    dateline = json.loads(first_line)["text"].split(" --")[0]
    assert muc["text"].startswith(dateline + " --")
    assert muc["title"] is None  # the corpus gives "" as title, so no "\n\n" is prepended either
    assert (muc["published_date"], muc["published_date_basis"]) == (date(1990, 1, 3), "dateline")


def test_publication_date_precedence_and_forms(tmp_path: Path) -> None:
    (tmp_path / "wire.jsonl").write_text(
        jsonl(
            {"id": "meta", "text": "PUNO, 4 MAR 91 -- Text.", "published_at": "2024-02-01T23:30:00+05:00"},
            {"id": "efe", "text": "TEGUCIGALPA, 6 MAR 91 (ACAN-EFE) -- [TEXT] A bomb exploded."},
            {"id": "titled", "title": "Headline", "text": "CUZCO, 2 FEB 91 -- [TEXT] Rebels..."},
            {"id": "y2k", "text": "BOGOTA, 5 MAR 03 (AFP) -- [TEXT] Report of 1 January 2010."},
            {"id": "forms", "text": "Seen 17 January 2024, then on 2024-03-05 and March 2nd, 2024 again."},
            {"id": "bad-day", "text": "Dated 31 February 2024 but really 3 Feb 2024."},
            {"id": "none", "text": "Yesterday, clashes erupted in May."},
            {"id": "misparse", "text": "Waterloo, 18 June 1815.", "published_at": "0024-02-07"},
        ),
        encoding="utf-8",
    )

    articles, log = load_articles(tmp_path)

    dates = {r["article_id"]: (r["published_date"], r["published_date_basis"]) for r in articles.to_dicts()}
    assert dates == {
        "meta": (date(2024, 2, 1), "metadata"),
        "efe": (date(1991, 3, 6), "dateline"),
        "titled": (date(1991, 2, 2), "dateline"),
        "y2k": (date(2003, 3, 5), "dateline"),
        "forms": (date(2024, 3, 5), "latest_explicit_date"),
        "bad-day": (date(2024, 2, 3), "latest_explicit_date"),
        "none": (None, "unknown"),
        "misparse": (None, "unknown"),
    }
    assert log_row(log, "wire.jsonl", 8)["reason"] == "published_at ignored: year 24 out of range"


def test_jsonl_lines_good_malformed_missing_text_bad_date_extra_fields(tmp_path: Path) -> None:
    (tmp_path / "feed.jsonl").write_text(
        jsonl(
            {
                "id": "a1",
                "title": "Clashes in Velmar",
                "text": "On 21 May 2021, clashes erupted.",
                "source": "X",
            },
            '{"id": "a2", "text": "unterminated',
            {"id": "a3", "title": "No body"},
            {"id": "a4", "text": "Protest in Lima on 3 March 2021.", "published_at": 20210303},
            {"id": "a5", "text": "Strike on 4 April 2022.", "published_at": "last Tuesday"},
            {
                "id": 42,
                "text": "Extra fields are fine.",
                "lang": "en",
                "tags": ["x"],
                "url": "https://e.org/1",
            },
            {"id": "a7", "text": ["not", "a", "string"]},
            "",
            {"title": "No id here", "text": "An article without an id."},
            "[1, 2]",
        )
        + "\n\n",
        encoding="utf-8",
    )

    articles, log = load_articles(tmp_path)

    assert log_row(log, "feed.jsonl", 1)["status"] == "loaded"
    a1 = article(articles, "a1")
    assert a1["text"] == "Clashes in Velmar\n\nOn 21 May 2021, clashes erupted."
    assert (a1["title"], a1["source"], a1["line_number"]) == ("Clashes in Velmar", "X", 1)
    assert a1["published_date"] == date(2021, 5, 21)

    malformed = log_row(log, "feed.jsonl", 2)
    assert malformed["status"] == "rejected"
    assert malformed["reason"].startswith("malformed JSON: ")
    assert malformed["article_id"] is None
    assert log_row(log, "feed.jsonl", 3)["reason"] == "missing text"

    for line, reason in [(4, "expected an ISO date string, got number"), (5, "not an ISO date")]:
        row = log_row(log, "feed.jsonl", line)
        assert row["status"] == "loaded_with_warning"
        assert row["reason"].startswith(f"published_at ignored: {reason}")
    assert article(articles, "a4")["published_date_basis"] == "latest_explicit_date"
    assert article(articles, "a5")["published_date"] == date(2022, 4, 4)

    assert log_row(log, "feed.jsonl", 6) == {
        "source_file": "feed.jsonl",
        "line_number": 6,
        "status": "loaded",
        "reason": None,
        "article_id": "42",
    }
    assert article(articles, "42")["url"] == "https://e.org/1"
    assert log_row(log, "feed.jsonl", 7)["reason"].startswith("text is not a string")
    assert log_row(log, "feed.jsonl", 8)["reason"] == "blank line"
    assert log_row(log, "feed.jsonl", 9)["article_id"] == "feed-L9"
    assert log_row(log, "feed.jsonl", 10)["reason"] == "malformed JSON: expected an object, got array"
    assert log.height == 10, "the trailing empty lines are the end of the file, not units"


@pytest.mark.parametrize(
    ("content", "case"),
    [(b"", "empty file"), (b"  \n\t\r\n   \n", "whitespace only")],
)
def test_empty_and_whitespace_only_files_are_rejected(tmp_path: Path, content: bytes, case: str) -> None:
    (tmp_path / "a.txt").write_bytes(content)
    (tmp_path / "b.jsonl").write_bytes(content)

    articles, log = load_articles(tmp_path)

    assert articles.height == 0, case
    for name in ("a.txt", "b.jsonl"):
        assert log_row(log, name)["status"] == "rejected"
        assert log_row(log, name)["reason"] == "empty"


def test_binary_content_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "blob.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "controls.txt").write_bytes(b"abc\x01\x02\x03\x04\x05\x06\x07\x08def")

    articles, log = load_articles(tmp_path)

    assert articles.height == 0
    for name in ("blob.txt", "controls.txt"):
        assert (log_row(log, name)["status"], log_row(log, name)["reason"]) == ("rejected", "binary content")


def test_png_renamed_to_txt_is_rejected_by_its_magic_number(tmp_path: Path) -> None:
    (tmp_path / "photo.txt").write_bytes(PNG_HEADER)
    (tmp_path / "photo.jsonl").write_bytes(PNG_HEADER)

    articles, log = load_articles(tmp_path)

    assert articles.height == 0
    assert log_row(log, "photo.txt")["reason"] == "binary content"
    assert log_row(log, "photo.jsonl")["reason"] == "binary content"  # one unit, not one per "line"


def test_cp1252_text_is_decoded_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "legacy.txt").write_bytes(
        "Café attack\r\nThe mayor’s office said “two killed”.\r\n".encode("cp1252")
    )

    articles, log = load_articles(tmp_path)

    assert article(articles, "legacy")["text"] == "Café attack\nThe mayor’s office said “two killed”."
    assert log_row(log, "legacy.txt")["status"] == "loaded_with_warning"
    assert log_row(log, "legacy.txt")["reason"] == "decoded as cp1252 (not valid UTF-8)"


def test_utf16_with_bom_is_decoded(tmp_path: Path) -> None:
    (tmp_path / "wide.txt").write_bytes(
        codecs.BOM_UTF16_LE + "Ataque en Bogotá\r\nDos muertos.".encode("utf-16-le")
    )
    (tmp_path / "wide.jsonl").write_bytes(
        codecs.BOM_UTF16_BE + jsonl({"id": "w2", "text": "Explosión en Lima."}).encode("utf-16-be")
    )

    articles, log = load_articles(tmp_path)

    assert article(articles, "wide")["text"] == "Ataque en Bogotá\nDos muertos."
    assert article(articles, "wide")["title"] == "Ataque en Bogotá"
    assert article(articles, "w2")["text"] == "Explosión en Lima."
    assert set(log["status"]) == {"loaded"}


def test_utf8_bom_is_stripped_so_the_title_starts_at_offset_zero(tmp_path: Path) -> None:
    (tmp_path / "bom.txt").write_bytes(
        codecs.BOM_UTF8 + "\n\n  Blast in Quetta  \nThree were hurt.\n".encode()
    )
    (tmp_path / "bom.jsonl").write_bytes(
        codecs.BOM_UTF8 + jsonl({"id": "j", "text": "Fire in Kabul."}).encode()
    )

    articles, log = load_articles(tmp_path)

    bom = article(articles, "bom")
    assert bom["text"] == "Blast in Quetta  \nThree were hurt."
    assert bom["title"] == "Blast in Quetta"
    assert article(articles, "j")["text"] == "Fire in Kabul."
    assert set(log["status"]) == {"loaded"}


def test_same_article_in_two_files_is_loaded_once(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "b").mkdir()
    # Same words, different case, spacing and line endings: still the same article.
    (tmp_path / "b" / "copy.txt").write_bytes(STORY.upper().replace("\n", "\r\n  ").encode())
    title, body = STORY.strip().split("\n", 1)
    (tmp_path / "c.jsonl").write_text(jsonl({"id": "c1", "title": title, "text": body}), encoding="utf-8")

    articles, log = load_articles(tmp_path)

    assert articles["article_id"].to_list() == ["a"]
    for source_file, line in [("b/copy.txt", None), ("c.jsonl", 1)]:
        row = log_row(log, source_file, line)
        assert (row["status"], row["reason"], row["article_id"]) == ("duplicate", "duplicate of a", "a")


def test_reused_id_with_different_content_is_renamed(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    (tmp_path / "x" / "report.txt").write_text("First report\nA bomb exploded.", encoding="utf-8")
    (tmp_path / "y" / "report.txt").write_text("Second report\nA car was burned.", encoding="utf-8")

    articles, log = load_articles(tmp_path)

    renamed = log_row(log, "y/report.txt")
    assert renamed["status"] == "loaded_with_warning"
    assert renamed["reason"] == "article id report already used; renamed"
    second = article(articles, renamed["article_id"])
    assert renamed["article_id"] == "report-" + second["content_hash"][:8]
    assert second["title"] == "Second report"
    assert log_row(log, "x/report.txt")["article_id"] == "report"


def test_file_names_with_spaces_and_non_ascii_characters(tmp_path: Path) -> None:
    folder = tmp_path / "São Paulo news"
    folder.mkdir()
    (folder / "Ataque em Café 1.txt").write_text("Ataque em café\nDois feridos.", encoding="utf-8")

    articles, log = load_articles(tmp_path)

    row = log_row(log, "São Paulo news/Ataque em Café 1.txt")
    assert (row["status"], row["article_id"]) == ("loaded", "Ataque_em_Caf__1")
    assert article(articles, "Ataque_em_Caf__1")["source_file"] == "São Paulo news/Ataque em Café 1.txt"


def test_undecodable_file_name_is_logged_not_crashed_on(tmp_path: Path) -> None:
    try:
        with open(os.fsencode(tmp_path) + b"/caf\xe9.txt", "wb") as handle:
            handle.write(b"Title\nBody.")
    except OSError:
        pytest.skip("this file system refuses file names that are not UTF-8")

    articles, log = load_articles(tmp_path)

    assert log.row(0, named=True)["source_file"] == "caf\ufffd.txt"
    assert articles["article_id"].to_list() == ["caf_"]


def test_symlink_loop_and_broken_link_are_rejected_with_the_os_error(tmp_path: Path) -> None:
    try:
        os.symlink("loop.txt", tmp_path / "loop.txt")
        os.symlink("nowhere.txt", tmp_path / "broken.txt")
    except (OSError, NotImplementedError):
        pytest.skip("symlinks are not available here")

    articles, log = load_articles(tmp_path)

    assert articles.height == 0
    loop = log_row(log, "loop.txt")
    assert loop["status"] == "rejected"
    assert loop["reason"] == "OSError: Too many levels of symbolic links"
    assert log_row(log, "broken.txt")["reason"] == "FileNotFoundError: No such file or directory"


def test_unsupported_extension_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (tmp_path / "README").write_text("not an article", encoding="utf-8")

    articles, log = load_articles(tmp_path)

    assert articles.height == 0
    assert log_row(log, "notes.csv")["reason"] == "unsupported file type .csv"
    assert log_row(log, "README")["reason"] == "unsupported file type (no extension)"


def test_reference_folder_hidden_files_and_size_limit(tmp_path: Path) -> None:
    (tmp_path / "reference").mkdir()
    (tmp_path / "reference" / "aliases.csv").write_text("alias,name\n", encoding="utf-8")
    (tmp_path / ".cache").mkdir()
    (tmp_path / ".cache" / "old.txt").write_text("Old\nstuff", encoding="utf-8")
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x01")
    (tmp_path / "nested" / "reference").mkdir(parents=True)  # only the top-level one is excluded
    (tmp_path / "nested" / "reference" / "r.txt").write_text("Kept\nbody", encoding="utf-8")
    (tmp_path / "big.txt").write_text("Big\n" + "x" * 200, encoding="utf-8")
    (tmp_path / "lines.jsonl").write_text(jsonl({"text": "short"}, {"text": "y" * 200}), encoding="utf-8")

    articles, log = load_articles(tmp_path, max_article_bytes=100)

    assert log["source_file"].to_list() == ["big.txt", "lines.jsonl", "lines.jsonl", "nested/reference/r.txt"]
    assert log_row(log, "big.txt")["reason"] == "larger than max_article_bytes (204 bytes)"
    assert log_row(log, "lines.jsonl", 1)["article_id"] == "lines-L1"
    assert log_row(log, "lines.jsonl", 2)["reason"] == "larger than max_article_bytes (212 bytes)"
    assert articles["article_id"].to_list() == ["lines-L1", "r"]


def test_every_unit_is_logged_once_and_loaded_rows_match_articles(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "sub" / "a.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "sub" / "b.txt").write_text("Other story\nDifferent words.", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "img.txt").write_bytes(PNG_HEADER)
    (tmp_path / "old.txt").write_bytes("Caf\xe9 story\nwith \x93quotes\x94".encode("latin-1"))
    (tmp_path / "data.xml").write_text("<a/>", encoding="utf-8")
    (tmp_path / "feed.jsonl").write_text(
        jsonl({"id": "a", "text": "Clash reported."}, "{", "", {"id": "f4", "text": "Another."}, {"text": 5}),
        encoding="utf-8",
    )
    expected_units = {
        ("a.txt", None),
        ("sub/a.txt", None),
        ("sub/b.txt", None),
        ("empty.txt", None),
        ("img.txt", None),
        ("old.txt", None),
        ("data.xml", None),
        *(("feed.jsonl", line) for line in range(1, 6)),
    }

    articles, log = load_articles(tmp_path)

    assert dict(articles.schema) == ARTICLES
    assert dict(log.schema) == INGEST_LOG
    units = list(zip(log["source_file"], log["line_number"], strict=True))
    assert len(units) == len(set(units)) and set(units) == expected_units
    assert set(log["status"]) <= set(INGEST_STATUSES)
    loaded = log.filter(pl.col("status").is_in(["loaded", "loaded_with_warning"]))
    assert loaded.height == articles.height == 5
    assert articles["article_id"].is_unique().all()
    assert sorted(loaded["article_id"]) == sorted(articles["article_id"])
    assert log.filter(pl.col("status") == "duplicate")["article_id"].is_in(articles["article_id"]).all()
    assert log.filter(pl.col("status") == "rejected")["article_id"].is_null().all()
    assert log.filter(pl.col("status") != "loaded")["reason"].is_not_null().all()
    assert log_row(log, "feed.jsonl", 1)["reason"] == "article id a already used; renamed"

    again, again_log = load_articles(tmp_path)
    assert again.equals(articles) and again_log.equals(log), "loading is deterministic"


def test_chunks_read_line_by_line_add_up_to_the_whole_load(tmp_path: Path) -> None:
    """iter_articles reads JSONL line by line in bounded chunks; line numbers follow \\r\\n, \\n and
    lone \\r endings, a line may cross the sniffed head, blank lines inside the file are rejected and
    trailing ones are not units."""
    long_body = "Troops clashed with gunmen near the river. " * 400  # > the 8 KB sniffed head
    lines = [
        json.dumps({"id": "a", "text": "Police arrested ten protesters in the capital."}),
        json.dumps({"id": "b", "text": long_body}),
        "",
        json.dumps({"id": "c", "text": "A bomb exploded at a market, killing three."}),
        json.dumps({"id": "d", "text": "Rebels seized a town after heavy fighting."}),
        json.dumps({"id": "a", "text": "Police arrested ten protesters in the capital."}),  # duplicate
        json.dumps({"id": "e", "text": "Villagers attacked a police station."}),
    ]
    raw = (
        "\ufeff"
        + lines[0]
        + "\r\n"
        + lines[1]
        + "\n"
        + lines[2]
        + "\r"
        + lines[3]
        + "\r"
        + "\n".join(lines[4:])
        + "\n\n  \n"
    )
    (tmp_path / "feed.jsonl").write_bytes(raw.encode("utf-8"))
    (tmp_path / "zz.txt").write_text(STORY, encoding="utf-8")

    chunks = list(iter_articles(tmp_path, chunk_articles=2))
    articles, log = load_articles(tmp_path)

    assert [chunk.height for chunk, _ in chunks] == [2, 2, 2, 0]
    assert pl.concat([chunk for chunk, _ in chunks]).equals(articles)
    assert pl.concat([chunk_log for _, chunk_log in chunks]).equals(log)
    assert articles["article_id"].to_list() == ["a", "b", "c", "d", "e", "zz"]
    assert article(articles, "b")["text"] == long_body.strip()
    assert log.filter(pl.col("source_file") == "feed.jsonl").select("line_number", "status").rows() == [
        (1, "loaded"),
        (2, "loaded"),
        (3, "rejected"),
        (4, "loaded"),
        (5, "loaded"),
        (6, "duplicate"),
        (7, "loaded"),
    ]
    assert log_row(log, "feed.jsonl", 3)["reason"] == "blank line"
    assert log_row(log, "feed.jsonl", 6)["reason"] == "duplicate of a"


def test_chunked_writer_writes_one_file_atomically(tmp_path: Path) -> None:
    """Ingestion writes its chunks into one Parquet file that appears only when all went well."""
    from orchestration.assets.io import ChunkedTableWriter
    from orchestration.settings import Settings

    settings = Settings(
        articles_dir=tmp_path, warehouse_path=tmp_path / "w.duckdb", extract_dir=tmp_path / "x"
    )
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "b.txt").write_text(STORY.replace("two", "three"), encoding="utf-8")
    chunks = list(iter_articles(tmp_path, chunk_articles=1))
    with ChunkedTableWriter(settings, "articles") as out:
        for articles, _ in chunks:
            out.write(articles)
    assert out.rows == 2
    assert pl.read_parquet(settings.table_path("articles")).equals(pl.concat([a for a, _ in chunks]))

    with pytest.raises(RuntimeError), ChunkedTableWriter(settings, "ingest_log") as out:
        out.write(chunks[0][1])
        raise RuntimeError("killed mid-way")
    assert not settings.table_path("ingest_log").exists()
    assert list(settings.extract_dir.iterdir()) == [settings.table_path("articles")]

    with ChunkedTableWriter(settings, "ingest_log") as out:
        out.write(chunks[-1][1].clear())
    assert pl.read_parquet(settings.table_path("ingest_log")).schema == chunks[0][1].schema
