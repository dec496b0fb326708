"""The evaluation's metric rules on tiny hand-made frames, the gold readers, and one small smoke run
of `python -m orchestration.evaluation` on the first lines of acled_dev (skipped without ../shared)."""

from __future__ import annotations

import datetime as dt
import json

import polars as pl
import pytest

from orchestration.evaluation import gold as gold_io
from orchestration.evaluation import metrics as m
from tests.conftest import SHARED, require

ACLED_DEV = SHARED / "eval" / "acled_dev"


def _events(rows: list[dict]) -> pl.DataFrame:
    """Predicted events with the columns the runner reads from the marts (defaults filled in)."""
    defaults = {
        "event_id": None,
        "article_id": None,
        "event_date": None,
        "event_type": None,
        "sub_event_type": None,
        "country_iso3": None,
        "location_name": None,
        "admin1": None,
        "latitude": None,
        "longitude": None,
        "actor1_type": None,
        "actor1_name": None,
        "actor2_type": None,
        "actor2_name": None,
        "fatalities_best": None,
        "evidence_text": None,
        "char_start": None,
        "sentence_index": None,
    }
    schema = {
        "event_id": pl.String,
        "article_id": pl.String,
        "event_date": pl.Date,
        "event_type": pl.String,
        "sub_event_type": pl.String,
        "country_iso3": pl.String,
        "location_name": pl.String,
        "admin1": pl.String,
        "latitude": pl.Float64,
        "longitude": pl.Float64,
        "actor1_type": pl.String,
        "actor1_name": pl.String,
        "actor2_type": pl.String,
        "actor2_name": pl.String,
        "fatalities_best": pl.Int64,
        "evidence_text": pl.String,
        "char_start": pl.Int64,
        "sentence_index": pl.Int64,
    }
    return pl.DataFrame([{**defaults, **r} for r in rows], schema=schema)


def _acled_gold(rows: list[dict]) -> pl.DataFrame:
    defaults = {
        "event_date": dt.date(2020, 5, 9),
        "time_precision": 1,
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "actor1": "Military Forces of X",
        "inter1": 1,
        "actor2": None,
        "inter2": None,
        "country": "Yemen",
        "country_iso3": "YEM",
        "admin1": "Marib",
        "location": "Marib",
        "latitude": 15.46,
        "longitude": 45.33,
        "fatalities": 0,
        "fatality_caveat": False,
        "note_shared_by_n_rows": 1,
    }
    return pl.DataFrame([{**defaults, **r} for r in rows]).with_columns(
        pl.col("inter1", "inter2", "fatalities", "time_precision", "note_shared_by_n_rows").cast(pl.Int64),
        pl.col("actor2").cast(pl.String),
        pl.col("latitude", "longitude").cast(pl.Float64),
    )


def _texts(ids: list[str], articles: list[str | None] | None = None) -> pl.DataFrame:
    articles = ids if articles is None else articles
    return pl.DataFrame(
        {"gold_id": ids, "article_id": articles, "status": ["loaded"] * len(ids)},
        schema={"gold_id": pl.String, "article_id": pl.String, "status": pl.String},
    )


def _value(metrics: list[m.Metric], name: str) -> m.Metric:
    return next(x for x in metrics if x.name == name)


# --- precision, recall, F1 -------------------------------------------------------------------------


def test_prf_by_hand():
    # tp 2, fp 1, fn 3: P = 2/3, R = 2/5, F1 = 2PR/(P+R) = (8/15)/(16/15) = 1/2
    assert m.prf(2, 1, 3) == {"precision": 2 / 3, "recall": 0.4, "f1": 0.5, "tp": 2, "fp": 1, "fn": 3}


def test_prf_zero_denominators_are_zero():
    assert m.prf(0, 0, 0)["precision"] == 0.0
    assert m.prf(0, 0, 4) == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "tp": 0, "fp": 0, "fn": 4}


def test_binary_prf_counts_rows():
    frame = pl.DataFrame(
        {"p": [True, True, False, False, True, None], "g": [True, False, True, False, True, True]}
    )
    # tp rows 0 and 4, fp row 1, fn rows 2 and 5 (null prediction = False)
    got = m.binary_prf(frame, "p", "g")
    assert (got["tp"], got["fp"], got["fn"]) == (2, 1, 2)
    assert got["precision"] == pytest.approx(2 / 3)
    assert got["recall"] == pytest.approx(0.5)
    assert got["f1"] == pytest.approx(2 * (2 / 3) * 0.5 / (2 / 3 + 0.5))  # 4/7


def test_set_prf_is_micro_over_documents():
    frame = pl.DataFrame(
        {
            "pred": [["SLV", "GTM"], [], ["COL"], ["PER", "PER"]],
            "gold": [["SLV"], ["HND"], ["COL", "VEN"], None],
        }
    )
    # doc 1: tp SLV, fp GTM; doc 2: fn HND; doc 3: tp COL, fn VEN; doc 4: fp PER (set: once)
    got = m.set_prf(frame, "pred", "gold")
    assert (got["tp"], got["fp"], got["fn"]) == (2, 2, 2)
    assert (got["precision"], got["recall"], got["f1"]) == (0.5, 0.5, 0.5)


# --- places ----------------------------------------------------------------------------------------


def test_haversine_50_km_rule():
    # One degree of latitude is 111.2 km; 0.4 degrees is 44.5 km, 0.5 degrees 55.6 km.
    frame = pl.DataFrame(
        {"lat1": [0.0, 0.0, 0.0, None], "lon1": [0.0] * 4, "lat2": [1.0, 0.4, 0.5, 0.0], "lon2": [0.0] * 4}
    )
    cols = [pl.col(c) for c in ("lat1", "lon1", "lat2", "lon2")]
    got = frame.select(km=m.haversine_km(*cols), ok=m.within_km(*cols))
    assert got["km"][0] == pytest.approx(111.195, abs=0.01)
    assert got["km"][1] == pytest.approx(44.48, abs=0.01)
    assert got["ok"].to_list() == [False, True, False, False]  # a missing point is never within


def test_haversine_known_city_pair():
    # Paris (48.8566, 2.3522) to London (51.5074, -0.1278): about 343.5 km.
    got = pl.select(m.haversine_km(pl.lit(48.8566), pl.lit(2.3522), pl.lit(51.5074), pl.lit(-0.1278)))
    assert got.item() == pytest.approx(343.5, abs=1.0)


def test_admin1_is_accent_and_case_insensitive():
    frame = pl.DataFrame(
        {
            "pred": ["Kordestān-e Shomālī", "TA’IZZ", "Baden-Württemberg", "Aragua", None],
            "gold": ["kordestan-e shomali", "Taizz", "Baden Wurttemberg", "Vargas", "Hajjah"],
        }
    )
    assert frame.select(m.same_name(pl.col("pred"), pl.col("gold")))["pred"].to_list() == [
        True,
        True,
        True,
        False,
        False,
    ]


# --- ACLED rules -----------------------------------------------------------------------------------


def test_primary_event_is_most_fatal_then_first_in_text():
    events = _events(
        [
            {"event_id": "a3", "article_id": "A", "fatalities_best": 5, "char_start": 90},
            {"event_id": "a1", "article_id": "A", "fatalities_best": 5, "char_start": 10},
            {"event_id": "a2", "article_id": "A", "fatalities_best": 2, "char_start": 0},
            {"event_id": "b1", "article_id": "B", "fatalities_best": None, "char_start": 30},
            {"event_id": "b2", "article_id": "B", "fatalities_best": 0, "char_start": 5},
            {"event_id": "c1", "article_id": "C", "fatalities_best": None, "char_start": 7},
        ]
    )
    primary = m.primary_events(events).sort("article_id")
    # A: two events with 5 deaths, the earlier one wins; B: null counts as 0, tie -> first in text
    assert primary["event_id"].to_list() == ["a1", "b2", "c1"]


def test_primary_event_tie_within_one_sentence_goes_to_the_earlier_trigger():
    sentence = "On 11 October 2031, a mob torched shops amid demonstrations."
    events = _events(
        [
            # same sentence (same char_start); event ids would order them the other way round
            {"event_id": "a", "article_id": "A", "char_start": 0, "evidence_text": sentence},
            {"event_id": "b", "article_id": "A", "char_start": 0, "evidence_text": sentence},
        ]
    ).with_columns(trigger_text=pl.Series(["demonstrations", "mob"]))
    assert m.primary_events(events)["event_id"].to_list() == ["b"]


def test_duplicate_lines_are_scored_against_the_surviving_article():
    input_lines = pl.DataFrame(
        {"line_number": [1, 2, 3, 4], "gold_id": ["g1", "g2", "g3", "g4"], "text_snippet": ["a"] * 4}
    )
    ingest_log = pl.DataFrame(
        {
            "source_file": ["articles.jsonl"] * 4 + ["other.jsonl"],
            "line_number": [1, 2, 3, 4, 2],
            "status": ["loaded", "duplicate", "rejected", "loaded_with_warning", "loaded"],
            "article_id": ["g1", "g1", None, "g4-renamed", "zzz"],
        }
    )
    got = m.scored_articles(input_lines, ingest_log, "articles.jsonl")
    assert got.select("gold_id", "article_id", "status").rows() == [
        ("g1", "g1", "loaded"),
        ("g2", "g1", "duplicate"),  # line 2 repeats line 1's text: scored against g1's events
        ("g3", None, "rejected"),
        ("g4", "g4-renamed", "loaded_with_warning"),
    ]


def test_acled_duplicate_text_gets_the_first_articles_prediction():
    gold = _acled_gold([{"gold_id": "g1"}, {"gold_id": "g2"}])
    events = _events(
        [{"event_id": "e", "article_id": "g1", "event_type": "Battles", "sub_event_type": "Armed clash"}]
    )
    compared = m.acled_compare(_texts(["g1", "g2"], ["g1", "g1"]), m.acled_gold_texts(gold), events)
    assert compared["ok_event_type"].to_list() == [True, True]


def test_acled_fields_of_the_primary_event_against_the_first_gold_row():
    gold = _acled_gold(
        [
            # text t1: two gold rows; only the first is compared
            {"gold_id": "t1", "admin1": "Ma'rib", "inter2": 2, "actor2": "Houthis"},
            {"gold_id": "t1", "event_type": "Protests", "admin1": "Sanaa", "latitude": 0.0},
            # text t2: a protest with no actor 2, dated by week only
            {
                "gold_id": "t2",
                "event_type": "Protests",
                "sub_event_type": "Peaceful protest",
                "inter1": 6,
                "inter2": 0,
                "time_precision": 2,
                "country": "Democratic Republic of Congo",
                "country_iso3": "COD",
                "admin1": "Kinshasa",
                "latitude": -4.32,
                "longitude": 15.31,
            },
            # text t3: no event predicted
            {"gold_id": "t3"},
        ]
    )
    events = _events(
        [
            {
                "event_id": "e1",
                "article_id": "t1",
                "event_date": dt.date(2020, 5, 9),
                "event_type": "Battles",
                "sub_event_type": "Armed clash",
                "country_iso3": "YEM",
                "admin1": "Maʼrib",
                "latitude": 15.46,
                "longitude": 45.0,  # 35 km west of the gold point
                "actor1_type": "State forces",
                "actor2_type": "Rebel group",
            },
            {
                "event_id": "e2",
                "article_id": "t2",
                "event_date": dt.date(2020, 5, 1),
                "event_type": "Protests",
                "sub_event_type": "Protest with intervention",
                "country_iso3": "COD",
                "admin1": "Kinshasa",
                "latitude": -4.32,
                "longitude": 16.0,  # 77 km east
                "actor1_type": "Protesters",
            },
        ]
    )
    compared = m.acled_compare(_texts(["t1", "t2", "t3"]), m.acled_gold_texts(gold), events)
    got = {c: compared[c].to_list() for c in compared.columns if c.startswith("ok_")}
    assert got["ok_texts_with_event"] == [True, True, False]
    assert got["ok_event_type"] == [True, True, False]
    assert got["ok_sub_event_type"] == [True, False, False]
    assert got["ok_country"] == [True, True, False]
    assert got["ok_admin1"] == [True, True, False]
    assert got["ok_location_50km"] == [True, False, False]
    assert got["ok_event_date"] == [True, None, False]  # t2 is not day-precise: not scored
    assert got["ok_actor1_type"] == [True, True, False]
    # t2: inter2 0 and no predicted actor 2 is correct; t3: no event at all is wrong
    assert got["ok_actor2_type"] == [True, True, False]
    metrics = m.acled_metrics(compared)
    date = _value(metrics, "event_date")
    assert (date.value, date.n) == (0.5, 2)
    assert _value(metrics, "location_50km").value == pytest.approx(1 / 3)


def test_acled_actor2_predicted_when_gold_has_none_is_wrong():
    gold = _acled_gold([{"gold_id": "t", "inter2": None}])
    events = _events([{"event_id": "e", "article_id": "t", "actor2_type": "Civilians"}])
    compared = m.acled_compare(_texts(["t"]), m.acled_gold_texts(gold), events)
    assert compared["ok_actor2_type"].to_list() == [False]


def test_acled_fatalities_total_and_fatal_detection():
    gold = _acled_gold(
        [
            {"gold_id": "exact", "fatalities": 3},  # predicted 1 + 2 over two events: exact
            {"gold_id": "missed", "fatalities": 2},  # predicted 0: wrong, false negative
            {"gold_id": "false_alarm", "fatalities": 0},  # predicted 4: wrong, false positive
            {"gold_id": "quiet", "fatalities": 0},  # no event: 0 = 0, true negative
            {"gold_id": "caveat", "fatalities": 10, "fatality_caveat": True},  # not scored
            {"gold_id": "shared", "fatalities": 5, "note_shared_by_n_rows": 2},  # not scored
            {"gold_id": "shared", "fatalities": 5, "note_shared_by_n_rows": 2},
        ]
    )
    events = _events(
        [
            {"event_id": "x1", "article_id": "exact", "fatalities_best": 1},
            {"event_id": "x2", "article_id": "exact", "fatalities_best": 2},
            {"event_id": "m1", "article_id": "missed", "fatalities_best": None},
            {"event_id": "f1", "article_id": "false_alarm", "fatalities_best": 4},
            {"event_id": "c1", "article_id": "caveat", "fatalities_best": 10},
        ]
    )
    ids = ["exact", "missed", "false_alarm", "quiet", "caveat", "shared"]
    compared = m.acled_compare(_texts(ids), m.acled_gold_texts(gold), events)
    assert compared["ok_fatalities_exact"].to_list() == [True, False, False, True, None, None]
    metrics = m.acled_metrics(compared)
    exact = _value(metrics, "fatalities_exact")
    assert (exact.value, exact.n) == (0.5, 4)
    # fatal detection over the 4 scored texts: tp 1 (exact), fp 1 (false_alarm), fn 1 (missed)
    assert _value(metrics, "fatal_detection_precision").value == 0.5
    assert _value(metrics, "fatal_detection_recall").value == 0.5
    assert _value(metrics, "fatal_detection_f1").value == 0.5
    assert _value(metrics, "fatal_detection_f1").detail == {"tp": 1, "fp": 1, "fn": 1}


def test_acled_mistakes_name_the_metric_and_both_values():
    gold = _acled_gold([{"gold_id": "t", "event_type": "Riots", "sub_event_type": "Mob violence"}])
    events = _events(
        [
            {
                "event_id": "e",
                "article_id": "t",
                "event_type": "Battles",
                "sub_event_type": "Mob violence",
                "country_iso3": "YEM",
                "admin1": "Marib",
                "latitude": 15.46,
                "longitude": 45.33,
                "event_date": dt.date(2020, 5, 9),
                "actor1_type": "State forces",
                "evidence_text": "Fighting in Velmar.",
            }
        ]
    )
    compared = m.acled_compare(_texts(["t"]), m.acled_gold_texts(gold), events)
    snippets = pl.DataFrame({"gold_id": ["t"], "text_snippet": ["On 21 May 2031, fighting in Velmar."]})
    mistakes = m.acled_mistakes(compared, snippets)
    assert mistakes.columns == m.MISTAKE_COLUMNS
    assert mistakes.select("metric", "predicted", "gold", "evidence").rows() == [
        ("event_type", "Battles", "Riots", "Fighting in Velmar.")
    ]
    assert mistakes["text_snippet"][0].startswith("On 21 May 2031")


def test_acled_gold_actor_types_from_inter_codes():
    texts = m.acled_gold_texts(
        _acled_gold(
            [{"gold_id": str(code), "inter1": code, "inter2": code} for code in range(9)]
            + [{"gold_id": "empty", "inter2": None}]
        )
    )
    assert texts["gold_actor1_type"].to_list()[1:9] == list(m.ACTOR_TYPES.values())
    assert texts["gold_actor2_type"][0] is None  # inter2 = 0: no actor 2
    assert texts["gold_actor2_type"][-1] is None


# --- MUC-4 rules -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "expected"),
    [("1", 1), (" 12 ", 12), ("5-10", 5), ("PLURAL", None), ("-", None), ("?", None), (None, None), (3, 3)],
)
def test_muc4_deaths_numbers(number, expected):
    assert gold_io.parse_deaths_number(number) == expected


def test_muc4_countries_to_iso3():
    assert gold_io.muc4_countries("EL SALVADOR") == ["SLV"]
    assert gold_io.muc4_countries("COLOMBIA / VENEZUELA") == ["COL", "VEN"]
    assert gold_io.muc4_countries("? HONDURAS") == ["HND"]
    assert gold_io.muc4_countries("GUATAMALA") == ["GTM"]  # misspelt in the gold: closest name
    assert gold_io.muc4_countries(None) == []
    assert gold_io.country_iso3("Democratic Republic of Congo") == "COD"
    assert gold_io.country_iso3("Turkey") == "TUR"


def test_muc4_document_sums_numeric_deaths_over_templates():
    doc = gold_io.muc4_document(
        {
            "id": "DEV-1",
            "relevant": True,
            "templates": [
                {
                    "incident_type": "ATTACK",
                    "incident_country": "PERU",
                    "deaths": [{"number": "2"}, {"number": "PLURAL"}],
                },
                {"incident_type": "BOMBING", "incident_country": "EL SALVADOR", "deaths": [{"number": "3"}]},
            ],
        }
    )
    assert doc["gold_deaths"] == 5
    assert doc["gold_countries"] == ["PER", "SLV"]
    assert doc["deaths_entries"] == ["2", "PLURAL", "3"]
    no_numbers = gold_io.muc4_document({"id": "DEV-2", "templates": [{"deaths": [{"number": "PLURAL"}]}]})
    assert no_numbers["gold_deaths"] is None


def test_muc4_metrics_by_hand():
    gold = pl.DataFrame(
        [
            gold_io.muc4_document(r)
            for r in [
                {"id": "d1", "templates": [{"incident_country": "PERU", "deaths": [{"number": "2"}]}]},
                {"id": "d2", "templates": [{"incident_country": "COLOMBIA", "deaths": []}]},
                {"id": "d3", "templates": []},
                {"id": "d4", "templates": []},
                {"id": "d5", "templates": [{"incident_country": "CHILE", "deaths": [{"number": "1"}]}]},
            ]
        ],
        schema=gold_io.MUC4_SCHEMA,
    )
    events = _events(
        [
            # d1: a violent event in Peru with the right toll, plus a protest that is not violent
            {
                "event_id": "1",
                "article_id": "d1",
                "event_type": "Battles",
                "country_iso3": "PER",
                "fatalities_best": 2,
            },
            {"event_id": "2", "article_id": "d1", "event_type": "Protests", "country_iso3": "ECU"},
            # d2: detected but in the wrong country
            {"event_id": "3", "article_id": "d2", "event_type": "Riots", "country_iso3": "VEN"},
            # d3: a false alarm
            {
                "event_id": "4",
                "article_id": "d3",
                "event_type": "Explosions/Remote violence",
                "country_iso3": "PER",
            },
            # d4: only a non-violent event; d5: nothing
            {
                "event_id": "5",
                "article_id": "d4",
                "event_type": "Strategic developments",
                "country_iso3": "BOL",
            },
        ]
    )
    compared = m.muc4_compare(_texts(["d1", "d2", "d3", "d4", "d5"]), gold, events)
    metrics = m.muc4_metrics(compared)
    # detection: tp d1 d2, fp d3, fn d5 -> P 2/3, R 2/3
    assert _value(metrics, "incident_detection_precision").value == pytest.approx(2 / 3)
    assert _value(metrics, "incident_detection_recall").value == pytest.approx(2 / 3)
    assert _value(metrics, "incident_detection_f1").value == pytest.approx(2 / 3)
    # deaths over d1 (2 = 2) and d5 (0 != 1)
    deaths = _value(metrics, "deaths_exact")
    assert (deaths.value, deaths.n) == (0.5, 2)
    # countries: predicted {PER}, {VEN}, {PER}; gold {PER}, {COL}, {CHL} -> tp 1, fp 2, fn 2
    countries = _value(metrics, "incident_countries_f1")
    assert countries.detail == {"tp": 1, "fp": 2, "fn": 2}
    assert _value(metrics, "incident_countries_precision").value == pytest.approx(1 / 3)
    mistakes = m.muc4_mistakes(compared, pl.DataFrame({"gold_id": ["d1"], "text_snippet": ["x"]}))
    assert sorted(mistakes.select("article_id", "metric").rows()) == [
        ("d2", "incident_countries"),
        ("d3", "incident_countries"),
        ("d3", "incident_detection"),
        ("d5", "deaths_exact"),
        ("d5", "incident_countries"),
        ("d5", "incident_detection"),
    ]


# --- readers and the smoke run ---------------------------------------------------------------------


def test_input_lines_numbered_like_ingestion(tmp_path):
    path = tmp_path / "articles.jsonl"
    path.write_bytes(b'{"id": "a", "text": "x"}\r\n{not json\n\n{"id": 7, "text": "y"}\n\n\n')
    lines = gold_io.read_input_lines(path)
    assert lines.select("line_number", "gold_id").rows() == [(1, "a"), (2, None), (3, None), (4, "7")]
    assert gold_io.read_input_lines(path, limit=1).height == 1


def test_acled_gold_reader_types(tmp_path):
    gold = require(ACLED_DEV / "gold.csv")
    head = gold.read_text(encoding="utf-8").splitlines()[:6]
    (tmp_path / "gold.csv").write_text("\n".join(head) + "\n", encoding="utf-8")
    frame = gold_io.read_acled_gold(tmp_path / "gold.csv")
    assert frame.height == 5
    assert frame.schema["event_date"] == pl.Date
    assert frame.schema["latitude"] == pl.Float64
    assert frame["country_iso3"].null_count() == 0


@pytest.mark.integration
def test_smoke_evaluation_on_the_first_acled_lines(tmp_path):
    """The real pipeline on the first 30 acled_dev texts, plus a repeated text scored via ingest_log."""
    from orchestration.evaluation.cli import main

    articles = require(ACLED_DEV / "articles.jsonl").read_text(encoding="utf-8").splitlines()[:30]
    first = json.loads(articles[0])
    duplicate = {**first, "id": "dup-of-first"}
    folder = tmp_path / "acled_small"
    folder.mkdir()
    (folder / "articles.jsonl").write_text(
        "\n".join([*articles, json.dumps(duplicate)]) + "\n", encoding="utf-8"
    )
    ids = {json.loads(line)["id"] for line in articles}
    gold_lines = (ACLED_DEV / "gold.csv").read_text(encoding="utf-8").splitlines()
    kept = [gold_lines[0]] + [line for line in gold_lines[1:] if line.split(",", 1)[0] in ids]
    kept += [
        f"dup-of-first,{line.split(',', 1)[1]}"
        for line in gold_lines[1:]
        if line.startswith(first["id"] + ",")
    ]
    (folder / "gold.csv").write_text("\n".join(kept) + "\n", encoding="utf-8")

    out = tmp_path / "out"
    assert main([str(folder), "--out", str(out)]) == 0
    report = json.loads((out / "metrics.json").read_text())
    assert report["texts"] == 31
    assert report["gold_texts_by_status"] == {"duplicate": 1, "loaded": 30}
    assert set(report["metrics"]) >= {"event_type", "location_50km", "actor2_type", "fatal_detection_f1"}
    for name, metric in report["metrics"].items():
        assert metric["value"] is None or 0.0 <= metric["value"] <= 1.0, name
    assert report["throughput"]["texts_per_second"] > 0
    assert report["throughput"]["extraction_seconds"] is not None
    mistakes = pl.read_csv(out / "mistakes.csv")
    assert mistakes.columns == m.MISTAKE_COLUMNS
    # the duplicate is scored exactly like the text it repeats
    dup = mistakes.filter(pl.col("article_id") == "dup-of-first").drop("article_id", "text_snippet")
    orig = mistakes.filter(pl.col("article_id") == first["id"]).drop("article_id", "text_snippet")
    assert dup.sort("metric").rows() == orig.sort("metric").rows()


def test_halves_follow_the_dev_sets_sha1_rule():
    import hashlib

    from orchestration.evaluation import halves

    ids = [f"text-{i}" for i in range(200)]
    expected = ["tuning" if int(hashlib.sha1(i.encode()).hexdigest(), 16) % 2 == 0 else "check" for i in ids]
    assert [halves.half_of(i) for i in ids] == expected
    assert halves.half_of("a") == "tuning"  # sha1("a") = 86f7...67b8, an even number
    assert halves.half_of("e") == "check"  # sha1("e") is odd
    # both halves are populated and roughly even: the split is a coin toss per id
    assert 70 < expected.count("tuning") < 130
    framed = halves.with_half(pl.DataFrame({"gold_id": ids}))
    assert framed["half"].to_list() == expected


def test_fullnews_gold_becomes_fact_sets_per_article():
    annotation = {
        "article_id": "kora-report",
        "events": [
            {"event_type": "Explosions/Remote violence", "country": "AAA; BBB", "killed": 4, "injured": None},
            {"event_type": "Diplomatic", "country": "CCC", "killed": None, "injured": 2},
            {"event_type": "Battles", "country": "AAA", "killed": 4},
        ],
    }
    row = gold_io.fullnews_article(annotation)
    assert row == {
        "gold_id": "kora-report",
        "n_gold_events": 3,
        "gold_killed": ["4"],  # one incident's figure repeated is one fact
        "gold_injured": ["2"],
        "gold_violent_countries": ["AAA", "BBB"],  # the diplomatic event's country is not violent
        "gold_event_types": ["Battles", "Diplomatic", "Explosions/Remote violence"],
    }


def test_fullnews_metrics_pool_fact_sets_over_articles():
    gold = pl.DataFrame(
        [
            gold_io.fullnews_article(
                {
                    "article_id": "a",
                    "events": [{"event_type": "Battles", "country": "AAA", "killed": 3, "injured": 5}],
                }
            ),
            gold_io.fullnews_article({"article_id": "b", "events": []}),
        ],
        schema=gold_io.FULLNEWS_SCHEMA,
    )
    texts = pl.DataFrame({"gold_id": ["a", "b"], "article_id": ["a", "b"], "status": ["loaded"] * 2})
    events = pl.DataFrame(
        {
            "article_id": ["a", "a", "b"],
            "event_type": ["Battles", "Battles", "Riots"],
            "country_iso3": ["AAA", "AAA", "CCC"],
            "fatalities_best": [3, 70000, None],
            "injured_best": [5, None, 1],
            "evidence_text": ["x", "y", "z"],
            "char_start": [0, 10, 0],
        }
    )
    compared = m.fullnews_compare(texts, gold, events)
    scores = {s.name: s for s in m.fullnews_metrics(compared)}
    # killed: predicted {3, 70000} vs gold {3}: one right, one background figure wrong
    assert scores["killed_precision"].value == 0.5 and scores["killed_recall"].value == 1.0
    # injured: predicted {5} for a and {1} for b vs gold {5}
    assert scores["injured_precision"].value == 0.5
    assert scores["violent_countries_f1"].value == pytest.approx(2 / 3)
    assert scores["event_types_recall"].value == 1.0 and scores["event_types_precision"].value == 0.5
    mistakes = m.fullnews_mistakes(compared, pl.DataFrame({"gold_id": ["a", "b"], "text_snippet": ["", ""]}))
    assert set(zip(mistakes["article_id"], mistakes["metric"])) == {
        ("a", "killed"),
        ("b", "injured"),
        ("b", "violent_countries"),
        ("b", "event_types"),
    }


def test_acled_confusion_counts_where_each_gold_class_went():
    compared = pl.DataFrame(
        {
            "gold_id": ["1", "2", "3", "4"],
            "event_type": ["Battles", "Battles", "Battles", "Protests"],
            "pred_event_type": ["Battles", "Violence against civilians", None, "Protests"],
            "ok_event_type": [True, False, False, True],
        }
    )
    confusion = {r["event_type"]: r for r in m.acled_confusion(compared).to_dicts()}
    assert confusion["Battles"]["texts"] == 3
    assert confusion["Battles"]["accuracy"] == pytest.approx(1 / 3)
    assert confusion["Battles"]["Violence against civilians"] == 1
    assert confusion["Battles"][m.NO_EVENT] == 1
    assert confusion["Protests"]["Protests"] == 1 and confusion["Protests"]["Battles"] == 0
