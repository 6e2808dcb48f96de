"""AppTest of the board-pack page and the export menu that every chart gets."""
import io
from pathlib import Path

import pytest
from pptx import Presentation
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1 import app_test as app_test_module
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from data_sources import exports
from metrics.registry import load_registry

APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")
STORES: list[MemoryMediaFileStorage] = []


class RecordingStorage(MemoryMediaFileStorage):
    """AppTest keeps download files in memory; remember the store so a test can read the bytes back."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        STORES.append(self)


@pytest.fixture(autouse=True)
def recording_storage(monkeypatch):
    monkeypatch.setattr(app_test_module, "MemoryMediaFileStorage", RecordingStorage)
    STORES.clear()


def downloaded(button, what: str = "content"):
    name = button.proto.url.rsplit("/", 1)[-1]
    for store in reversed(STORES):
        try:
            return getattr(store.get_file(name), what)
        except Exception:  # noqa: BLE001 - the file lives in one of the run's stores
            continue
    raise AssertionError(f"no file behind {button.proto.url}")


def open_pack(lang_en: bool = False) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120).run()
    if lang_en:
        at.sidebar.radio(key="lang").set_value("en").run()
    at.switch_page("pages/board_pack.py").run()
    assert not at.exception, at.exception
    return at


def button(at, label):
    found = [b for b in at.button if b.label == label]
    assert found, [b.label for b in at.button]
    return found[0]


def test_page_lists_default_items_in_order():
    at = open_pack()
    assert at.title[0].value == "Hallituksen raporttipaketti"
    assert at.multiselect(key="pack_items").value == ["care_guarantee_7d:card", "care_guarantee_7d:trend",
                                                      "care_guarantee_7d:regions", "net_cost_per_resident:trend"]
    texts = [m.value for m in at.markdown]
    assert "1. Kiireetön hoito 7 vuorokaudessa – mittarikortti" in texts
    # move the third item up: the order on screen and in the selection changes
    at.button(key="pack_up_care_guarantee_7d:regions").click().run()
    assert at.multiselect(key="pack_items").value[1] == "care_guarantee_7d:regions"


def test_build_and_download_pptx_and_pdf(duck):
    at = open_pack()
    at.multiselect(key="pack_items").set_value(["remote_share:trend", "remote_share:regions", "t3_primary:card"]).run()
    button(at, "Luo esitys").click().run()
    assert not at.exception and not at.error
    assert at.success[0].value.startswith("Esitys valmis: 4 diaa")
    pptx_button = at.download_button(key="pack_download_pptx")
    deck = Presentation(io.BytesIO(downloaded(pptx_button)))
    assert [s.shapes.title.text for s in deck.slides][1:] == [
        "Etäkontaktien osuus: kehitys vuosittain (tammi–lokakuu)",
        "Etäkontaktien osuus kunnittain, tammi–lokakuu 2026", load_registry()["t3_primary"].name_fi]
    # the trend and the municipalities have native charts (a long list of bars is split side by side), the card none
    assert [any(sh.has_chart for sh in s.shapes) for s in deck.slides] == [False, True, True, False]
    pdf = downloaded(at.download_button(key="pack_download_pdf"))
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 4
    assert downloaded(pptx_button, "filename").startswith("hallituksen-raporttipaketti_")
    assert downloaded(pptx_button, "filename").endswith(".pptx")
    # clicking the download records who exported what
    before = len(exports.export_log(duck, 10_000))
    at.download_button(key="pack_download_pptx").click().run()
    log = exports.export_log(duck, 10_000)
    assert len(log) == before + 1 and log.iloc[0].action == "pack_pptx"
    assert log.iloc[0].object == "Hallituksen raporttipaketti"


def test_changed_filters_hide_a_stale_deck():
    at = open_pack()
    button(at, "Luo esitys").click().run()
    assert at.download_button
    at.sidebar.selectbox(key="f_county").set_value("PH").run()
    assert not at.download_button


def test_save_and_reuse_a_selection():
    at = open_pack()
    at.multiselect(key="pack_items").set_value(["t3_primary:trend", "calls_answered_share:regions"]).run()
    button(at, "Tallenna valinta").click().run()
    assert at.warning and "Anna valinnalle nimi" in at.warning[0].value
    at.text_input(key="pack_name").input("Aluehallitus joulukuu").run()
    button(at, "Tallenna valinta").click().run()
    assert at.success[0].value == 'Valinta "Aluehallitus joulukuu" tallennettu.'
    # next month: a fresh session picks the saved selection and gets the same items back
    again = open_pack()
    again.selectbox(key="pack_saved").set_value("Aluehallitus joulukuu").run()
    assert again.multiselect(key="pack_items").value == ["t3_primary:trend", "calls_answered_share:regions"]
    assert again.text_input(key="pack_name").value == "Aluehallitus joulukuu"


def test_english_page():
    at = open_pack(lang_en=True)
    assert at.title[0].value == "Board pack"
    button(at, "Build the deck").click().run()
    assert at.download_button(key="pack_download_pptx").label == "Download PowerPoint (.pptx)"


def test_every_overview_chart_has_the_export_menu():
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    labels = [b.label for b in at.download_button]
    for label in ("PNG-kuva (tulostuslaatu)", "SVG-vektorikuva", "PDF", "Excel-taulukko (.xlsx)", "CSV (UTF-8)"):
        assert labels.count(label) == 2, labels         # trend and municipality charts
    png = at.download_button(key="overview_trend_export_png")
    assert png.proto.HasField("deferred_file_id") and not png.proto.url   # rendered only when clicked


def test_child_budget_item_builds_a_slide():
    at = open_pack()
    labels = at.multiselect(key="pack_items").options
    assert any(o.startswith("Lapsibudjetointi – osuus") for o in labels)
    at.multiselect(key="pack_items").set_value(["child_budget:child_budget", "t3_primary:card"]).run()
    button(at, "Luo esitys").click().run()
    assert not at.exception and not at.error
    deck = Presentation(io.BytesIO(downloaded(at.download_button(key="pack_download_pptx"))))
    assert deck.slides[1].shapes.title.text.startswith("Lapsibudjetointi: kustannuksista lapsiin")
    text = " ".join(sh.text_frame.text for sh in deck.slides[1].shapes if sh.has_text_frame)
    assert "Lapsiin kohdistuu" in text and "Euroa lasta kohden" in text and "Ennaltaehkäisevän osuus" in text
    assert any(sh.has_chart for sh in deck.slides[1].shapes)
    assert len(PdfReader(io.BytesIO(downloaded(at.download_button(key="pack_download_pdf")))).pages) == 3
