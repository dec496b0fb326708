"""The analyst's side of the warehouse, built end to end from invented articles: the flat
ACLED-style table, the analytic marts, one row per actor, normalised victim groups, comments in the
DuckDB file, the export, and the plausibility checks (run by dbt on a copy with implausible rows)."""

from __future__ import annotations

import csv
import datetime
import json
import os
import shutil
import subprocess
import sys

import dagster as dg
import duckdb
import pytest

from orchestration.evaluation.runner import EVENTS_SQL
from orchestration.export import export
from orchestration.run import build, check_counts
from orchestration.settings import DBT_PROJECT_DIR, Settings

pytestmark = pytest.mark.integration

ARTICLES = [
    {
        "id": "am-1",
        "title": "Village attack",
        "text": "Gunmen killed seven villagers in an attack on a village near Maiduguri, Nigeria, on Tuesday.",
        "published_at": "2023-05-10",
        "source": "Example Wire",
        "url": "https://news.example.org/am-1",
    },
    {
        "id": "am-2",
        "title": "March in Dakar",
        "text": "Hundreds of protesters marched peacefully through Dakar, Senegal on Monday to demand lower fuel prices.",
        "published_at": "2022-08-02",
        "source": "Example Wire",
        "url": "https://news.example.org/am-2",
    },
    {
        "id": "am-3",
        "title": "Shelling across the border",
        "text": "Pakistani troops shelled militant positions in Kunar province, Afghanistan, on 2 March 2023, "
        "killing at least four militants.",
        "published_at": "2023-03-04",
        "source": "Border Times",
    },
    {
        "id": "am-4",
        "title": "Arrests in Lahore",
        "text": "Police arrested 12 protesters in Lahore, Pakistan, on 3 March 2023.",
        "published_at": "2023-03-04",
        "source": "Border Times",
    },
    {
        "id": "am-5",
        "title": "Market shelled",
        "text": "Two women and three children were killed when a shell hit a market in Kharkiv, Ukraine, "
        "on 5 April 2022. Four bodyguards were also killed.",
        "published_at": "2022-04-06",
        "source": "Example Wire",
    },
]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    folder = tmp_path_factory.mktemp("analyst_articles")
    (folder / "wire.jsonl").write_text("\n".join(json.dumps(a) for a in ARTICLES) + "\n", encoding="utf-8")
    path = tmp_path_factory.mktemp("analyst_warehouse") / "events.duckdb"
    settings = Settings.from_env({"ARTICLES_DIR": str(folder), "WAREHOUSE_PATH": str(path)})
    with dg.DagsterInstance.ephemeral() as instance:
        result = build(settings, instance)
    assert result.success
    _, failed, names = check_counts(result)
    assert failed == 0, names  # these plausible articles trip no check, plausibility included
    return path


def _rows(path, sql, params=()):
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql, params).fetchall()


def _acled(path, article_id, columns):
    return _rows(path, f"select {columns} from marts.acled_events where article_id = ?", (article_id,))  # noqa: S608


def test_acled_events_codes_violence_against_civilians(warehouse):
    (row,) = _acled(
        warehouse,
        "am-1",
        "event_type, sub_event_type, actor1, inter1, actor2, inter2, interaction, civilian_targeting, "
        "iso, iso3, country, location, geo_precision, event_date, year, time_precision, "
        "fatalities, fatalities_stated, source, url, substr(event_id_cnty, 1, 4)",
    )
    assert row == (
        "Violence against civilians",
        "Attack",
        "Unidentified Armed Group (Nigeria)",
        3,  # political militia
        "Civilians (Nigeria)",
        7,
        37,
        "Civilian targeting",
        566,  # ISO 3166 numeric, as ACLED's iso column
        "NGA",
        "Nigeria",
        "Maiduguri",
        1,  # a named town
        datetime.date(2023, 5, 9),  # the Tuesday before publication
        2023,
        1,
        7,
        True,
        "Example Wire",
        "https://news.example.org/am-1",
        "NGA-",
    )


def test_acled_events_evidence_is_the_sentence_in_the_article(warehouse):
    rows = _rows(
        warehouse,
        """
        select e.notes, substr(a.article_text, e.char_start + 1, e.char_end - e.char_start)
        from marts.acled_events e join marts.dim_articles a using (article_id)
        """,
    )
    assert rows and all(notes == span for notes, span in rows)
    assert any("seven villagers" in notes for notes, _ in rows)


def test_peaceful_protest_has_no_actor2_and_no_stated_toll(warehouse):
    (row,) = _acled(
        warehouse,
        "am-2",
        "sub_event_type, inter1, actor2, inter2, interaction, fatalities, fatalities_stated",
    )
    # Not stated is not zero: ACLED's 0, flagged as not stated.
    assert row == ("Peaceful protest", 6, None, None, 60, 0, False)


def test_a_state_abroad_is_external_forces_in_that_event_but_one_actor(warehouse):
    assert _acled(
        warehouse, "am-3", "actor1, inter1, interaction, iso3, fatalities, fatalities_high_is_open"
    ) == [
        ("Pakistan", 8, 28, "AFG", 4, True)  # "at least four": no upper bound
    ]
    assert _acled(warehouse, "am-4", "actor2, inter2, interaction") == [("Pakistan", 1, 16)]
    assert _rows(
        warehouse, "select actor_type, n_events from marts.dim_actors where actor_name = 'Pakistan'"
    ) == [
        ("State forces", 2)  # one row; ties go to the lower inter code
    ]
    types = _rows(
        warehouse,
        """
        select e.article_id, b.role, b.actor_type_in_event
        from marts.bridge_event_actors b
        join marts.dim_actors a using (actor_id)
        join marts.fct_events e using (event_id)
        where a.actor_name = 'Pakistan' order by 1
        """,
    )
    assert types == [("am-3", "actor1", "External/Other forces"), ("am-4", "actor2", "State forces")]


def test_the_evaluation_scores_the_type_an_actor_has_in_the_event(warehouse):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(EVENTS_SQL).fetchall()
        names = [d[0] for d in con.description]
    by_article = {r["article_id"]: r for r in (dict(zip(names, row, strict=True)) for row in rows)}
    assert (by_article["am-3"]["actor1_name"], by_article["am-3"]["actor1_type"]) == (
        "Pakistan",
        "External/Other forces",
    )
    assert (by_article["am-4"]["actor2_name"], by_article["am-4"]["actor2_type"]) == (
        "Pakistan",
        "State forces",
    )


def test_victim_groups_are_normalised_and_the_raw_phrase_kept(warehouse):
    rows = _rows(
        warehouse,
        "select victim_group, victim_group_raw, count_best from marts.fct_casualties "
        "where outcome = 'killed' order by article_id, char_start",
    )
    assert rows == [
        ("civilians", "villagers", 7),
        ("militants", "militants", 4),
        ("women", "women", 2),
        ("children", "children", 3),
        ("other", "bodyguards", 4),  # named, but not in the vocabulary
    ]


def test_country_day_type_counts_add_up(warehouse):
    rows = _rows(
        warehouse,
        "select iso3, event_date, event_type, n_events, fatalities, n_events_fatalities_stated "
        "from marts.agg_events_country_day where iso3 in ('PAK', 'SEN') order by iso3",
    )
    assert rows == [
        ("PAK", datetime.date(2023, 3, 3), "Protests", 1, 0, 0),
        ("SEN", datetime.date(2022, 8, 1), "Protests", 1, 0, 0),
    ]
    ((total_agg, total_events),) = _rows(
        warehouse,
        "select (select sum(n_events) from marts.agg_events_country_day), (select count(*) from marts.acled_events)",
    )
    assert total_agg == total_events


def test_actor_dyads_are_ordered_pairs(warehouse):
    rows = _rows(
        warehouse,
        "select actor1, actor2, n_events, fatalities, most_common_interaction from marts.agg_actor_dyads "
        "where 'Pakistan' in (actor1, actor2) order by actor1",
    )
    assert rows == [
        ("Pakistan", "Unidentified Rebel Group (Afghanistan)", 1, 4, 28),
        ("Protesters (Pakistan)", "Pakistan", 1, 0, 16),
    ]


def test_map_events_hold_the_events_with_coordinates_in_their_country(warehouse):
    rows = _rows(warehouse, "select iso3, is_in_country from marts.map_events order by iso3")
    with_coordinates = _rows(warehouse, "select count(*) from marts.acled_events where latitude is not null")
    assert len(rows) == with_coordinates[0][0] >= 4
    assert all(inside for _, inside in rows)


def test_descriptions_are_stored_in_the_duckdb_file(warehouse):
    columns = _rows(
        warehouse,
        "select column_name, comment from duckdb_columns() where schema_name = 'marts' and table_name = 'acled_events'",
    )
    assert len(columns) > 30
    assert [name for name, comment in columns if not comment] == []
    assert "not a reported zero" in dict(columns)["fatalities_stated"]
    (table_comment,) = _rows(
        warehouse,
        "select comment from duckdb_tables() where schema_name = 'marts' and table_name = 'acled_events'",
    )[0]
    assert table_comment.startswith("One row per event")


def test_export_writes_acled_events_as_csv_and_parquet(warehouse, tmp_path):
    target, rows = export(warehouse, tmp_path, "csv")
    with target.open(encoding="utf-8") as handle:
        records = list(csv.DictReader(handle))
    assert len(records) == rows == _rows(warehouse, "select count(*) from marts.acled_events")[0][0]
    assert list(records[0])[:3] == ["event_id_cnty", "event_date", "year"]
    assert {r["url"] for r in records if r["article_id"] == "am-2"} == {"https://news.example.org/am-2"}
    parquet, _ = export(warehouse, tmp_path, "parquet")
    with duckdb.connect() as con:
        assert con.execute("select count(*) from read_parquet(?)", [str(parquet)]).fetchone()[0] == rows
    with pytest.raises(ValueError, match="format"):
        export(warehouse, tmp_path, "xlsx")


def test_plausibility_checks_name_the_implausible_rows(warehouse, tmp_path):
    """Implausible values written into a copy of acled_events; the dbt plausibility tests run on it
    and store exactly the doctored events in schema plausibility."""
    # Same file name: dbt's views name their catalog, which DuckDB takes from the file name.
    copy = tmp_path / "doctored" / warehouse.name
    copy.parent.mkdir()
    shutil.copyfile(warehouse, copy)
    with duckdb.connect(str(copy)) as con:
        ids = dict(con.execute("select article_id, event_id from marts.acled_events").fetchall())
        doctored = [
            # an event dated long after its article (a two-digit year read as the future)
            ("event_date = date '2031-05-09'", ids["am-1"]),
            # a Nigerian village put at the South Pole
            ("latitude = -89.5, longitude = 10.0", ids["am-1"]),
            # a yearly statistic read as one event's toll
            (
                "fatalities = 250000, notes = 'About 250,000 people die of it every year, officials said.'",
                ids["am-3"],
            ),
            # state forces as a protest's actor 1
            ("inter1 = 1", ids["am-2"]),
        ]
        for assignment, event_id in doctored:
            con.execute(f"update marts.acled_events set {assignment} where event_id = ?", [event_id])  # noqa: S608
    dbt = os.path.join(os.path.dirname(sys.executable), "dbt")
    completed = subprocess.run(  # noqa: S603 (our own dbt, fixed arguments)
        [
            dbt,
            "test",
            "--select",
            "tag:plausibility",
            "--profiles-dir",
            ".",
            "--target-path",
            str(tmp_path / "target"),
        ],
        cwd=DBT_PROJECT_DIR,
        env={**os.environ, "WAREHOUSE_BUILD_PATH": str(copy)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout[-3000:]  # warnings, not errors: the run goes on
    with duckdb.connect(str(copy), read_only=True) as con:

        def flagged(table):
            return {row[0] for row in con.execute(f"select event_id from plausibility.{table}").fetchall()}  # noqa: S608

        assert flagged("plausible_event_date_not_after_publication") == {ids["am-1"]}
        assert flagged("plausible_location_in_country") == {ids["am-1"]}
        assert flagged("plausible_toll_below_ceiling") == {ids["am-3"]}
        assert flagged("plausible_toll_not_rate_or_period_total") == {ids["am-3"]}
        assert flagged("plausible_actor_types_for_event_type") == {ids["am-2"]}
        (days,) = con.execute(
            "select days_after_publication from plausibility.plausible_event_date_not_after_publication"
        ).fetchone()
        assert days == (datetime.date(2031, 5, 9) - datetime.date(2023, 5, 10)).days
        (cues,) = con.execute(
            "select cues_matched from plausibility.plausible_toll_not_rate_or_period_total"
        ).fetchone()
        assert "per_period" in cues
