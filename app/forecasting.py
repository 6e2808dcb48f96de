"""Forecast glue: the target verdict of a KPI for an area (the one rule, metrics.targets.verdict, fed the same
stored forecast and history on every page, the board pack and the exports), and the bulk forecast job for
an area with a progress callback (metrics.forecast_job)."""
from __future__ import annotations

import streamlit as st

from metrics import forecast_job
from metrics.engine import Filters
from metrics.forecast import history_filters, scope_key
from metrics.registry import load_registry
from metrics.targets import Verdict, verdict as judge

from . import state


def _latest_year(version: int) -> int:
    return state.latest_month(version)[0]


@st.cache_data(ttl=state.TTL, show_spinner=False)
def _verdict(kpi_id: str, scope: Filters, version: int) -> Verdict | None:
    k = load_registry()[kpi_id]
    if not k.targets:
        return None
    latest_year = scope.year
    if "month" in k.grains:
        res = state.forecast(kpi_id, scope, version, latest_year)
        return judge(k, res["actual"], res["points"] if res["model"] else None)
    return judge(k, state.series(kpi_id, scope, "year", None, version))


def verdict(kpi_id: str, f: Filters, version: int) -> Verdict | None:
    """The verdict on the KPI's shown target for the area of `f` (the sidebar's year and months do not change
    it: the rule judges the target's own period on the whole history and the forecast)."""
    return _verdict(kpi_id, history_filters(f, _latest_year(version)), version)


def verdicts(kpi_ids, f: Filters, version: int) -> dict[str, Verdict | None]:
    return {k: verdict(k, f, version) for k in kpi_ids}


_complete: set[tuple] = set()      # (warehouse, scope, data version) with every forecast stored, in this process


def missing(f: Filters, version: int) -> list[str]:
    """Monthly KPIs without a stored forecast for the area of `f` at this data version. Once an area is
    complete at a version it stays so (runs are only deleted for a newer version), so the warehouse is not asked
    again: that keeps the page's cached forecasts on screen while the warehouse is away."""
    key = (state.warehouse_key(), scope_key(f), version)
    if key in _complete:
        return []
    stored = set(state.stored_forecasts(key[1], version))
    out = [k for k, v in load_registry().kpis.items() if "month" in v.grains and k not in stored]
    if not out:
        _complete.add(key)
    return out


def compute_area(f: Filters, version: int, progress=None) -> dict:
    """Forecast every monthly KPI of the area of `f` that has none yet (metrics.forecast_job.run)."""
    latest_year = _latest_year(version)
    return forecast_job.run(state.engine(), version, latest_year, [history_filters(f, latest_year)],
                            progress=progress)
