"""A finance analyst opens the child-budget page in chromium and downloads the whole model as Excel."""
import openpyxl
import pytest

from .browser import browser_page, charts_drawn, screenshot, wait_for_app

pytestmark = pytest.mark.browser


def test_child_budget_page_and_excel_export(shared_app, tmp_path):
    url = shared_app                                     # read only (the export is a download): the shared server
    with browser_page(height=1200) as page:
        page.goto(url)
        wait_for_app(page)
        page.get_by_role("link", name="Lapsibudjetointi").click()
        page.wait_for_selector("h1:has-text('Lapsibudjetointi')", timeout=60_000)
        wait_for_app(page)
        page.wait_for_selector("[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg",
                               timeout=60_000)
        charts_drawn(page)            # Vega has finished drawing before the picture
        main = page.locator("[data-testid='stMain']").inner_text()
        assert "Lapsibudjetointi" in main and "Lapsiin kohdistuva osuus" in main
        assert "Tavoite: ennaltaehkäisevän osuus kasvaa" in main
        screenshot(page, "child_budget")
        page.get_by_text("Luokitus: muokkaa ja tallenna uusi versio").scroll_into_view_if_needed()
        with page.expect_download(timeout=120_000) as info:
            page.get_by_role("button", name="Lataa koko malli Excelinä").click()
        path = tmp_path / "model.xlsx"
        info.value.save_as(path)
    book = openpyxl.load_workbook(path, read_only=True)
    assert book.sheetnames == ["Lue minut", "Tulokset", "Kehitys", "Rivit", "Avaimet", "Luokitus", "Versiot"]
    lines = book["Rivit"]
    header = [c.value for c in next(lines.iter_rows(max_row=1))]
    assert {"Kunta", "Palveluluokka", "Tili", "Kohdistus", "Kohdennusavain", "Lasten osuus (0–1)",
            "Lapsille, toteuma €"} <= set(header)
    assert lines.max_row > 1000   # every municipality × class × account of the year
    results = book["Tulokset"]
    rheader = [c.value for c in next(results.iter_rows(max_row=1))]
    first = dict(zip(rheader, [c.value for c in next(results.iter_rows(min_row=2, max_row=2))]))
    assert 10 < first["Lasten osuus %"] < 40
