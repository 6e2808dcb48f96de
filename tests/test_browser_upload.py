"""A person uploads a new month through the real page in chromium, sees the preview and the new month, stores
it and sees the upload in the log."""
import pytest

from .browser import browser_page, running_app, screenshot
from .conftest import LATEST
from .upload_files import good_care_guarantee

pytestmark = pytest.mark.browser


def settle(page, timeout=60_000):
    page.wait_for_selector("[data-testid='stApp']", timeout=timeout)
    page.wait_for_timeout(300)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout)
    page.wait_for_timeout(500)


def test_upload_new_month_in_chromium(tmp_path):
    xlsx_path = tmp_path / "hoitotakuu_marraskuu.xlsx"
    xlsx_path.write_bytes(good_care_guarantee())
    with running_app(tmp_path / "browser_upload.duckdb", LATEST) as url, browser_page(1400, 1400) as page:
        page.goto(url)
        page.get_by_role("heading", name="Strateginen yleiskuva").wait_for(timeout=60_000)
        settle(page)
        page.locator("[data-testid='stSidebarNav']").get_by_text("Tietojen lataus").click()
        page.get_by_role("heading", name="Tietojen lataus").wait_for(timeout=60_000)
        settle(page)
        page.get_by_label("Aineisto", exact=False).first.click()
        page.get_by_role("option", name="Hoitotakuu ja saatavuus", exact=True).click()
        settle(page)
        page.wait_for_function(
            "() => document.querySelectorAll('[data-testid=stFileUploaderDropzoneInput]').length === 1",
            timeout=30_000)
        page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(xlsx_path))
        page.get_by_text("Uudet kaudet: marraskuu 2026").wait_for(timeout=60_000)
        settle(page)
        main = page.locator("[data-testid='stMain']").inner_text()
        assert "Tiedosto on kunnossa: 86 riviä." in main
        assert "Yhteensä-rivi ohitettiin" in main.replace("yhteensä-rivi", "Yhteensä-rivi")
        page.locator("[data-testid='stVegaLiteChart'], [data-testid='stArrowVegaLiteChart']").first.wait_for()
        screenshot(page, "upload_preview")
        page.get_by_role("button", name="Tallenna tietovarastoon").click()
        page.get_by_text("Lataus 1 tallennettu").wait_for(timeout=60_000)
        settle(page)
        text = page.locator("[data-testid='stMain']").inner_text()
        assert "Lataus 1 tallennettu: 86 uutta, 0 päivitettyä, 0 poistettua riviä. Tietoversio 2" in text
        assert "Uudet kaudet" not in text            # the uploader was emptied after storing
        screenshot(page, "upload_done")
