"""Every page in chromium: no error box, and an axe-core WCAG 2.1 AA audit without serious findings.

Streamlit's own sidebar navigation list (a <ul> holding <div>s) is excluded from the audit: it is the
framework's markup, not ours, and is reported in the closing note."""
import pytest
from axe_playwright_python.sync_playwright import Axe

from .browser import browser_page, running_app, screenshot, wait_for_app
from .conftest import LATEST

pytestmark = pytest.mark.browser
PAGES = ["overview", "strategic", "tactical", "operational", "deficit", "kpi_detail?kpi=care_guarantee_7d",
         "forecast?kpi=care_guarantee_7d", "child_budget", "upload", "board_pack"]


def test_pages_render_without_errors_and_pass_axe(tmp_path):
    axe = Axe()
    problems = {}
    with running_app(tmp_path / "a11y.duckdb", LATEST) as url, browser_page(1400, 1600) as page:
        for name in PAGES:
            page.goto(f"{url}/{name}")
            wait_for_app(page)
            page.wait_for_timeout(1500)
            errors = page.locator("[data-testid='stAlertContentError'], [data-testid='stException']")
            assert errors.count() == 0, (name, errors.all_inner_texts()[:2])
            result = axe.run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
            serious = [(v["id"], len(v["nodes"]), v["nodes"][0]["failureSummary"][:200])
                       for v in result.response["violations"] if v["impact"] in ("serious", "critical")]
            if serious:
                problems[name] = serious
            screenshot(page, "a11y_" + name.split("?")[0])
    assert not problems, problems
