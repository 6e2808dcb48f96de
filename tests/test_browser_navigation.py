"""Navigation as a person meets it, on a freshly started server: the first request is a deep link, the menu
is the app's Finnish one (never Streamlit's list of file names, never "Page not found"), the first filter
change takes effect, and the filters stay as they were when the person moves to another page."""
from urllib.parse import urlparse

import pytest

from .browser import browser_page, choose, running_app, screenshot, wait_for_app
from .conftest import LATEST

pytestmark = pytest.mark.browser

MENU = ("Strateginen yleiskuva", "Strateginen taso", "Taktinen taso", "Operatiivinen taso", "Palveluvelka 2019–2021",
        "Mittarin tiedot", "Lapsibudjetointi", "Tietojen lataus", "Hallituksen raporttipaketti")
FILE_NAMES = ("board pack", "child budget", "kpi detail", "board_pack", "kpi_detail")


def sidebar_text(page) -> str:
    return page.locator("[data-testid='stSidebar']").inner_text()


def test_cold_deep_link_menu_filters_and_page_switch(tmp_path):
    with running_app(tmp_path / "nav.duckdb", LATEST) as url, browser_page() as page:
        page.goto(f"{url}/kpi_detail?kpi=t3_primary")            # the server's very first request
        page.get_by_role("heading", name="T3 lääkärin vastaanotto, vrk").wait_for(timeout=90_000)
        wait_for_app(page)
        side = sidebar_text(page)
        assert all(item in side for item in MENU), side
        assert not [name for name in FILE_NAMES if name in side.lower()], side
        assert page.get_by_text("Page not found").count() == 0
        assert page.locator("[data-testid='stSidebarNav']").count() == 0      # Streamlit's own menu is hidden
        screenshot(page, "navigation_deep_link")

        choose(page, "Hyvinvointialue", "Kanta-Hämeen hyvinvointialue")       # the first filter change works
        page.wait_for_function("() => document.querySelector('[data-testid=stMain]').innerText"
                               ".includes('Kanta-Hämeen hyvinvointialue ·')", timeout=30_000)
        assert "t3_primary" in page.url

        page.locator("[data-testid='stSidebar']").get_by_role("link", name="Taktinen taso").click()
        page.get_by_role("heading", name="Taktinen taso").wait_for(timeout=60_000)
        wait_for_app(page)
        assert "Kanta-Hämeen hyvinvointialue ·" in page.locator("[data-testid='stMain']").inner_text()
        assert urlparse(page.url).path.rstrip("/").endswith("/tactical")   # the view's parameters follow it
        assert page.get_by_text("Page not found").count() == 0
        screenshot(page, "navigation_tactical_kept_filter")

        page.goto(url)                                            # the address alone opens the overview
        page.get_by_role("heading", name="Strateginen yleiskuva").wait_for(timeout=60_000)
        wait_for_app(page)
        assert page.get_by_text("Page not found").count() == 0
