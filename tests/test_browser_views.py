"""The view in the URL in a real browser (issue 15): a signed-in user sets filters and a page choice, the address
is copied and opened in a fresh browser context (a colleague's browser): the same view appears; a colleague
limited to another county gets their own region with a notice; an invalid parameter is ignored with a notice."""
from __future__ import annotations

import shutil
from urllib.parse import parse_qs, urlparse

import pytest

from app import users as admin_cli
from data_sources import migrations
from data_sources.engine import make_engine
from tests.browser import TRACK, browser_page, choose, running_app, screenshot, wait_for_app
from tests.conftest import LATEST

pytestmark = pytest.mark.browser
PASSWORD = "Linkin-salasana-15a"
T3 = "T3 lääkärin vastaanotto, vrk"


def sign_in(page, name: str, wait: bool = True) -> None:
    """Sign in; without `wait` it returns at once, for a notice (a toast lives 4 s) shown while the page is drawn."""
    page.get_by_label("Käyttäjätunnus").fill(name)
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_label("Salasana").press("Enter")
    if wait:
        wait_for_app(page)


def main_text(page) -> str:
    return page.locator("[data-testid='stMain']").inner_text()


def toast_text(page) -> str:
    toast = page.locator("[data-testid='stToast']")
    toast.first.wait_for(timeout=20_000)
    return " ".join(toast.all_inner_texts())


def open_in_fresh_context(page, address: str, user: str, wait: bool = True):
    other = page.context.browser.new_context(viewport={"width": 1400, "height": 1500})
    other.add_init_script(TRACK)                  # what wait_for_app waits on
    fresh = other.new_page()
    fresh.goto(address)
    fresh.get_by_label("Käyttäjätunnus").wait_for(timeout=90_000)
    sign_in(fresh, user, wait)
    return other, fresh


def test_copied_link_opens_the_same_view_in_a_fresh_browser(warehouse_path, tmp_path):
    path = tmp_path / "links.duckdb"
    shutil.copy(warehouse_path, path)
    engine = make_engine(f"duckdb:///{path}")
    migrations.upgrade(engine)
    admin_cli.add_user(engine, "setup", "aino", "admin", PASSWORD, "Aino Admin")
    admin_cli.add_user(engine, "setup", "ville", "viewer", PASSWORD, "Ville Virtanen", "KS")
    engine.dispose()
    # a tall window: the sidebar's filters sit below the sign-out box and the menu, and a select at the very bottom
    # of the window does not open on a click in headless chromium
    with running_app(path, LATEST) as url, browser_page(height=1500) as page:
        page.goto(f"{url}/kpi_detail?kpi=t3_primary")
        page.get_by_label("Käyttäjätunnus").wait_for(timeout=90_000)
        sign_in(page, "aino")
        page.get_by_role("heading", name=T3).wait_for(timeout=60_000)
        wait_for_app(page)
        choose(page, "Hyvinvointialue", "Kanta-Hämeen hyvinvointialue")
        choose(page, "Vuosi", "2025")
        page.wait_for_function("() => location.search.includes('year=2025') && location.search.includes('county=KH')",
                               timeout=30_000)
        copied = page.url
        query = parse_qs(urlparse(copied).query)
        assert urlparse(copied).path.endswith("/kpi_detail")
        assert (query["county"], query["year"], query["kpi"]) == (["KH"], ["2025"], ["t3_primary"]), query
        first_view = main_text(page)
        assert "Kanta-Hämeen hyvinvointialue · " in first_view and "2025" in first_view
        screenshot(page, "views_link_original")

        # a colleague's browser (a new context: no cookies, no session): the same view
        ctx, same = open_in_fresh_context(page, copied, "aino")
        same.get_by_role("heading", name=T3).wait_for(timeout=60_000)
        wait_for_app(same)
        again = main_text(same)
        assert "Kanta-Hämeen hyvinvointialue · " in again and "2025" in again, again[:400]
        side = same.locator("[data-testid='stSidebar']")
        assert side.get_by_label("Hyvinvointialue").input_value() == "Kanta-Hämeen hyvinvointialue"
        assert side.get_by_label("Vuosi").input_value() == "2025"
        assert parse_qs(urlparse(same.url).query)["county"] == ["KH"]
        screenshot(same, "views_link_reopened")
        # an invalid parameter is ignored with a notice; the page works
        same.goto(f"{url}/kpi_detail?kpi=t3_primary&year=1900&months=13-2")   # a new session: sign in again
        same.get_by_label("Käyttäjätunnus").wait_for(timeout=90_000)
        sign_in(same, "aino", wait=False)       # the notice comes first in the run and lives 4 s: read it then
        assert "ohitettiin" in toast_text(same)
        same.get_by_role("heading", name=T3).wait_for(timeout=60_000)
        wait_for_app(same)
        screenshot(same, "views_link_invalid_notice")
        ctx.close()

        # a colleague limited to Keski-Suomi: their own county, with a notice
        ctx, scoped = open_in_fresh_context(page, copied, "ville", wait=False)
        assert "ei kuulu käyttöoikeutesi piiriin" in toast_text(scoped)
        scoped.get_by_role("heading", name=T3).wait_for(timeout=60_000)
        wait_for_app(scoped)
        assert "Keski-Suomen hyvinvointialue · " in main_text(scoped)
        assert "Kanta-Häme" not in main_text(scoped)
        screenshot(scoped, "views_link_out_of_scope")
        ctx.close()
