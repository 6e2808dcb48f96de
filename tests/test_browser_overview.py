"""A person opens the dashboard in chromium, changes the county and sees the KPI values change."""
import json

import pytest

from .browser import browser_page, choose, running_app, screenshot, wait_for_app
from .conftest import LATEST

pytestmark = pytest.mark.browser


def metric_values(page):
    return page.locator("[data-testid='stMetricValue']").all_inner_texts()


def test_change_county_changes_kpis(tmp_path):
    with running_app(tmp_path / "browser.duckdb", LATEST) as url, browser_page() as page:
        page.goto(url)
        wait_for_app(page)
        assert page.get_by_role("heading", name="Strateginen yleiskuva").is_visible()
        before = metric_values(page)
        assert len(before) >= 6 and all(v.strip() for v in before)
        screenshot(page, "overview_all")
        choose(page, "Hyvinvointialue", "Päijät-Hämeen hyvinvointialue")
        page.wait_for_function(
            "(before) => JSON.stringify([...document.querySelectorAll('[data-testid=stMetricValue]')]"
            ".map(e => e.innerText)) !== before", arg=json.dumps(before, ensure_ascii=False, separators=(",", ":")),
            timeout=30_000)
        after = metric_values(page)
        assert after != before
        assert "Päijät-Hämeen hyvinvointialue ·" in page.locator("[data-testid='stMain']").inner_text()
        screenshot(page, "overview_paijat_hame")
