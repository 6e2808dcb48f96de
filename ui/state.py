"""Streamlit glue: one engine per process, cached queries keyed on the data version, the language."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from data_sources import catalog
from data_sources.engine import WarehouseUnavailable, check_connection, make_engine
from data_sources.settings import get_settings
from metrics.engine import Filters, KPISummary, kpi_summary, kpi_values

from .i18n import t


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
        reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        st.error(t("db_down", lang(), reason=reason), icon="⚠️")
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
