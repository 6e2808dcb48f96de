"""A person opens the dashboard in chromium, changes the county and sees the KPI values change."""
import json

import pytest

from .browser import browser_page, choose, running_app, screenshot, wait_for_app
from .conftest import LATEST

pytestmark = pytest.mark.browser


def metric_values(page):
    return page.locator("[data-testid='stMetricValue']").all_inner_texts()


def test_change_county_changes_kpis(shared_app):
    url = shared_app                                     # read only: the run's shared server
    with browser_page() as page:
        page.goto(url)
        wait_for_app(page)
        page.wait_for_function("() => document.querySelectorAll('[data-testid=stMetricValue]').length >= 9")
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


def test_deep_link_on_a_cold_server_and_language_switch(tmp_path):
    """The first request of a fresh server is a deep link; then a person switches to English and back."""
    with running_app(tmp_path / "browser2.duckdb", LATEST) as url, browser_page() as page:
        page.goto(f"{url}/tactical")
        wait_for_app(page)
        assert page.get_by_role("heading", name="Taktinen taso").is_visible()
        assert page.get_by_text("Page not found").count() == 0
        # the tabs are lazy: a closed tab's cards are not drawn until it is opened, then they are
        main = page.locator("[data-testid='stMain']")
        assert "Palvelukontaktit / 1 000 asukasta" not in main.inner_text()
        page.get_by_role("tab", name="Asiointikanavat").click()
        main.get_by_text("Palvelukontaktit / 1 000 asukasta").first.wait_for(timeout=30_000)
        wait_for_app(page)
        page.get_by_text("English", exact=True).click()
        page.get_by_role("heading", name="Tactical level").wait_for(timeout=30_000)
        wait_for_app(page)
        assert page.get_by_text("Wellbeing services county").first.is_visible()
        choose(page, "Wellbeing services county", "Kanta-Häme")
        page.wait_for_function("() => document.querySelector('[data-testid=stMain]').innerText"
                               ".includes('Kanta-Häme ·')", timeout=30_000)
        screenshot(page, "tactical_english")
        page.get_by_text("Suomi", exact=True).click()
        page.get_by_role("heading", name="Taktinen taso").wait_for(timeout=30_000)
