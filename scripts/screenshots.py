"""Headless-chromium screenshots of pages, for looking at what was built.

    .venv/bin/python scripts/screenshots.py [page ...]     # default: every KPI page

Serves the app on its own demo warehouse (/tmp/shots.duckdb) and writes tests/artifacts/page_<name>.png.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.browser import browser_page, running_app, screenshot, wait_for_app  # noqa: E402

PAGES = ["overview", "strategic", "tactical", "operational", "deficit", "kpi_detail?kpi=care_guarantee_7d",
         "forecast?kpi=care_guarantee_7d",
         "child_budget", "upload", "board_pack"]

if __name__ == "__main__":
    with running_app(Path("/tmp/shots.duckdb"), "2026-10") as url, browser_page(1400, 2400) as page:
        for name in sys.argv[1:] or PAGES:
            page.goto(f"{url}/{name}")
            wait_for_app(page)
            page.wait_for_timeout(int(__import__("os").environ.get("SHOT_WAIT_MS", "1500")))
            print(screenshot(page, "page_" + name.split("?")[0]))
