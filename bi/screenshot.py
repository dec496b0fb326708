"""Render Superset dashboards in headless Chromium and save screenshots (run with `.venv-bi/bin/python`).

    python bi/screenshot.py OUT_DIR [SLUG ...]      # default slugs: overview events

Logs in through Superset's own login form (user admin, SUPERSET_ADMIN_PASSWORD [admin]), opens each
dashboard at http://127.0.0.1:SUPERSET_PORT/superset/dashboard/<slug>/, waits until every chart has
finished loading, and writes OUT_DIR/<slug>.png. Prints one JSON line per dashboard: the number of
charts, how many rendered something (an svg or canvas, a table row or a big number), and the text of
any chart that shows an error or "No results". Uses Debian's `chromium` and `chromium-driver`
(selenium comes with Superset); nothing is downloaded.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

BASE = f"http://127.0.0.1:{os.environ.get('SUPERSET_PORT') or '8088'}"
PASSWORD = os.environ.get("SUPERSET_ADMIN_PASSWORD") or "admin"
TIMEOUT = 120

# Per chart holder: did it draw, and does it say it failed or found nothing?
PROBE = """
const holders = [...document.querySelectorAll('.dashboard-component-chart-holder')];
return holders.map(h => ({
  name: (h.querySelector('.header-title, [data-test="editable-title"]') || {}).innerText || '',
  loading: !!h.querySelector('.loading, [aria-label="Loading"], .ant-skeleton'),
  drawn: !!h.querySelector('svg path, canvas, table tbody tr, .header-line, .big-number, [data-test="big-number"]'),
  problem: [...h.querySelectorAll('.alert, .ant-alert, [role="alert"], .ant-empty-description')]
      .map(e => e.innerText.trim()).filter(t => t).join(' | ')
    || ((h.innerText.match(/No results|Unexpected error|error occurred/) || [])[0] || ''),
}));
"""


def driver() -> webdriver.Chrome:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    chromedriver = shutil.which("chromedriver")
    if not (chromium and chromedriver):
        sys.exit("headless Chromium is missing: apt-get install -y chromium chromium-driver")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        "--window-size=1600,1800",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--metrics-recording-only",
        "--disable-extensions",
    ):
        options.add_argument(arg)
    return webdriver.Chrome(service=Service(chromedriver), options=options)


def login(browser: webdriver.Chrome) -> None:
    browser.get(f"{BASE}/login/")
    wait = WebDriverWait(browser, TIMEOUT)
    user = wait.until(
        ec.presence_of_element_located((By.CSS_SELECTOR, "input#username, input[name='username']"))
    )
    user.send_keys("admin")
    browser.find_element(
        By.CSS_SELECTOR, "input#password, input[name='password'], input[type='password']"
    ).send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "button[type='submit'], input[type='submit']").click()
    wait.until(lambda b: "/login" not in b.current_url)


def capture(browser: webdriver.Chrome, slug: str, out_dir: Path) -> dict:
    browser.get(f"{BASE}/superset/dashboard/{slug}/?standalone=1")
    wait = WebDriverWait(browser, TIMEOUT)
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, ".dashboard-component-chart-holder")))
    deadline = time.monotonic() + TIMEOUT
    charts = browser.execute_script(PROBE)
    while time.monotonic() < deadline:
        charts = browser.execute_script(PROBE)
        if charts and all((c["drawn"] or c["problem"]) and not c["loading"] for c in charts):
            break
        time.sleep(1)
    time.sleep(2)  # let animations settle before the picture
    height = browser.execute_script("return document.body.scrollHeight")
    browser.set_window_size(1600, max(900, min(int(height) + 100, 6000)))
    time.sleep(1)
    png = out_dir / f"{slug}.png"
    browser.save_screenshot(str(png))
    return {
        "dashboard": slug,
        "screenshot": str(png),
        "charts": len(charts),
        "drawn": sum(1 for c in charts if c["drawn"]),
        "problems": [c for c in charts if c["problem"] or c["loading"]],
    }


def main(argv: list[str]) -> int:
    if not argv:
        sys.exit(__doc__)
    out_dir = Path(argv[0])
    out_dir.mkdir(parents=True, exist_ok=True)
    slugs = argv[1:] or ["overview", "events"]
    browser = driver()
    try:
        login(browser)
        for slug in slugs:
            print(json.dumps(capture(browser, slug, out_dir)), flush=True)
    finally:
        browser.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
