"""Storage of KPI forecasts: one run per (KPI, scope, data version) with its points and backtest scores.

Only SQL here; the forecasting itself is metrics/forecast.py. A newer data version makes older runs
stale: they are deleted when a new run is saved, so the tables stay small. Saving is conflict-tolerant (two
processes computing the same forecast at once: the first one's run is kept).
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from . import schema

TABLES = (schema.forecast_run, schema.forecast_point, schema.forecast_backtest)


def _key(t: sa.Table, kpi_id: str, scope: str, version: int | None = None):
    cond = [t.c.kpi_id == kpi_id, t.c.scope == scope]
    if version is not None:
        cond.append(t.c.data_version == version)
    return sa.and_(*cond)


def load(engine: sa.Engine, kpi_id: str, scope: str, version: int) -> dict | None:
    """The stored run as {model, reason, last_period, seconds, points, backtests}, or None if not computed."""
    return load_scope(engine, scope, version, (kpi_id,)).get(kpi_id)


def load_scope(engine: sa.Engine, scope: str, version: int, kpi_ids: tuple[str, ...] | None = None) -> dict[str, dict]:
    """{KPI id: stored run} of every run (or those of `kpi_ids`) for a scope at a data version, in three queries
    whatever their number: a page judging many KPIs of one area reads their forecasts at once."""
    return load_scopes(engine, (scope,), version, kpi_ids).get(scope, {})


def load_scopes(engine: sa.Engine, scopes, version: int,
                kpi_ids: tuple[str, ...] | None = None) -> dict[str, dict[str, dict]]:
    """{scope: {KPI id: stored run}} for several scopes at a data version, in the same three queries (load_scope
    is the case of one scope; reading the region's and every county's at once was measured and taken back: the
    first view paid more than a county change saved)."""
    run_t, pt_t, bt_t = TABLES
    scopes = sorted(set(scopes))

    def where(t):
        cond = [t.c.scope == scopes[0] if len(scopes) == 1 else t.c.scope.in_(scopes), t.c.data_version == version]
        if kpi_ids is not None:
            cond.append(t.c.kpi_id == kpi_ids[0] if len(kpi_ids) == 1 else t.c.kpi_id.in_(sorted(kpi_ids)))
        return sa.and_(*cond)

    with engine.connect() as conn:
        runs = {(r["scope"], r["kpi_id"]): dict(r)
                for r in conn.execute(sa.select(run_t).where(where(run_t))).mappings()}
        if not runs:
            return {}
        points = conn.execute(
            sa.select(pt_t.c.scope, pt_t.c.kpi_id, pt_t.c.period, pt_t.c.value, pt_t.c.lo80, pt_t.c.hi80, pt_t.c.lo95,
                      pt_t.c.hi95)
            .where(where(pt_t)).order_by(pt_t.c.scope, pt_t.c.kpi_id, pt_t.c.period)).fetchall()
        backtests = conn.execute(
            sa.select(bt_t.c.scope, bt_t.c.kpi_id, bt_t.c.model, bt_t.c.mape, bt_t.c.mase, bt_t.c.mae, bt_t.c.n)
            .where(where(bt_t)).order_by(bt_t.c.scope, bt_t.c.kpi_id, bt_t.c.mae)).fetchall()
    pts, empty_p = _split(points, ("period", "value", "lo80", "hi80", "lo95", "hi95"), dates=("period",))
    bts, empty_b = _split(backtests, ("model", "mape", "mase", "mae", "n"))
    out: dict[str, dict[str, dict]] = {}
    for (scope, kpi_id), run in runs.items():
        out.setdefault(scope, {})[kpi_id] = {**run, "points": pts.get((scope, kpi_id), empty_p),
                                             "backtests": bts.get((scope, kpi_id), empty_b)}
    return out


def _split(rows: list, names: tuple[str, ...], dates: tuple[str, ...] = ()
           ) -> tuple[dict[tuple[str, str], pd.DataFrame], pd.DataFrame]:
    """Rows (scope, kpi_id, *names) ordered by scope and kpi_id as one frame per (scope, KPI), and an empty frame
    of the same columns. The read's frame is made from its columns (from the rows it took longer than the three
    reads), cut at the boundaries (slices: a groupby with a copy per group cost more)."""
    whole = pd.DataFrame(dict(zip(("scope", "kpi_id", *names), zip(*rows))) if rows else
                         {c: [] for c in ("scope", "kpi_id", *names)})
    for c in dates:
        whole[c] = pd.to_datetime(whole[c])
    rest = whole.drop(columns=["scope", "kpi_id"])
    empty = rest.iloc[:0]
    ids = list(zip(whole["scope"].tolist(), whole["kpi_id"].tolist()))
    out, start = {}, 0
    for i in range(1, len(ids) + 1):
        if i == len(ids) or ids[i] != ids[start]:
            out[ids[start]] = rest.iloc[start:i].reset_index(drop=True)
            start = i
    return out, empty


def save(engine: sa.Engine, kpi_id: str, scope: str, version: int, *, model: str | None, reason: str | None,
         last_period, seconds: float, points: pd.DataFrame | None, backtests: list[dict]) -> bool:
    """Store one run; see save_many. True when this call stored it, False when it was there already."""
    return save_many(engine, [dict(kpi_id=kpi_id, scope=scope, version=version, model=model, reason=reason,
                                   last_period=last_period, seconds=seconds, points=points,
                                   backtests=backtests)]) == 1


def save_many(engine: sa.Engine, runs: list[dict]) -> int:
    """Store runs (dicts with save's arguments) in one transaction; returns how many were new.

    Conflict-tolerant, so two processes (app servers, sessions, bulk jobs) computing the same forecast never
    clash: the run rows are inserted with ON CONFLICT DO NOTHING on their key (kpi, scope, data version; DuckDB
    takes the PostgreSQL form too) and the points and scores only of the runs whose insert took (RETURNING);
    the first writer wins and the other's identical result is dropped. Runs of older data versions of the same
    KPIs are deleted (they are stale), never the current version's. Points and scores go in with the
    warehouse's bulk path (DuckDB from a frame, PostgreSQL COPY)."""
    from .dialects import process_lock, spec_for

    run_t, pt_t, bt_t = TABLES
    if not runs:
        return 0
    now = dt.datetime.now()
    # on DuckDB a page and the background job storing the same run at once failed with "Duplicate key"
    with process_lock(engine), engine.begin() as conn:
        for version in {r["version"] for r in runs}:
            ids = sorted({r["kpi_id"] for r in runs if r["version"] == version})
            for t in TABLES:
                conn.execute(t.delete().where(t.c.kpi_id.in_(ids), t.c.data_version < version))
        rows = [{"kpi_id": r["kpi_id"], "scope": r["scope"], "data_version": r["version"], "model": r["model"],
                 "reason": r["reason"], "seconds": float(r["seconds"]), "created_at": now,
                 "last_period": pd.Timestamp(r["last_period"]).date() if r["last_period"] is not None else None}
                for r in runs]
        stmt = insert(run_t).values(rows).on_conflict_do_nothing(
            index_elements=[run_t.c.kpi_id, run_t.c.scope, run_t.c.data_version]).returning(
            run_t.c.kpi_id, run_t.c.scope, run_t.c.data_version)
        took = {tuple(x) for x in conn.execute(stmt)}
        new = [r for r in runs if (r["kpi_id"], r["scope"], r["version"]) in took]
        points = [p.assign(kpi_id=r["kpi_id"], scope=r["scope"], data_version=r["version"])
                  for r in new if (p := r["points"]) is not None and len(p)]
        if points:
            df = pd.concat(points, ignore_index=True)
            df["period"] = pd.to_datetime(df["period"]).dt.date
            cols = ["kpi_id", "scope", "data_version", "period", "value", "lo80", "hi80", "lo95", "hi95"]
            spec_for(conn).bulk_insert(conn, pt_t, df[cols].astype({c: float for c in cols[4:]}))
        scores = [{"kpi_id": r["kpi_id"], "scope": r["scope"], "data_version": r["version"], **b}
                  for r in new for b in r["backtests"]]
        if scores:
            df = pd.DataFrame(scores)[["kpi_id", "scope", "data_version", "model", "mape", "mase", "mae", "n"]]
            spec_for(conn).bulk_insert(conn, bt_t, df)
    return len(new)


def stored_kpis(engine: sa.Engine, scope: str, version: int) -> list[str]:
    """KPI ids that have a run (a forecast or a recorded reason for none) for this scope and data version."""
    run_t = schema.forecast_run
    with engine.connect() as conn:
        return list(conn.execute(sa.select(run_t.c.kpi_id).where(
            run_t.c.scope == scope, run_t.c.data_version == version)).scalars())


def stored_keys(engine: sa.Engine, version: int) -> set[tuple[str, str]]:
    """(KPI id, scope) pairs that have a run at this data version."""
    run_t = schema.forecast_run
    with engine.connect() as conn:
        return {(k, s) for k, s in conn.execute(sa.select(run_t.c.kpi_id, run_t.c.scope).where(
            run_t.c.data_version == version))}
