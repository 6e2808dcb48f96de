"""KPI forecasts: read a KPI's monthly series, forecast it (metrics/forecast_models.py: ETS candidates on the raw
and log scale, seasonal naive, drift and combinations, chosen by rolling-origin cross-validation, intervals
calibrated on the backtests) and keep the result per KPI, scope and data version in the warehouse
(data_sources/forecasts.py). The bulk job over every indicator and area is metrics/forecast_job.py. No streamlit.
"""
from __future__ import annotations

import time
from dataclasses import replace

import pandas as pd
import sqlalchemy as sa

from data_sources import forecasts

from .engine import kpi_series
from .forecast_models import LEVELS, SIMPLE_MODELS, Backtest, Forecast, forecast  # noqa: F401
from .forecast_models import MODELS as CANDIDATES

MODELS = (*CANDIDATES, *SIMPLE_MODELS)          # every model a stored forecast may name

FORECAST_HORIZON = 24


# --- KPI forecasts: computed once per KPI, scope and data version, then read from the warehouse -----------
def scope_key(filters) -> str:
    """The region/service/age part of the filters as a stable key ('all' when nothing is chosen)."""
    dims = filters.dims()
    return ";".join(f"{k}={','.join(sorted(map(str, v)))}" for k, v in sorted(dims.items())) or "all"


def bounds(kpi, actual: pd.Series) -> tuple[float | None, float | None]:
    """Counts, euros and days are never negative; a percentage that has never passed 100 (a share) cannot."""
    upper = 100.0 if kpi.unit == "pct" and len(actual) and float(actual.max()) <= 100 else None
    return 0.0, upper


def history_filters(filters, latest_year: int):
    """The filters a forecast reads its history with: the scope of `filters`, every month up to the latest."""
    return replace(filters, year=latest_year, months=(1, 12))


def compute(kpi, actual: pd.DataFrame | None, horizon: int = FORECAST_HORIZON) -> dict:
    """The run to store for one series (columns period, value, suppressed; None for a KPI without months):
    {model, reason, last_period, seconds, points, backtests}. Never raises for a short or hidden series: the
    reason says why there is a simpler forecast or none."""
    t0 = time.perf_counter()
    fc, reason = None, None
    if actual is None:
        reason = "no_monthly"
    elif bool(actual["suppressed"].any()):
        reason = "suppressed"
    else:
        lo, hi = bounds(kpi, actual["value"])
        fc = forecast(actual[["period", "value"]], horizon, lower_bound=lo, upper_bound=hi)
        reason = "too_short" if fc is None else fc.reason
    return {"model": fc.model if fc else None, "reason": reason,
            "last_period": actual["period"].max() if actual is not None and len(actual) else None,
            "seconds": time.perf_counter() - t0, "points": fc.frame if fc else None,
            "backtests": [b.__dict__ for b in fc.backtests] if fc else []}


def kpi_forecast(engine, kpi, filters, version: int, latest_year: int, horizon: int = FORECAST_HORIZON,
                 registry=None, stored: dict | None = None) -> dict:
    """The stored forecast of a KPI for the filters' scope at this data version; computed and stored first
    when there is none (another process storing the same run meanwhile is no error: the first one is kept).
    `stored`: the run already read (data_sources.forecasts.load_scope), to save the three reads.
    Returns {model, reason, last_period, seconds, points, backtests, actual, scope}."""
    scope = scope_key(filters)
    history = history_filters(filters, latest_year)
    actual = kpi_series(engine, kpi, history, "month", registry=registry) if "month" in kpi.grains else None
    if stored is None:
        stored = forecasts.load(engine, kpi.id, scope, version)
    if stored is None:
        run = compute(kpi, actual, horizon)
        try:
            forecasts.save(engine, kpi.id, scope, version, **run)
        except sa.exc.DBAPIError:
            # a write conflict the upsert could not absorb (e.g. a serialisation failure): use the other's run
            if forecasts.load(engine, kpi.id, scope, version) is None:
                raise
        stored = forecasts.load(engine, kpi.id, scope, version)
    return {**stored, "points": flag_small(stored["points"], kpi), "actual": actual, "scope": scope}


def kpi_verdict(engine, kpi, filters, version: int, latest_year: int, registry=None):
    """The target verdict (metrics.targets.verdict) of a KPI for the filters' area, from the same inputs the
    app uses (app/forecasting.py): the stored forecast and its history for a monthly KPI, the yearly series
    otherwise. None for a KPI without a target."""
    from .targets import verdict
    if not kpi.targets:
        return None
    history = history_filters(filters, latest_year)
    if "month" in kpi.grains:
        res = kpi_forecast(engine, kpi, history, version, latest_year, registry=registry)
        return verdict(kpi, res["actual"], res["points"] if res["model"] else None)
    return verdict(kpi, kpi_series(engine, kpi, history, "year", registry=registry))


def flag_small(points: pd.DataFrame, kpi) -> pd.DataFrame:
    """A forecast head count below the suppression threshold is shown as <5 like an actual one would be."""
    small = kpi.unit in ("count", "persons")
    return points.assign(suppressed=(points["value"] < kpi.suppress_below) & small if len(points) else
                         pd.Series(dtype=bool))
