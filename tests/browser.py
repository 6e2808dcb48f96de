"""Browser-test support: start the real app on a free port with its own warehouse, drive Debian chromium."""
from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
                 "--no-first-run", "--disable-component-update", "--disable-sync"]
# the test run's demo warehouse file by latest month (tests/conftest.py demo_template; scale 0.3 like below)
DEMO_TEMPLATES: dict[str, Path] = {}


def free_port() -> int:
    with contextlib.closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_app(warehouse: Path, latest: str, extra_env: dict | None = None, db_url: str | None = None,
                extra_args: tuple[str, ...] = ()):
    """Give this server a demo warehouse file of its own (DuckDB locks the file per process) and serve; with
    `db_url` the server uses that warehouse instead (`warehouse` then only names the log file)."""
    env = {**os.environ, "DASHBOARD_DB_URL": db_url or f"duckdb:///{warehouse}", "DASHBOARD_LATEST_MONTH": latest,
           **(extra_env or {})}
    if db_url is None and not warehouse.exists() and latest in DEMO_TEMPLATES:
        shutil.copy(DEMO_TEMPLATES[latest], warehouse)    # the same demo build as below, made once per test run
    elif db_url is None and not warehouse.exists():
        subprocess.run([sys.executable, "-m", "data_sources.demo", "--scale", "0.3", "--latest", latest],
                       cwd=ROOT, env=env, check=True, capture_output=True)
    port = free_port()
    log = open(warehouse.with_suffix(".log"), "w")
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port),
                             "--server.headless", "true", "--browser.gatherUsageStats", "false", *extra_args],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                urllib.request.urlopen(url + "/_stcore/health", timeout=2)
                break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError(f"streamlit exited: {warehouse.with_suffix('.log').read_text()[-2000:]}")
                time.sleep(0.5)
        else:
            raise RuntimeError("streamlit did not become healthy in 60 s")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@contextlib.contextmanager
def browser_page(width: int = 1400, height: int = 1000):
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{CHROMIUM} is missing in CI: scripts/test.sh installs it")
        pytest.skip(f"{CHROMIUM} not installed (scripts/test.sh installs it)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height}, accept_downloads=True)
            yield page
        finally:
            browser.close()


def wait_for_app(page, timeout: float = 90_000) -> None:
    """Wait until Streamlit has rendered a page and stayed idle (no running indicator) for 1.5 s."""
    page.wait_for_selector("[data-testid='stApp']", timeout=timeout)
    page.wait_for_selector("[data-testid='stMain'] h1, [data-testid='stAlert']", timeout=timeout)
    idle, waited = 0, 0
    while idle < 3 and waited < timeout:
        running = page.locator("[data-testid='stStatusWidget']").count() > 0 or \
            page.locator("[data-stale='true']").count() > 0
        idle = 0 if running else idle + 1
        page.wait_for_timeout(500)
        waited += 500


CHARTS_DRAWN = """async () => {
  const frame = () => new Promise(r => requestAnimationFrame(() => r()));
  const sizes = () => [...document.querySelectorAll('[data-testid=stVegaLiteChart] canvas, '
      + '[data-testid=stVegaLiteChart] svg')].map(e => { const b = e.getBoundingClientRect(); return [b.width, b.height]; })
      .join();
  let last = sizes(), same = 0, frames = 0;
  while (same < 3 && frames < 300) { await frame(); frames++; const now = sizes(); same = now === last ? same + 1 : 0; last = now; }
  return frames;
}"""


def charts_drawn(page) -> int:
    """Wait until every Vega chart has kept its drawn size for three animation frames (a chart redraws after a
    window resize, and grows while it is first drawn); the number of frames waited."""
    return page.evaluate(CHARTS_DRAWN)


def choose(page, label: str, option: str) -> None:
    """Pick an option of a Streamlit selectbox by its visible label, as a person would."""
    box = page.get_by_label(label, exact=False).first
    # a box at the very bottom edge of the window does not open on a click (the menu grew): centre it first
    box.evaluate("e => e.scrollIntoView({block: 'center'})")
    box.click()
    page.get_by_role("option", name=option, exact=True).click()
    wait_for_app(page)


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
