"""Accessibility in chromium, on the test run's shared read-only server (tests/conftest.py shared_app). (1) Every
page of the menu (ui/sidebar.py MENU and FOOTER, so a new page is audited without editing this file) in chromium,
in Finnish and in English: no error box, and an axe-core WCAG 2.1 A/AA audit (axe-playwright-python's bundled
axe.min.js, injected into the page: offline, no CDN) without serious or critical findings in our markup. Every
page is audited in both languages at a 1280 × 720 window and in Finnish (the default) at a large one as well;
each page is loaded once at the large size, audited, narrowed, audited, switched to English and audited again, in
one of two browser tabs that take turns (one tab is audited while the server draws the other's page).

Excluded from the audit, because Streamlit draws them and no public API changes them (listed on the
accessibility statement page, ui/accessibility.py): nothing at present; EXCLUDE names the selectors if needed.
(2) Keyboard only (Tab, Enter, arrow keys; no mouse): change a filter, open a KPI's details and export its chart as
PNG. Each step moves the focus with Tab until the wanted control has it, so a control that cannot be reached by
keyboard fails the test."""
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from PIL import Image

from ui.sidebar import FOOTER, MENU

from .browser import TRACK, browser_page, charts_drawn, screenshot, wait_for_app
from .conftest import LATEST

pytestmark = pytest.mark.browser
PARAMS = {"kpi_detail": "?kpi=care_guarantee_7d", "forecast": "?kpi=care_guarantee_7d"}
PAGES = [Path(path).stem for _, pages in (*MENU, ("", FOOTER)) for path, _, _ in pages]
SMALL, LARGE = (1280, 720), (1400, 1600)
AUDITS = (("fi", LARGE), ("fi", SMALL), ("en", SMALL))      # in this order: one language switch per page
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
EXCLUDE: list[str] = []


@pytest.fixture(scope="module")
def url(shared_app):
    return shared_app


def resize(page, size: tuple[int, int]) -> None:
    if (page.viewport_size["width"], page.viewport_size["height"]) != size:
        page.set_viewport_size({"width": size[0], "height": size[1]})
        charts_drawn(page)                       # Vega redraws a container-wide chart on a resize


def audit(axe: Axe, page) -> list:
    """axe-core's serious and critical findings; the script is injected once per document (Streamlit switches
    the language and reruns in the same document)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe.axe_script)
    context = {"exclude": [[s] for s in EXCLUDE]} if EXCLUDE else None
    options = {"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]}
    result = page.evaluate("([context, options]) => axe.run(context || document, options)", [context, options])
    return [(v["id"], len(v["nodes"]), v["nodes"][0]["target"], v["nodes"][0]["failureSummary"][:200])
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


def page_audits(page, url: str, name: str, axe: Axe, problems: dict, done: list):
    """One menu page in one tab: loaded at the large size, audited, narrowed, audited, switched to English and
    audited again. A generator: it yields while the server runs the page (after the load and after the language
    switch), so that the other tab is audited meanwhile."""
    page.set_viewport_size({"width": LARGE[0], "height": LARGE[1]})
    page.goto(f"{url}/{name}{PARAMS.get(name, '')}")
    yield
    wait_for_app(page)
    shown = None
    for lang, size in AUDITS:
        if lang != shown:
            if lang == "en":
                screenshot(page, f"a11y_{name}_fi")
                page.locator("[data-testid='stSidebar']").get_by_text("English", exact=True).click()
                yield
                wait_for_app(page)
                assert page.locator("html").get_attribute("lang") in (None, "en", "fi")
                assert page.locator("[data-testid='stSidebar']").get_by_text("Filters").count() >= 1, name
            errors = page.locator("[data-testid='stAlertContentError'], [data-testid='stException']")
            assert errors.count() == 0, (name, lang, errors.all_inner_texts()[:2])
            shown = lang
        resize(page, size)
        found = audit(axe, page)
        done.append((name, lang, size))
        if found:
            problems[f"{name} {lang} {size[0]}x{size[1]}"] = found
    screenshot(page, f"a11y_{name}_{shown}")


def test_every_menu_page_in_both_languages_and_sizes_passes_axe(url):
    assert {"overview", "kpi_detail", "child_budget", "accessibility"} <= set(PAGES)
    assert {lang for lang, _ in AUDITS} == {"fi", "en"} and {size for _, size in AUDITS} == {SMALL, LARGE}
    axe = Axe()
    problems, done = {}, []
    with browser_page(*LARGE) as first:
        second = first.context.browser.new_page(viewport={"width": LARGE[0], "height": LARGE[1]})
        second.context.add_init_script(TRACK)       # what wait_for_app waits on (tests/browser.py browser_page)
        waiting, running = iter(PAGES), {}
        while True:                                 # two tabs take turns: one is audited while the other loads
            for tab in (first, second):
                if tab in running and next(running[tab], "done") == "done":
                    del running[tab]
                if tab not in running and (name := next(waiting, None)):
                    running[tab] = page_audits(tab, url, name, axe, problems, done)
                    next(running[tab])                  # the tab's next page starts loading
            if not running:
                break
    assert sorted(done) == sorted((name, lang, size) for name in PAGES for lang, size in AUDITS)
    assert not problems, problems


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


def test_keyboard_changes_a_filter_opens_a_kpi_and_exports_a_chart(url):
    with browser_page(1280, 720) as page:
        page.goto(f"{url}/strategic")
        wait_for_app(page)
        charts_drawn(page)
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
