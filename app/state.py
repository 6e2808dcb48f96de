"""Streamlit glue: one engine per process, cached queries keyed on the data version, the language."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from data_sources import catalog
from data_sources.engine import WarehouseUnavailable, check_connection, make_engine
from data_sources.settings import get_settings
from metrics.composite import load_rules, score_area
from metrics.engine import Filters, KPISummary, kpi_series, kpi_summary, kpi_values

from .i18n import t
from .safe import incident


@st.cache_resource(show_spinner=False)
def engine():
    return make_engine()


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


_TTL = int(get_settings().cache_ttl_seconds)


@st.cache_data(ttl=_TTL, show_spinner=False)
def municipalities(version: int) -> pd.DataFrame:
    return catalog.municipalities(engine())


@st.cache_data(ttl=_TTL, show_spinner=False)
def latest_month(version: int) -> tuple[int, int]:
    return catalog.latest_month(engine())


@st.cache_data(ttl=_TTL, show_spinner=False)
def summary(kpi_id: str, filters: Filters, version: int) -> KPISummary:
    return kpi_summary(engine(), kpi_id, filters)


@st.cache_data(ttl=_TTL, show_spinner=False)
def values(kpi_id: str, filters: Filters, by: tuple[str, ...], years: tuple[int, ...] | None,
           version: int) -> pd.DataFrame:
    return kpi_values(engine(), kpi_id, filters, by, years)


@st.cache_data(ttl=_TTL, show_spinner=False)
def series(kpi_id: str, filters: Filters, grain: str, years: tuple[int, ...] | None, version: int) -> pd.DataFrame:
    return kpi_series(engine(), kpi_id, filters, grain, years)


@st.cache_data(ttl=_TTL, show_spinner=False)
def forecast(kpi_id: str, filters: Filters, version: int, latest_year: int) -> dict:
    """Stored forecast for this scope and data version (computed and stored on first use)."""
    from metrics.forecast import kpi_forecast
    from metrics.registry import load_registry
    return kpi_forecast(engine(), load_registry()[kpi_id], filters, version, latest_year)


def stored_forecasts(scope: str, version: int) -> list[str]:
    """KPI ids with a forecast stored for a scope and data version (not cached: it grows as they are made)."""
    from data_sources.forecasts import stored_kpis
    return stored_kpis(engine(), scope, version)


@st.cache_data(ttl=_TTL, show_spinner=False)
def service_points(version: int) -> pd.DataFrame:
    return catalog.service_points(engine())


@st.cache_data(ttl=_TTL, show_spinner=False)
def service_areas(version: int) -> pd.DataFrame:
    return catalog.service_areas(engine())


@st.cache_data(ttl=_TTL, show_spinner=False)
def service_deficit(version: int) -> pd.DataFrame:
    return catalog.service_deficit(engine())


@st.cache_data(ttl=_TTL, show_spinner=False)
def composite_scores(filters: Filters, version: int) -> list[tuple[str, float, str | None, pd.DataFrame]]:
    """(area id, score, status, explanation table) for every area of metrics/composite.yaml."""
    rules = load_rules()
    out = []
    for area in rules.areas:
        values_ = {i.kpi: summary(i.kpi, filters, version).value for i in area.indicators}
        score, status, table = score_area(area, values_, rules)
        out.append((area.id, score, status, table))
    return out


def leave_legacy_pages_mode(rerun: bool = False) -> None:
    """Streamlit treats a folder named pages/ as legacy multipage routing until st.navigation has run once in
    the process. Switch to st.navigation routing; rerun only when a page was reached without dashboard.py."""
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        if rerun:
            st.rerun()


def page_context():
    """(lang, filters, data version) for a page. A page reached by legacy routing (a deep link on a cold server,
    or AppTest's switch_page) runs the entry script inline, so the sidebar and navigation exist and no
    widget event is lost to a rerun; then this outer run stops."""
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        import runpy
        from pathlib import Path

        PagesManager.uses_pages_directory = False
        runpy.run_path(str(Path(__file__).resolve().parent.parent / "dashboard.py"), run_name="__main__")
        st.stop()
    return lang(), st.session_state["filters"], st.session_state["data_version"]


# --- export: saved board-pack selections and the export audit log
def selections() -> list[str]:
    from data_sources import exports
    return exports.list_selections(engine())


def load_selection(name: str) -> list[dict]:
    from data_sources import exports
    return exports.load_selection(engine(), name)


def save_selection(name: str, items: list[dict]) -> str:
    from data_sources import exports
    return exports.save_selection(engine(), name, items)


def record_export(action: str, obj: str, detail: str, version: int | None) -> None:
    from data_sources import exports
    exports.record_export(engine(), action, obj, detail, version)


def pack_slides(items: list, f: Filters, version: int, lang: str) -> list:
    """Board-pack slides from the same cached queries the pages use."""
    from . import board_pack
    from .sidebar import describe
    munis = municipalities(version)
    return board_pack.make_slides(
        items, f, summary_of=lambda k: summary(k, f, version),
        regions_of=lambda k: values(k, f, ("municipality_code",), None, version),
        municipality_names=dict(zip(munis.municipality_code, munis.name_fi)), subtitle=describe(f, version),
        lang=lang, forecast_of=lambda k: forecast(k, f, version, latest_month(version)[0]))
