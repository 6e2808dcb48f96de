"""Every page of the menu (ui/sidebar.py MENU and FOOTER, so a new page is audited without editing this file) in
chromium, in Finnish and in English, at a 1280 × 720 window and a large one: no error box, and an axe-core
WCAG 2.1 A/AA audit (axe-playwright-python runs its bundled axe.min.js in the page: offline, no CDN) without
serious or critical findings in our markup. One server, one browser page: each page is loaded once, audited at
both sizes, switched to English and audited again at both sizes.

Excluded from the audit, because Streamlit draws them and no public API changes them (listed on the
accessibility statement page, ui/accessibility.py): nothing at present; EXCLUDE names the selectors if needed."""
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from ui.sidebar import FOOTER, MENU

from .browser import browser_page, running_app, screenshot, wait_for_app
from .conftest import LATEST

pytestmark = pytest.mark.browser
PARAMS = {"kpi_detail": "?kpi=care_guarantee_7d", "forecast": "?kpi=care_guarantee_7d"}
PAGES = [Path(path).stem for _, pages in (*MENU, ("", FOOTER)) for path, _, _ in pages]
SIZES = ((1280, 720), (1400, 1600))
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
EXCLUDE: list[str] = []


def audit(axe: Axe, page) -> list:
    context = {"exclude": [[s] for s in EXCLUDE]} if EXCLUDE else None
    result = axe.run(page, context=context, options={"runOnly": {"type": "tag", "values": TAGS}})
    return [(v["id"], len(v["nodes"]), v["nodes"][0]["target"], v["nodes"][0]["failureSummary"][:200])
            for v in result.response["violations"] if v["impact"] in ("serious", "critical")]


def test_every_menu_page_in_both_languages_and_sizes_passes_axe(tmp_path):
    assert {"overview", "kpi_detail", "child_budget", "accessibility"} <= set(PAGES)
    axe = Axe()
    problems = {}
    with running_app(tmp_path / "a11y.duckdb", LATEST) as url, browser_page(*SIZES[0]) as page:
        for name in PAGES:
            page.set_viewport_size({"width": SIZES[0][0], "height": SIZES[0][1]})
            page.goto(f"{url}/{name}{PARAMS.get(name, '')}")
            wait_for_app(page)
            for lang in ("fi", "en"):
                if lang == "en":
                    page.locator("[data-testid='stSidebar']").get_by_text("English", exact=True).click()
                    wait_for_app(page)
                    assert page.locator("html").get_attribute("lang") in (None, "en", "fi")
                    assert page.locator("[data-testid='stSidebar']").get_by_text("Filters").count() >= 1, name
                errors = page.locator("[data-testid='stAlertContentError'], [data-testid='stException']")
                assert errors.count() == 0, (name, lang, errors.all_inner_texts()[:2])
                for width, height in (SIZES if lang == "fi" else SIZES[::-1]):
                    page.set_viewport_size({"width": width, "height": height})
                    page.wait_for_timeout(400)
                    found = audit(axe, page)
                    if found:
                        problems[f"{name} {lang} {width}x{height}"] = found
                screenshot(page, f"a11y_{name}_{lang}")
    assert not problems, problems
