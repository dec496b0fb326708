"""Cross-article linking (orchestration/link/) on small invented frames: which reports become one
incident, which never can, the one-report-per-article rule, stable incident ids; and the linking
scorer (orchestration/evaluation/linking.py) on a tiny invented gold file."""

from __future__ import annotations

import datetime as dt
import json

import polars as pl
import pytest

from orchestration.evaluation import linking as scoring
from orchestration.extract import reference
from orchestration.link import LinkSettings, link
from orchestration.link.model import incidents, kept_links
from orchestration.link.reports import reports

# Fictional places with coordinates (Veldoria is not a country; its ISO3 code is invented too).
PLACES = {
    "loc-brask": ("Brask", "place", "North March", "VLD", 10.00, 20.00),
    "loc-brask-east": ("Brask East", "place", "North March", "VLD", 10.01, 20.02),
    "loc-north": ("North March", "admin1", "North March", "VLD", 10.5, 20.5),
    "loc-veld": ("Veldoria", "country", None, "VLD", 11.0, 21.0),
    "loc-tarn": ("Tarn", "place", "South March", "VLD", 14.00, 24.00),
    "loc-other": ("Osk", "place", "Osk Region", "OSK", 30.0, 40.0),
}


def _event(
    event_id, article_id, day, place, killed=None, sub="Air/drone strike", trigger="air strike", evidence=""
):
    return {
        "event_id": event_id,
        "article_id": article_id,
        "event_type": "Explosions/Remote violence" if sub == "Air/drone strike" else "Protests",
        "sub_event_type": sub,
        "trigger_text": trigger,
        "event_date": dt.date(2031, 3, day) if day else None,
        "date_precision": "day" if day else "unknown",
        "location_id": place,
        "country_iso3": PLACES[place][3] if place else None,
        "fatalities_best": killed,
        "injured_best": None,
        "evidence_text": evidence,
    }


def _tables(events: list[dict], published: dict[str, int], actors: dict[str, list[str]] | None = None):
    actors = actors or {}
    locations = pl.DataFrame(
        [
            {
                "location_id": k,
                "location_name": v[0],
                "location_type": v[1],
                "admin1": v[2],
                "country_iso3": v[3],
                "latitude": v[4],
                "longitude": v[5],
            }
            for k, v in PLACES.items()
        ]
    )
    event_actors = pl.DataFrame(
        [{"event_id": e, "actor_id": f"a-{name}"} for e, names in actors.items() for name in names],
        schema={"event_id": pl.String, "actor_id": pl.String},
    )
    actor_rows = pl.DataFrame(
        [{"actor_id": f"a-{n}", "actor_name": n} for n in sorted({n for v in actors.values() for n in v})],
        schema={"actor_id": pl.String, "actor_name": pl.String},
    )
    articles = pl.DataFrame(
        {"article_id": list(published), "published_date": [dt.date(2031, 3, d) for d in published.values()]}
    )
    frame = pl.DataFrame(
        events,
        schema_overrides={"fatalities_best": pl.Int64, "injured_best": pl.Int64, "event_date": pl.Date},
    )
    return (
        frame.lazy(),
        locations.lazy(),
        event_actors.lazy(),
        actor_rows.lazy(),
        articles.lazy(),
        reference.event_types().lazy(),
    )


STRIKE = "jets of the Veldorian air force bombed the Brask granary depot"


def _incident_of(links: pl.DataFrame) -> dict[str, str]:
    return dict(zip(links["event_id"], links["incident_id"], strict=True))


def test_two_articles_on_the_same_strike_are_one_incident_and_other_events_are_not():
    events = [
        _event("e1", "art-a", 4, "loc-brask", 7, evidence=f"On Monday {STRIKE}, killing seven."),
        _event("e2", "art-b", 4, "loc-brask-east", 9, evidence=f"Nine died when {STRIKE} on Monday."),
        # same article as e1, same day and place: a distinct event extraction kept apart
        _event(
            "e3",
            "art-a",
            4,
            "loc-brask",
            None,
            "Peaceful protest",
            "protested",
            "Farmers protested in Brask.",
        ),
        # another country, same day
        _event("e4", "art-c", 4, "loc-other", 7, evidence="Jets bombed a depot in Osk."),
        # same country, three weeks later
        _event("e5", "art-d", 25, "loc-tarn", 2, evidence="A drone hit a truck near Tarn."),
    ]
    links, pairs, summary = link(
        *_tables(
            events,
            {"art-a": 5, "art-b": 6, "art-c": 5, "art-d": 26},
            {"e1": ["Veldoria"], "e2": ["Veldoria"], "e5": ["Veldoria"]},
        )
    )
    incident = _incident_of(links)
    assert incident["e1"] == incident["e2"]
    assert len({incident[e] for e in ("e1", "e3", "e4", "e5")}) == 4
    # only e1-e2 share country, type family and a date window in different articles
    assert pairs.select("event_id_l", "event_id_r").rows() == [("e1", "e2")]
    assert pairs["is_kept"].to_list() == [True]
    # levels count up from 0 (else): 1 = a later report with a higher toll, compatible
    assert pairs["gamma_killed"].item() == 1
    assert summary["candidate_pairs"] == 1 and summary["trained"] is False
    assert links["incident_id"].str.len_chars().unique().to_list() == [16]


def test_reports_outside_the_date_window_are_never_compared():
    events = [
        _event("e1", "art-a", 4, "loc-brask", 7, evidence=STRIKE),
        _event("e2", "art-b", 4 + LinkSettings().window_days + 1, "loc-brask", 7, evidence=STRIKE),
    ]
    links, pairs, _ = link(*_tables(events, {"art-a": 5, "art-b": 10}))
    assert pairs.height == 0
    assert links["incident_id"].n_unique() == 2


def test_events_without_a_day_are_their_own_incidents():
    events = [_event("e1", "art-a", None, "loc-brask", 7), _event("e2", "art-b", None, "loc-brask", 7)]
    frame = reports(*_tables(events, {"art-a": 5, "art-b": 5}))
    assert frame["linkable"].to_list() == [False, False]
    links, _, _ = link(*_tables(events, {"art-a": 5, "art-b": 5}))
    assert links["incident_id"].n_unique() == 2


def test_report_columns_days_coordinates_and_rare_words():
    events = [
        _event("e1", "art-a", 4, "loc-brask", evidence="The granary at Brask burned"),
        _event("e2", "art-b", 4, "loc-veld", evidence="The granary burned"),
        _event("e3", "art-c", 4, "loc-tarn", evidence="The market burned"),
    ]
    frame = reports(*_tables(events, {"art-a": 5, "art-b": 5, "art-c": 6}))
    rows = {r["unique_id"]: r for r in frame.iter_rows(named=True)}
    assert rows["e1"]["event_day"] == (dt.date(2031, 3, 4) - dt.date(1970, 1, 1)).days
    assert rows["e3"]["published_day"] - rows["e1"]["published_day"] == 1
    # a country's centre is no place: only place-level locations keep coordinates
    assert rows["e1"]["latitude"] == 10.0 and rows["e2"]["latitude"] is None
    assert rows["e1"]["family"] == "Political violence"
    # words in every evidence sentence are not rare; short words are dropped
    assert "burned" not in (rows["e1"]["keywords"] or [])
    assert "granary" in rows["e1"]["keywords"] and "brask" in rows["e1"]["keywords"]


def _reports_frame(articles: dict[str, str], days: dict[str, int]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "unique_id": list(articles),
            "article_id": list(articles.values()),
            "published_day": [days[e] for e in articles],
        }
    )


def test_a_report_links_to_at_most_one_report_of_another_article():
    frame = _reports_frame({"a1": "A", "b1": "B", "b2": "B", "c1": "C"}, {"a1": 1, "b1": 2, "b2": 2, "c1": 3})
    pairs = pl.DataFrame(
        {
            "event_id_l": ["a1", "a1", "b2"],
            "event_id_r": ["b1", "b2", "c1"],
            "match_probability": [0.99, 0.95, 0.97],
        }
    )
    kept = kept_links(pairs, frame, 0.9)
    assert kept.select("event_id_l", "event_id_r").rows() == [("a1", "b1"), ("b2", "c1")]
    assigned = dict(incidents(frame, pairs, 0.9).iter_rows())
    assert assigned["a1"] == assigned["b1"] and assigned["b2"] == assigned["c1"]
    assert assigned["a1"] != assigned["b2"]  # b1 and b2 (one article) stay apart


def test_incident_id_is_that_of_the_earliest_report_and_survives_a_later_one():
    frame = _reports_frame({"x1": "X", "y1": "Y"}, {"x1": 10, "y1": 12})
    pairs = pl.DataFrame({"event_id_l": ["x1"], "event_id_r": ["y1"], "match_probability": [0.99]})
    before = dict(incidents(frame, pairs, 0.9).iter_rows())
    later = pl.concat([frame, _reports_frame({"z1": "Z"}, {"z1": 15})])
    more = pl.concat(
        [pairs, pl.DataFrame({"event_id_l": ["y1"], "event_id_r": ["z1"], "match_probability": [0.99]})]
    )
    after = dict(incidents(later, more, 0.9).iter_rows())
    assert before["x1"] == before["y1"] == after["x1"] == after["z1"]
    assert incidents(frame, pairs, 0.999)["incident_id"].n_unique() == 2


# --- the scorer --------------------------------------------------------------------------------


@pytest.fixture
def gold_file(tmp_path):
    def member(article):
        return {"article_id": article, "template_id": "1"}

    clusters = [
        {
            "cluster_id": "c1",
            "members": [member("A"), member("B"), member("C")],
            "possible_members": [member("P")],
        },
        {"cluster_id": "c2", "members": [member("D"), member("E")], "possible_members": []},
        {"cluster_id": "c3", "members": [member("F")], "possible_members": []},
    ]
    path = tmp_path / "links.jsonl"
    path.write_text("\n".join(json.dumps(c) for c in clusters) + "\n", encoding="utf-8")
    return path


def test_pairwise_scores_ignore_possible_members_and_drop_the_largest_cluster(gold_file):
    gold = scoring.read_gold_links(gold_file)
    assert len(gold.positive) == 4 and gold.largest == {("A", "B"), ("A", "C"), ("B", "C")}
    predicted = scoring.predicted_pairs(
        pl.DataFrame(
            {"gold_id": ["A", "B", "P", "D", "F", "Z"], "incident_id": ["i1", "i1", "i1", "i2", "i2", "i2"]}
        ),
        gold.articles,
    )
    # P (possible member) and Z (not in the gold) count neither way
    assert predicted == {("A", "B"), ("D", "F")}
    result = scoring.score(gold, predicted)
    assert result["pairwise"] == pytest.approx(
        {"precision": 0.5, "recall": 0.25, "f1": 1 / 3, "tp": 1, "fp": 1, "fn": 3}
    )
    assert result["pairwise_without_largest"]["tp"] == 0 and result["pairwise_without_largest"]["fn"] == 1
    # B-cubed over A..F: A {A,B} of {A,B,C}, B same, C alone, D {D,F}, E alone, F {D,F}
    precision = (1 + 1 + 1 + 0.5 + 1 + 0.5) / 6
    recall = (2 / 3 + 2 / 3 + 1 / 3 + 1 / 2 + 1 / 2 + 1) / 6
    assert result["bcubed"]["precision"] == pytest.approx(precision)
    assert result["bcubed"]["recall"] == pytest.approx(recall)


def test_halves_split_by_a_stable_hash_and_threshold_choice_prefers_fewer_merges():
    assert scoring.half_of("DEV-MUC3-0001") == scoring.half_of("DEV-MUC3-0001")
    assert {scoring.half_of(f"doc-{i}") for i in range(20)} == {"tuning", "check"}
    scores = {0.5: {"pairwise": {"f1": 0.7}}, 0.9: {"pairwise": {"f1": 0.7}}, 0.99: {"pairwise": {"f1": 0.4}}}
    assert scoring.choose_threshold(scores) == 0.9


def test_training_on_too_few_pairs_still_gives_every_report_an_incident():
    events = [
        _event("e1", "art-a", 4, "loc-brask", 7, evidence=f"On Monday {STRIKE}, killing seven."),
        _event("e2", "art-b", 4, "loc-brask-east", 9, evidence=f"Nine died when {STRIKE} on Monday."),
        _event("e3", "art-c", 4, "loc-other", 7, evidence="Jets bombed a depot in Osk."),
    ]
    tables = _tables(events, {"art-a": 5, "art-b": 6, "art-c": 5})
    links, pairs, summary = link(*tables, settings=LinkSettings(min_training_pairs=1))
    # EM ran (or said why not) on one pair; the output keeps its contract either way
    assert len(summary["em_sessions"]) == 2
    assert links.height == 3 and links["incident_id"].null_count() == 0
    assert pairs.columns[:4] == ["event_id_l", "event_id_r", "match_weight", "match_probability"]
    assert summary["candidate_pairs"] == 1


def test_a_chain_through_other_articles_never_joins_two_reports_of_one_article():
    frame = _reports_frame({"a1": "A", "a2": "A", "b1": "B", "c1": "C"}, {"a1": 1, "a2": 1, "b1": 2, "c1": 3})
    pairs = pl.DataFrame(
        {
            "event_id_l": ["a1", "b1", "a2"],
            "event_id_r": ["b1", "c1", "c1"],
            "match_probability": [0.99, 0.98, 0.95],
        }
    )
    assigned = dict(incidents(frame, pairs, 0.9).iter_rows())
    # a1-b1-c1-a2 would be one chain: its weakest link (a2-c1) goes
    assert assigned["a1"] == assigned["b1"] == assigned["c1"]
    assert assigned["a2"] != assigned["a1"]
