"""A person opens the forecast page in chromium, picks an indicator and a horizon, reads the chart and
exports the forecast numbers as CSV for the board meeting."""
import csv
import io

import pytest

from .browser import browser_page, choose, screenshot, wait_for_app

pytestmark = pytest.mark.browser


def test_browse_forecast_and_export_csv(shared_app):
    url = shared_app             # the shared server: the forecasts it stores are the same whoever asks first
    with browser_page(1400, 1800) as page:
        page.goto(url)
        wait_for_app(page)
        page.get_by_role("link", name="Ennusteet").click()
        page.get_by_role("heading", name="Ennusteet").wait_for(timeout=60_000)
        wait_for_app(page)
        box = page.get_by_label("Mittari", exact=False).first            # a long list: type to find
        box.click()
        page.keyboard.type("Puhel")
        page.get_by_role("option", name="Puhelut", exact=True).click()
        wait_for_app(page)
        choose(page, "Ennustejakso", "24 kk")
        page.get_by_text("Ennuste 10/2028").wait_for(timeout=60_000)
        main = page.locator("[data-testid='stMain']")
        page.locator("[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg").first.wait_for()
        assert page.locator("[data-testid='stVegaLiteChart']").count() == 1
        assert "Viivakaavio: Puhelut, toteuma" in main.inner_text()         # the text alternative
        assert "Testijakso" in main.inner_text()
        screenshot(page, "forecast_calls_24")

        page.get_by_role("button", name="Vie").first.click()
        item = page.get_by_role("button", name="CSV (UTF-8)")
        item.wait_for(timeout=10_000)
        with page.expect_download(timeout=60_000) as info:
            item.click()
        text = open(info.value.path(), encoding="utf-8-sig").read()
        rows = list(csv.reader(io.StringIO(text), delimiter=";"))
        header = rows[0]
        assert "Kuukausi" in header and "80 % alaraja" in header
        kinds = [r[header.index("Tieto")] for r in rows[1:] if len(r) == len(header)]
        assert kinds.count("Ennuste") == 24 and kinds.count("Toteuma") >= 24


def test_english_switch_redraws_the_chosen_labels(shared_app):
    """Streamlit keeps a selectbox's old label when only its format_func changes; the language switch hands
    the choices back so the browser shows them in English."""
    url = shared_app
    with browser_page(1400, 1400) as page:
        page.goto(f"{url}/forecast?kpi=care_guarantee_7d")
        wait_for_app(page)
        choose(page, "Hyvinvointialue", "Kanta-Hämeen hyvinvointialue")
        page.get_by_text("English", exact=True).click()
        page.get_by_role("heading", name="Forecasts").wait_for(timeout=60_000)
        wait_for_app(page)
        values = "() => [...document.querySelectorAll('[data-testid=stSelectbox] input')].map(e => e.value)"
        page.wait_for_function(f"() => ({values})().includes('Non-urgent care within 7 days')", timeout=30_000)
        shown = page.evaluate(values)
        # the demo mode's role and scope switchers come first, relabelled too
        assert shown[:4] == ["administrator", "No limit (all counties)", "Kanta-Häme", "All municipalities"], shown
        assert shown[-3:] == ["Non-urgent care within 7 days", "12 months", "36 months"], shown
        assert page.locator("[data-testid='stException']").count() == 0
        screenshot(page, "forecast_english")
