"""Reading an evaluation folder: the input lines and either gold format.

- ACLED format: `gold.csv`, one row per coded event, `id` joins to the input line's `id`.
- MUC-4 format: `gold.jsonl`, one object per document with its incident `templates`.
- Full-news format: `gold/<id>.json`, one annotation per article in the example article's schema
  (events with type, country, killed and injured figures).

Both are turned into typed polars frames keyed by `gold_id` (the input line's `id`).
"""

from __future__ import annotations

import difflib
import json
import re
from functools import lru_cache
from pathlib import Path

import polars as pl
import pycountry

ARTICLES_FILE = "articles.jsonl"
ACLED_GOLD = "gold.csv"
MUC4_GOLD = "gold.jsonl"
FULLNEWS_GOLD = "gold"
SNIPPET_CHARS = 300

# Country names pycountry does not resolve (ACLED's spellings, user-assigned codes).
COUNTRY_OVERRIDES = {
    "democratic republic of congo": "COD",
    "republic of congo": "COG",
    "turkey": "TUR",
    "kosovo": "XKX",
    "palestine": "PSE",
    "ivory coast": "CIV",
    "eswatini": "SWZ",
}
_PLAIN_INTEGER = re.compile(r"^\d+$")
_RANGE = re.compile(r"^(\d+)\s*-\s*(\d+)$")


def detect_format(folder: Path) -> str:
    """'acled' when the folder has gold.csv, 'muc4' when it has gold.jsonl, 'fullnews' when it has a
    gold/ folder of per-article JSON annotations."""
    if (folder / ACLED_GOLD).exists():
        return "acled"
    if (folder / MUC4_GOLD).exists():
        return "muc4"
    if any((folder / FULLNEWS_GOLD).glob("*.json")):
        return "fullnews"
    raise FileNotFoundError(
        f"{folder} has neither {ACLED_GOLD} (ACLED format), {MUC4_GOLD} (MUC-4 format) nor "
        f"{FULLNEWS_GOLD}/*.json (full-news format)"
    )


# --- input lines -----------------------------------------------------------------------------------


def split_jsonl_lines(raw: bytes) -> list[bytes]:
    """The JSONL units as ingestion numbers them: newlines normalised, trailing blank lines dropped."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    lines = raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def read_input_lines(path: Path, limit: int | None = None) -> pl.DataFrame:
    """One row per input line: `line_number` (1-based, as in ingest_log), `gold_id` (the line's
    `id`, null if unreadable) and `text_snippet` (the first characters of its text, for mistakes)."""
    rows = []
    for number, line in enumerate(split_jsonl_lines(Path(path).read_bytes()), start=1):
        if limit is not None and number > limit:
            break
        try:
            record = json.loads(line.decode("utf-8", errors="replace"))
        except json.JSONDecodeError:
            record = None
        if not isinstance(record, dict):
            rows.append((number, None, None))
            continue
        raw_id = record.get("id")
        gold_id = (
            str(raw_id).strip() if isinstance(raw_id, str | int) and not isinstance(raw_id, bool) else ""
        )
        text = record.get("text") if isinstance(record.get("text"), str) else ""
        title = record.get("title") if isinstance(record.get("title"), str) else ""
        snippet = " ".join(f"{title} {text}".split())[:SNIPPET_CHARS]
        rows.append((number, gold_id or None, snippet))
    return pl.DataFrame(
        rows, schema={"line_number": pl.Int64, "gold_id": pl.String, "text_snippet": pl.String}, orient="row"
    )


def first_lines(path: Path, limit: int | None) -> bytes:
    """The bytes of the first `limit` input units (all of them when `limit` is None)."""
    raw = Path(path).read_bytes()
    if limit is None:
        return raw
    return b"\n".join(split_jsonl_lines(raw)[:limit]) + b"\n"


# --- countries -------------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def country_iso3(name: str | None) -> str | None:
    """ISO 3166-1 alpha-3 of a country name ("EL SALVADOR", "Democratic Republic of Congo"), or None.

    pycountry's lookup on the title-cased name first, then the overrides above, then the closest
    pycountry name (difflib ratio >= 0.85: misspellings such as "GUATAMALA")."""
    if not name or not name.strip():
        return None
    clean = " ".join(name.replace('"', " ").split()).strip(" ?")
    if not clean:
        return None
    if clean.lower() in COUNTRY_OVERRIDES:
        return COUNTRY_OVERRIDES[clean.lower()]
    try:
        return pycountry.countries.lookup(clean.title()).alpha_3
    except LookupError:
        pass
    names = _country_names()
    close = difflib.get_close_matches(clean.lower(), list(names), n=1, cutoff=0.85)
    return names[close[0]] if close else None


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    names = {}
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value:
                names.setdefault(value.lower(), country.alpha_3)
    return names


def muc4_countries(value: str | None) -> list[str]:
    """MUC-4 `incident_country` -> ISO3 codes: "COLOMBIA / VENEZUELA" is two, "? HONDURAS" one."""
    if not value:
        return []
    found = [country_iso3(part) for part in value.split("/")]
    return sorted({code for code in found if code})


# --- ACLED format ----------------------------------------------------------------------------------


def read_acled_gold(path: Path) -> pl.DataFrame:
    """gold.csv as typed columns, file order kept (the first row of a text is its first gold row)."""
    raw = pl.read_csv(path, infer_schema_length=0)
    return raw.select(
        gold_id=pl.col("id").str.strip_chars(),
        event_date=pl.col("event_date").str.to_date(strict=False),
        time_precision=pl.col("time_precision").cast(pl.Int64, strict=False),
        event_type=pl.col("event_type"),
        sub_event_type=pl.col("sub_event_type"),
        actor1=pl.col("actor1"),
        inter1=pl.col("inter1").cast(pl.Int64, strict=False),
        actor2=pl.col("actor2"),
        inter2=pl.col("inter2").cast(pl.Int64, strict=False),
        country=pl.col("country"),
        country_iso3=pl.col("country").map_elements(country_iso3, return_dtype=pl.String),
        admin1=pl.col("admin1"),
        location=pl.col("location"),
        latitude=pl.col("latitude").cast(pl.Float64, strict=False),
        longitude=pl.col("longitude").cast(pl.Float64, strict=False),
        fatalities=pl.col("fatalities").cast(pl.Int64, strict=False),
        fatality_caveat=pl.col("fatality_caveat").str.to_lowercase().is_in(["true", "1", "yes"]),
        note_shared_by_n_rows=pl.col("note_shared_by_n_rows").cast(pl.Int64, strict=False),
    )


# --- MUC-4 format ----------------------------------------------------------------------------------


def parse_deaths_number(value: object) -> int | None:
    """A MUC-4 `deaths[].number` as a count: plain integers count ("3" -> 3), a range counts its
    lower bound ("5-10" -> 5); anything else ("PLURAL", "-", "?", null) is not a number."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if _PLAIN_INTEGER.match(text):
        return int(text)
    ranged = _RANGE.match(text)
    if ranged:
        return min(int(ranged.group(1)), int(ranged.group(2)))
    return None


def muc4_document(record: dict) -> dict:
    """One gold document -> templates, incident types, countries (ISO3) and deaths."""
    templates = record.get("templates") or []
    countries: set[str] = set()
    unmapped: list[str] = []
    numbers: list[int] = []
    entries: list[str] = []
    for template in templates:
        country = template.get("incident_country")
        codes = muc4_countries(country)
        countries |= set(codes)
        if country and not codes:
            unmapped.append(country)
        for death in template.get("deaths") or []:
            number = death.get("number")
            entries.append(str(number))
            parsed = parse_deaths_number(number)
            if parsed is not None:
                numbers.append(parsed)
    return {
        "gold_id": str(record.get("id", "")).strip() or None,
        "relevant": bool(record.get("relevant")),
        "n_templates": len(templates),
        "incident_types": [str(t.get("incident_type")) for t in templates],
        "gold_countries": sorted(countries),
        "unmapped_countries": unmapped,
        "deaths_entries": entries,
        "gold_deaths": sum(numbers) if numbers else None,
    }


MUC4_SCHEMA = {
    "gold_id": pl.String,
    "relevant": pl.Boolean,
    "n_templates": pl.Int64,
    "incident_types": pl.List(pl.String),
    "gold_countries": pl.List(pl.String),
    "unmapped_countries": pl.List(pl.String),
    "deaths_entries": pl.List(pl.String),
    "gold_deaths": pl.Int64,
}


def read_muc4_gold(path: Path) -> pl.DataFrame:
    """gold.jsonl -> one row per document (`MUC4_SCHEMA`)."""
    docs = [
        muc4_document(json.loads(line))
        for line in Path(path).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    return pl.DataFrame(docs, schema=MUC4_SCHEMA)


# --- full-news format ------------------------------------------------------------------------------

FULLNEWS_SCHEMA = {
    "gold_id": pl.String,
    "n_gold_events": pl.Int64,
    "gold_killed": pl.List(pl.String),
    "gold_injured": pl.List(pl.String),
    "gold_violent_countries": pl.List(pl.String),
    "gold_event_types": pl.List(pl.String),
}
# The full-news gold codes ACLED's violent types (as the MUC-4 metrics read them).
_VIOLENT_TYPES = ("Battles", "Explosions/Remote violence", "Violence against civilians", "Riots")


def fullnews_article(annotation: dict) -> dict:
    """One annotation -> its fact sets: the killed and injured figures stated (numbers as strings,
    null figures left out), the countries of its violent events, its event types."""
    events = annotation.get("events") or []

    def figures(field: str) -> list[str]:
        return sorted({str(int(e[field])) for e in events if isinstance(e.get(field), (int, float))})

    countries = {
        code.strip()
        for e in events
        if e.get("event_type") in _VIOLENT_TYPES
        for code in (e.get("country") or "").split(";")
        if code.strip()
    }
    return {
        "gold_id": annotation["article_id"],
        "n_gold_events": len(events),
        "gold_killed": figures("killed"),
        "gold_injured": figures("injured"),
        "gold_violent_countries": sorted(countries),
        "gold_event_types": sorted({e["event_type"] for e in events if e.get("event_type")}),
    }


def read_fullnews_gold(folder: Path) -> pl.DataFrame:
    """gold/<id>.json -> one row per article (`FULLNEWS_SCHEMA`)."""
    rows = [
        fullnews_article(json.loads(path.read_text(encoding="utf-8")))
        for path in sorted((Path(folder) / FULLNEWS_GOLD).glob("*.json"))
    ]
    return pl.DataFrame(rows, schema=FULLNEWS_SCHEMA)
