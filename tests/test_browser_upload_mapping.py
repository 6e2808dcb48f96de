"""Issue 13 in chromium: an extract whose headers are longer Finnish names gets the mapping step; the analyst
names the source profile and confirms once, stores the file; next month's file from the same source is stored
without a single question, and the page says which profile was used."""
import datetime as dt

import pytest

from .browser import browser_page, running_app, screenshot
from .conftest import LATEST
from .test_browser_upload import settle
from .upload_corpus import _v_long_names

pytestmark = pytest.mark.browser
PROFILE = "Avohilmo hoitotakuu"


def upload(page, path):
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=stFileUploaderDropzoneInput]').length === 1", timeout=30_000)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(path))


def test_mapping_step_then_next_month_without_questions(tmp_path):
    first, second = tmp_path / "hoitotakuu_syyskuu.xlsx", tmp_path / "hoitotakuu_lokakuu.xlsx"
    first.write_bytes(_v_long_names(dt.date(2026, 9, 1), {})[0])
    second.write_bytes(_v_long_names(dt.date(2026, 10, 1), {})[0])
    with running_app(tmp_path / "browser_mapping.duckdb", LATEST) as url, browser_page(1400, 1600) as page:
        page.goto(f"{url}/upload")
        page.get_by_role("heading", name="Tietojen lataus").wait_for(timeout=60_000)
        settle(page)
        main = page.locator("[data-testid='stMain']").inner_text()
        assert "Vain .xlsx tai .csv, enintään 50 Mt" in main          # the Finnish line beside the uploader
        page.get_by_label("Aineisto", exact=False).first.click()
        page.get_by_role("option", name="Hoitotakuu ja saatavuus", exact=True).click()
        settle(page)
        upload(page, first)
        page.get_by_text("Sarakkeiden vastaavuus").wait_for(timeout=60_000)
        settle(page)
        screenshot(page, "upload_mapping_step")
        main = page.locator("[data-testid='stMain']").inner_text()
        assert "Otsikkorivi 1" in main and "Lähimmät otsikot:" in main
        assert "Tiedostoa ei voi vielä tallentaa" in main and "Tiedostossa on 1 virhe" not in main
        assert page.get_by_role("button", name="Tallenna tietovarastoon").count() == 0
        screenshot(page, "upload_mapping_step")
        name = page.get_by_label("Lähdeprofiilin nimi")
        name.fill(PROFILE)
        page.get_by_role("button", name="Vahvista vastaavuus ja tallenna profiili").click()
        page.get_by_text(f"Lähdeprofiili '{PROFILE}' tallennettu.").wait_for(timeout=60_000)
        settle(page)
        main = page.locator("[data-testid='stMain']").inner_text()
        assert f"Lähdeprofiili '{PROFILE}' käytettiin" in main
        assert "Tiedosto on kunnossa: 86 riviä." in main
        page.get_by_role("button", name="Tallenna tietovarastoon").click()
        page.get_by_text("Lataus 1 tallennettu").wait_for(timeout=60_000)
        settle(page)

        upload(page, second)                                             # next month, same source
        page.get_by_text("Tiedosto on kunnossa: 86 riviä.").wait_for(timeout=60_000)
        settle(page)
        main = page.locator("[data-testid='stMain']").inner_text()
        assert f"Lähdeprofiili '{PROFILE}' käytettiin" in main
        assert "Sarakkeiden vastaavuus" not in main                     # no questions
        screenshot(page, "upload_profile_applied")
        page.get_by_role("button", name="Tallenna tietovarastoon").click()
        page.get_by_text("Lataus 2 tallennettu").wait_for(timeout=60_000)
        settle(page)
        table = page.locator("[data-testid='stDataFrame']").first.inner_text()
        screenshot(page, "upload_profiles_listed")
    assert PROFILE in table or "Lähdeprofiilit" in main
