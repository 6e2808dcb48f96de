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


def test_a_two_line_chart_title_is_drawn_whole_above_a_full_height_plot(shared_app):
    """A long KPI name wraps the trend chart's title onto two lines: the chart grows by the title (its plot keeps
    the 300 px it was built with) rather than squeezing it all into 300 px and cutting the first line off."""
    with browser_page(1400, 1600) as page:
        page.goto(f"{shared_app}/kpi_detail?kpi=youth_mental_health_per_1000")
        wait_for_app(page)
        chart = page.locator(".vega-embed[aria-label^='Viivakaavio']").first
        chart.wait_for(timeout=60_000)
        page.wait_for_function("(el) => el.querySelector('svg .role-title-text')", arg=chart.element_handle())
        box = chart.bounding_box()
        lines = page.evaluate("""(el) => {
            const top = el.getBoundingClientRect().top;
            return [...el.querySelectorAll('svg .role-title-text text, svg .role-title-text tspan')]
                .map(t => [t.textContent, t.getBoundingClientRect().top - top]);
        }""", chart.element_handle())
        texts = " ".join(text for text, _ in lines)
        assert "Nuorten mielenterveyskontaktit" in texts and "kuukausittain" in texts, lines
        assert all(offset >= -4 for _, offset in lines), lines         # no title line above the chart's box (a glyph's ascent: 2 px)
        assert box["height"] > 300 + 40, box                           # the plot's 300 px plus title and axis
