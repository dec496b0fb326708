"""Incremental runs: only new and changed articles are extracted, dbt's staging inserts only new
parts and drops removed ones, and the warehouse equals a full rebuild on the same input."""

from __future__ import annotations

import json
import shutil

import dagster as dg
import duckdb
import polars as pl
import pytest

from orchestration.run import build
from orchestration.settings import Settings
from tests.conftest import REPO

pytestmark = pytest.mark.integration

MUC_SEED = REPO / "seeds" / "muc4_dev.jsonl"


def _write(folder, name, records):
    (folder / name).write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


def _build(corpus, warehouse, **env):
    settings = Settings.from_env(
        {"ARTICLES_DIR": str(corpus), "WAREHOUSE_PATH": str(warehouse), **{k: str(v) for k, v in env.items()}}
    )
    with dg.DagsterInstance.ephemeral() as instance:
        result = build(settings, instance)
        assert result.success
        event = instance.get_latest_materialization_event(dg.AssetKey(["extracted", "events"]))
        metadata = event.asset_materialization.metadata
        return {k: metadata[k].value for k in ("articles_extracted", "articles_reused", "new_parts")}


def _marts(warehouse) -> dict[str, list]:
    """Every mart table's rows in a total order."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = [
            t
            for (t,) in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts' order by 1"
            ).fetchall()
        ]
        return {t: con.execute(f"select * from marts.{t} order by all").fetchall() for t in tables}  # noqa: S608


def _staging_part_count(warehouse) -> int:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(
            "select count(distinct extraction_part) from staging.stg_extracted__events"
        ).fetchone()[0]


def test_incremental_runs_extract_only_what_changed_and_equal_a_full_rebuild(tmp_path):
    records = [json.loads(line) for line in MUC_SEED.read_text(encoding="utf-8").splitlines()[:70]]
    corpus = tmp_path / "articles"
    corpus.mkdir()
    _write(corpus, "a.jsonl", records[:30])
    _write(corpus, "b.jsonl", records[30:60])
    warehouse = tmp_path / "incremental" / "events.duckdb"
    small_parts = {"EXTRACT_BATCH_MB": 0.02, "EXTRACT_WORKERS": 2}  # several parts, two processes

    first = _build(corpus, warehouse, **small_parts)
    assert first["articles_extracted"] == 60 and first["articles_reused"] == 0
    assert len(first["new_parts"]) >= 3

    unchanged = _build(corpus, warehouse, **small_parts)
    assert unchanged == {"articles_extracted": 0, "articles_reused": 60, "new_parts": []}

    # 10 new articles, one edited, one removed.
    _write(corpus, "c.jsonl", records[60:70])
    edited = [dict(r) for r in records[30:60]]
    edited[0]["text"] += "\nFIVE PEASANTS WERE KILLED IN THE ATTACK, THE ARMY SAID."
    assert edited[0]["text"] != records[30]["text"]
    _write(corpus, "b.jsonl", edited[:-1])
    grown = _build(corpus, warehouse, **small_parts)
    assert grown["articles_reused"] + grown["articles_extracted"] == 69
    assert 11 <= grown["articles_extracted"] < 69, grown  # the new and changed, plus their part-mates
    assert grown["articles_reused"] > 0

    rebuilt = tmp_path / "rebuild" / "events.duckdb"
    full = _build(corpus, rebuilt, EXTRACT_BATCH_MB=4, EXTRACT_WORKERS=1)  # one part, in process
    assert full["articles_extracted"] == 69
    incremental_marts, rebuilt_marts = _marts(warehouse), _marts(rebuilt)
    assert incremental_marts.keys() == rebuilt_marts.keys()
    for table in incremental_marts:
        assert incremental_marts[table] == rebuilt_marts[table], table
    assert _staging_part_count(warehouse) > _staging_part_count(rebuilt) == 1
    # Staging holds exactly the parts in use: the removed article's old part is gone.
    manifest = pl.read_parquet(warehouse.parent / "extracted" / "parts.parquet")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        staged = {
            p
            for (p,) in con.execute(
                "select distinct extraction_part from staging.stg_extracted__sentences"
            ).fetchall()
        }
        articles = {a for (a,) in con.execute("select article_id from marts.dim_articles").fetchall()}
    assert staged == set(manifest["part_id"].to_list())
    assert records[59]["id"] not in articles and records[65]["id"] in articles


def test_a_changed_dbt_project_rebuilds_from_scratch(tmp_path, monkeypatch):
    from orchestration.assets import warehouse as warehouse_assets

    corpus = tmp_path / "articles"
    corpus.mkdir()
    shutil.copy(MUC_SEED, corpus / "muc.jsonl")
    lines = (corpus / "muc.jsonl").read_text(encoding="utf-8").splitlines()[:5]
    (corpus / "muc.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    published = tmp_path / "w" / "events.duckdb"
    _build(corpus, published)
    fingerprint = warehouse_assets.published_fingerprint(published)
    assert fingerprint == warehouse_assets.dbt_fingerprint()
    working = tmp_path / "w" / "events.duckdb.building"
    assert warehouse_assets.start_working_file(published, working, fingerprint) is True
    assert working.stat().st_size == published.stat().st_size
    assert warehouse_assets.start_working_file(published, working, "another-project") is False
    assert not working.exists()
