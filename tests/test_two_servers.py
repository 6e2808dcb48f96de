"""Two Streamlit servers on one PostgreSQL warehouse, as two replicas behind a load balancer with sticky sessions:
an upload stored through one server shows on the other at its next rerun (each server caches on the data version
it reads from the warehouse, reused for DASHBOARD_VERSION_TTL_SECONDS), and a rollback made on the second server
shows on the first. Concurrent writes from two processes: tests/test_two_processes.py."""
import re

import pytest

from .browser import TRACK, browser_page, running_app, screenshot
from .conftest import LATEST
from .test_browser_upload import settle
from .upload_files import good_care_guarantee

pytestmark = [pytest.mark.browser, pytest.mark.postgres]
TTL = 2             # seconds a server reuses the data version it read


def version_shown(page) -> int:
    found = re.search(r"Tietoversio (\d+)", page.locator("[data-testid='stSidebar']").inner_text())
    assert found, page.locator("[data-testid='stSidebar']").inner_text()[:500]
    return int(found.group(1))


def test_a_version_stored_on_one_server_shows_on_the_other(tmp_path, pg_demo_copy):
    good = tmp_path / "hoitotakuu_marraskuu.xlsx"
    good.write_bytes(good_care_guarantee())
    with pg_demo_copy("jt_servers") as (url, schema):
        env = {"DASHBOARD_DB_SCHEMA": schema, "DASHBOARD_VERSION_TTL_SECONDS": str(TTL)}
        with running_app(tmp_path / "server_a", LATEST, extra_env=env, db_url=url) as a, \
                running_app(tmp_path / "server_b", LATEST, extra_env=env, db_url=url) as b, \
                browser_page(1400, 1400) as page_a:
            page_b = page_a.context.browser.new_page(viewport={"width": 1400, "height": 1400})
            page_b.context.add_init_script(TRACK)            # what settle waits on
            page_b.goto(b)
            page_a.goto(f"{a}/upload")              # both servers draw their first page at the same time
            page_b.get_by_role("heading", name="Strateginen yleiskuva").wait_for(timeout=90_000)
            settle(page_b)
            v0 = version_shown(page_b)

            # server A: an analyst stores a new month
            page_a.get_by_role("heading", name="Tietojen lataus").wait_for(timeout=90_000)
            settle(page_a)
            page_a.get_by_label("Aineisto", exact=False).first.click()
            page_a.get_by_role("option", name="Hoitotakuu ja saatavuus", exact=True).click()
            settle(page_a)
            page_a.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(good))
            page_a.get_by_text("Uudet kaudet: marraskuu 2026").wait_for(timeout=60_000)
            settle(page_a)
            page_a.get_by_role("button", name="Tallenna tietovarastoon").click()
            page_a.get_by_text(f"Tietoversio {v0 + 1}").first.wait_for(timeout=60_000)
            upload_id = re.search(r"Lataus (\d+) tallennettu", page_a.locator("[data-testid='stMain']").inner_text())
            assert upload_id, page_a.locator("[data-testid='stMain']").inner_text()[:1000]

            # server B, which has the old version cached: its next rerun after the TTL reads the new one
            page_b.wait_for_timeout(TTL * 1000 + 500)
            page_b.locator("[data-testid='stSidebar']").get_by_role("link", name="Strateginen taso").click()
            page_b.get_by_role("heading", name="Strateginen taso").wait_for(timeout=90_000)
            settle(page_b)
            assert version_shown(page_b) == v0 + 1
            screenshot(page_b, "two_servers_b_new_version")

            # server B: the admin rolls that upload back; server A sees it at its next rerun
            page_b.goto(f"{b}/upload")
            page_b.get_by_role("heading", name="Tietojen lataus").wait_for(timeout=90_000)
            settle(page_b)
            page_b.get_by_text("Peru lataus (ylläpitäjä)").click()
            settle(page_b)
            page_b.get_by_text("Ymmärrän, että lataus perutaan").click()
            settle(page_b)
            page_b.get_by_role("button", name="Peru lataus", exact=True).click()
            page_b.get_by_text(f"Lataus {upload_id.group(1)} peruttu. Tietoversio {v0 + 2}.").wait_for(
                timeout=60_000)
            page_a.wait_for_timeout(TTL * 1000 + 500)
            page_a.locator("[data-testid='stSidebar']").get_by_role("link", name="Strateginen yleiskuva").click()
            page_a.get_by_role("heading", name="Strateginen yleiskuva").wait_for(timeout=90_000)
            settle(page_a)
            assert version_shown(page_a) == v0 + 2
