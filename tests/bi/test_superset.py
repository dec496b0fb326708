"""`make test-bi`: Superset (from .venv-bi) over a small warehouse, its dashboards imported from bi/dashboards/,
every chart's data checked through Superset's API, both dashboards rendered in headless Chromium.

Slow (Superset's setup and start take a few minutes), so it runs only under `make test-bi`
(NEWSEVENTS_BI_TEST=1); `make test` skips it with that reason."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.acled_table import EVENTS, make_acled_warehouse

pytestmark = pytest.mark.bi

REPO = Path(__file__).resolve().parents[2]
BI_PYTHON = REPO / ".venv-bi" / "bin" / "python"
OVERVIEW = {
    "Events",
    "Fatalities",
    "Events by type",
    "Events by country",
    "Events per month",
    "Fatalities per month",
    "Events and fatalities by sub-event type",
    "Top actors (actor 1)",
}
EXPLORER = {"Events with their evidence sentence"}
# A second event that looks like XYZ2 in every column the explorer shows: both must be listed.
BI_EVENTS = [*EVENTS, ("XYZ5", *EVENTS[1][1:])]


def _missing() -> list[str]:
    missing = []
    if not BI_PYTHON.exists():
        missing.append(".venv-bi is absent (`make bi-install` creates it from bi/requirements.lock)")
    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        missing.append("headless Chromium is absent (apt-get install -y chromium chromium-driver)")
    return missing


@pytest.fixture(scope="module")
def superset(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    missing = _missing()
    if os.environ.get("NEWSEVENTS_BI_TEST") != "1":
        pytest.skip(
            "starts Superset and Chromium (minutes): run it with `make test-bi`"
            + "".join(f"; {m}" for m in missing)
        )
    if missing:
        pytest.fail("; ".join(missing))
    tmp = tmp_path_factory.mktemp("bi")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(
        os.environ,
        WAREHOUSE_PATH=str(make_acled_warehouse(tmp / "events.duckdb", BI_EVENTS)),
        SUPERSET_HOME=str(tmp / "superset"),
        SUPERSET_PORT=str(port),
        SUPERSET_SECRET_KEY=secrets.token_urlsafe(32),
        SUPERSET_ADMIN_PASSWORD="admin",
    )
    log = tmp / "superset.log"
    with log.open("w") as out:
        setup = subprocess.run(
            [BI_PYTHON, REPO / "bi" / "manage.py", "setup"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            timeout=900,
        )
    assert setup.returncode == 0, log.read_text()[-3000:]
    out = log.open("a")
    server = subprocess.Popen(
        [BI_PYTHON, REPO / "bi" / "manage.py", "serve"],
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                if requests.get(f"{base}/health", timeout=5).status_code == 200:
                    break
            except requests.RequestException:  # refused, or accepted while the worker boots
                pass
            assert server.poll() is None, f"Superset exited: {log.read_text()[-3000:]}"
            assert time.monotonic() < deadline, f"Superset not up after 300 s: {log.read_text()[-3000:]}"
            time.sleep(2)
        yield {"base": base, "env": env, "tmp": tmp}
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
        out.close()


@pytest.fixture(scope="module")
def api(superset: dict) -> requests.Session:
    session = requests.Session()
    login = session.post(
        f"{superset['base']}/api/v1/security/login",
        json={"username": "admin", "password": "admin", "provider": "db", "refresh": False},
        timeout=30,
    )
    login.raise_for_status()
    session.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
    return session


def _chart_data(superset: dict, api: requests.Session, slug: str) -> dict[str, list[dict]]:
    """Each chart of the dashboard: the rows Superset's chart data API returns for its saved query."""
    charts = api.get(f"{superset['base']}/api/v1/dashboard/{slug}/charts", timeout=60)
    charts.raise_for_status()
    data = {}
    for chart in charts.json()["result"]:
        response = api.get(f"{superset['base']}/api/v1/chart/{chart['id']}/data/", timeout=120)
        assert response.status_code == 200, (chart["slice_name"], response.text[:500])
        (result,) = response.json()["result"]
        assert result.get("error") is None, (chart["slice_name"], result["error"])
        data[chart["slice_name"]] = result["data"]
    return data


def test_the_warehouse_is_registered_read_only(superset: dict, api: requests.Session) -> None:
    databases = api.get(f"{superset['base']}/api/v1/database/", timeout=60).json()["result"]
    (db,) = [d for d in databases if d["database_name"] == "newsevents warehouse"]
    detail = api.get(f"{superset['base']}/api/v1/database/{db['id']}/connection", timeout=60).json()["result"]
    assert detail["sqlalchemy_uri"] == f"duckdb:///{superset['env']['WAREHOUSE_PATH']}?access_mode=read_only"
    assert detail["allow_dml"] is False


def test_pages_let_the_browser_load_nothing_from_other_hosts(superset: dict) -> None:
    """Superset's built frontend embeds a remote usage pixel; the Content Security Policy blocks it."""
    page = requests.get(f"{superset['base']}/login/", timeout=60)
    policy = dict(
        (d.split()[0], d.split()[1:]) for d in page.headers["Content-Security-Policy"].split(";") if d.strip()
    )
    assert policy["default-src"] == ["'self'"]
    sources = [s for values in policy.values() for s in values]
    assert not [s for s in sources if "http" in s or "." in s], sources  # no remote host, no scheme


def test_every_chart_of_the_overview_holds_the_warehouse_data(superset: dict, api: requests.Session) -> None:
    data = _chart_data(superset, api, "overview")
    assert set(data) == OVERVIEW
    assert all(rows for rows in data.values()), {name: len(rows) for name, rows in data.items()}

    deaths = [e[11] for e in BI_EVENTS if e[11] is not None]
    assert data["Events"] == [{"count": len(BI_EVENTS)}]
    assert data["Fatalities"] == [{"fatalities": sum(deaths)}]
    assert {r["event_type"]: r["count"] for r in data["Events by type"]} == {
        "Battles": 3,
        "Protests": 1,
        "Explosions/Remote violence": 1,
    }
    assert {r["iso3"]: r["count"] for r in data["Events by country"]} == {"RUR": len(BI_EVENTS)}
    assert sorted(r["count"] for r in data["Events per month"]) == [2, 3]  # May and March 2021
    assert {r["actor1"]: r["count"] for r in data["Top actors (actor 1)"]}["Northern Front"] == 3


def test_the_event_explorer_shows_each_event_with_its_sentence(superset: dict, api: requests.Session) -> None:
    data = _chart_data(superset, api, "events")
    assert set(data) == EXPLORER
    rows = data["Events with their evidence sentence"]
    assert len(rows) == len(BI_EVENTS)
    assert sorted(r["notes"] for r in rows) == sorted(e[12] for e in BI_EVENTS)


def test_dashboards_render_in_headless_chromium(superset: dict) -> None:
    shots = superset["tmp"] / "screenshots"
    run = subprocess.run(
        [BI_PYTHON, REPO / "bi" / "screenshot.py", shots, "overview", "events"],
        env=superset["env"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    seen = {r["dashboard"]: r for r in map(json.loads, run.stdout.splitlines())}
    assert (seen["overview"]["charts"], seen["overview"]["drawn"]) == (len(OVERVIEW), len(OVERVIEW))
    assert (seen["events"]["charts"], seen["events"]["drawn"]) == (len(EXPLORER), len(EXPLORER))
    assert seen["overview"]["problems"] == [] and seen["events"]["problems"] == []
    for slug in ("overview", "events"):
        png = Path(seen[slug]["screenshot"]).read_bytes()
        assert png.startswith(b"\x89PNG") and len(png) > 20_000, (slug, len(png))
