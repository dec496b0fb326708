"""bi/dashboards/ (Superset's YAML bundle) is consistent and `bi/manage.py bundle` fills in the warehouse
read-only. Needs no Superset: the full check is `make test-bi`."""

from __future__ import annotations

import importlib.util
import json
import zipfile
from pathlib import Path

import duckdb
import yaml

from tests.acled_table import make_acled_warehouse

REPO = Path(__file__).resolve().parents[2]
BUNDLE = REPO / "bi" / "dashboards"


def _manage():
    spec = importlib.util.spec_from_file_location("bi_manage", REPO / "bi" / "manage.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _load(folder: str) -> list[dict]:
    return [yaml.safe_load(p.read_text()) for p in sorted((BUNDLE / folder).rglob("*.yaml"))]


def test_every_reference_in_the_bundle_resolves(tmp_path: Path) -> None:
    (database,) = _load("databases")
    datasets = _load("datasets")
    charts = {c["uuid"]: c for c in _load("charts")}
    dashboards = {d["slug"]: d for d in _load("dashboards")}

    assert database["sqlalchemy_uri"] == "__WAREHOUSE_URI__" and database["allow_dml"] is False
    assert [(d["schema"], d["table_name"], d["database_uuid"]) for d in datasets] == [
        ("marts", "acled_events", database["uuid"])
    ]
    assert {c["dataset_uuid"] for c in charts.values()} == {datasets[0]["uuid"]}
    assert set(dashboards) == {"overview", "events"}
    in_dashboards = [
        node["meta"]["uuid"]
        for d in dashboards.values()
        for node in d["position"].values()
        if isinstance(node, dict) and node.get("type") == "CHART"
    ]
    assert sorted(in_dashboards) == sorted(charts)  # each chart on exactly one dashboard
    # Every chart keeps a saved query (what the chart data API and `make test-bi` run).
    assert all(json.loads(c["query_context"])["queries"] for c in charts.values())

    # The dataset's columns are the mart's: a chart or filter naming another column would fail.
    warehouse = make_acled_warehouse(tmp_path / "events.duckdb", [])
    with duckdb.connect(str(warehouse), read_only=True) as con:
        mart = {r[0] for r in con.execute("describe marts.acled_events").fetchall()}
    assert {c["column_name"] for c in datasets[0]["columns"]} == mart
    for d in dashboards.values():
        for f in d["metadata"]["native_filter_configuration"]:
            assert f["targets"][0]["column"]["name"] in mart


def test_the_test_warehouse_has_the_columns_dbt_documents_for_the_mart(tmp_path: Path) -> None:
    """tests/acled_table.py (used here, by the report's and by the BI tests) follows the dbt contract."""
    models = yaml.safe_load((REPO / "dbt_project" / "models" / "marts" / "_models.yml").read_text())
    (model,) = [m for m in models["models"] if m["name"] == "acled_events"]
    warehouse = make_acled_warehouse(tmp_path / "events.duckdb", [])
    with duckdb.connect(str(warehouse), read_only=True) as con:
        columns = [r[0] for r in con.execute("describe marts.acled_events").fetchall()]
    assert columns == [c["name"] for c in model["columns"]]


def test_bundle_registers_the_warehouse_read_only(tmp_path: Path) -> None:
    manage = _manage()
    cfg = {"warehouse": str(tmp_path / "w" / "events.duckdb"), "home": str(tmp_path / "superset")}
    archive = manage.bundle(cfg)
    with zipfile.ZipFile(archive) as zf:
        names = zf.namelist()
        texts = {n: zf.read(n).decode() for n in names}
    assert len(names) == len(list(BUNDLE.rglob("*.yaml")))
    assert all(n.startswith("newsevents_dashboards/") for n in names)
    (db,) = [yaml.safe_load(t) for n, t in texts.items() if "/databases/" in n]
    assert db["sqlalchemy_uri"] == f"duckdb:///{tmp_path}/w/events.duckdb?access_mode=read_only"
    assert not any("__WAREHOUSE_URI__" in t for t in texts.values())
