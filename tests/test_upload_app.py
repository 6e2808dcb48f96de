"""AppTest of the upload page: a bad file gives a Finnish message and an error report; a good file shows the
preview, is stored with a progress bar, and the overview KPI then shows the new number (round trip)."""
import datetime as dt
import shutil

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from data_sources import uploads
from data_sources.engine import make_engine
from ui.format import fmt_value

from .markdown import plain
from .test_overview_app import APP, metric, oracle_care_guarantee
from .upload_files import CG_HEADERS_FI, care_rows, checksum, good_care_guarantee, xlsx

KPI = "Kiireetön hoito 7 vuorokaudessa"


@pytest.fixture()
def app_copy(warehouse_path, tmp_path, monkeypatch):
    """The app on its own copy of the warehouse, so uploads do not leak into other tests."""
    path = tmp_path / "warehouse.duckdb"
    shutil.copy(warehouse_path, path)
    monkeypatch.setenv("DASHBOARD_DB_URL", f"duckdb:///{path}")
    st.cache_resource.clear()
    st.cache_data.clear()
    engine = make_engine(f"duckdb:///{path}")
    yield engine
    engine.dispose()
    st.cache_resource.clear()
    st.cache_data.clear()


def upload_page(dataset="care_guarantee"):
    at = AppTest.from_file(APP, default_timeout=90).run()
    at.switch_page("pages/upload.py").run()
    assert not at.exception, at.exception
    at.selectbox(key="upl_dataset").set_value(dataset).run()
    return at


def test_bad_file_message_and_error_report(app_copy):
    at = upload_page()
    before = checksum(app_copy)      # after the first views: the overview stores its forecasts (a derived cache)
    rows = care_rows(dt.date(2026, 9, 1))
    rows[3][3] = "paljon"
    rows[5][4] = -3
    at.file_uploader(key="upl_file_care_guarantee_0").upload("huono.xlsx", xlsx({"Data": [CG_HEADERS_FI] + rows}),
                                                           "application/octet-stream").run()
    assert not at.exception
    assert "Tiedostossa on 2 virhettä" in at.error[0].value
    table = at.table[0].value
    assert list(table["Solu"]) == ["D5", "E7"]
    assert "'paljon' ei ole luku." in {plain(x) for x in table["Ongelma"]}
    labels = [b.label for b in at.get("download_button")]
    assert "Lataa virheraportti (.xlsx)" in labels
    assert not [b for b in at.button if b.key == "upl_ingest"]      # nothing to store
    assert checksum(app_copy) == before


def test_many_errors_first_fifty_on_the_page_all_in_the_report(app_copy):
    import io

    import openpyxl
    at = upload_page()
    rows = care_rows(dt.date(2026, 9, 1))
    for r in rows[:60]:
        r[3] = "paljon"
    at.file_uploader(key="upl_file_care_guarantee_0").upload("huono.xlsx", xlsx({"Data": [CG_HEADERS_FI] + rows}),
                                                           "application/octet-stream").run()
    assert not at.exception
    assert "Tiedostossa on 60 virhettä" in at.error[0].value
    assert len(at.table[0].value) == 50
    assert "Näytetään 50 ensimmäistä virhettä; kaikki 60 ovat virheraportissa." in [c.value for c in at.caption]
    assert "Lataa virheraportti (.xlsx)" in [b.label for b in at.get("download_button")]
    from ui import upload as ui_upload          # the report behind that button has every error
    data = ui_upload.error_report_xlsx(uploads.check_file(app_copy, xlsx({"Data": [CG_HEADERS_FI] + rows}),
                                                          "huono.xlsx", "care_guarantee"), "fi")
    ws = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    assert sum(1 for r in ws.iter_rows(values_only=True) if r and "'paljon'" in " ".join(map(str, r))) == 60


def test_template_downloads_and_reads_back(app_copy):
    at = upload_page("phone")
    assert "Lataa mallipohja (.xlsx)" in [b.label for b in at.get("download_button")]
    from app.upload import template
    data = template("phone", 1)
    v = uploads.check_file(app_copy, data, "malli.xlsx", "phone")
    assert v.counts == {"no_rows": 1}            # headers recognised; only the data is missing


def test_good_file_round_trip_changes_the_overview_kpi(app_copy):
    at = AppTest.from_file(APP, default_timeout=90).run()
    shown_before = metric(at, KPI).value
    assert shown_before == fmt_value(oracle_care_guarantee(app_copy), "pct")
    at.switch_page("pages/upload.py").run()
    at.selectbox(key="upl_dataset").set_value("care_guarantee").run()
    sep = dt.date(2026, 9, 1)
    data = xlsx({"Hoitotakuu": [CG_HEADERS_FI] + care_rows(sep)}, title_rows=["Hoitotakuu syyskuu 2026"])
    at.file_uploader(key="upl_file_care_guarantee_0").upload("syyskuu.xlsx", data, "application/octet-stream").run()
    assert not at.exception, at.exception
    assert not at.error
    counts = {m.label: m.value for m in at.metric}
    assert counts["Rivejä tiedostossa"] == str(len(care_rows(sep)))
    assert counts["Uusia"] == "0" and int(counts["Päivittyviä"]) > 0
    assert any("ei ole uusia kausia" in m.value for m in at.markdown)
    assert not [i for i in at.info if "palvelukontaktit" in i.value]     # September is on the pages already
    at.button(key="upl_ingest").click().run()
    assert not at.exception, at.exception
    assert any("tallennettu" in s.value for s in at.success), [s.value for s in at.success]
    log = uploads.audit_log(app_copy)
    assert list(log.file_name) == ["syyskuu.xlsx"] and log.status.iloc[0] == "committed"
    shown_log = at.dataframe[-1].value.iloc[0]      # the log on the page: who, which file, rows affected
    assert shown_log["Lataaja"] == "demo" and shown_log["Tiedosto"] == "syyskuu.xlsx"
    assert shown_log["Päivitettyjä"] == str(log.rows_updated.iloc[0]) == counts["Päivittyviä"]
    assert shown_log["Uusia"] == "0" and shown_log["Poistettuja"] == "0" and shown_log["Tila"] == "tallennettu"
    at.switch_page("pages/overview.py").run()
    shown_after = metric(at, KPI).value
    assert shown_after != shown_before
    assert shown_after == fmt_value(oracle_care_guarantee(app_copy), "pct")
    # the admin rolls it back and the old number returns
    at.switch_page("pages/upload.py").run()
    at.checkbox(key="upl_rb_sure").check().run()
    at.button(key="upl_rb_go").click().run()
    assert not at.exception and any("peruttu" in s.value for s in at.success)
    status = at.dataframe[-1].value.iloc[0]["Tila"]                           # with when and by whom
    assert status.startswith("peruttu ") and status.endswith("(demo)"), status
    assert uploads.audit_log(app_copy).rolled_back_by.iloc[0] == "demo"   # the signed-in user (demo mode's admin)
    at.switch_page("pages/overview.py").run()
    assert metric(at, KPI).value == shown_before


def test_english_page_and_refused_macro_file(app_copy):
    at = AppTest.from_file(APP, default_timeout=90).run()
    at.sidebar.radio(key="lang").set_value("en").run()
    at.switch_page("pages/upload.py").run()
    assert at.title[0].value == "Data upload"
    uploader = at.file_uploader(key="upl_file_contacts_0")
    assert list(uploader.proto.type) == [".xlsx", ".csv"]          # offered exactly what is accepted
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)      # an old .xls renamed to .xlsx
    at.file_uploader(key="upl_file_contacts_0").upload("vanha.xlsx", ole, "application/octet-stream").run()
    assert not at.exception
    assert "The file has 1 error. Fix it" in at.error[0].value
    assert any("xls" in plain(x) for x in at.table[0].value["Problem"])


def test_classification_upload_through_the_page(app_copy):
    """The child-budget classification dataset on the page: preview counts, the whole-table replace wording,
    stored as a new classification version that the child budgeting page then lists."""
    from data_sources import child_budget as cb

    from .test_upload_ingest import _classification_csv
    rules = cb.read_classification(app_copy)
    rules.loc[0, "prevention"] = "preventive"
    at = upload_page("child_budget_class")
    at.file_uploader(key="upl_file_child_budget_class_0").upload("luokitus.csv", _classification_csv(rules),
                                                                "text/csv").run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert "Korvaa koko taulu tiedoston riveillä" in at.radio(key="upl_mode").options
    counts = {m.label: m.value for m in at.metric}
    assert counts["Päivittyviä"] == "1" and counts["Uusia"] == "0"
    assert any("PL101/*: prevention other → preventive" in plain(m.value) for m in at.markdown), \
        [m.value for m in at.markdown]
    at.button(key="upl_ingest").click().run()
    assert not at.exception, at.exception
    assert any("tallennettu" in s.value for s in at.success), [s.value for s in at.success]
    assert cb.read_classification(app_copy).loc[0, "prevention"] == "preventive"
    assert "upload:1 luokitus.csv" in set(cb.read_versions(app_copy).note)
