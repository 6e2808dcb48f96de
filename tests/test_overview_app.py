"""AppTest of dashboard.py and the overview page; shown values checked against independent SQL."""
import os

import pytest
import sqlalchemy as sa
import streamlit as st
from streamlit.testing.v1 import AppTest

from ui.format import fmt_value

APP = str(__import__("pathlib").Path(__file__).resolve().parent.parent / "dashboard.py")


def run_app():
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception, at.exception
    return at


def metric(at, label):
    matches = [m for m in at.metric if m.label == label]
    assert matches, f"no metric {label!r} in {[m.label for m in at.metric]}"
    return matches[0]


def oracle_care_guarantee(duck, county=None, year=2026, months=(1, 10)):
    where = "WHERE f.service_area = 'primary_care' AND EXTRACT(YEAR FROM f.month) = :y " \
            "AND EXTRACT(MONTH FROM f.month) BETWEEN :m0 AND :m1"
    if county:
        where += " AND m.county_code = :c"
    sql = sa.text(f"SELECT 100.0 * SUM(f.visits_within_7d) / SUM(f.visits_total) FROM fact_care_guarantee f "
                  f"JOIN dim_municipality m USING (municipality_code) {where}")
    with duck.connect() as conn:
        return float(conn.execute(sql, {"y": year, "m0": months[0], "m1": months[1], "c": county}).scalar())


def oracle_cost_per_resident(duck, county, year=2026, months=(1, 10)):
    with duck.connect() as conn:
        cost = conn.execute(sa.text(
            "SELECT SUM(actual_eur) FROM fact_costs f JOIN dim_municipality m USING (municipality_code) "
            "WHERE m.county_code = :c AND EXTRACT(YEAR FROM f.month) = :y "
            "AND EXTRACT(MONTH FROM f.month) BETWEEN :m0 AND :m1"),
            {"c": county, "y": year, "m0": months[0], "m1": months[1]}).scalar()
        pop = conn.execute(sa.text(
            "SELECT SUM(population) FROM fact_population f JOIN dim_municipality m USING (municipality_code) "
            "WHERE m.county_code = :c AND yr = :y"), {"c": county, "y": year}).scalar()
    return float(cost) / float(pop) * 12 / (months[1] - months[0] + 1)


def test_overview_renders_with_finnish_labels():
    at = run_app()
    assert at.title[0].value == "Strateginen yleiskuva"
    assert len(at.metric) >= 6
    # every card tells its target status in words, not only by colour
    captions = [c.value for c in at.caption]
    verdicts = [c for c in captions if c.startswith((":red[", ":green[", ":orange[", ":gray["))]
    assert len(verdicts) >= 6, captions
    words = ("saavutettu", "saavutetaan", "saavuttamatta", "vaarassa", "Ei tavoitetta", "ei arvioitavissa")
    assert all(any(w in c for w in words) for c in verdicts), verdicts
    assert any("12/2025: ei saavutettu" in c for c in verdicts)       # a passed target judged on its own period


def test_shown_care_guarantee_matches_sql(duck):
    at = run_app()
    shown = metric(at, "Kiireetön hoito 7 vuorokaudessa").value
    assert shown == fmt_value(oracle_care_guarantee(duck), "pct")


def test_county_filter_changes_values_to_the_oracle(duck):
    at = run_app()
    at.sidebar.selectbox(key="f_county").set_value("PH").run()
    assert not at.exception
    assert metric(at, "Kiireetön hoito 7 vuorokaudessa").value == fmt_value(oracle_care_guarantee(duck, "PH"), "pct")
    assert metric(at, "Nettokustannukset asukasta kohden").value == fmt_value(
        oracle_cost_per_resident(duck, "PH"), "eur_per_resident")


def test_month_window_and_year(duck):
    at = run_app()
    at.sidebar.selectbox(key="f_year").set_value(2023).run()
    at.sidebar.select_slider(key="f_months").set_range(3, 5).run()
    assert not at.exception
    expected = oracle_care_guarantee(duck, None, 2023, (3, 5))
    assert metric(at, "Kiireetön hoito 7 vuorokaudessa").value == fmt_value(expected, "pct")


def test_english_switch():
    at = run_app()
    at.sidebar.radio(key="lang").set_value("en").run()
    assert not at.exception
    assert at.title[0].value == "Strategic overview"
    assert metric(at, "Non-urgent care within 7 days").value.endswith("%")


def test_municipality_drill_and_small_counts_note():
    at = run_app()
    at.sidebar.selectbox(key="f_county").set_value("KS").run()
    at.sidebar.selectbox(key="f_municipality").set_value("435").run()  # Luhanka, ~700 residents
    assert not at.exception
    assert any("<5" in c.value for c in at.caption)


def test_database_down_gives_a_finnish_message_not_a_traceback(monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    st.cache_resource.clear()
    st.cache_data.clear()
    try:
        at = AppTest.from_file(APP, default_timeout=60).run()
        assert not at.exception
        assert at.error and "Tietovarastoon ei saada yhteyttä" in at.error[0].value
    finally:
        st.cache_resource.clear()
        st.cache_data.clear()


def test_an_empty_warehouse_says_so_and_the_upload_page_opens(monkeypatch, tmp_path):
    """A new warehouse (schema and reference data, no facts yet): every computing page says in a sentence that
    there is nothing to compute yet and points to the upload page; the upload page itself opens."""
    monkeypatch.setenv("DASHBOARD_DB_URL", f"duckdb:///{tmp_path / 'empty.duckdb'}")
    st.cache_resource.clear()
    st.cache_data.clear()
    try:
        at = AppTest.from_file(APP, default_timeout=60).run()
        assert not at.exception, at.exception
        assert any("ei ole vielä palvelukontakteja" in i.value for i in at.info), [i.value for i in at.info]
        assert not at.metric
        for page in ("pages/strategic.py", "pages/child_budget.py", "pages/forecast.py"):
            at.switch_page(page).run()
            assert not at.exception, (page, at.exception)
            assert any("ei ole vielä palvelukontakteja" in i.value for i in at.info), page
        at.switch_page("pages/upload.py").run()
        assert not at.exception, at.exception
        assert at.title[0].value == "Tietojen lataus"
        assert not [i for i in at.info if "ei ole vielä palvelukontakteja" in i.value]
    finally:
        st.cache_resource.clear()
        st.cache_data.clear()
