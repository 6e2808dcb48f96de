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
            page.context.add_init_script(TRACK)      # wait_idle's script state and action times, in every document
            yield page
        finally:
            browser.close()


# Streamlit writes its script state on the app root (data-test-script-state: initial, running, notRunning, ...; its
# own end-to-end tests wait on it). The running indicator (stStatusWidget) is no signal: it shows only after a run has
# gone 500 ms without drawing anything, so a page that streams its elements never shows it. TRACK, run in every
# document, notes when a run last started and ended and when the user last acted (a click, a key, a file), so that a
# wait called after an action knows whether the rerun that action asked for has begun.
TRACK = """(() => {
  if (window.__stTrack) return;
  const t = window.__stTrack = {runs: 0, runAt: -1, idleAt: -1, inputAt: -1, state: null};
  new MutationObserver(() => {
    const app = document.querySelector('[data-testid=stApp]');
    const s = app ? app.getAttribute('data-test-script-state') : null;
    if (s === t.state) return;
    if (s === 'running' || s === 'rerunRequested') { t.runs += 1; t.runAt = performance.now(); }
    if (s === 'notRunning') t.idleAt = performance.now();
    t.state = s;
  }).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-test-script-state']});
  for (const kind of ['pointerdown', 'keydown', 'input', 'change', 'drop'])
    addEventListener(kind, () => { t.inputAt = performance.now(); }, true);
})()"""
IDLE = """([grace, quiet]) => {
  const app = document.querySelector('[data-testid=stApp]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning'
      || app.getAttribute('data-test-connection-state') !== 'CONNECTED') return false;
  if (document.querySelector('[data-testid=stSkeleton]')) return false;
  const t = window.__stTrack, now = performance.now();
  if (t.idleAt < 0) t.idleAt = now;            // TRACK came after the run ended: count from now
  // no run for `quiet` ms (st.rerun() starts the next run a moment after the last one ended), and after an action
  // the run it asked for has started (and, notRunning, ended), or none came within `grace` ms
  return now - t.idleAt >= quiet && (t.runAt > t.inputAt || now - t.inputAt > grace);
}"""
RERUN_GRACE_MS = 1000      # an action that asks for a rerun sees it start within this (a click on an expander never)
QUIET_MS = 400             # a page is done when no run has started for this long after the last one ended


def wait_idle(page, timeout: float = 90_000) -> None:
    """Wait until Streamlit has finished the script run the page is showing and the one the last click, key or file
    asked for, and no other has followed for QUIET_MS."""
    if not page.evaluate("() => !!window.__stTrack"):
        # a page whose context has no TRACK (add it: context.add_init_script(TRACK)): the actions before this call
        # are not known, so it waits as for an action just made
        page.evaluate(TRACK)
        page.evaluate("() => { window.__stTrack.inputAt = performance.now(); }")
    page.wait_for_function(IDLE, arg=[RERUN_GRACE_MS, QUIET_MS], timeout=timeout, polling=50)


def wait_for_app(page, timeout: float = 90_000) -> None:
    """Wait until Streamlit has rendered a page (a heading or a message in the main area) and its script run, and the
    one the last action asked for, have finished (wait_idle)."""
    page.wait_for_selector("[data-testid='stApp']", timeout=timeout)
    page.wait_for_selector("[data-testid='stMain'] h1, [data-testid='stAlert']", timeout=timeout)
    wait_idle(page, timeout)


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
