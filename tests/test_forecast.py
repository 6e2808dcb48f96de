"""Forecasts: the models on series whose future we know, the backtest, intervals, the target outlook, and
storage per KPI, scope and data version on DuckDB and PostgreSQL."""

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from data_sources import forecasts, schema
from data_sources.engine import make_engine
from metrics import forecast as F
from metrics.engine import Filters, kpi_series
from metrics.registry import load_registry

from .conftest import LATEST

MONTHS = pd.period_range("2019-01", periods=94, freq="M").to_timestamp()


def seasonal_series(n=94, noise=1.0, trend=0.5, seed=1, level=100.0):
    rng = np.random.default_rng(seed)
    t = np.arange(n + 24)
    y = level + trend * t + 10 * np.sin(2 * np.pi * t / 12) + rng.normal(0, noise, len(t))
    periods = pd.period_range("2019-01", periods=n + 24, freq="M").to_timestamp()
    return pd.DataFrame({"period": periods[:n], "value": y[:n]}), y[n:]


def test_forecast_follows_trend_and_season_and_beats_the_naive_baseline():
    hist, future = seasonal_series()
    fc = F.forecast(hist, horizon=24)
    assert fc is not None and fc.model not in ("seasonal_naive", "drift", "mean12")
    assert len(fc.frame) == 24 and fc.frame.period.iloc[0] == pd.Timestamp("2026-11-01")
    err = np.abs(fc.frame.value.to_numpy() - future)
    assert err[:12].mean() < 3.0                                   # noise sd 1, season amplitude 10
    assert fc.chosen.mase < fc.baseline.mase                        # it earns its place against the baseline
    assert [b.model for b in fc.backtests][0] == fc.model           # the chosen first
    inside = ((future >= fc.frame.lo95) & (future <= fc.frame.hi95)).mean()
    assert inside >= 0.8


def test_intervals_nest_and_widen_with_the_horizon():
    hist, _ = seasonal_series(noise=3.0, seed=4)
    fc = F.forecast(hist, horizon=24).frame
    assert (fc.lo95 <= fc.lo80).all() and (fc.lo80 <= fc.value).all()
    assert (fc.value <= fc.hi80).all() and (fc.hi80 <= fc.hi95).all()
    width = (fc.hi80 - fc.lo80).to_numpy()
    assert width[-1] > width[0]


def test_a_pure_seasonal_pattern_is_repeated_exactly():
    season = np.tile([5, 7, 9, 12, 15, 18, 20, 19, 15, 11, 8, 6], 8).astype(float)[:94] * 10
    fc = F.forecast(pd.DataFrame({"period": MONTHS, "value": season}), horizon=12)
    assert fc.baseline.mase == 0 and fc.chosen.mase < 1e-6          # the naive and the chosen are exact
    assert np.allclose(fc.frame.value, season[-12:], atol=1e-6)
    assert np.allclose(fc.frame.lo80, fc.frame.value, atol=1e-3)     # no error seen: (almost) no spread


def test_short_gappy_or_too_few_series_get_a_simple_forecast_or_none():
    hist, _ = seasonal_series(n=11)
    assert F.forecast(hist) is None                                  # under 12 months: none
    hist, _ = seasonal_series(n=20)
    fc = F.forecast(hist)                                            # 12-23 months: the last year's mean
    assert fc.model == "mean12" and fc.reason == "short" and not fc.backtests
    assert np.allclose(fc.frame.value, hist.value.tail(12).mean())
    hist, _ = seasonal_series()
    assert F.forecast(hist.drop(index=[50])) is None                 # a missing (suppressed) month
    hist.loc[60, "value"] = np.nan
    assert F.forecast(hist) is None
    short, _ = seasonal_series(n=30)                                 # too short for three backtest origins
    fc = F.forecast(short)
    assert fc.model == "seasonal_naive" and fc.reason == "short_cv"


def test_bounds_keep_shares_and_counts_possible():
    hist, _ = seasonal_series(level=95, trend=0.3, noise=2)          # a share heading past 100
    fc = F.forecast(hist, horizon=24, lower_bound=0, upper_bound=100).frame
    assert fc[["value", "hi95"]].max().max() <= 100
    falling, _ = seasonal_series(level=30, trend=-0.4, noise=1)
    fc = F.forecast(falling, horizon=24, lower_bound=0).frame
    assert fc[["value", "lo95"]].min().min() >= 0


def test_bounds_rule():
    reg = load_registry()
    assert F.bounds(reg["care_guarantee_7d"], pd.Series([70.0, 80.0])) == (0.0, 100.0)
    assert F.bounds(reg["budget_realisation"], pd.Series([99.0, 101.5])) == (0.0, None)
    assert F.bounds(reg["contacts_total"], pd.Series([1e5])) == (0.0, None)


def test_scope_key():
    assert F.scope_key(Filters(year=2026)) == "all"
    assert F.scope_key(Filters(year=2024, months=(3, 4), county="KS")) == "county_code=KS"
    assert F.scope_key(Filters(year=2026, county="KS", service_areas=("dental", "primary_care"))) == \
        "county_code=KS;service_area=dental,primary_care"


# --- stored forecasts -----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def wh(warehouse_copy):
    return warehouse_copy("fc")


def _rows(engine, table):
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(table)).scalar()


def test_forecast_is_computed_once_per_data_version_and_replaced_by_a_newer(wh):
    reg = load_registry()
    k = reg["care_guarantee_7d"]
    f = Filters(year=2026, months=(1, 10), county="KS")
    first = F.kpi_forecast(wh, k, f, 1, 2026)
    assert first["model"] in F.MODELS and len(first["points"]) == 24
    assert first["last_period"].isoformat()[:7] == LATEST
    assert first["scope"] == "county_code=KS"
    assert set(first["backtests"].model) <= set(F.MODELS) and len(first["backtests"]) >= 5
    again = F.kpi_forecast(wh, k, Filters(year=2024, months=(2, 3), county="KS"), 1, 2026)   # same scope
    assert again["created_at"] == first["created_at"]
    pd.testing.assert_frame_equal(again["points"], first["points"])
    # the model saw the same series as the KPI engine gives
    series = kpi_series(wh, k, Filters(year=2026, months=(1, 12), county="KS"), "month")
    pd.testing.assert_series_equal(first["actual"].value, series.value)
    newer = F.kpi_forecast(wh, k, f, 2, 2026)
    assert newer["created_at"] >= first["created_at"]
    assert forecasts.load(wh, k.id, "county_code=KS", 1) is None      # the stale run is gone
    with wh.connect() as conn:
        versions = conn.execute(sa.select(schema.forecast_point.c.data_version).distinct().where(
            schema.forecast_point.c.kpi_id == k.id)).scalars().all()
    assert versions == [2]


def test_no_forecast_for_suppressed_or_yearly_series_and_the_reason_is_kept(wh):
    reg = load_registry()
    yearly = next(k for k in reg.kpis.values() if "month" not in k.grains)
    res = F.kpi_forecast(wh, yearly, Filters(year=2026), 1, 2026)
    assert res["model"] is None and res["reason"] == "no_monthly" and res["points"].empty
    small = Filters(year=2026, municipalities=("435",))          # Luhanka, the smallest municipality
    hidden = [k for k in reg.kpis.values() if "month" in k.grains and
              kpi_series(wh, k, Filters(year=2026, months=(1, 12), municipalities=("435",)), "month")
              .suppressed.any()]
    assert hidden, "the demo should have suppressed months in Luhanka"
    res = F.kpi_forecast(wh, hidden[0], small, 1, 2026)
    assert res["model"] is None and res["reason"] == "suppressed"
    assert forecasts.load(wh, hidden[0].id, "municipality_code=435", 1)["reason"] == "suppressed"


def test_small_forecast_counts_are_flagged_for_suppression():
    reg = load_registry()
    points = pd.DataFrame({"period": MONTHS[:3], "value": [3.0, 4.99, 5.0]})
    assert F.flag_small(points, reg["callbacks_total"]).suppressed.tolist() == [True, True, False]
    assert F.flag_small(points, reg["care_guarantee_7d"]).suppressed.tolist() == [False, False, False]


@pytest.mark.postgres
def test_postgresql_stores_the_same_forecast(pg_demo_copy, wh):
    with pg_demo_copy("jt_forecast") as (url, schema_name):      # the demo warehouse, as the DuckDB one
        pg = make_engine(url, schema=schema_name)
        k = load_registry()["contacts_per_1000"]
        f = Filters(year=2026, county="KH")
        on_pg = F.kpi_forecast(pg, k, f, 7, 2026)
        on_duck = F.kpi_forecast(wh, k, f, 7, 2026)
        assert on_pg["model"] == on_duck["model"]
        np.testing.assert_allclose(on_pg["points"][["value", "lo80", "hi95"]].to_numpy(),
                                   on_duck["points"][["value", "lo80", "hi95"]].to_numpy(), rtol=1e-6)
        assert forecasts.load(pg, k.id, "county_code=KH", 7) is not None
        pg.dispose()


def test_bulk_job_forecasts_each_kpi_for_each_scope(wh):
    from metrics.registry import Registry
    reg = load_registry()
    two = Registry(reg.measures, {k: reg.kpis[k] for k in ("contacts_total", "calls_total")})
    seen = []
    from metrics import forecast_job
    res = forecast_job.run(wh, 5, 2026, [Filters(year=2026), Filters(year=2026, county="KS")], registry=two,
                           progress=lambda i, total: seen.append((i, total)))
    assert res["computed"] == 4 and seen[-1] == (4, 4)
    for kid in ("contacts_total", "calls_total"):
        for scope in ("all", "county_code=KS"):
            assert forecasts.load(wh, kid, scope, 5)["model"] in F.MODELS


def test_a_forecast_saved_meanwhile_by_another_session_is_used(wh, monkeypatch):
    """Two sessions open the same forecast at once: the second one's save conflicts; it uses the first's."""
    reg = load_registry()
    k, f = reg["calls_total"], Filters(year=2026, county="KH")
    first = F.kpi_forecast(wh, k, f, 9, 2026)
    real_load = forecasts.load
    calls = {"n": 0}

    def load_once_missing(*args):
        calls["n"] += 1
        return None if calls["n"] == 1 else real_load(*args)     # the second session did not see it yet

    def conflicting_save(*args, **kw):
        raise sa.exc.DBAPIError("INSERT", {}, Exception("duplicate key"))
    monkeypatch.setattr(forecasts, "load", load_once_missing)
    monkeypatch.setattr(forecasts, "save", conflicting_save)
    again = F.kpi_forecast(wh, k, f, 9, 2026)
    assert again["created_at"] == first["created_at"]
    monkeypatch.setattr(forecasts, "load", lambda *a: None)
    with pytest.raises(sa.exc.DBAPIError):                              # a real failure is not hidden
        F.kpi_forecast(wh, k, f, 9, 2026)


def test_the_runs_of_several_scopes_read_at_once_are_the_frames_of_their_rows(wh):
    """forecasts.load_scopes makes its frames column by column and cuts them per run: each run's points and
    backtests equal the frame of all the rows read, cut at that run (the way they were made before), with a run
    that has no points (a yearly KPI: only its reason) and two scopes."""
    from metrics import forecast_job
    reg = load_registry()
    version, scopes = 11, [Filters(year=2026, county="KH"), Filters(year=2026, county="PH")]
    forecast_job.run(wh, version, 2026, scopes, registry=type(reg)(reg.measures, {
        k: reg.kpis[k] for k in ("care_guarantee_7d", "remote_share")}))
    for scope in scopes:                                # a yearly KPI's run: its reason, no points
        assert F.kpi_forecast(wh, reg["population"], scope, version, 2026)["model"] is None
    names = [F.scope_key(s) for s in scopes]
    got = forecasts.load_scopes(wh, names, version)
    run_t, pt_t, bt_t = forecasts.TABLES

    def cut(table, columns, order):
        with wh.connect() as conn:
            whole = pd.DataFrame(conn.execute(sa.select(table.c.scope, table.c.kpi_id, *(table.c[c] for c in columns))
                                              .where(table.c.scope.in_(names), table.c.data_version == version)
                                              .order_by(table.c.scope, table.c.kpi_id, table.c[order])).fetchall(),
                                 columns=["scope", "kpi_id", *columns])
        if "period" in whole:
            whole["period"] = pd.to_datetime(whole["period"])
        rest = whole.drop(columns=["scope", "kpi_id"])
        return {key: rest[(whole.scope == key[0]) & (whole.kpi_id == key[1])].reset_index(drop=True)
                for key in {*zip(whole.scope, whole.kpi_id)}}, rest.iloc[:0]

    points, no_points = cut(pt_t, ["period", "value", "lo80", "hi80", "lo95", "hi95"], "period")
    backtests, no_backtests = cut(bt_t, ["model", "mape", "mase", "mae", "n"], "mae")
    assert sorted(got) == names and all(len(got[s]) == 3 for s in names)
    without = 0
    for scope in names:
        for kpi_id, run in got[scope].items():
            pd.testing.assert_frame_equal(run["points"], points.get((scope, kpi_id), no_points), check_exact=True)
            pd.testing.assert_frame_equal(run["backtests"], backtests.get((scope, kpi_id), no_backtests),
                                          check_exact=True)
            without += (scope, kpi_id) not in points
            assert run == {**forecasts.load(wh, kpi_id, scope, version), "points": run["points"],
                           "backtests": run["backtests"]}
    assert without == 2 and len(points) == 4          # the yearly KPI of each scope has none
