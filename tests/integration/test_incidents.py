"""One incident, many reports: the seed article and a second report of the same strikes, written
for this test with another toll, build into a warehouse where both reports are one incident whose
claims keep both figures."""

from __future__ import annotations

import json
import shutil

import dagster as dg
import duckdb
import pytest

from orchestration.definitions import build_definitions
from orchestration.run import build, check_counts
from orchestration.settings import Settings
from tests.conftest import SEED_ARTICLE, require

pytestmark = pytest.mark.integration

SEED_ID = SEED_ARTICLE.stem
# Our own words: the same retaliatory strikes, reported a day later, with nine dead instead of seven.
SECOND_REPORT = {
    "id": "wire-followup",
    "title": "Death toll from Pakistani air raids in Iran put at nine",
    "text": "Pakistani air strikes on villages near Saravan, Iran, killed nine people on 18 January 2024, "
    "provincial officials said. Islamabad said the targets were hideouts of separatist militants.",
    "published_at": "2024-01-19",
    "source": "Test Wire",
}


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    folder = tmp_path_factory.mktemp("articles")
    shutil.copy(require(SEED_ARTICLE), folder / SEED_ARTICLE.name)
    (folder / "followup.jsonl").write_text(json.dumps(SECOND_REPORT) + "\n", encoding="utf-8")
    path = tmp_path_factory.mktemp("warehouse") / "events.duckdb"
    settings = Settings.from_env({"ARTICLES_DIR": str(folder), "WAREHOUSE_PATH": str(path)})
    with dg.DagsterInstance.ephemeral() as instance:
        result = build(settings, instance)
    assert result.success
    assert check_counts(result)[1] == 0
    return path


def _query(path, sql, params=()):
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql, params).fetchall()


def _strike_incident(path):
    """The incident of the seed's report of the strikes on Iranian soil (Air/drone strike in IRN)."""
    (row,) = _query(
        path,
        "select incident_id from marts.fct_event_reports where article_id = ? "
        "and sub_event_type = 'Air/drone strike' and country_iso3 = 'IRN'",
        (SEED_ID,),
    )
    return row[0]


def test_both_reports_of_the_strikes_are_one_incident(warehouse):
    incident = _strike_incident(warehouse)
    articles = _query(
        warehouse,
        "select distinct article_id from marts.fct_event_reports where incident_id = ? order by 1",
        (incident,),
    )
    assert [a for (a,) in articles] == sorted([SEED_ID, "wire-followup"])
    ((n_reports, n_articles, n_sources, sub_type, country, day, killed_low, killed_best, killed_high),) = (
        _query(
            warehouse,
            "select n_reports, n_articles, n_sources, sub_event_type, country_iso3, event_date::varchar, "
            "killed_low, killed_best, killed_high from marts.fct_incidents where incident_id = ?",
            (incident,),
        )
    )
    assert (n_reports, n_articles, n_sources) == (2, 2, 2)
    assert (sub_type, country, day) == ("Air/drone strike", "IRN", "2024-01-18")
    # claims-v1: the later report's figure is the best, the claims span low..high
    assert (killed_low, killed_best, killed_high) == (7, 9, 9)


def test_the_incident_keeps_two_claims_of_different_size(warehouse):
    incident = _strike_incident(warehouse)
    claims = _query(
        warehouse,
        "select article_id, count_best, claimant_category, incident_best from marts.fct_casualty_claims "
        "where incident_id = ? and outcome = 'killed' order by article_id, count_best",
        (incident,),
    )
    totals = {}
    for article, count, _, chosen in claims:
        totals[article] = max(totals.get(article, 0), count)
        assert chosen == 9
    assert totals == {SEED_ID: 7, "wire-followup": 9}
    assert ("wire-followup", 9, "local officials", 9) in claims


def test_reports_of_one_article_stay_apart_and_the_pair_is_explained(warehouse):
    ((incidents, reports),) = _query(
        warehouse,
        "select count(distinct incident_id), count(*) from marts.fct_event_reports where article_id = ?",
        (SEED_ID,),
    )
    assert incidents == reports
    incident = _strike_incident(warehouse)
    ((kept, probability, gamma_date, gamma_words),) = _query(
        warehouse,
        "select is_kept, match_probability, gamma_event_date, gamma_keywords from marts.incident_links "
        "where incident_id_l = ? and is_same_incident",
        (incident,),
    )
    assert kept and probability >= 0.9 and gamma_date == 2  # the same day
    assert gamma_words in (-1, 0, 1, 2, 3)  # every comparison of the model is explained


def test_lineage_from_extraction_through_linking_to_the_marts(tmp_path):
    settings = Settings.from_env(
        {"ARTICLES_DIR": str(tmp_path), "WAREHOUSE_PATH": str(tmp_path / "w.duckdb")}
    )
    graph = build_definitions(settings).get_repository_def().asset_graph
    links = dg.AssetKey(["extracted", "incident_links"])
    assert dg.AssetKey(["extracted", "events"]) in graph.get(links).parent_keys
    assert links in graph.get(dg.AssetKey(["staging", "stg_extracted__incident_links"])).parent_keys
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    assert {
        "marts/fct_event_reports",
        "marts/fct_incidents",
        "marts/fct_casualty_claims",
        "marts/incident_links",
    } <= keys
    checks = {(key.asset_key.to_user_string(), key.name) for key in graph.asset_check_keys}
    assert ("marts/fct_event_reports", "not_null_fct_event_reports_incident_id") in checks
