"""Cached reads of the region comparison (metrics.compare), keyed on the data version like every read."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pandas as pd
import streamlit as st

from metrics import compare
from metrics.engine import Filters
from metrics.registry import load_registry
from ui import compare as compare_ui

from . import state


def table(kpi_id: str, filters: Filters, years: tuple[int, ...], standard: str | None, version: int) -> pd.DataFrame:
    """Every area's value of a KPI in `years` (municipalities, counties, the whole) with intervals: one grouped
    read per measure. The region choice does not change the read (the page picks from it), so a county switch
    is answered from the cache; the scope does."""
    return _table(kpi_id, replace(filters, county=None, municipalities=()), tuple(years), standard, version)


@state.cached_read
def _table(kpi_id: str, filters: Filters, years: tuple[int, ...], standard: str | None, version: int) -> pd.DataFrame:
    reg = load_registry()
    return compare.area_table(state.engine(), reg[kpi_id], filters, reg, years, standard)


def tables(kpi_ids, filters: Filters, years: tuple[int, ...], version: int) -> dict[str, pd.DataFrame]:
    """Crude area tables of several KPIs (the spine chart and the county benchmark), read side by side."""
    return _tables(tuple(kpi_ids), replace(filters, county=None, municipalities=()), tuple(years), version)


@state.cached_read
def _tables(kpi_ids: tuple[str, ...], filters: Filters, years: tuple[int, ...], version: int) -> dict:
    """The KPIs' reads run on a few threads (the engine gives each thread its own DuckDB cursor or pooled
    PostgreSQL connection): the warehouse answers one while Python combines another."""
    reg = load_registry()
    engine = state.engine()
    with ThreadPoolExecutor(max_workers=4) as pool:
        done = pool.map(lambda k: compare.area_table(engine, reg[k], filters, reg, years, None), kpi_ids)
        return dict(zip(kpi_ids, done))


def prepared(kpi_id: str, filters: Filters, version: int, level: str, target: float | None, lang: str,
             standardised: bool = False) -> pd.DataFrame:
    """The area table of `kpi_id` in the filters' year, flagged against its `level` (metrics.compare.with_flags)
    and made ready to draw (ui.compare.prepare), held per process (cache_resource): every rerun gets the same
    object, so ui.compare.ranked_section finds its chart, table and text made (they were a third of a warm
    overview run). Like table(), the region choice does not change it: a county change draws from the same one.
    Nothing may change it in place (ranked_section does not)."""
    return _prepared(state.warehouse_key(), kpi_id, replace(filters, county=None, municipalities=()), version,
                     level, target, lang, standardised)


@st.cache_resource(ttl=state.TTL, max_entries=128, show_spinner=False, hash_funcs=state.HASH_FUNCS)
def _prepared(warehouse: tuple[str, str], kpi_id: str, filters: Filters, version: int, level: str,
              target: float | None, lang: str, standardised: bool) -> pd.DataFrame:
    k = load_registry()[kpi_id]
    flagged = compare.with_flags(_table(kpi_id, filters, (filters.year,), None, version), k, level, target=target)
    return compare_ui.prepare(flagged, k, state.municipalities(version), lang, standardised)


state.clear_with_caches(_prepared.clear)
