"""A small warehouse holding only `marts.acled_events`, in ACLED's columns, for the report and BI tests."""

from __future__ import annotations

from pathlib import Path

import duckdb

COLUMNS = """
    event_id_cnty varchar, event_date date, year integer, time_precision integer, disorder_type varchar,
    event_type varchar, sub_event_type varchar, actor1 varchar, assoc_actor_1 varchar, inter1 integer,
    actor2 varchar, assoc_actor_2 varchar, inter2 integer, interaction integer, civilian_targeting varchar,
    iso integer, iso3 varchar, country varchar, admin1 varchar, admin2 varchar, admin3 varchar,
    location varchar, latitude double, longitude double, geo_precision integer, source varchar,
    notes varchar, fatalities integer, fatalities_stated boolean, fatalities_low integer,
    fatalities_high integer, fatalities_high_is_open boolean, injured integer, published_date date,
    event_id varchar, article_id varchar, url varchar, char_start integer, char_end integer
"""

# (id, date, event type, sub-event type, actor1, actor2, iso3, country, location, lat, lon, fatalities, notes);
# fatalities None is a toll the text does not state: stored as 0 with fatalities_stated false, as ACLED codes it
EVENTS = [
    (
        "XYZ1",
        "2021-03-04",
        "Battles",
        "Armed clash",
        "Military Forces of Ruritania",
        "Northern Front",
        "RUR",
        "Ruritania",
        "Strelsau",
        45.5,
        12.25,
        7,
        "Soldiers and Northern Front fighters clashed near Strelsau.",
    ),
    (
        "XYZ2",
        "2021-03-19",
        "Battles",
        "Armed clash",
        "Northern Front",
        "Military Forces of Ruritania",
        "RUR",
        "Ruritania",
        "Zenda",
        46.0,
        13.0,
        None,
        "Fighting resumed at Zenda, officials said.",
    ),
    (
        "XYZ3",
        "2021-05-02",
        "Protests",
        "Peaceful protest",
        "Protesters </script><script>alert(1)",
        None,
        "RUR",
        "Ruritania",
        "Strelsau",
        45.5,
        12.25,
        0,
        "Hundreds marched in Strelsau </script><script>alert(2)",
    ),
    (
        "XYZ4",
        "2021-05-20",
        "Explosions/Remote violence",
        "Shelling/artillery/missile attack",
        "Northern Front",
        "Civilians (Ruritania)",
        "RUR",
        "Ruritania",
        None,
        None,
        None,
        311,
        "Shells hit a market, killing 311 people.",
    ),
]


def make_acled_warehouse(path: Path, events: list[tuple] = EVENTS) -> Path:
    """A DuckDB file at `path` whose `marts.acled_events` (the columns of the real mart) holds `events`,
    the columns they do not give NULL."""
    con = duckdb.connect(str(path))
    try:
        con.execute("create schema marts")
        con.execute(f"create table marts.acled_events ({COLUMNS})")
        for i, (eid, date, etype, sub, a1, a2, iso3, country, loc, lat, lon, deaths, notes) in enumerate(
            events
        ):
            con.execute(
                """insert into marts.acled_events (event_id_cnty, event_date, year, event_type, sub_event_type,
                       actor1, actor2, iso3, country, location, latitude, longitude, fatalities,
                       fatalities_stated, notes, article_id)
                   values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                [
                    eid,
                    date,
                    int(date[:4]),
                    etype,
                    sub,
                    a1,
                    a2,
                    iso3,
                    country,
                    loc,
                    lat,
                    lon,
                    deaths or 0,
                    deaths is not None,
                    notes,
                    f"a{i % 2}",
                ],
            )
    finally:
        con.close()
    return path
