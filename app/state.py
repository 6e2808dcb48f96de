"""Cached reads: one engine per process, queries keyed on the data version (an ingest bumps it)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from data_sources import catalog, forecasts, migrations
from data_sources.schema import AGE_GROUPS, CHANNELS  # noqa: F401 - the pages' breakdowns
from data_sources.engine import WarehouseUnavailable, check_connection, make_engine
from data_sources.settings import get_settings
from metrics.composite import load_rules, score_area
from metrics.engine import Filters, KPISummary, kpi_series, kpi_summary, kpi_values
from metrics.forecast import kpi_forecast
from metrics.registry import load_registry

from ui import sidebar
from ui.i18n import t
from ui.safe import incident


@st.cache_resource(show_spinner=False)
def engine():
    """One engine per process, its warehouse brought to the latest schema once (data_sources.migrations)."""
    e = make_engine()
    migrations.upgrade(e)
    return e


def lang() -> str:
    return st.session_state.get("lang", get_settings().lang)


def require_warehouse() -> tuple[int, str]:
    """Stop the page with a message in the user's language when the warehouse does not answer."""
    try:
        check_connection(engine())
        return catalog.data_version(engine())
    except (WarehouseUnavailable, Exception) as exc:  # noqa: BLE001 - any driver error ends here
        st.error(t("db_down", lang(), ref=incident(exc, "warehouse connection")), icon="⚠️")
        st.stop()


TTL = int(get_settings().cache_ttl_seconds)


@st.cache_data(ttl=TTL, show_spinner=False)
def municipalities(version: int) -> pd.DataFrame:
    return catalog.municipalities(engine())


@st.cache_data(ttl=TTL, show_spinner=False)
def latest_month(version: int) -> tuple[int, int]:
    return catalog.latest_month(engine())


@st.cache_data(ttl=TTL, show_spinner=False)
def summary(kpi_id: str, filters: Filters, version: int) -> KPISummary:
    return kpi_summary(engine(), kpi_id, filters)


@st.cache_data(ttl=TTL, show_spinner=False)
def values(kpi_id: str, filters: Filters, by: tuple[str, ...], years: tuple[int, ...] | None,
           version: int) -> pd.DataFrame:
    return kpi_values(engine(), kpi_id, filters, by, years)


@st.cache_data(ttl=TTL, show_spinner=False)
def series(kpi_id: str, filters: Filters, grain: str, years: tuple[int, ...] | None, version: int) -> pd.DataFrame:
    return kpi_series(engine(), kpi_id, filters, grain, years)


@st.cache_data(ttl=TTL, show_spinner=False)
def forecast(kpi_id: str, filters: Filters, version: int, latest_year: int) -> dict:
    """Stored forecast for this scope and data version (computed and stored on first use)."""
    return kpi_forecast(engine(), load_registry()[kpi_id], filters, version, latest_year)


def stored_forecasts(scope: str, version: int) -> list[str]:
    """KPI ids with a forecast stored for a scope and data version (not cached: it grows as they are made)."""
    return forecasts.stored_kpis(engine(), scope, version)


@st.cache_data(ttl=TTL, show_spinner=False)
def service_points(version: int) -> pd.DataFrame:
    return catalog.service_points(engine())


@st.cache_data(ttl=TTL, show_spinner=False)
def service_areas(version: int) -> pd.DataFrame:
    return catalog.service_areas(engine())


@st.cache_data(ttl=TTL, show_spinner=False)
def service_deficit(version: int) -> pd.DataFrame:
    return catalog.service_deficit(engine())


@st.cache_data(ttl=TTL, show_spinner=False)
def composite_scores(filters: Filters, version: int) -> list[tuple[str, float, str | None, pd.DataFrame]]:
    """(area id, score, status, explanation table) for every area of metrics/composite.yaml."""
    rules = load_rules()
    out = []
    for area in rules.areas:
        values_ = {i.kpi: summary(i.kpi, filters, version).value for i in area.indicators}
        score, status, table = score_area(area, values_, rules)
        out.append((area.id, score, status, table))
    return out


def place(f: Filters, version: int) -> str:
    """The chosen area in words (a page subtitle, a file's heading)."""
    return sidebar.place(f, municipalities(version), lang())


def describe(f: Filters, version: int) -> str:
    return sidebar.describe(f, municipalities(version), lang())
