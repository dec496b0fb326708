"""The seed article end to end through the pure extraction, against its hand-made gold file."""

from __future__ import annotations

import datetime as dt
import unicodedata

import polars as pl
import pytest


def _fold(text: str | None) -> str:
    text = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def _events_with_actors(tables: dict[str, pl.DataFrame]) -> pl.DataFrame:
    links = tables["event_actors"].join(tables["actors"], on="actor_id")
    role = lambda r: links.filter(pl.col("role") == r).select(  # noqa: E731
        "event_id", pl.col("actor_name").alias(r), pl.col("country_iso3").alias(f"{r}_country")
    )
    return (
        tables["events"]
        .join(role("actor1"), on="event_id", how="left")
        .join(role("actor2"), on="event_id", how="left")
        .join(
            tables["locations"].select("location_id", "location_name", "admin1"), on="location_id", how="left"
        )
    )


def _one(frame: pl.DataFrame, **equal) -> dict:
    for column, value in equal.items():
        frame = frame.filter(pl.col(column) == value)
    assert frame.height == 1, f"expected one event with {equal}, found {frame.height}"
    return frame.row(0, named=True)


def test_pakistani_strikes_in_sistan_baluchestan(seed_tables, seed_gold):
    gold = next(e for e in seed_gold["events"] if e["key"] == "pak_strikes_iran")
    event = _one(
        _events_with_actors(seed_tables), sub_event_type=gold["sub_event_type"], actor1_country="PAK"
    )
    assert event["event_type"] == gold["event_type"]
    assert event["country_iso3"] == gold["country"]
    assert _fold(event["admin1"]) == _fold(gold["admin1"])
    assert _fold(event["location_name"]) == _fold(gold["location"])
    assert event["event_date"] == dt.date.fromisoformat(gold["date"])
    assert event["date_precision"] == gold["date_precision"]
    assert event["fatalities_best"] == gold["killed"]
    assert gold["killed_qualifier"] == "at least" and event["fatalities_high"] is None  # bound stays open
    assert event["actor2"] == gold["actor2"]
    assert gold["evidence"] in event["evidence_text"]


def test_victim_groups_and_claimant_of_the_seven_killed(seed_tables, seed_gold):
    gold = next(e for e in seed_gold["events"] if e["key"] == "pak_strikes_iran")
    event = _one(
        _events_with_actors(seed_tables), sub_event_type=gold["sub_event_type"], actor1_country="PAK"
    )
    # the claimant's title, as the gold names it (its first two words, before "of <region>")
    title = " ".join(gold["claims"][0]["by"].split()[:2])
    figures = seed_tables["casualties"].filter(
        (pl.col("event_id") == event["event_id"]) & pl.col("evidence_text").str.contains(title)
    )
    by_group = {row["victim_group"]: row["count_best"] for row in figures.iter_rows(named=True)}
    assert by_group == {v["group"]: v["killed"] for v in gold["victims"]}
    assert all(title in claimant for claimant in figures["claimed_by"])
    assert figures["qualifier"].to_list() == [gold["killed_qualifier"], None]


def test_iranian_strike_in_balochistan(seed_tables, seed_gold):
    gold = next(e for e in seed_gold["events"] if e["key"] == "iran_strike_pakistan")
    event = _one(_events_with_actors(seed_tables), actor1_country="IRN", country_iso3=gold["country"])
    assert event["sub_event_type"] == gold["sub_event_type"]
    assert _fold(event["admin1"]) == _fold(gold["admin1"])
    assert event["event_date"] == dt.date.fromisoformat(gold["date"])
    assert (event["fatalities_best"], event["injured_best"]) == (gold["killed"], gold["injured"])
    assert event["actor2"] == gold["actor2"]


def test_bombing_that_killed_over_ninety(seed_tables, seed_gold):
    gold = next(e for e in seed_gold["events"] if e["key"] == "daesh_suicide_bombing")
    event = _one(_events_with_actors(seed_tables), sub_event_type=gold["sub_event_type"])
    assert event["fatalities_best"] == gold["killed"]
    assert event["date_precision"] == gold["date_precision"]
    assert event["event_date"].strftime("%Y-%m") == gold["date"]
    # the gold adds the group's other name in brackets
    assert gold["actor1"].startswith(event["actor1"] + " (")
    figure = seed_tables["casualties"].filter(pl.col("event_id") == event["event_id"]).row(0, named=True)
    assert figure["qualifier"] == gold["killed_qualifier"]


@pytest.mark.parametrize(
    "key",
    [
        "pak_recalls_ambassador",
        "pak_cancels_meetings",
        "iran_summons_envoy",
        "china_offers_mediation",
        "iraq_recalls_ambassador",
    ],
)
def test_diplomatic_acts(seed_tables, seed_gold, key):
    gold = next(e for e in seed_gold["events"] if e["key"] == key)
    event = _one(
        _events_with_actors(seed_tables),
        sub_event_type=gold["sub_event_type"],
        actor1_country=gold["actor1_country"],
    )
    assert event["event_type"] == "Diplomatic"
    assert event["country_iso3"] == gold["country"]
    if gold["actor2_country"] and ";" not in gold["actor2_country"]:
        assert event["actor2_country"] == gold["actor2_country"]


def test_actors_have_types_and_countries(seed_tables, seed_gold):
    actors = {row["actor_name"]: row for row in seed_tables["actors"].iter_rows(named=True)}
    # the gold's states and its named armed group with a country (the one found by its name's shape);
    # Syria only appears as a place struck, so it is no actor here
    types = {"State": "State forces", "Rebel group": "Rebel group"}
    expected = {
        a["name"]: (types[a["type"]], a["country"])
        for a in seed_gold["actors"]
        if a["country"] and not a.get("note") and a["name"] != "Syria"
    }
    assert len(expected) == 5
    for name, (actor_type, country) in expected.items():
        assert (actors[name]["actor_type"], actors[name]["country_iso3"]) == (actor_type, country), name


def test_tweets_and_subheads_add_no_event(seed_tables):
    sentences = seed_tables["sentences"]
    decorative = sentences.filter(pl.col("block_kind").is_in(["embed", "subhead"]))
    assert decorative.height == 7  # two tweets (text + attribution line each) and three subheads
    used = seed_tables["events"].join(sentences, on=["article_id", "sentence_index"])
    assert used.filter(pl.col("block_kind").is_in(["embed", "subhead"])).is_empty()
    # The tweet repeats the Pakistani strikes; they stay one event.
    assert seed_tables["events"].filter(pl.col("sub_event_type") == "Air/drone strike").height == 3


def test_evidence_spans_point_into_the_article(seed_tables, seed_articles):
    text = seed_articles["text"][0]
    for row in seed_tables["events"].iter_rows(named=True):
        assert text[row["char_start"] : row["char_end"]] == row["evidence_text"]
    for row in seed_tables["casualties"].iter_rows(named=True):
        assert text[row["char_start"] : row["char_end"]] in row["evidence_text"]


def test_actor_mentions_point_into_the_article(seed_tables, seed_articles):
    text = seed_articles["text"][0]
    for row in seed_tables["event_actors"].iter_rows(named=True):
        assert text[row["char_start"] : row["char_end"]].replace("\n", " ") == row["mention_text"]


def test_an_events_place_lies_in_its_country(seed_tables):
    placed = seed_tables["events"].join(
        seed_tables["locations"].select("location_id", pl.col("country_iso3").alias("place_country")),
        on="location_id",
    )
    assert placed.height >= 6
    assert (placed["place_country"] == placed["country_iso3"]).all()
