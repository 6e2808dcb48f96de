"""Cached reads of the region comparison (metrics.compare), keyed on the data version like every read."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pandas as pd

from metrics import compare
from metrics.engine import Filters
from metrics.registry import load_registry

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
