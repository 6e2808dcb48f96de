"""Monthly KPI forecasts with prediction intervals, and an honest backtest against a seasonal-naive baseline.

Candidates (statsmodels state-space ETS, fitted by maximum likelihood):
- `ets_damped_seasonal`: additive error, damped additive trend, additive 12-month seasonality (needs 3 years);
- `ets_damped`: additive error, damped additive trend, no seasonality (needs 1 year);
- `seasonal_naive`: the value of the same month last year (the baseline every model must beat).

Model choice is by backtest: each candidate is refitted at a few forecast origins before the end of the
series and scored on the months it did not see (MAPE and MASE). The candidate with the lowest mean absolute
error is used for the forecast; the scores of all are returned so the page can show how good "good" is.
Intervals: ETS from the model's own simulation-free analytic variance; seasonal naive from the spread of
its one-year-ahead errors (growing with the number of years ahead).

The models are pure pandas/numpy/statsmodels; `kpi_forecast` and `bulk` read the KPI series through the
engine and keep the results in the warehouse (data_sources/forecasts.py). No streamlit.
"""
from __future__ import annotations

import argparse
import time
import warnings
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import sqlalchemy as sa
from scipy import stats

from data_sources import catalog, forecasts
from data_sources.engine import make_engine

from .engine import Filters, kpi_series
from .registry import load_registry

MODELS = ("ets_damped_seasonal", "ets_damped", "seasonal_naive")
MIN_MONTHS = 24             # shorter series get no forecast
SEASONAL_MIN_MONTHS = 36
BACKTEST_HORIZON = 12
BACKTEST_ORIGINS = 2        # origins 12 and 24 months before the end (when the series is long enough)
LEVELS = (0.8, 0.95)


@dataclass(frozen=True)
class Backtest:
    model: str
    mape: float | None      # mean absolute percentage error, % (None when actuals are 0)
    mase: float             # mean absolute error scaled by the in-sample seasonal-naive error
    mae: float
    n: int                  # held-out months scored


@dataclass(frozen=True)
class Forecast:
    model: str
    frame: pd.DataFrame             # period, value, lo80, hi80, lo95, hi95 (future months only)
    backtests: tuple[Backtest, ...]  # every candidate, best first

    @property
    def chosen(self) -> Backtest:
        return next(b for b in self.backtests if b.model == self.model)

    @property
    def baseline(self) -> Backtest | None:
        return next((b for b in self.backtests if b.model == "seasonal_naive"), None)


def candidates(n_months: int) -> tuple[str, ...]:
    if n_months >= SEASONAL_MIN_MONTHS + BACKTEST_HORIZON:
        return MODELS
    return ("ets_damped", "seasonal_naive")


def _fit_predict(model: str, y: np.ndarray, horizon: int) -> tuple[np.ndarray, dict[float, tuple]]:
    """Point forecast and {level: (lo, hi)} for `horizon` months after the end of y."""
    if model == "seasonal_naive":
        season = 12 if len(y) >= 24 else 1
        reps = int(np.ceil(horizon / season))
        point = np.tile(y[-season:], reps)[:horizon]
        resid = y[season:] - y[:-season]
        sd = float(np.std(resid, ddof=1)) if len(resid) > 1 else 0.0
        k = np.arange(horizon) // season + 1
        out = {}
        for level in LEVELS:
            z = stats.norm.ppf(0.5 + level / 2)
            half = z * sd * np.sqrt(k)
            out[level] = (point - half, point + half)
        return point, out
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel
    seasonal = model == "ets_damped_seasonal"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitted = ETSModel(pd.Series(y, dtype=float), error="add", trend="add", damped_trend=True,
                          seasonal="add" if seasonal else None, seasonal_periods=12 if seasonal else None,
                          initialization_method="estimated").fit(disp=False, maxiter=200)
        pred = fitted.get_prediction(start=len(y), end=len(y) + horizon - 1)
        point = np.asarray(pred.predicted_mean, dtype=float)
        out = {}
        for level in LEVELS:
            frame = pred.summary_frame(alpha=1 - level)
            out[level] = (frame["pi_lower"].to_numpy(float), frame["pi_upper"].to_numpy(float))
    return point, out


def backtest(y: np.ndarray, model: str, horizon: int = BACKTEST_HORIZON,
             origins: int = BACKTEST_ORIGINS) -> Backtest | None:
    """Refit at `origins` points (each `horizon` months apart, the last ending at the series end) and score
    the held-out months. None when the series is too short for even one origin."""
    scale = np.mean(np.abs(y[12:] - y[:-12])) if len(y) > 12 else np.mean(np.abs(np.diff(y)))
    errors, pct = [], []
    for k in range(origins, 0, -1):
        cut = len(y) - k * horizon
        need = SEASONAL_MIN_MONTHS if model == "ets_damped_seasonal" else 12
        if cut < need:
            continue
        point, _ = _fit_predict(model, y[:cut], horizon)
        actual = y[cut:cut + horizon]
        errors.extend(np.abs(point - actual))
        pct.extend(np.abs(point - actual) / np.abs(actual) if np.all(actual != 0) else [np.nan] * len(actual))
    if not errors:
        return None
    mae = float(np.mean(errors))
    mape = float(np.nanmean(pct) * 100) if not np.all(np.isnan(pct)) else None
    return Backtest(model, mape, float(mae / scale) if scale > 0 else float("inf"), mae, len(errors))


def forecast(series: pd.DataFrame, horizon: int = 24, lower_bound: float | None = 0.0,
             upper_bound: float | None = None) -> Forecast | None:
    """Forecast a monthly series (columns period, value; consecutive months, no gaps or suppressed values).

    Returns None when the series is shorter than MIN_MONTHS or has gaps: a forecast we cannot stand behind
    is not shown. Values and intervals are clipped to [lower_bound, upper_bound] (shares stay in 0-100).
    """
    df = series.dropna(subset=["value"]).sort_values("period")
    if len(df) < MIN_MONTHS:
        return None
    months = pd.DatetimeIndex(df["period"]).to_period("M")
    if len(months) != (months[-1] - months[0]).n + 1:
        return None                                          # gaps: suppressed or missing months
    y = df["value"].to_numpy(dtype=float)
    scored = [b for b in (backtest(y, m) for m in candidates(len(y))) if b is not None]
    if not scored:
        return None
    scored.sort(key=lambda b: (b.mae, MODELS.index(b.model)))
    best = scored[0].model
    point, bands = _fit_predict(best, y, horizon)
    if not np.all(np.isfinite(point)):
        best = "seasonal_naive"
        point, bands = _fit_predict(best, y, horizon)
    future = pd.period_range(months[-1] + 1, periods=horizon, freq="M").to_timestamp()
    frame = pd.DataFrame({"period": future, "value": point})
    for level in LEVELS:
        tag = int(level * 100)
        frame[f"lo{tag}"], frame[f"hi{tag}"] = bands[level]
    cols = ["value", "lo80", "hi80", "lo95", "hi95"]
    frame[cols] = frame[cols].clip(lower=lower_bound, upper=upper_bound)
    return Forecast(best, frame, tuple(scored))


def outlook_months(kpi, registry) -> int:
    """Months averaged when a target is judged: a year for money and annualised indicators (their targets
    are yearly), the quarter ending in the target month for the rest (targets like '80 % by Q4/2025')."""
    return 12 if kpi.annualize or registry.measures[kpi.numerator].view == "v_costs" else 3


def reaches_target(actual: pd.DataFrame, points: pd.DataFrame, target_value: float, target_date,
                   direction: str, months: int = 12) -> tuple[bool, float, bool] | None:
    """(met?, value, already past?) for the target month, judged on the mean of the `months` months ending
    there (actual months where known, forecast after), so one seasonal high or low month does not decide it.
    None when that month is beyond the forecast or the KPI has no direction."""
    when = pd.Timestamp(target_date).to_period("M").to_timestamp()
    if direction not in ("higher", "lower") or points.empty or pd.Timestamp(points.period.max()) < when:
        return None
    both = pd.concat([actual[["period", "value"]], points[["period", "value"]]], ignore_index=True)
    window = both[(both.period <= when) & (both.period > when - pd.DateOffset(months=months))]
    value = float(window.value.mean())
    met = value >= target_value if direction == "higher" else value <= target_value
    return met, value, bool(len(actual)) and when <= pd.Timestamp(actual.period.max())


# --- KPI forecasts: computed once per KPI, scope and data version, then read from the warehouse -----------
def scope_key(filters) -> str:
    """The region/service/age part of the filters as a stable key ('all' when nothing is chosen)."""
    dims = filters.dims()
    return ";".join(f"{k}={','.join(sorted(map(str, v)))}" for k, v in sorted(dims.items())) or "all"


def bounds(kpi, actual: pd.Series) -> tuple[float | None, float | None]:
    """Counts, euros and days are never negative; a percentage that has never passed 100 (a share) cannot."""
    upper = 100.0 if kpi.unit == "pct" and len(actual) and float(actual.max()) <= 100 else None
    return 0.0, upper


def kpi_forecast(engine, kpi, filters, version: int, latest_year: int, horizon: int = 24,
                 registry=None) -> dict:
    """The stored forecast of a KPI for the filters' scope at this data version; computed and stored first
    when there is none. Returns {model, reason, last_period, seconds, points, backtests, actual, scope}."""
    scope = scope_key(filters)
    history = replace(filters, year=latest_year, months=(1, 12))
    actual = kpi_series(engine, kpi, history, "month", registry=registry) if "month" in kpi.grains else None
    stored = forecasts.load(engine, kpi.id, scope, version)
    if stored is None:
        t0 = time.perf_counter()
        fc, reason = None, None
        if actual is None:
            reason = "no_monthly"
        elif bool(actual["suppressed"].any()):
            reason = "suppressed"
        else:
            lo, hi = bounds(kpi, actual["value"])
            fc = forecast(actual[["period", "value"]], horizon, lower_bound=lo, upper_bound=hi)
            reason = None if fc is not None else "too_short"
        try:
            forecasts.save(engine, kpi.id, scope, version, model=fc.model if fc else None, reason=reason,
                           last_period=actual["period"].max() if actual is not None and len(actual) else None,
                           seconds=time.perf_counter() - t0, points=fc.frame if fc else None,
                           backtests=[b.__dict__ for b in fc.backtests] if fc else [])
        except sa.exc.DBAPIError:
            # another session saved the same forecast at the same moment (key or write conflict): use theirs
            if forecasts.load(engine, kpi.id, scope, version) is None:
                raise
        stored = forecasts.load(engine, kpi.id, scope, version)
    return {**stored, "points": flag_small(stored["points"], kpi), "actual": actual, "scope": scope}


def flag_small(points: pd.DataFrame, kpi) -> pd.DataFrame:
    """A forecast head count below the suppression threshold is shown as <5 like an actual one would be."""
    small = kpi.unit in ("count", "persons")
    return points.assign(suppressed=(points["value"] < kpi.suppress_below) & small if len(points) else
                         pd.Series(dtype=bool))


def bulk(engine, version: int, latest_year: int, filters_list, registry=None, progress=None) -> int:
    """Forecast every monthly KPI for each of the given filters (ahead of time, e.g. after a load)."""
    registry = registry or load_registry()
    kpis = [k for k in registry.kpis.values() if "month" in k.grains]
    done = 0
    for f in filters_list:
        for k in kpis:
            kpi_forecast(engine, k, f, version, latest_year, registry=registry)
            done += 1
            if progress:
                progress(done, len(kpis) * len(filters_list))
    return done


def main(argv=None) -> None:
    """Forecast every monthly KPI for the whole area and each county at the current data version (a job for
    after a data load; the app computes any missing forecast on first view). Stop the app first on DuckDB."""
    ap = argparse.ArgumentParser(description=main.__doc__.splitlines()[0])
    ap.add_argument("--url", default=None, help="SQLAlchemy URL (default: the DASHBOARD_DB_URL setting)")
    args = ap.parse_args(argv)
    engine = make_engine(args.url) if args.url else make_engine()
    version, _ = catalog.data_version(engine)
    latest_year, _ = catalog.latest_month(engine)
    counties = catalog.municipalities(engine).county_code.unique()
    scopes = [Filters(year=latest_year)] + [Filters(year=latest_year, county=c) for c in sorted(counties)]
    t0 = time.perf_counter()
    n = bulk(engine, version, latest_year, scopes,
             progress=lambda i, total: print(f"\r{i}/{total}", end="", flush=True))
    print(f"\n{n} forecasts at data version {version} in {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
