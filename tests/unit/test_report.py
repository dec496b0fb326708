"""`orchestration.report`: the HTML summary is built from `marts.acled_events`, holds the charts' data
and loads nothing from the network."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from orchestration.report import write_report
from tests.acled_table import make_acled_warehouse


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    return make_acled_warehouse(tmp_path / "events.duckdb")


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append((tag, dict(attrs)))


def _tags(page: str) -> list[tuple[str, dict]]:
    """The page's elements as a browser's tokenizer sees them (script bodies are not markup)."""
    parser = _Tags()
    parser.feed(page)
    return parser.tags


def _specs(page: str) -> dict[str, dict]:
    """The Vega-Lite spec embedded for each chart div, parsed back from the page."""
    specs = {}
    for name, spec in re.findall(r"vegaEmbed\('#chart-(\w+)', (\{.*?\}), \{actions: false\}\)", page):
        specs[name] = json.loads(spec.replace("<\\/", "</").replace("<\\!--", "<!--"))
    return specs


def _datasets(spec: dict) -> list[dict]:
    rows: list[dict] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("data"), dict) and isinstance(node["data"].get("values"), list):
                rows.extend(r for r in node["data"]["values"] if isinstance(r, dict))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(spec)
    for values in spec.get("datasets", {}).values():
        rows.extend(r for r in values if isinstance(r, dict))
    return rows


def test_report_holds_the_charts_data_and_loads_nothing_remote(warehouse: Path, tmp_path: Path) -> None:
    out = write_report(warehouse, tmp_path / "out" / "report.html")
    page = out.read_text(encoding="utf-8")

    assert out == tmp_path / "out" / "report.html"
    specs = _specs(page)
    assert set(specs) == {"map", "over_time", "by_type", "actors"}

    # Map: the three located events at two places; the unlocated one is not drawn.
    points = [r for r in _datasets(specs["map"]) if "events" in r]
    assert sorted((p["place"], p["events"], p["fatalities"]) for p in points) == [
        ("Strelsau", 2, 7),
        ("Zenda", 1, 0),
    ]
    # Over time: March has 2 events and 7 stated deaths, May 2 events and 311.
    months = {r["month"][:7]: (r["events"], r["fatalities"]) for r in _datasets(specs["over_time"])}
    assert months == {"2021-03": (2, 7), "2021-05": (2, 311)}
    # Types and actors: Northern Front takes part in three events (actor 1 or 2).
    types = {r["sub_event_type"]: r["events"] for r in _datasets(specs["by_type"])}
    assert types["Armed clash"] == 2
    actors = {r["actor"]: r["events"] for r in _datasets(specs["actors"])}
    assert actors["Northern Front"] == 3
    assert actors["Military Forces of Ruritania"] == 2
    # Headline figures, and the deadliest events with their sentence.
    assert "4 events from 2 articles in 1 countries" in page
    assert "318 fatalities stated on 3 events" in page
    assert "Shells hit a market, killing 311 people." in page


def test_report_is_self_contained(warehouse: Path, tmp_path: Path) -> None:
    page = write_report(warehouse, tmp_path / "report.html").read_text(encoding="utf-8")
    # No script, stylesheet, image or frame is loaded from anywhere: everything is inline.
    tags = _tags(page)
    assert [t for t, _ in tags if t == "script"] == ["script", "script"]
    assert [(t, a) for t, a in tags if "src" in a or (t == "link" and "href" in a)] == []
    assert "vegaEmbed" in page and len(page) > 200_000  # the vega-embed bundle is inlined
    # Text from the data cannot close the script element or inject markup.
    assert "</script><script>alert(1)" not in page and "</script><script>alert(2)" not in page
    assert "Protesters <\\/script><script>alert(1)" in page  # in the actors chart's data
    assert "Hundreds marched in Strelsau &lt;/script&gt;" in page  # in the deadliest-events table
    assert page.count("</script>") == 2  # the bundle and the embeds: data closes no script element


def test_report_defaults_beside_the_warehouse(warehouse: Path) -> None:
    out = write_report(warehouse)
    assert out == warehouse.parent / "report.html" and out.stat().st_size > 0


def test_report_needs_a_warehouse(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        write_report(tmp_path / "missing.duckdb")
