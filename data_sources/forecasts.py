"""Storage of KPI forecasts: one run per (KPI, scope, data version) with its points and backtest scores.

Only SQL here; the forecasting itself is metrics/forecast.py. A newer data version makes older runs
stale: they are deleted when the new run is saved, so the tables stay small.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa

from . import schema

TABLES = (schema.forecast_run, schema.forecast_point, schema.forecast_backtest)


def _key(t: sa.Table, kpi_id: str, scope: str, version: int | None = None):
    cond = [t.c.kpi_id == kpi_id, t.c.scope == scope]
    if version is not None:
        cond.append(t.c.data_version == version)
    return sa.and_(*cond)


def load(engine: sa.Engine, kpi_id: str, scope: str, version: int) -> dict | None:
    """The stored run as {model, reason, last_period, seconds, points, backtests}, or None if not computed."""
    run_t, pt_t, bt_t = TABLES
    with engine.connect() as conn:
        run = conn.execute(sa.select(run_t).where(_key(run_t, kpi_id, scope, version))).mappings().first()
        if run is None:
            return None
        points = pd.DataFrame(conn.execute(
            sa.select(pt_t.c.period, pt_t.c.value, pt_t.c.lo80, pt_t.c.hi80, pt_t.c.lo95, pt_t.c.hi95)
            .where(_key(pt_t, kpi_id, scope, version)).order_by(pt_t.c.period)).fetchall(),
            columns=["period", "value", "lo80", "hi80", "lo95", "hi95"])
        backtests = pd.DataFrame(conn.execute(
            sa.select(bt_t.c.model, bt_t.c.mape, bt_t.c.mase, bt_t.c.mae, bt_t.c.n)
            .where(_key(bt_t, kpi_id, scope, version)).order_by(bt_t.c.mae)).fetchall(),
            columns=["model", "mape", "mase", "mae", "n"])
    points["period"] = pd.to_datetime(points["period"])
    return {**dict(run), "points": points, "backtests": backtests}


def save(engine: sa.Engine, kpi_id: str, scope: str, version: int, *, model: str | None, reason: str | None,
         last_period, seconds: float, points: pd.DataFrame | None, backtests: list[dict]) -> None:
    """Replace every run of this KPI and scope (older data versions included) in one transaction."""
    run_t, pt_t, bt_t = TABLES
    with engine.begin() as conn:
        for t in TABLES:
            conn.execute(t.delete().where(_key(t, kpi_id, scope)))
        conn.execute(run_t.insert().values(
            kpi_id=kpi_id, scope=scope, data_version=version, model=model, reason=reason,
            last_period=pd.Timestamp(last_period).date() if last_period is not None else None,
            seconds=float(seconds), created_at=dt.datetime.now()))
        if points is not None and len(points):
            rows = [{"kpi_id": kpi_id, "scope": scope, "data_version": version,
                     "period": pd.Timestamp(r.period).date(), "value": float(r.value), "lo80": float(r.lo80),
                     "hi80": float(r.hi80), "lo95": float(r.lo95), "hi95": float(r.hi95)}
                    for r in points.itertuples()]
            conn.execute(pt_t.insert(), rows)
        if backtests:
            conn.execute(bt_t.insert(), [{"kpi_id": kpi_id, "scope": scope, "data_version": version, **b}
                                         for b in backtests])


def stored_kpis(engine: sa.Engine, scope: str, version: int) -> list[str]:
    """KPI ids that have a run (a forecast or a recorded reason for none) for this scope and data version."""
    run_t = schema.forecast_run
    with engine.connect() as conn:
        return list(conn.execute(sa.select(run_t.c.kpi_id).where(
            run_t.c.scope == scope, run_t.c.data_version == version)).scalars())
