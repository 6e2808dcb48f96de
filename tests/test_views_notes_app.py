"""Issue 15 (first part) through AppTest on a private warehouse copy in demo mode: the view in the URL (round
trip, hostile and out-of-range values ignored with a notice), saved views and the start view, and analysts'
notes on a KPI: on the chart spec, in the table, the xlsx/csv export, the board pack's caption and speaker
notes, with an audit row for every create, edit and delete, and hostile note text kept inert."""
from __future__ import annotations

import datetime as dt
import io
import json
import os

import openpyxl
import pandas as pd
import pyarrow as pa
import pytest
import streamlit as st
from pptx import Presentation
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1 import app_test as app_test_module
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from data_sources import annotations as notes_store
from data_sources import audit
from data_sources import saved_views as views_store
from tests.conftest import ROOT
from tests.markdown import plain
from ui import widgets

APP = str(ROOT / "dashboard.py")
NOTE = "uusi puhelinjärjestelmä"
KPI = "calls_answered_share"


@pytest.fixture(scope="module")
def wh(warehouse_copy):
    """A private copy (the tests write views and notes; a start view in the shared warehouse would move every
    other test's first page); the app (AppTest runs in this process) is pointed at it."""
    engine = warehouse_copy("views_notes")
    from data_sources import migrations
    migrations.upgrade(engine)
    old = os.environ["DASHBOARD_DB_URL"]
    os.environ["DASHBOARD_DB_URL"] = str(engine.url)
    st.cache_resource.clear()
    st.cache_data.clear()
    yield engine
    os.environ["DASHBOARD_DB_URL"] = old
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture(autouse=True)
def clean(wh):
    with wh.begin() as conn:
        conn.execute(notes_store.T.delete())
        conn.execute(views_store.T.delete())
    st.cache_data.clear()


def run(params: dict | None = None, page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    if page:
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, at.exception
    return at


def toasts(at) -> list[str]:
    return [plain(x.value) for x in at.toast]


def params(at) -> dict:
    return {k: (v[-1] if isinstance(v, list) else v) for k, v in at.query_params.items()}


def button(at, label):
    found = [b for b in at.button if b.label == label]
    assert found, [b.label for b in at.button]
    return found[0]


def datasets(at) -> list[pd.DataFrame]:
    """Every dataset of every Vega-Lite chart on the page (Arrow bytes, as Streamlit sends them)."""
    return [pa.ipc.open_stream(d.data.data).read_all().to_pandas()
            for c in at.get("vega_lite_chart") for d in c.proto.datasets]


# --- the view in the URL --------------------------------------------------------------------------------------
def test_link_sets_filters_and_page_choices_and_the_url_follows_changes(wh):
    at = run({"county": "KS", "year": "2025", "months": "2-5", "kpi": "t3_primary", "grain": "quarter"},
             page=None)
    sel = {s.key: s.value for s in at.sidebar.selectbox}
    assert (sel["f_county"], sel["f_year"]) == ("KS", 2025)
    assert at.sidebar.select_slider(key="f_months").value == (2, 5)
    assert not at.toast
    at.switch_page("pages/kpi_detail.py").run()
    assert at.selectbox(key="detail_kpi").value == "t3_primary"
    assert at.title[0].value.startswith("T3")
    assert params(at)["grain"] == "quarter" and params(at)["kpi"] == "t3_primary"
    # a change is written back to the URL
    at.sidebar.selectbox(key="f_county").set_value("KH").run()
    at.selectbox(key="detail_kpi").set_value("care_guarantee_7d").run()
    p = params(at)
    assert (p["county"], p["year"], p["months"], p["kpi"]) == ("KH", "2025", "2-5", "care_guarantee_7d")
    # the same URL in a new session gives the same view
    again = run(p)
    again.switch_page("pages/kpi_detail.py").run()
    assert again.sidebar.selectbox(key="f_county").value == "KH"
    assert again.sidebar.select_slider(key="f_months").value == (2, 5)
    assert again.selectbox(key="detail_kpi").value == "care_guarantee_7d"


def test_forecast_and_tactical_page_choices_round_trip(wh):
    at = run({"kpi": "contacts_per_1000", "horizon": "24", "history": "60"})
    at.switch_page("pages/forecast.py").run()
    assert not at.exception
    assert (at.selectbox(key="fc_kpi").value, at.selectbox(key="fc_horizon").value,
            at.selectbox(key="fc_history").value) == ("contacts_per_1000", 24, 60)
    at = run({"areas": "dental,primary_care", "ages": "0-6"})
    at.switch_page("pages/tactical.py").run()
    assert not at.exception
    assert at.multiselect(key="tactical_areas").value == ["dental", "primary_care"]
    assert params(at)["areas"] == "dental,primary_care"


def test_compare_page_choices_round_trip(wh):
    at = run({"kpi": "t3_primary", "view": "funnel", "bench": "all", "county": "KS"})
    at.switch_page("pages/compare.py").run()
    assert not at.exception, at.exception
    assert (at.selectbox(key="cmp_kpi").value, at.segmented_control(key="cmp_view").value,
            at.selectbox(key="cmp_bench").value) == ("t3_primary", "funnel", "all")
    at.segmented_control(key="cmp_view").set_value("spine").run()
    assert params(at)["view"] == "spine" and params(at)["county"] == "KS"
    bad = run({"view": "](javascript:x)"}, page="compare")
    assert not bad.exception and bad.segmented_control(key="cmp_view").value == "ranked"


HOSTILE = {
    "year": ["1900", "abc", "20255", "2099", "-1", "2,5e3"],
    "months": ["13-2", "5-1", "0-3", "1-99", "x", "1-6-7", "12"],        # 12 after the latest month (10)
    "county": ["'; DROP TABLE fact_contacts; --", "x" * 5000, "![x](http://127.0.0.1:9/x.png)"],
    "kpi": ["**lihava**", "x" * 5000, "[linkki](javascript:alert(1))"],
    "lang": ["sv", "<script>"],
    "grain": ["century"],
}


@pytest.mark.parametrize("param", sorted(HOSTILE))
def test_invalid_parameters_are_ignored_with_a_notice(wh, param):
    for value in HOSTILE[param]:
        at = run({param: value}, page="kpi_detail" if param == "grain" else None)
        assert not at.exception, (param, value, at.exception)
        shown = toasts(at)
        assert any("ohitettiin" in x for x in shown), (param, value, shown)
        assert all(len(x) < 200 for x in shown)
        assert not any("**" in m.value and "lihava" in m.value for m in at.markdown)
        assert at.sidebar.selectbox(key="f_year").value == 2026
        assert at.sidebar.select_slider(key="f_months").value == (1, 10)
        assert at.sidebar.selectbox(key="f_county").value == ""
        assert at.sidebar.radio(key="lang").value == "fi"
        assert at.title and not at.error
        if param != "grain":
            at.switch_page("pages/kpi_detail.py").run()
            assert not at.exception and at.title, (param, value, at.exception)


def test_year_before_the_latest_allows_every_month(wh):
    at = run({"year": "2025", "months": "11-12"})
    assert at.sidebar.select_slider(key="f_months").value == (11, 12) and not at.toast


def test_language_from_the_link(wh):
    at = run({"lang": "en"})
    assert at.sidebar.selectbox(key="f_county").label == "Wellbeing services county"
    assert params(at)["lang"] == "en"


# --- saved views and the start view -------------------------------------------------------------------------
def save_view(at, name):
    at.sidebar.text_input(key="sv_name").input(name)
    button(at, "Tallenna nykyinen näkymä").click().run()
    assert not at.exception, at.exception


def test_a_saved_view_restores_itself_and_a_start_view_applies(wh):
    at = run({"county": "KH", "months": "3-8", "kpi": "t3_primary"}, page="kpi_detail")
    save_view(at, "Kanta-Häme T3")
    assert any("tallennettu" in s.value for s in at.success)
    stored = views_store.views(wh, views_store.owner_demo("admin"))
    assert stored[0]["page"] == "kpi_detail" and stored[0]["params"]["county"] == "KH"
    assert stored[0]["params"]["kpi"] == "t3_primary" and stored[0]["params"]["months"] == "3-8"
    # a new session: nothing applies without a start view; opening the saved view restores it
    other = run()
    assert other.title[0].value == "Strateginen yleiskuva"
    assert other.sidebar.selectbox(key="f_county").value == ""
    other.sidebar.selectbox(key="sv_pick").set_value("Kanta-Häme T3").run()
    button(other, "Avaa").click().run()
    assert not other.exception
    assert other.title[0].value.startswith("T3")
    assert other.sidebar.selectbox(key="f_county").value == "KH"
    assert other.sidebar.select_slider(key="f_months").value == (3, 8)
    # set it as the start view: the app opened at its root shows it
    button(other, "Aseta aloitusnäkymäksi").click().run()
    assert views_store.views(wh, views_store.owner_demo("admin"))[0]["is_start"]
    start = run()
    assert start.title[0].value.startswith("T3"), start.title[0].value
    assert start.sidebar.selectbox(key="f_county").value == "KH"
    # a link with parameters is not replaced by the start view
    linked = run({"county": "KS"})
    assert linked.title[0].value == "Strateginen yleiskuva"
    # a view of every region opened while another is chosen: every region again
    linked.sidebar.selectbox(key="f_county").set_value("").run()
    save_view(linked, "Kaikki alueet")
    assert "county" not in views_store.views(wh, views_store.owner_demo("admin"))[0]["params"]
    linked.sidebar.selectbox(key="f_county").set_value("PH").run()
    linked.sidebar.selectbox(key="sv_pick").set_value("Kaikki alueet").run()
    button(linked, "Avaa").click().run()
    assert linked.sidebar.selectbox(key="f_county").value == "", views_store.views(wh, views_store.owner_demo("admin"))
    # views are kept per demo role: the viewer role has none of the admin's
    assert views_store.views(wh, views_store.owner_demo("viewer")) == []
    # delete
    start.sidebar.selectbox(key="sv_pick").set_value("Kanta-Häme T3").run()
    button(start, "Poista").click().run()
    assert [v["name"] for v in views_store.views(wh, views_store.owner_demo("admin"))] == ["Kaikki alueet"]
    assert {"save kpi_detail", "start", "delete"} <= set(audit.events(wh, actions=("saved_view",)).detail)


def test_admin_sets_a_role_default_start_view(wh):
    at = run({"county": "PH"}, page="tactical")
    save_view(at, "Päijät-Häme")
    at.sidebar.selectbox(key="sv_role").set_value("viewer").run()
    button(at, "Aseta roolin aloitusnäkymäksi").click().run()
    assert not at.exception
    role_views = views_store.views(wh, views_store.owner_role("viewer"))
    assert role_views and role_views[0]["is_start"] and role_views[0]["page"] == "tactical"
    # a viewer (demo role) opening the app at its root gets the role's start view
    viewer = AppTest.from_file(APP, default_timeout=120)
    viewer.session_state["demo_role"] = "viewer"
    viewer.run()
    assert not viewer.exception
    assert viewer.title[0].value == "Taktinen taso"
    assert viewer.sidebar.selectbox(key="f_county").value == "PH"
    # the viewer cannot set role defaults (no such control)
    assert not [s for s in viewer.sidebar.selectbox if s.key == "sv_role"]


# --- notes on a KPI -----------------------------------------------------------------------------------------
def add_note(at, text, start=dt.date(2025, 3, 1), end=None, region=""):
    at.text_area(key="nt_text").input(text)
    at.selectbox(key="nt_from").set_value(start)
    if end:
        at.selectbox(key="nt_to").set_value(end)
    at.selectbox(key="nt_region").set_value(region)
    button(at, "Tallenna huomautus").click().run()
    assert not at.exception, at.exception


@pytest.fixture
def jobs(monkeypatch):
    """The export jobs the page hands to its menus (the files are made only when clicked)."""
    made = []
    original = widgets.ExportJob.maker

    def maker(self, fmt):
        made.append(self)
        return original(self, fmt)
    monkeypatch.setattr(widgets.ExportJob, "maker", maker)
    return made


def test_note_on_chart_table_exports_and_audit(wh, jobs):
    at = run({"kpi": KPI}, page="kpi_detail")
    add_note(at, f"{NOTE} 3/2025")
    assert any("Huomautus tallennettu" in s.value for s in at.success)
    # on the chart: the spec's data carries the note at March 2025
    marks = [d for d in datasets(at) if "note_full" in d.columns]
    assert marks, "no note layer"
    assert any(f"3/2025: {NOTE} 3/2025" in v for d in marks for v in d.note_full)
    assert any(pd.Timestamp(v).strftime("%Y-%m") == "2025-03" for d in marks for v in d["period"])
    # in the chart's table and in the notes list
    table = next(d.value for d in at.dataframe if "Kuukausi" in d.value.columns and "Huomautus" in d.value.columns)
    row = table[table["Huomautus"] != ""]
    assert list(row["Kuukausi"]) == ["3/2025"] and NOTE in row["Huomautus"].iloc[0]
    listed = next(d.value for d in at.dataframe if "Ajankohta" in d.value.columns)
    assert list(listed["Ajankohta"]) == ["3/2025"] and list(listed["Alue"]) == ["Koko alue"]
    # in the xlsx and csv export of the trend
    job = next(j for j in reversed(jobs) if "Huomautus" in j.table.columns)
    book = openpyxl.load_workbook(io.BytesIO(job.make("xlsx")))
    cells = [c.value for r in book.worksheets[0].iter_rows() for c in r if isinstance(c.value, str)]
    assert any(NOTE in c for c in cells), cells[:20]
    assert NOTE in job.make("csv").decode("utf-8-sig")
    # the forecast chart of the KPI shows it too
    at.switch_page("pages/forecast.py").run()
    assert at.selectbox(key="fc_kpi").value == KPI
    assert any(NOTE in v for d in datasets(at) if "note_full" in d.columns for v in d.note_full)
    # edit and delete: each is an audit row
    at.switch_page("pages/kpi_detail.py").run()
    note_id = int(notes_store.notes(wh).note_id.iloc[0])
    at.text_area(key=f"nt_edit_text_{note_id}").input(f"{NOTE} (korjattu)")
    button(at, "Tallenna muutokset").click().run()
    assert not at.exception
    assert notes_store.notes(wh).text.tolist() == [f"{NOTE} (korjattu)"]
    button(at, "Poista huomautus").click().run()
    assert notes_store.notes(wh).empty
    events = audit.events(wh, actions=("annotation",)).sort_values("event_id")
    assert [d.split(" ")[0] for d in events.detail] == ["create", "edit", "delete"]
    assert all(o == f"{KPI} #{note_id}" for o in events.object)
    assert "(korjattu)" in events.detail.iloc[1] and "was:" in events.detail.iloc[1]


def test_note_region_shows_only_where_the_view_includes_it(wh):
    notes_store.add(wh, notes_store.Note(KPI, dt.date(2025, 3, 1), dt.date(2025, 3, 1), "KH", None,
                                         "vain Kanta-Häme"), "test")
    notes_store.add(wh, notes_store.Note(KPI, dt.date(2025, 6, 1), dt.date(2025, 8, 1), None, None, "koko alue"),
                    "test")

    def shown(p):
        at = run({"kpi": KPI, **p}, page="kpi_detail")
        listed = [d.value for d in at.dataframe if "Ajankohta" in d.value.columns]
        return sorted(listed[0]["Huomautus"]) if listed else []
    assert shown({}) == ["koko alue", "vain Kanta-Häme"]
    assert shown({"county": "KH"}) == ["koko alue", "vain Kanta-Häme"]
    assert shown({"county": "KH", "municipality": "109"}) == ["koko alue", "vain Kanta-Häme"]
    assert shown({"county": "KS"}) == ["koko alue"]


def test_viewer_sees_notes_but_cannot_write_them(wh):
    notes_store.add(wh, notes_store.Note(KPI, dt.date(2025, 3, 1), dt.date(2025, 3, 1), None, None, NOTE), "test")
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["demo_role"] = "viewer"
    at.query_params["kpi"] = KPI
    at.run()
    at.switch_page("pages/kpi_detail.py").run()
    assert any("Ajankohta" in d.value.columns for d in at.dataframe)
    assert not [w for w in at.text_area if w.key == "nt_text"]
    assert not [b for b in at.button if b.label in ("Tallenna huomautus", "Poista huomautus")]


HOSTILE_NOTES = ["=HYPERLINK(\"http://127.0.0.1:9/x\",\"klikkaa\")", "![kuva](http://127.0.0.1:9/x.png) **lihava**",
                 "+1+1 @SUM(A1) \u202eevil\u0000", "-x" + "x" * 298]     # the text box takes at most 300


def test_hostile_note_text_stays_inert(wh, jobs):
    at = run({"kpi": KPI}, page="kpi_detail")
    for text in HOSTILE_NOTES:
        add_note(at, text)
        assert any("Huomautus tallennettu" in s.value for s in at.success), ([e.value for e in at.error], text[:30])
    stored = notes_store.notes(wh)
    assert len(stored) == 4 and stored.text.str.len().max() <= notes_store.TEXT_MAX
    assert not any("\u202e" in x or "\x00" in x for x in stored.text)
    # never markdown on the page: no markdown/caption element carries the note text
    for el in list(at.markdown) + list(at.caption) + list(at.success):
        assert "127.0.0.1:9" not in el.value and "HYPERLINK" not in el.value
    # never a formula in a spreadsheet: string cells (openpyxl reads a formula back as '=...' of type 'f')
    job = next(j for j in reversed(jobs) if "Huomautus" in j.table.columns)
    book = openpyxl.load_workbook(io.BytesIO(job.make("xlsx")))
    for row in book.worksheets[0].iter_rows():
        for c in row:
            assert c.data_type != "f", c.value
    text = job.make("csv").decode("utf-8-sig")
    assert "HYPERLINK" in text
    fields = [f.strip('"') for line in text.splitlines() for f in line.split(";")]
    assert not [f for f in fields if f.startswith(("=", "+", "@")) or (f.startswith("-") and not f[1:2].isdigit())]
    # the store cuts what a crafted request sends past the text box
    long_id = notes_store.add(wh, notes_store.Note(KPI, dt.date(2025, 1, 1), None, None, None, "y" * 5000), "x")
    assert len(notes_store.get(wh, long_id)["text"]) == notes_store.TEXT_MAX
    with pytest.raises(notes_store.NoteError):
        notes_store.add(wh, notes_store.Note(KPI, dt.date(2025, 1, 1), None, None, None, " \u200b\x00 "), "x")


def test_board_pack_caption_and_speaker_notes(wh):
    from tests.test_board_pack_app import RecordingStorage, STORES, downloaded   # noqa: F401 - the file store
    notes_store.add(wh, notes_store.Note(KPI, dt.date(2026, 3, 1), dt.date(2026, 3, 1), None, None,
                                         f"{NOTE} 3/2026"), "test")
    orig = app_test_module.MemoryMediaFileStorage
    app_test_module.MemoryMediaFileStorage = RecordingStorage
    try:
        at = run(page="board_pack")
        at.multiselect(key="pack_items").set_value([f"{KPI}:trend", f"{KPI}:card"]).run()
        button(at, "Luo esitys").click().run()
        assert not at.exception and not at.error
        deck = Presentation(io.BytesIO(downloaded(at.download_button(key="pack_download_pptx"))))
    finally:
        app_test_module.MemoryMediaFileStorage = orig
    slides = list(deck.slides)[1:]
    for s in slides:
        notes = s.notes_slide.notes_text_frame.text
        assert f"3/2026 (Koko alue): {NOTE} 3/2026" in notes, notes
        body = " ".join(sh.text_frame.text for sh in s.shapes if sh.has_text_frame)
        assert f"Huomautus 3/2026: {NOTE} 3/2026" in body, body


def test_a_scoped_analyst_writes_notes_only_for_their_own_region(wh):
    """The region choices of a note: the whole area only for users without a limit; a county-limited analyst gets
    their county and its municipalities, a municipality-limited one only those municipalities."""
    from app import annotations as app_notes
    from app.auth import User
    from data_sources import catalog
    munis = catalog.municipalities(wh)
    free = app_notes.note_regions(User("a", "A", ("analyst",)), munis, "fi")
    county = app_notes.note_regions(User("b", "B", ("analyst",), "KH"), munis, "fi")
    few = app_notes.note_regions(User("c", "C", ("analyst",), None, ("109", "165")), munis, "fi")
    assert "" in free and {"c:KS", "c:KH", "c:PH"} <= set(free)
    assert "" not in county and {k for k in county if k.startswith("c:")} == {"c:KH"}
    assert set(munis.municipality_code[munis.county_code == "KH"]) == {k[2:] for k in county if k.startswith("m:")}
    assert set(few) == {"m:109", "m:165"}
