"""Keyboard only, in chromium (Tab, Enter, arrow keys; no mouse): change a filter, open a KPI's details and export
its chart as PNG. Each step moves the focus with Tab until the wanted control has it, so a control that cannot be
reached by keyboard fails the test."""
import pytest
from PIL import Image

from .browser import browser_page, running_app, screenshot, wait_for_app
from .conftest import LATEST

pytestmark = pytest.mark.browser
FOCUSED = """() => { const e = document.activeElement; if (!e) return '';
  const box = e.closest('[data-testid]'); const label = e.closest('[data-testid="stSelectbox"]');
  return [e.tagName, e.getAttribute('aria-label') || '', (e.innerText || '').slice(0, 80),
          label ? label.innerText.slice(0, 80) : '', box ? box.getAttribute('data-testid') : ''].join(' | '); }"""


def tab_to(page, wanted, most: int = 150) -> str:
    """Press Tab until `wanted(description of the focused element)` holds; the description when it does."""
    for _ in range(most):
        page.keyboard.press("Tab")
        now = page.evaluate(FOCUSED)
        if wanted(now):
            return now
    raise AssertionError(f"not reachable with Tab: last focus {page.evaluate(FOCUSED)!r}")


def test_keyboard_changes_a_filter_opens_a_kpi_and_exports_a_chart(tmp_path):
    with running_app(tmp_path / "keys.duckdb", LATEST) as url, browser_page(1280, 720) as page:
        page.goto(f"{url}/strategic")
        wait_for_app(page)
        year = LATEST[:4]
        before = page.locator("[data-testid='stMain'] [data-testid='stCaptionContainer']").first.inner_text()
        assert year in before

        # a filter: the year box, opened and moved with the down arrow, an earlier year chosen with Enter
        tab_to(page, lambda d: "stSelectbox" in d and "Vuosi" in d)
        page.keyboard.press("ArrowDown")
        page.wait_for_timeout(300)
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
        wait_for_app(page)
        after = page.locator("[data-testid='stMain'] [data-testid='stCaptionContainer']").first.inner_text()
        assert year not in after and any(str(y) in after for y in range(2019, int(year))), (before, after)

        # a KPI: the first card's "Mittarin tiedot →" link, followed with Enter
        tab_to(page, lambda d: d.startswith("A |") and "Mittarin tiedot" in d)
        page.keyboard.press("Enter")
        page.wait_for_url("**/kpi_detail**", timeout=30_000)
        wait_for_app(page)
        assert page.locator("[data-testid='stMain'] h1").count() >= 1

        # export: the trend chart's "Vie" menu opened with Enter, its PNG item chosen with Tab and Enter
        tab_to(page, lambda d: d.startswith("BUTTON") and "Vie" in d)
        page.keyboard.press("Enter")
        page.get_by_role("button", name="PNG-kuva (tulostuslaatu)").wait_for(timeout=10_000)
        tab_to(page, lambda d: "PNG-kuva" in d, most=20)
        screenshot(page, "keyboard_export_menu")
        with page.expect_download(timeout=60_000) as info:
            page.keyboard.press("Enter")
        download = info.value
        assert download.suggested_filename.endswith(".png")
        assert Image.open(download.path()).format == "PNG"
