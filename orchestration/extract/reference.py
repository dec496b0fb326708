"""Reference tables shipped under seeds/reference/ (event ontology, trigger lexicon, armed groups).

They are the extraction's knowledge, kept as data. Each file is validated when it is first read:
a bad entry raises `RuleDataError` naming the file and line (a regex that does not compile, a type
outside the ontology, an actor type ACLED does not have, an unknown country code), never a silent
miss at match time. The validation records (`rules/validation_records.yaml`) prove the entries work.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import polars as pl
import pycountry

from orchestration.extract.schemas import ACTOR_TYPES

REFERENCE_DIR = Path(__file__).resolve().parents[2] / "seeds" / "reference"
# Not beside the CSVs: dbt reads seeds/reference/ as its seed folder and would parse a YAML file there.
RULES_DIR = Path(__file__).resolve().parents[2] / "rules"
TRIGGER_KINDS = ("specific", "generic")

# name -> the columns its header must have, in order
COLUMNS = {
    "event_types": ("event_type", "sub_event_type", "disorder_type", "is_violent", "description"),
    "event_triggers": ("pattern", "event_type", "sub_event_type", "kind"),
    "armed_groups": ("actor_name", "aliases", "actor_type", "country_iso3"),
}


class RuleDataError(ValueError):
    """A reference file entry that cannot be used; the message starts with `file:line:`."""


def _rows(name: str, directory: Path) -> list[tuple[int, dict[str, str]]]:
    """The file's rows with the line each starts on, after checking the header."""
    path = directory / f"{name}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = tuple(next(reader, ()))
        if header != COLUMNS[name]:
            raise RuleDataError(f"{path}:1: header must be {','.join(COLUMNS[name])}, got {','.join(header)}")
        rows, line = [], reader.line_num + 1
        for values in reader:
            if len(values) != len(header):
                raise RuleDataError(f"{path}:{line}: expected {len(header)} fields, got {len(values)}")
            rows.append((line, dict(zip(header, values))))
            line = reader.line_num + 1
    return rows


def _check(rows: list[tuple[int, dict[str, str]]], path: Path, test: Callable[[dict], str | None]) -> None:
    for line, row in rows:
        problem = test(row)
        if problem:
            raise RuleDataError(f"{path}:{line}: {problem}")


def _regex_error(pattern: str) -> str | None:
    """Why polars' regex engine (the one extraction uses) rejects `pattern`, or None."""
    try:
        pl.Series([""]).str.contains(f"(?i)(?:{pattern})")
    except pl.exceptions.ComputeError as error:
        return str(error).splitlines()[0]
    return None


def _validate(name: str, rows: list[tuple[int, dict[str, str]]], directory: Path) -> None:
    path = directory / f"{name}.csv"
    if name == "event_types":
        seen: set[tuple[str, str]] = set()

        def event_type(row: dict) -> str | None:
            key = (row["event_type"], row["sub_event_type"])
            if not all(key):
                return "event_type and sub_event_type are required"
            if key in seen:
                return f"{key[0]} / {key[1]} is listed twice"
            seen.add(key)
            return None if row["is_violent"] in ("true", "false") else "is_violent must be true or false"

        _check(rows, path, event_type)
    elif name == "event_triggers":
        ontology = {(r["event_type"], r["sub_event_type"]) for _, r in _rows("event_types", directory)}

        def trigger(row: dict) -> str | None:
            if not row["pattern"]:
                return "empty pattern"
            if (error := _regex_error(row["pattern"])) is not None:
                return f"pattern does not compile: {error}"
            if row["kind"] not in TRIGGER_KINDS:
                return f"kind must be one of {', '.join(TRIGGER_KINDS)}, got {row['kind']!r}"
            typed = (row["event_type"], row["sub_event_type"])
            if any(typed) and typed not in ontology:
                return f"{typed[0]} / {typed[1]} is not in event_types.csv"
            if not any(typed) and row["kind"] != "generic":
                return "an untyped trigger must be generic (its type comes from the context)"
            return None

        _check(rows, path, trigger)
    elif name == "armed_groups":

        def group(row: dict) -> str | None:
            if not row["actor_name"] or not row["aliases"].strip("|"):
                return "actor_name and at least one alias are required"
            if row["actor_type"] not in ACTOR_TYPES:
                return (
                    f"actor_type must be one of ACLED's {len(ACTOR_TYPES)} types, got {row['actor_type']!r}"
                )
            code = row["country_iso3"]
            if code and pycountry.countries.get(alpha_3=code) is None:
                return f"country_iso3 {code!r} is not an ISO 3166 alpha-3 code"
            return None

        _check(rows, path, group)


def load(name: str, directory: Path = REFERENCE_DIR) -> pl.DataFrame:
    """Read and validate one reference file (all columns as strings, in file order; an empty field
    is null, as polars' CSV reader gives it)."""
    rows = _rows(name, directory)
    _validate(name, rows, directory)
    return pl.DataFrame(
        [{column: value or None for column, value in row.items()} for _, row in rows],
        schema=dict.fromkeys(COLUMNS[name], pl.String),
    )


@lru_cache(maxsize=None)
def read(name: str) -> pl.DataFrame:
    return load(name)


def event_types() -> pl.DataFrame:
    return read("event_types")


def event_triggers() -> pl.DataFrame:
    return read("event_triggers")


def armed_groups() -> pl.DataFrame:
    return read("armed_groups")


# --- validation records ----------------------------------------------------------------------------

VALIDATION_RECORDS = "validation_records.yaml"
RECORD_KEYS = {"id", "text", "published", "events", "gap"}
EVENT_FACTS = {
    "type",
    "sub_type",
    "actor1",
    "actor1_type",
    "actor2",
    "actor2_type",
    "country",
    "killed",
    "injured",
    "date",
}


def validation_records(directory: Path = RULES_DIR, reference_dir: Path = REFERENCE_DIR) -> list[dict]:
    """The validation records, checked: unique ids, known keys, facts within the ontology and
    ACLED's actor types. An error names the file and the record."""
    import yaml  # PyYAML comes with Dagster and dbt; only the records need it

    path = directory / VALIDATION_RECORDS
    records = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    ontology = {(r["event_type"], r["sub_event_type"]) for r in load("event_types", reference_dir).to_dicts()}
    types = {event_type for event_type, _ in ontology}
    seen: set[str] = set()
    for number, record in enumerate(records, 1):
        where = f"{path}: record {number} ({record.get('id', 'no id')})"
        if not isinstance(record, dict) or not {"id", "text", "events"} <= record.keys():
            raise RuleDataError(f"{where}: id, text and events are required")
        if unknown := record.keys() - RECORD_KEYS:
            raise RuleDataError(f"{where}: unknown keys {sorted(unknown)}")
        if record["id"] in seen:
            raise RuleDataError(f"{where}: id used twice")
        seen.add(record["id"])
        for event in record["events"]:
            if unknown := event.keys() - EVENT_FACTS:
                raise RuleDataError(f"{where}: unknown facts {sorted(unknown)}")
            if event.get("type") not in types:
                raise RuleDataError(f"{where}: event type {event.get('type')!r} is not in event_types.csv")
            if "sub_type" in event and (event["type"], event["sub_type"]) not in ontology:
                raise RuleDataError(
                    f"{where}: {event['type']} / {event['sub_type']} is not in event_types.csv"
                )
            for role in ("actor1_type", "actor2_type"):
                if event.get(role) is not None and event[role] not in ACTOR_TYPES:
                    raise RuleDataError(f"{where}: {role} {event[role]!r} is not an ACLED actor type")
    return records
