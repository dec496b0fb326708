"""The GX suites on extracted frames: a clean frame passes, each extraction defect fails on the rule
written for it (and on nothing else), and an empty corpus passes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import socket

import polars as pl
import pytest

from expectations import BLOCKING, SUITES, combine, validate
from expectations.events import read_ontology
from orchestration.extract import schemas

CHECKED_TABLES = {"articles", "events", "actors", "event_actors", "casualties", "locations"}

TITLE = "Air strike on Kutum market kills at least 12"
# The em dash is one character but three UTF-8 bytes: every span after it tells characters from
# bytes.
SENTENCE_STRIKE = (
    "At least 12 people were killed and 30 injured when an air strike hit a market in Kutum, "
    "North Darfur, on Tuesday — the third such attack this month, local officials said."
)
SENTENCE_DENIAL = "The Sudanese Armed Forces denied carrying out the strike."
SENTENCE_MARCH = "Hundreds have since marched peacefully in Khartoum to protest the strike."
TEXT = f"{SENTENCE_STRIKE} {SENTENCE_DENIAL} {SENTENCE_MARCH}"


def hex_id(*parts: str) -> str:
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def span(fragment: str) -> dict[str, int]:
    start = TEXT.index(fragment)
    return {"char_start": start, "char_end": start + len(fragment)}


# As the reader names a JSONL line without an id of its own: file stem and line number.
ARTICLE_ID = "2024-05-L1"
STRIKE_ID = hex_id(ARTICLE_ID, "0", "Air/drone strike")
MARCH_ID = hex_id(ARTICLE_ID, "2", "Peaceful protest")
ARMY_ID = hex_id("Sudanese Armed Forces")
CIVILIANS_ID = hex_id("Civilians (Sudan)")
MARCHERS_ID = hex_id("Protesters (Sudan)")
KUTUM_ID = hex_id("Kutum", "SDN")

VALID: dict[str, list[dict]] = {
    "articles": [
        {
            "article_id": ARTICLE_ID,
            "source_file": "seeds/articles/2024-05.jsonl",
            "line_number": 1,
            "title": TITLE,
            "text": TEXT,
            "published_date": dt.date(2024, 5, 15),
            "published_date_basis": "metadata",
            "source": "Example Wire",
            "url": "https://example.org/2024/05/kutum-market-strike",
            "content_hash": hashlib.sha256(TEXT.encode()).hexdigest(),
            "n_chars": len(TEXT),
        }
    ],
    "events": [
        {
            "event_id": STRIKE_ID,
            "article_id": ARTICLE_ID,
            "sentence_index": 0,
            "event_type": "Explosions/Remote violence",
            "sub_event_type": "Air/drone strike",
            "trigger_text": "air strike",
            "event_date": dt.date(2024, 5, 14),
            "date_precision": "day",
            "date_text": "on Tuesday",
            "location_id": KUTUM_ID,
            "country_iso3": "SDN",
            # "At least 12": a floor and a best guess, no ceiling.
            "fatalities_low": 12,
            "fatalities_best": 12,
            "fatalities_high": None,
            "injured_best": 30,
            "n_mentions": 2,
            "evidence_text": SENTENCE_STRIKE,
            **span(SENTENCE_STRIKE),
        },
        {
            # No date in the sentence: undated events are legal, as long as they say so.
            "event_id": MARCH_ID,
            "article_id": ARTICLE_ID,
            "sentence_index": 2,
            "event_type": "Protests",
            "sub_event_type": "Peaceful protest",
            "trigger_text": "marched",
            "event_date": None,
            "date_precision": "unknown",
            "date_text": None,
            "location_id": None,
            "country_iso3": None,
            "fatalities_low": None,
            "fatalities_best": 0,
            "fatalities_high": None,
            "injured_best": None,
            "n_mentions": 1,
            "evidence_text": SENTENCE_MARCH,
            **span(SENTENCE_MARCH),
        },
    ],
    "casualties": [
        {
            "casualty_id": hex_id(STRIKE_ID, "killed"),
            "event_id": STRIKE_ID,
            "article_id": ARTICLE_ID,
            "sentence_index": 0,
            "outcome": "killed",
            "victim_group": "people",
            "count_low": 12,
            "count_best": 12,
            "count_high": None,
            "qualifier": "at least",
            "claimed_by": "local officials",
            "evidence_text": "At least 12 people were killed",
            **span("At least 12 people were killed"),
        },
        {
            "casualty_id": hex_id(STRIKE_ID, "injured"),
            "event_id": STRIKE_ID,
            "article_id": ARTICLE_ID,
            "sentence_index": 0,
            "outcome": "injured",
            "victim_group": None,
            "count_low": 30,
            "count_best": 30,
            "count_high": 30,
            "qualifier": None,
            "claimed_by": "local officials",
            "evidence_text": "30 injured",
            **span("30 injured"),
        },
    ],
    "actors": [
        {
            "actor_id": ARMY_ID,
            "actor_name": "Sudanese Armed Forces",
            "actor_type": "State forces",
            "country_iso3": "SDN",
        },
        {
            "actor_id": CIVILIANS_ID,
            "actor_name": "Civilians (Sudan)",
            "actor_type": "Civilians",
            "country_iso3": "SDN",
        },
        {
            "actor_id": MARCHERS_ID,
            "actor_name": "Protesters (Sudan)",
            "actor_type": "Protesters",
            "country_iso3": None,
        },
    ],
    "event_actors": [
        {
            "event_id": STRIKE_ID,
            "actor_id": ARMY_ID,
            "role": "actor1",
            "mention_text": "Sudanese Armed Forces",
            **span("Sudanese Armed Forces"),
        },
        {
            # The market's victims are implied, never named: no mention, no span.
            "event_id": STRIKE_ID,
            "actor_id": CIVILIANS_ID,
            "role": "actor2",
            "mention_text": None,
            "char_start": None,
            "char_end": None,
        },
        {
            "event_id": MARCH_ID,
            "actor_id": MARCHERS_ID,
            "role": "actor1",
            "mention_text": "Hundreds",
            **span("Hundreds"),
        },
    ],
    "locations": [
        {
            "location_id": KUTUM_ID,
            "location_name": "Kutum",
            "location_type": "place",
            "admin1": "North Darfur",
            "country_iso3": "SDN",
            "latitude": 14.2,
            "longitude": 24.67,
            "geo_precision": "place",
        },
        {
            # A country needs no coordinates.
            "location_id": hex_id("Sudan"),
            "location_name": "Sudan",
            "location_type": "country",
            "admin1": None,
            "country_iso3": "SDN",
            "latitude": None,
            "longitude": None,
            "geo_precision": "country",
        },
    ],
}

BETWEEN = "expect_column_values_to_be_between"
NOT_NULL = "expect_column_values_to_not_be_null"
LENGTHS = "expect_column_value_lengths_to_be_between"
REGEX = "expect_column_values_to_match_regex"
A_GT_B = "expect_column_pair_values_a_to_be_greater_than_b"
PAIR_IN_SET = "expect_column_pair_values_to_be_in_set"
NO_ROWS = "expect_table_row_count_to_equal"
COLUMNS = "expect_table_columns_to_match_ordered_list"

# table -> (defect, row = first valid row with these values, the failures it must cause)
DEFECTS: dict[str, list[tuple[str, dict, set[tuple[str, tuple[str, ...]]]]]] = {
    "events": [
        (
            "'between 5 and 8 killed' with a best guess above the ceiling",
            {"fatalities_low": 5, "fatalities_best": 12, "fatalities_high": 8},
            {(A_GT_B, ("fatalities_high", "fatalities_best"))},
        ),
        (
            "an air strike filed under protests",
            {"event_type": "Protests"},
            {(PAIR_IN_SET, ("event_type", "sub_event_type"))},
        ),
        (
            "a peaceful protest carrying the strike's death toll",
            {"event_type": "Protests", "sub_event_type": "Peaceful protest"},
            {(BETWEEN, ("fatalities_best",))},
        ),
        (
            "evidence end counted in UTF-8 bytes (the em dash is 3 bytes)",
            {"char_end": TEXT.index(SENTENCE_STRIKE) + len(SENTENCE_STRIKE.encode())},
            {(NO_ROWS, ())},
        ),
        (
            "a country name where the ISO code belongs",
            {"country_iso3": "Sudan"},
            {(REGEX, ("country_iso3",))},
        ),
        (
            "'Tuesday' resolved to a two-digit year",
            {"event_date": dt.date(24, 5, 14)},
            {(BETWEEN, ("event_date",))},
        ),
        (
            "precision 'day' on an event whose date was dropped",
            {"event_date": None},
            {(NOT_NULL, ("event_date",))},
        ),
        ("a negative injury count", {"injured_best": -30}, {(BETWEEN, ("injured_best",))}),
        ("evidence lost on the way", {"evidence_text": None}, {(NOT_NULL, ("evidence_text",))}),
    ],
    "casualties": [
        (
            "'10 to 20 killed' with a best guess below the floor",
            {"count_low": 10, "count_best": 5, "count_high": 20},
            {(A_GT_B, ("count_best", "count_low"))},
        ),
        (
            "'between 20 and 10' copied without ordering, no best guess",
            {"count_low": 20, "count_best": None, "count_high": 10},
            {(A_GT_B, ("count_high", "count_low"))},
        ),
        (
            "'a dozen' parsed as a negative number",
            {"count_low": None, "count_best": -12, "count_high": None},
            {(BETWEEN, ("count_best",))},
        ),
        ("an empty qualifier instead of none", {"qualifier": ""}, {(LENGTHS, ("qualifier",))}),
        (
            "a span starting before the text",
            {"char_start": -1, "char_end": -1 + len("At least 12 people were killed")},
            {(BETWEEN, ("char_start",))},
        ),
        ("a span without its end", {"char_end": None}, {(NOT_NULL, ("char_end",))}),
    ],
    "actors": [
        ("a hand-made id", {"actor_id": "SAF-1"}, {(REGEX, ("actor_id",))}),
        ("an empty name", {"actor_name": ""}, {(LENGTHS, ("actor_name",))}),
        ("a lower-case country code", {"country_iso3": "sdn"}, {(REGEX, ("country_iso3",))}),
    ],
    "event_actors": [
        (
            "a quoted mention that was never located",
            {"char_start": None, "char_end": None},
            {(NOT_NULL, ("char_start",)), (NOT_NULL, ("char_end",))},
        ),
        (
            "start and end swapped",
            {"char_start": span("Sudanese Armed Forces")["char_end"], "char_end": TEXT.index("Sudanese")},
            {(A_GT_B, ("char_end", "char_start")), (NO_ROWS, ())},
        ),
    ],
    "locations": [
        ("latitude and longitude swapped", {"latitude": 95.0}, {(BETWEEN, ("latitude",))}),
        ("a longitude past the antimeridian", {"longitude": -190.0}, {(BETWEEN, ("longitude",))}),
        ("half a coordinate", {"longitude": None}, {(NOT_NULL, ("longitude",))}),
        (
            "a country without its code",
            {"location_type": "country", "country_iso3": None},
            {(NOT_NULL, ("country_iso3",))},
        ),
    ],
    "articles": [
        (
            "n_chars counted in UTF-8 bytes",
            {"n_chars": len(TEXT.encode())},
            {(NO_ROWS, ())},
        ),
        (
            "a blank line loaded as an article",
            {"text": "", "n_chars": 0},
            {(LENGTHS, ("text",)), (BETWEEN, ("n_chars",))},
        ),
        (
            "a dateline year misread",
            {"published_date": dt.date(2924, 5, 15)},
            {(BETWEEN, ("published_date",))},
        ),
        ("a url without its scheme", {"url": "example.org/2024/05/kutum"}, {(REGEX, ("url",))}),
        ("a hash in upper case", {"content_hash": "ABC123"}, {(REGEX, ("content_hash",))}),
        (
            "a source id with spaces, unsanitised",
            {"article_id": "kutum strike 1"},
            {(REGEX, ("article_id",))},
        ),
        (
            "a metadata date that was lost",
            {"published_date": None, "published_date_basis": "metadata"},
            {(NOT_NULL, ("published_date",))},
        ),
        ("line numbers counted from 0", {"line_number": 0}, {(BETWEEN, ("line_number",))}),
    ],
}


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch):
    """Validation (context creation included) must not reach the network: no analytics, no
    version check."""
    attempts: list[object] = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network access during validation")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    yield
    assert attempts == []


def frame(table: str, rows: list[dict]) -> pl.DataFrame:
    return schemas.conform(pl.from_dicts(rows, infer_schema_length=None), table)


def failures(outcome) -> set[tuple[str, tuple[str, ...]]]:
    return {(failure["expectation_type"], tuple(failure["columns"])) for failure in outcome.failed}


def test_registry_checks_the_extracted_content_tables_and_all_of_them_block():
    assert set(SUITES) == CHECKED_TABLES
    assert CHECKED_TABLES <= set(schemas.TABLES)
    assert BLOCKING == CHECKED_TABLES
    assert {table: SUITES[table]().name for table in SUITES} == {
        table: f"extracted_{table}" for table in CHECKED_TABLES
    }


def test_ontology_pairs_do_not_depend_on_commas_in_descriptions():
    pairs, non_violent = read_ontology()
    # This row's description ("Long-range artillery, mortars, rockets ...") has commas.
    assert ("Explosions/Remote violence", "Shelling/artillery/missile attack") in pairs
    assert ("Explosions/Remote violence", "Air/drone strike") in pairs
    assert "Peaceful protest" in non_violent
    assert "Air/drone strike" not in non_violent


@pytest.mark.parametrize("table", sorted(CHECKED_TABLES))
def test_clean_frame_passes(table):
    outcome = validate(table, frame(table, VALID[table]))
    assert outcome.failed == []
    assert outcome.success
    assert outcome.evaluated == len(SUITES[table]().expectations)


@pytest.mark.parametrize("table", sorted(CHECKED_TABLES))
def test_empty_corpus_passes(table):
    outcome = validate(table, schemas.empty(table))
    assert outcome.success, outcome.failed
    assert outcome.statistics["rows"] == 0


@pytest.mark.parametrize("table", sorted(DEFECTS))
def test_each_defect_fails_on_its_own_rule(table):
    """One frame per table: the clean rows plus one row per defect, so a suite runs once."""
    rows = list(VALID[table])
    expected: set[tuple[str, tuple[str, ...]]] = set()
    for _defect, values, fails_on in DEFECTS[table]:
        rows.append({**VALID[table][0], **values})
        expected |= fails_on

    outcome = validate(table, frame(table, rows))

    assert not outcome.success
    assert failures(outcome) == expected
    # The null-share rule on event_date would hide under the same key as the conditional one.
    assert all(
        "row_condition" in f["kwargs"]
        for f in outcome.failed
        if (f["expectation_type"], f["column"]) == (NOT_NULL, "event_date")
    )
    # Span and length rules count the offending rows.
    for failure in outcome.failed:
        if failure["expectation_type"] == NO_ROWS:
            assert failure["observed_value"] == 1
            assert "characters" in failure["notes"]
    assert json.loads(json.dumps(dataclasses.asdict(outcome)))["failed"]


def test_renamed_column_fails_the_contract_column_list():
    renamed = frame("events", VALID["events"]).rename({"injured_best": "injuries_best"})
    outcome = validate("events", renamed)
    (column_list,) = [f for f in outcome.failed if f["expectation_type"] == COLUMNS]
    assert "injuries_best" in column_list["observed_value"]
    # The rules on the vanished column cannot run; they fail with the reason, not silently.
    others = [f for f in outcome.failed if f["expectation_type"] != COLUMNS]
    assert [f["columns"] for f in others] == [["injured_best"]]
    assert others[0]["exception"]


def test_unknown_table_is_an_error():
    with pytest.raises(KeyError, match="sentences"):
        validate("sentences", schemas.empty("sentences"))


def test_chunks_combine_into_one_outcome_with_summed_counts():
    """A table validated in chunks fails if any chunk fails; a failure found in two chunks is listed
    once with its unexpected rows added up, and clean chunks do not hide it."""
    table = next(iter(sorted(DEFECTS)))
    _defect, values, fails_on = DEFECTS[table][0]
    broken = frame(table, [*VALID[table], {**VALID[table][0], **values}])
    clean = frame(table, VALID[table])
    alone = validate(table, broken)

    combined = combine([validate(table, clean), validate(table, broken), validate(table, broken)])

    assert not combined.success
    assert failures(combined) == failures(alone) == fails_on
    assert combined.statistics["rows"] == clean.height + 2 * broken.height
    assert combined.statistics["chunks"] == 3
    for once, twice in zip(alone.failed, combined.failed, strict=True):
        if "unexpected_count" in once:
            assert twice["unexpected_count"] == 2 * once["unexpected_count"]
    assert combine([validate(table, clean), validate(table, clean)]).success
