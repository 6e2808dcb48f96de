"""AppTest of the child-budget page: figures as the metrics compute them, Finnish labels, editing saves a version."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from data_sources import child_budget as cbdata
from data_sources import demo
from data_sources.engine import make_engine
from metrics import child_budget as cb
from metrics.engine import Filters
from ui.format import fmt_value

from .conftest import LATEST
from .markdown import plain

APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")
PAGE = "pages/child_budget.py"


def open_page(**sidebar) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page(PAGE).run()
    for key, value in sidebar.items():
        at.sidebar.selectbox(key=key).set_value(value).run()
    assert not at.exception, at.exception
    return at


def metric(at, label):
    found = [m for m in at.metric if m.label == label]
    assert found, [m.label for m in at.metric]
    return found[0].value


def table_with(at, *columns):
    found = [d.value for d in at.dataframe if set(columns) <= set(d.value.columns)]
    assert found, [list(d.value.columns) for d in at.dataframe]
    return found[0]


def test_page_shows_the_metrics_figures_in_finnish(duck):
    at = open_page()
    assert at.title[0].value == "Lapsibudjetointi"
    now = cb.totals(duck, Filters(year=2026, months=(1, 10))).iloc[0]
    assert metric(at, "Lapsiin kohdistuva osuus") == fmt_value(now.child_share, "pct")
    assert metric(at, "Euroa lasta kohden") == fmt_value(now.eur_per_child, "eur")
    assert metric(at, "Ennaltaehkäisevän osuus") == fmt_value(now.preventive_share, "pct")
    captions = " ".join(c.value for c in at.caption)
    assert "Herkkyysväli (avaimet ±20 %)" in captions
    assert "Tavoite: ennaltaehkäisevän osuus kasvaa" in captions
    # line table: the class is written out with its symbol, not shown by colour alone
    lines = table_with(at, "Kohdistus", "Lasten osuus")
    assert {"● Suoraan lapsiin", "◐ Osittain", "○ Ei kohdistu"} <= set(lines["Kohdistus"])
    # outcomes beside the money: KPI cards and the real deficit figures
    assert metric(at, "Lapsi- ja perhepalvelujen kontaktit / 1 000 alle 18-v.")
    deficit = table_with(at, "Mittari", "Muutos 2019→2021")
    assert "Ei päässyt kuraattorille" in set(deficit["Mittari"])
    assert any(b.label == "Lataa koko malli Excelinä" for b in at.get("download_button"))


def test_county_filter_changes_to_that_county(duck):
    at = open_page(f_county="PH")
    now = cb.totals(duck, Filters(year=2026, months=(1, 10), county="PH")).iloc[0]
    assert metric(at, "Lapsiin kohdistuva osuus") == fmt_value(now.child_share, "pct")
    regions = table_with(at, "Taso", "Kunta", "Herkkyysväli")
    assert "Lahti" in set(regions["Kunta"]) and "Jyväskylä" not in set(regions["Kunta"])


@pytest.fixture()
def own_warehouse(tmp_path, monkeypatch):
    """Editing writes: give the app its own small warehouse so the shared test warehouse stays untouched."""
    path = tmp_path / "edit.duckdb"
    engine = make_engine(f"duckdb:///{path}")
    demo.write_warehouse(engine, demo.generate(scale=0.1, latest=LATEST, counties=("KH",)))
    monkeypatch.setenv("DASHBOARD_DB_URL", f"duckdb:///{path}")
    st.cache_resource.clear()
    st.cache_data.clear()
    yield engine
    st.cache_resource.clear()
    st.cache_data.clear()
    engine.dispose()


def save_button(at):
    return next(b for b in at.button if b.label == "Tallenna uusi versio")


def _edit(at, row: int, **cells):
    at.session_state["cb_editor"] = {"edited_rows": {row: cells}, "added_rows": [], "deleted_rows": []}


def test_editing_the_classification_saves_a_version_and_updates_the_share(own_warehouse):
    engine = own_warehouse
    f = Filters(year=2026, months=(1, 10))
    before = cb.totals(engine, f).iloc[0]
    at = open_page()
    assert metric(at, "Lapsiin kohdistuva osuus") == fmt_value(before.child_share, "pct")
    editor = at.data_editor(key="cb_editor").value
    row = int(editor.index[editor.service_class == "PL602"][0])         # 24-hour housing: not targeted
    _edit(at, row, target_class="partial", allocation_key="fixed", fixed_pct=150.0,
          key_source="testi")
    save_button(at).click().run()                                       # share over 100 %
    assert not at.exception
    errors = plain(" ".join(e.value for e in at.error))
    assert "Luokitusta ei tallennettu" in errors and "ylittää 100 % (150.0 %)" in errors
    assert len(cbdata.read_versions(engine)) == 1                      # nothing saved
    # the analyst corrects the share to 10 % and saves again
    _edit(at, row, target_class="partial", allocation_key="fixed", fixed_pct=10.0, key_source="testi")
    save_button(at).click().run()
    assert not at.exception, at.exception
    versions = cbdata.read_versions(engine)
    assert versions.version.max() == 2 and versions.changed_by.iloc[0] == "demo"   # the signed-in user
    assert "PL602/*: target_class not_targeted → partial" in versions.changes.iloc[0]
    after = cb.totals(engine, f).iloc[0]
    assert after.child_share > before.child_share
    assert any("versiona 2" in s.value for s in at.success)
    assert metric(at, "Lapsiin kohdistuva osuus") == fmt_value(after.child_share, "pct")
