"""A data version new to a server is forecast in the background (DASHBOARD_FORECAST_ON_NEW_DATA), once per
version, so the pages read their verdicts and forecasts ready instead of computing them on first view."""
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from app import forecasting
from data_sources import catalog, demo, forecasts
from data_sources.engine import make_engine
from data_sources.version import bump_version
from metrics.registry import load_registry

from .conftest import LATEST

APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")


@pytest.fixture()
def own_warehouse(tmp_path, monkeypatch):
    path = tmp_path / "background.duckdb"
    engine = make_engine(f"duckdb:///{path}")
    demo.write_warehouse(engine, demo.generate(scale=0.1, latest=LATEST, counties=("KH",)))
    monkeypatch.setenv("DASHBOARD_DB_URL", f"duckdb:///{path}")
    monkeypatch.setenv("DASHBOARD_FORECAST_ON_NEW_DATA", "county")
    st.cache_resource.clear()
    st.cache_data.clear()
    yield engine
    job = forecasting.background_job()
    if job:
        job["thread"].join(120)
    st.cache_resource.clear()
    st.cache_data.clear()
    engine.dispose()


def _finished_job(version: int) -> dict:
    job = forecasting.background_job()
    assert job is not None and job["version"] == version
    job["thread"].join(120)
    job = forecasting.background_job()
    assert job["finished"] and job["error"] is None
    return job


def test_a_new_data_version_is_forecast_once_in_the_background(own_warehouse):
    engine = own_warehouse
    monthly = [k for k, v in load_registry().kpis.items() if "month" in v.grains]
    version = catalog.data_version(engine)[0]
    assert forecasts.stored_keys(engine, version) == set()

    at = AppTest.from_file(APP, default_timeout=120).run()       # the first view starts the job, it does not wait
    assert not at.exception
    job = _finished_job(version)
    expected = {(k, s) for k in monthly for s in ("all", "county_code=KH")}
    assert forecasts.stored_keys(engine, version) == expected
    assert job["done"] == job["total"] == len(expected)

    started = forecasting.background_job()["thread"]
    at.run()                                                        # the same version: no second job
    assert forecasting.background_job()["thread"] is started

    # the forecast page finds every indicator of the area ready: nothing is computed on view
    at.switch_page("pages/forecast.py").run()
    assert not at.exception
    assert not at.get("progress")
    assert forecasting.missing(catalog_filters(at), version) == []

    # a new data version (an upload, a rollback or a load elsewhere) is forecast afresh; the old runs go
    new = bump_version(engine, "test")
    st.cache_data.clear()
    forecasting.state.forget_version()
    at.switch_page("pages/overview.py").run()
    assert not at.exception
    _finished_job(new)
    assert forecasts.stored_keys(engine, new) == expected
    assert forecasts.stored_keys(engine, version) == set()


def test_off_starts_nothing(own_warehouse, monkeypatch):
    monkeypatch.setenv("DASHBOARD_FORECAST_ON_NEW_DATA", "off")
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    assert forecasting.background_job() is None
    # only what the overview itself judged was forecast (on view), nothing for the county
    stored = forecasts.stored_keys(own_warehouse, catalog.data_version(own_warehouse)[0])
    monthly = [k for k, v in load_registry().kpis.items() if "month" in v.grains]
    assert {s for _, s in stored} <= {"all"} and len(stored) < len(monthly)


def catalog_filters(at):
    from metrics.engine import Filters
    return Filters(year=int(LATEST[:4]), months=(1, int(LATEST[5:])))
