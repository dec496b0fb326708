"""`make report`: a self-contained HTML summary of the warehouse, for people who have no BI server.

`write_report(warehouse, out)` reads `marts.acled_events` read-only and writes one HTML file that opens
offline: the charts are Vega-Lite specs drawn with altair, their data inline in the page, and the
vega-embed JavaScript (Vega, Vega-Lite, vega-embed) is inlined from vl-convert's bundle; no script or
stylesheet is fetched. The map draws events by latitude/longitude over Natural Earth's land at 1:110m
(`report_assets/land-110m.json`, shipped with the code).

    python -m orchestration.report [WAREHOUSE] [--out HTML]   # default: warehouse/events.duckdb -> warehouse/report.html
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import html
import json
import sys
from pathlib import Path

import altair as alt
import duckdb
import polars as pl

ASSETS = Path(__file__).resolve().parent / "report_assets"
TABLE = "marts.acled_events"
TOP_ACTORS = 15
DEADLIEST = 10
WIDTH = 760


def _frame(con: duckdb.DuckDBPyConnection, sql: str) -> pl.DataFrame:
    return con.execute(sql).pl()


def report_data(warehouse_path: Path) -> dict[str, pl.DataFrame | dict]:
    """The figures the report draws, each one query over `marts.acled_events` (read-only)."""
    con = duckdb.connect(str(warehouse_path), read_only=True)
    try:
        totals = con.execute(
            f"""
            select count(*) as events,
                   count(*) filter (where fatalities_stated) as events_with_toll,
                   coalesce(sum(fatalities), 0)::bigint as fatalities,
                   count(distinct country) as countries,
                   count(distinct article_id) as articles,
                   min(event_date) as first_date,
                   max(event_date) as last_date
            from {TABLE}
            """
        ).fetchone()
        names = [
            "events",
            "events_with_toll",
            "fatalities",
            "countries",
            "articles",
            "first_date",
            "last_date",
        ]
        points = _frame(
            con,
            f"""
            select round(latitude, 2) as latitude, round(longitude, 2) as longitude,
                   any_value(coalesce(location, admin1, country)) as place,
                   any_value(country) as country,
                   count(*) as events,
                   coalesce(sum(fatalities), 0)::bigint as fatalities
            from {TABLE}
            where latitude is not null and longitude is not null
            group by 1, 2
            order by events desc
            """,
        )
        monthly = _frame(
            con,
            f"""
            select date_trunc('month', event_date)::date as month,
                   count(*) as events,
                   coalesce(sum(fatalities), 0)::bigint as fatalities
            from {TABLE}
            where event_date is not null
            group by 1 order by 1
            """,
        )
        by_type = _frame(
            con,
            f"""
            select event_type, sub_event_type, count(*) as events, coalesce(sum(fatalities), 0)::bigint as fatalities
            from {TABLE}
            group by 1, 2 order by events desc
            """,
        )
        actors = _frame(
            con,
            f"""
            with roles as (
                select actor1 as actor, event_id_cnty, fatalities from {TABLE} where actor1 is not null
                union all
                select actor2, event_id_cnty, fatalities from {TABLE}
                where actor2 is not null and actor2 is distinct from actor1
            )
            select actor, count(distinct event_id_cnty) as events, coalesce(sum(fatalities), 0)::bigint as fatalities
            from roles group by actor order by events desc, actor limit {TOP_ACTORS}
            """,
        )
        deadliest = _frame(
            con,
            f"""
            select event_date, country, coalesce(location, admin1, country) as place, sub_event_type,
                   actor1, actor2, fatalities, notes
            from {TABLE}
            where fatalities_stated
            order by fatalities desc, event_date, event_id_cnty limit {DEADLIEST}
            """,
        )
    finally:
        con.close()
    return {
        "totals": dict(zip(names, totals, strict=True)),
        "points": points,
        "monthly": monthly,
        "by_type": by_type,
        "actors": actors,
        "deadliest": deadliest,
    }


def _values(frame: pl.DataFrame) -> list[dict]:
    """Rows as JSON-ready dicts (dates as ISO strings) for a chart's inline data."""
    return json.loads(frame.write_json())


def charts(data: dict) -> dict[str, alt.TopLevelMixin]:
    """The four charts, as altair objects (their data inline)."""
    land = json.loads((ASSETS / "land-110m.json").read_text())
    basemap = alt.Chart(
        alt.Data(values=land, format=alt.TopoDataFormat(type="topojson", feature="land"))
    ).mark_geoshape(fill="#e8e8e8", stroke="#bbbbbb", strokeWidth=0.5)
    points = (
        alt.Chart(alt.Data(values=_values(data["points"])))
        .mark_circle(opacity=0.6, color="#c0392b", stroke="#7b241c", strokeWidth=0.3)
        .encode(
            longitude="longitude:Q",
            latitude="latitude:Q",
            size=alt.Size("events:Q", title="events", scale=alt.Scale(range=[12, 600])),
            tooltip=["place:N", "country:N", "events:Q", "fatalities:Q", "latitude:Q", "longitude:Q"],
        )
    )
    event_map = (
        alt.layer(basemap, points)
        .project(type="equalEarth")
        .properties(width=WIDTH, height=400, title="Events by place (circle area = number of events)")
    )

    monthly = alt.Data(values=_values(data["monthly"]))
    base = alt.Chart(monthly).encode(x=alt.X("month:T", title=None))
    over_time = alt.vconcat(
        base.mark_bar(color="#2c3e50")
        .encode(y=alt.Y("events:Q", title="events"), tooltip=["month:T", "events:Q"])
        .properties(width=WIDTH, height=150, title="Events per month"),
        base.mark_bar(color="#c0392b")
        .encode(y=alt.Y("fatalities:Q", title="fatalities"), tooltip=["month:T", "fatalities:Q"])
        .properties(width=WIDTH, height=150, title="Fatalities per month"),
    )

    by_type = (
        alt.Chart(alt.Data(values=_values(data["by_type"])))
        .mark_bar()
        .encode(
            y=alt.Y("event_type:N", sort="-x", title=None),
            x=alt.X("sum(events):Q", title="events"),
            color=alt.Color("sub_event_type:N", title="sub-event type", legend=alt.Legend(columns=1)),
            tooltip=["event_type:N", "sub_event_type:N", "events:Q", "fatalities:Q"],
        )
        .properties(width=WIDTH - 260, height=220, title="Events by type and sub-type")
    )

    actors = (
        alt.Chart(alt.Data(values=_values(data["actors"])))
        .mark_bar(color="#2c3e50")
        .encode(
            y=alt.Y("actor:N", sort="-x", title=None),
            x=alt.X("events:Q", title="events (as actor 1 or actor 2)"),
            tooltip=["actor:N", "events:Q", "fatalities:Q"],
        )
        .properties(
            width=WIDTH - 260, height=22 * max(len(data["actors"]), 1), title=f"Top {TOP_ACTORS} actors"
        )
    )
    return {"map": event_map, "over_time": over_time, "by_type": by_type, "actors": actors}


def _script_json(obj: object) -> str:
    """JSON safe inside a <script> element (no '</' to close it early)."""
    return json.dumps(obj, default=str).replace("</", "<\\/").replace("<!--", "<\\!--")


@functools.cache
def _vegaembed_bundle() -> str:
    import vl_convert as vlc
    from altair.vegalite import SCHEMA_VERSION

    return vlc.javascript_bundle(vl_version="_".join(SCHEMA_VERSION.split(".")[:2]))


def _deadliest_table(frame: pl.DataFrame) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in frame.columns)
    rows = []
    for row in frame.iter_rows():
        cells = "".join(f"<td>{html.escape('' if v is None else str(v))}</td>" for v in row)
        rows.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def render_html(data: dict, warehouse_path: Path) -> str:
    t = data["totals"]
    specs = {name: chart.to_dict() for name, chart in charts(data).items()}
    generated = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    summary = (
        f"{t['events']:,} events from {t['articles']:,} articles in {t['countries']:,} countries, "
        f"{t['first_date'] or '?'} to {t['last_date'] or '?'}; {t['fatalities']:,} fatalities stated "
        f"on {t['events_with_toll']:,} events (the others state no toll: ACLED codes them 0)."
    )
    divs = "\n".join(f'<section><div class="chart" id="chart-{name}"></div></section>' for name in specs)
    embeds = "\n".join(
        f"vegaEmbed('#chart-{name}', {_script_json(spec)}, {{actions: false}}).catch(console.error);"
        for name, spec in specs.items()
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>newsevents report</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1000px; color: #222; }}
section {{ margin: 2em 0; }}
table {{ border-collapse: collapse; font-size: 0.85em; }}
th, td {{ border: 1px solid #ddd; padding: 4px 6px; vertical-align: top; text-align: left; }}
th {{ background: #f4f4f4; }}
.note {{ color: #666; font-size: 0.85em; }}
</style>
<script type="text/javascript">
{_vegaembed_bundle()}
</script>
</head>
<body>
<h1>newsevents: warehouse report</h1>
<p id="summary">{html.escape(summary)}</p>
<p class="note">From <code>{html.escape(TABLE)}</code> in <code>{html.escape(str(warehouse_path))}</code>,
generated {generated}. Charts are interactive (hover for figures) and need no network.</p>
{divs}
<section>
<h2>Deadliest events, with the sentence that states them</h2>
{_deadliest_table(data["deadliest"])}
</section>
<script type="text/javascript">
{embeds}
</script>
</body>
</html>
"""


def write_report(warehouse_path: Path, out_path: Path | None = None) -> Path:
    """Write the HTML report of the warehouse at `warehouse_path` to `out_path` (default: report.html
    beside it) and return that path. The warehouse is opened read-only."""
    warehouse_path = Path(warehouse_path)
    out_path = Path(out_path) if out_path else warehouse_path.parent / "report.html"
    if not warehouse_path.exists():
        raise FileNotFoundError(f"no warehouse at {warehouse_path}: run `make run` first")
    page = render_html(report_data(warehouse_path), warehouse_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_path.with_suffix(out_path.suffix + ".tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(out_path)
    return out_path


def main(argv: list[str] | None = None) -> int:
    from orchestration.settings import Settings

    parser = argparse.ArgumentParser(
        prog="python -m orchestration.report", description=__doc__.split("\n")[0]
    )
    parser.add_argument("warehouse", nargs="?", type=Path, help="DuckDB file [WAREHOUSE_PATH]")
    parser.add_argument("--out", type=Path, help="HTML file [report.html beside the warehouse]")
    args = parser.parse_args(argv)
    warehouse = args.warehouse or Settings.from_env().warehouse_path
    try:
        out = write_report(warehouse, args.out)
    except (FileNotFoundError, duckdb.CatalogException) as exc:
        print(f"report not written: {exc}", file=sys.stderr)
        return 1
    print(f"report: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
