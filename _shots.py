import sys
from pathlib import Path
sys.path.insert(0, ".")
from tests.browser import running_app, browser_page, wait_for_app, screenshot
pages = sys.argv[1:] or ["overview", "strategic", "tactical", "operational", "deficit", "kpi_detail?kpi=care_guarantee_7d"]
with running_app(Path("/tmp/shots.duckdb"), "2026-10") as url, browser_page(1400, int(sys.argv[1]) if False else 2400) as page:
    for p in pages:
        page.goto(f"{url}/{p}")
        wait_for_app(page)
        page.wait_for_timeout(1500)
        print(screenshot(page, "page_" + p.split("?")[0]))
