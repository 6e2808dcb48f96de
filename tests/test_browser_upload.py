"""A person uploads a new month through the real page in chromium, sees the preview and the new month, stores
it and sees the upload in the log."""
import pytest

from .browser import browser_page, running_app, screenshot, wait_idle
from .conftest import LATEST
from .upload_files import good_care_guarantee

pytestmark = pytest.mark.browser


def settle(page, timeout=60_000):
    """The page has finished the script run it shows and the one the last action asked for (browser.wait_idle)."""
    page.wait_for_selector("[data-testid='stApp']", timeout=timeout)
    wait_idle(page, timeout)


def test_upload_new_month_in_chromium(tmp_path):
    xlsx_path = tmp_path / "hoitotakuu_marraskuu.xlsx"
    xlsx_path.write_bytes(good_care_guarantee())
    with running_app(tmp_path / "browser_upload.duckdb", LATEST) as url, browser_page(1400, 1400) as page:
        page.goto(url)
        page.get_by_role("heading", name="Strateginen yleiskuva").wait_for(timeout=60_000)
        settle(page)
        page.locator("[data-testid='stSidebar']").get_by_role("link", name="Tietojen lataus").click()
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
        assert "(lokakuu 2026). Marraskuu 2026 tulee sivuille näkyviin, kun palvelukontaktit ladataan" in main
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


def test_bad_file_report_then_store_and_roll_back_in_chromium(tmp_path, demo_template):
    """A file with an unknown municipality and a negative count (which also falls below its 3-month count): the errors are listed with row and fix, the
    error report downloads, nothing can be stored. Then a good file is stored and an admin rolls it back:
    the fact tables are byte-for-byte as before."""
    import shutil

    import openpyxl

    from data_sources.engine import make_engine
    from .upload_files import _care, care_rows, checksum
    import datetime as dt

    warehouse = tmp_path / "browser_rollback.duckdb"
    shutil.copy(demo_template, warehouse)               # the demo build at scale 0.3, LATEST
    engine = make_engine(f"duckdb:///{warehouse}")
    before = {k: v for k, v in checksum(engine).items() if k.startswith("fact_")}
    engine.dispose()

    rows = care_rows(dt.date(2026, 9, 1))
    rows[2][1] = "999"
    rows[4][3] = -12
    bad = tmp_path / "hoitotakuu_virheet.xlsx"
    bad.write_bytes(_care(rows))
    good = tmp_path / "hoitotakuu_marraskuu.xlsx"
    good.write_bytes(good_care_guarantee())
    with running_app(warehouse, LATEST) as url, browser_page(1400, 1400) as page:
        page.goto(f"{url}/upload")
        page.get_by_role("heading", name="Tietojen lataus").wait_for(timeout=60_000)
        settle(page)
        page.get_by_label("Aineisto", exact=False).first.click()
        page.get_by_role("option", name="Hoitotakuu ja saatavuus", exact=True).click()
        settle(page)
        page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(bad))
        page.get_by_text("Tiedostossa on 3 virhettä").wait_for(timeout=60_000)
        settle(page)
        main = page.locator("[data-testid='stMain']").inner_text()
        table = page.locator("[data-testid='stTable']").first.inner_text()
        assert "Tuntematon koodi '999'." in table and "Negatiivinen määrä -12." in table, table
        assert page.get_by_role("button", name="Tallenna tietovarastoon").count() == 0
        screenshot(page, "upload_errors")
        with page.expect_download(timeout=60_000) as info:
            page.get_by_role("button", name="Lataa virheraportti (.xlsx)").click()
        report = tmp_path / "report.xlsx"
        info.value.save_as(report)
        assert info.value.suggested_filename == "virheraportti_hoitotakuu_virheet.xlsx"
        ws = openpyxl.load_workbook(report).worksheets[0]
        cells = [" ".join(str(c) for c in r if c is not None) for r in ws.iter_rows(values_only=True)]
        assert any("999" in c for c in cells) and any("-12" in c for c in cells), cells
        assert "Tietoversio 1" in page.locator("[data-testid='stSidebar']").inner_text()
        assert "Ei latauksia vielä" in main

        page.get_by_role("button", name="Remove hoitotakuu_virheet.xlsx").click()
        settle(page)
        page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(good))
        page.get_by_text("Uudet kaudet: marraskuu 2026").wait_for(timeout=60_000)
        settle(page)
        page.get_by_role("button", name="Tallenna tietovarastoon").click()
        page.get_by_text("Lataus 1 tallennettu").wait_for(timeout=60_000)
        settle(page)
        page.get_by_text("Peru lataus (ylläpitäjä)").click()
        settle(page)
        rollback = page.get_by_role("button", name="Peru lataus", exact=True)
        assert rollback.is_disabled()                       # nothing happens before the admin confirms
        page.get_by_text("Ymmärrän, että lataus perutaan").click()
        settle(page)
        screenshot(page, "upload_rollback_confirmed")
        rollback.click()
        page.get_by_text("Lataus 1 peruttu. Tietoversio 3.").wait_for(timeout=60_000)
        settle(page)
        assert "peruttu" in page.locator("[data-testid='stMain']").inner_text()
        screenshot(page, "upload_rolled_back")
    engine = make_engine(f"duckdb:///{warehouse}")
    after = {k: v for k, v in checksum(engine).items() if k.startswith("fact_")}
    engine.dispose()
    assert after == before
