"""A person exports a chart as PNG from the overview, then builds and downloads the board pack."""
import io
import zipfile

import pytest
from PIL import Image

from .browser import browser_page, running_app, screenshot, wait_for_app
from .conftest import LATEST

pytestmark = pytest.mark.browser


def test_export_png_and_board_pack(tmp_path):
    with running_app(tmp_path / "export.duckdb", LATEST, {"DASHBOARD_USER_NAME": "selain"}) as url, \
            browser_page() as page:
        page.goto(url)
        wait_for_app(page)
        page.get_by_role("button", name="Vie").first.click()
        item = page.get_by_role("button", name="PNG-kuva (tulostuslaatu)")
        item.wait_for(timeout=10_000)
        screenshot(page, "export_menu")
        with page.expect_download(timeout=60_000) as info:
            item.click()
        download = info.value
        assert download.suggested_filename.endswith(".png")
        img = Image.open(download.path())
        assert img.format == "PNG" and img.size[0] >= 2000
        assert img.info["dpi"] == pytest.approx((300, 300), abs=0.5)
        page.keyboard.press("Escape")

        page.goto(url + "/board_pack")
        page.get_by_role("heading", name="Hallituksen raporttipaketti").wait_for(timeout=60_000)
        page.get_by_role("button", name="Luo esitys").click()
        pptx_button = page.get_by_role("button", name="Lataa PowerPoint (.pptx)")
        pptx_button.wait_for(timeout=60_000)
        screenshot(page, "board_pack_page")
        with page.expect_download(timeout=60_000) as info:
            pptx_button.click()
        deck = info.value
        assert deck.suggested_filename.startswith("hallituksen-raporttipaketti_")
        data = open(deck.path(), "rb").read()
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            assert any(n.startswith("ppt/charts/chart") for n in z.namelist())
        from pptx import Presentation
        assert len(Presentation(io.BytesIO(data)).slides) == 5
