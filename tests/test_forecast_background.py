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


def measure_reads(at, steps) -> list[str]:
    """The statements that read a measure (a view or a rollup) while `steps` run on the AppTest."""
    import sqlalchemy as sa
    from data_sources.rollups import ROLLUPS, YTD_ROLLUPS
    from data_sources.schema import VIEWS
    measured = tuple(VIEWS) + tuple(r.name for r in ROLLUPS + YTD_ROLLUPS)
    seen = []

    def count(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)
    engine = forecasting.state.engine()
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        for step in steps:
            step(at)
            assert not at.exception, at.exception
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    return [q for q in seen if any(name in q for name in measured)]


# the overview, the strategic page and a county switch there: what the warm-up (app/warmup.py) makes ready
FIRST_VIEWS = [lambda a: a.switch_page("pages/overview.py").run(), lambda a: a.switch_page("pages/strategic.py").run(),
               lambda a: a.sidebar.selectbox(key="f_county").set_value("KH").run(),
               lambda a: a.switch_page("pages/child_budget.py").run()]


def _finished_job(version: int) -> dict:
    job = forecasting.background_job()
    assert job is not None and job["version"] == version
    job["thread"].join(120)
    job = forecasting.background_job()
    assert job["finished"] and job["error"] is None
    return job


def test_a_new_data_version_is_forecast_once_in_the_background(own_warehouse, monkeypatch):
    engine = own_warehouse
    monkeypatch.setenv("DASHBOARD_VERSION_TTL_SECONDS", "60")      # the version check is no measure read anyway
    monthly = [k for k, v in load_registry().kpis.items() if "month" in v.grains]
    version = catalog.data_version(engine)[0]
    assert forecasts.stored_keys(engine, version) == set()

    at = AppTest.from_file(APP, default_timeout=120).run()       # the first view starts the job, it does not wait
    assert not at.exception
    job = _finished_job(version)
    expected = {(k, s) for k in monthly for s in ("all", "county_code=KH")}
    assert forecasts.stored_keys(engine, version) == expected
    assert job["done"] == job["total"] == len(expected)

    # the same job warmed the page caches of both areas at the default period: the first views read no measure
    assert job["warmed"]["areas"] == 2 and job["warmed"]["kpis"] == len(load_registry().kpis)
    assert measure_reads(AppTest.from_file(APP, default_timeout=120), FIRST_VIEWS) == []

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
    # nothing warmed: the first views read their measures on view
    assert len(measure_reads(at, FIRST_VIEWS)) > 20


def catalog_filters(at):
    from metrics.engine import Filters
    return Filters(year=int(LATEST[:4]), months=(1, int(LATEST[5:])))

