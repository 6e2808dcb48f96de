"""Monthly forecasting models, their choice by rolling-origin cross-validation, and intervals calibrated on
the backtests. Pure numpy: no warehouse, no streamlit (metrics/forecast.py reads and stores KPI series).

Candidates
- ETS (exponential smoothing state-space models, additive errors) with no, damped or linear trend and no,
  additive or multiplicative 12-month seasonality, on the raw series; and the same with additive seasonality on
  the log scale (a seasonal swing that grows with the level) when every value is positive.
- `seasonal_naive` (the same month last year) and `drift` (the last value plus the mean monthly change).
- `combo`: the mean of the three best candidates (forecast combinations won the M4 competition).

Fitting. The smoothing parameters of each ETS form are chosen by minimising the one-step squared error over a
grid (alpha, beta, gamma, phi), every grid point run at once as numpy arrays; initial states come from the
first two years (a classical decomposition), so they use no month a backtest scores. One pass over the series
gives every origin's fit: the error sums and the states are taken at each origin, so a rolling-origin backtest
costs no refit.

Choice. Each candidate is scored at up to eight origins (12, 15, ..., 33 months before the end, at least
three) on the 12 months it did not see (MASE: mean absolute error over the in-sample seasonal-naive error).
Candidates within 5 % of the best are a near-tie, resolved toward the more robust kind: a combination, then a
damped trend, no trend, a linear trend, drift, seasonal naive.

Intervals. Each model gives its own h-step standard deviation (the ETS class-1 variance formula, the naive
methods' random-walk growth); the backtest errors of the chosen model divided by that deviation give the
calibration: the interval's multiplier is the conformal quantile of those ratios, never below the normal one.
So intervals widen with the horizon (the model's own growth) and are never narrower than the model's own.

Short series: under 12 months no forecast; 12-23 months the mean of the last 12 months with its spread
(`mean12`); 24-41 months (fewer than three origins) the seasonal naive with its own spread; each says why.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

M = 12
LEVELS = (0.8, 0.95)
MIN_MONTHS = 12             # fewer months: no forecast at all
FULL_MONTHS = 24            # fewer: the mean of the last year (reason 'short')
BACKTEST_HORIZON = 12
ORIGIN_STEP = 3
MAX_ORIGINS = 8
MIN_ORIGINS = 3
MIN_TRAIN = 24              # every backtest origin has two full years before it
TIE = 0.05                  # candidates within 5 % of the best score are a near-tie
COMBO_SIZE = 3

# name: (trend N/A/Ad, season N/A/M, log scale)
ETS_SPECS = {
    "ets_AAdA": ("Ad", "A", False), "ets_AAdM": ("Ad", "M", False), "ets_AAA": ("A", "A", False),
    "ets_AAM": ("A", "M", False), "ets_ANA": ("N", "A", False), "ets_ANM": ("N", "M", False),
    "ets_AAdN": ("Ad", "N", False), "ets_ANN": ("N", "N", False),
    "log_AAdA": ("Ad", "A", True), "log_AAA": ("A", "A", True), "log_ANA": ("N", "A", True),
    "log_AAdN": ("Ad", "N", True),
}
MODELS = (*ETS_SPECS, "seasonal_naive", "drift", "combo")
SIMPLE_MODELS = ("mean12",)


def robustness(model: str) -> int:
    """Lower is more robust: used to resolve near-ties."""
    if model == "combo":
        return 0
    if model in ETS_SPECS:
        return {"Ad": 1, "N": 2, "A": 3}[ETS_SPECS[model][0]]
    return {"drift": 4, "seasonal_naive": 5}.get(model, 6)


@dataclass(frozen=True)
class Backtest:
    model: str
    mape: float | None      # mean absolute percentage error, % (None when an actual is 0)
    mase: float             # mean absolute error over the in-sample seasonal-naive error
    mae: float
    n: int                  # held-out months scored


@dataclass(frozen=True)
class Forecast:
    model: str
    frame: pd.DataFrame               # period, value, lo80, hi80, lo95, hi95 (future months only)
    backtests: tuple[Backtest, ...]   # every candidate, the chosen first, then by score
    reason: str | None = None         # why a simpler forecast was made ('short', 'short_cv')
    members: tuple[str, ...] = ()     # the models of a combination
    coverage: dict = field(default_factory=dict)   # {level: multiplier used} (diagnostics)

    @property
    def chosen(self) -> Backtest | None:
        return next((b for b in self.backtests if b.model == self.model), None)

    @property
    def baseline(self) -> Backtest | None:
        return next((b for b in self.backtests if b.model == "seasonal_naive"), None)


# --- ETS on a parameter grid -----------------------------------------------------------------------------
_ALPHA = np.array([0.03, 0.08, 0.15, 0.25, 0.4, 0.55, 0.7, 0.85, 0.97])
_BETA = np.array([0.0, 0.03, 0.1, 0.25])       # fractions of alpha
_GAMMA = np.array([0.0, 0.05, 0.15, 0.3])      # fractions of 1 - alpha
_PHI = np.array([0.8, 0.9, 0.98])
_GRIDS: dict = {}


def _grid(trend: str, season: str) -> tuple[np.ndarray, ...]:
    key = (trend, season)
    if key not in _GRIDS:
        betas = _BETA if trend != "N" else np.array([0.0])
        gammas = _GAMMA if season != "N" else np.array([0.0])
        phis = _PHI if trend == "Ad" else np.array([1.0])
        a, b, g, p = (x.ravel() for x in np.meshgrid(_ALPHA, betas, gammas, phis, indexing="ij"))
        _GRIDS[key] = (a, b * a, g * (1 - a), p)
    return _GRIDS[key]


def _init(z: np.ndarray, trend: str, season: str) -> tuple[float, float, np.ndarray]:
    """Level (before month 0), trend and 12 seasonal states from the first two years."""
    y1 = z[:M]
    two = len(z) >= 2 * M
    slope = (z[M:2 * M].mean() - y1.mean()) / M if (two and trend != "N") else 0.0
    level = y1.mean() - slope * (M / 2 + 0.5)
    base = y1.mean() + slope * (np.arange(M) - (M - 1) / 2)
    if season == "A":
        seas = ((z[:M] - base) + (z[M:2 * M] - base - slope * M)) / 2 if two else z[:M] - base
        seas = seas - seas.mean()
    elif season == "M":
        seas = ((z[:M] / base) + (z[M:2 * M] / (base + slope * M))) / 2 if two else z[:M] / base
        seas = seas / seas.mean()
    else:
        seas = np.zeros(M)
    return float(level), float(slope), seas


def _ets_pass(z: np.ndarray, trend: str, season: str, cuts: list[int]) -> dict:
    """Run the recursion once for every grid point; at each cut (a training length) keep the states and the
    squared one-step errors so far (months 12.. onward)."""
    a, b, g, p = _grid(trend, season)
    n_par = len(a)
    level0, slope0, seas0 = _init(z, trend, season)
    lev = np.full(n_par, level0)
    tr = np.full(n_par, slope0)
    S = np.tile(seas0, (n_par, 1))
    sse = np.zeros(n_par)
    snaps = {}
    cutset = set(cuts)
    mult = season == "M"
    with np.errstate(all="ignore"):
        for t in range(len(z)):
            if t in cutset:
                snaps[t] = (lev.copy(), tr.copy(), S.copy(), sse.copy())
            i = t % M
            s = S[:, i]
            base = lev + p * tr
            if mult:
                e = z[t] - base * s
                lev = base + a * e / s
                tr = p * tr + b * e / s
                S[:, i] = s + g * e / base
            else:
                e = z[t] - base - s
                lev = base + a * e
                tr = p * tr + b * e
                if season == "A":
                    S[:, i] = s + g * e
            if t >= M:
                sse += e * e
        if len(z) in cutset:
            snaps[len(z)] = (lev.copy(), tr.copy(), S.copy(), sse.copy())
    return snaps


def _ets_forecast(snap, cut: int, trend: str, season: str, horizon: int):
    """Point path and the model's own standard deviation path (working scale) from the best grid point."""
    a, b, g, p = _grid(trend, season)
    lev, tr, S, sse = snap
    sse = np.where(np.isfinite(sse) & (sse > 0), sse, np.inf)
    if season == "M":
        sse = np.where((S > 0).all(axis=1), sse, np.inf)
    j = int(np.argmin(sse))
    if not np.isfinite(sse[j]):
        return None
    h = np.arange(1, horizon + 1)
    phi = p[j]
    damp = h.astype(float) if phi == 1 else phi * (1 - phi ** h) / (1 - phi)
    seas = S[j, (cut + h - 1) % M]
    base = lev[j] + damp * tr[j]
    point = base * seas if season == "M" else base + (seas if season == "A" else 0.0)
    n_used = max(cut - M, 1)
    k = 2 + (trend != "N") + (trend == "Ad") + (season != "N") + (M - 1 if season != "N" else 0)
    sigma2 = sse[j] / max(n_used - k, max(n_used // 2, 1))
    hp = np.arange(1, horizon)
    c = a[j] + b[j] * (hp.astype(float) if phi == 1 else phi * (1 - phi ** hp) / (1 - phi)) + g[j] * (hp % M == 0)
    var = sigma2 * np.concatenate([[1.0], 1 + np.cumsum(c ** 2)])
    if season == "M":
        var = var * seas ** 2
    return point, np.sqrt(var)


# --- the naive methods -----------------------------------------------------------------------------------
def _snaive(y: np.ndarray, cut: int, horizon: int):
    h = np.arange(horizon)
    point = y[cut - M + (h % M)]
    d = y[M:cut] - y[:cut - M]
    sigma = math.sqrt(float(np.mean(d ** 2))) if len(d) else 0.0
    return point, sigma * np.sqrt(h // M + 1.0)


def _drift(y: np.ndarray, cut: int, horizon: int):
    h = np.arange(1, horizon + 1)
    slope = (y[cut - 1] - y[0]) / (cut - 1)
    d = np.diff(y[:cut]) - slope
    sigma = float(np.std(d, ddof=1)) if len(d) > 1 else 0.0
    return y[cut - 1] + slope * h, sigma * np.sqrt(h * (1 + h / (cut - 1)))


def _mean12(y: np.ndarray, horizon: int):
    last = y[-M:]
    sigma = float(np.std(last, ddof=1)) * math.sqrt(1 + 1 / M)
    return np.full(horizon, last.mean()), np.full(horizon, sigma)


# --- candidates at every origin ----------------------------------------------------------------------------
@dataclass
class _Path:
    point: np.ndarray          # raw scale
    sd: np.ndarray             # working scale
    log: bool = False

    def bounds(self, mult: float) -> tuple[np.ndarray, np.ndarray]:
        if self.log:
            z = np.log(self.point)
            return np.exp(z - mult * self.sd), np.exp(z + mult * self.sd)
        return self.point - mult * self.sd, self.point + mult * self.sd

    def ratio(self, actual: np.ndarray, horizon: int) -> np.ndarray:
        """Errors over the model's own deviation (on its working scale) for the first `horizon` months."""
        point, sd = self.point[:horizon], self.sd[:horizon]
        with np.errstate(divide="ignore", invalid="ignore"):
            err = np.log(actual) - np.log(point) if self.log else actual - point
            return np.where(sd > 0, err / sd, np.where(err == 0, 0.0, np.inf))

    def raw_sd(self) -> np.ndarray:
        return self.point * (np.exp(self.sd) - np.exp(-self.sd)) / 2 if self.log else self.sd


def candidate_paths(y: np.ndarray, cuts: list[int], horizon: int, models=None) -> dict[str, dict[int, _Path]]:
    """{model: {cut: path}} for every candidate that can be fitted (combinations excluded)."""
    positive = bool(np.all(y > 0))
    out: dict[str, dict[int, _Path]] = {}
    logy = np.log(y) if positive else None
    for name, (trend, season, log) in ETS_SPECS.items():
        if models is not None and name not in models:
            continue
        if (log or season == "M") and not positive:
            continue
        z = logy if log else y
        snaps = _ets_pass(z, trend, season, cuts)
        paths = {}
        for cut in cuts:
            res = _ets_forecast(snaps[cut], cut, trend, season, horizon)
            if res is None:
                break
            point, sd = res
            point = np.exp(point) if log else point
            if not (np.all(np.isfinite(point)) and np.all(np.isfinite(sd))):
                break
            paths[cut] = _Path(point, sd, log)
        if len(paths) == len(cuts):
            out[name] = paths
    for name, fn in (("seasonal_naive", _snaive), ("drift", _drift)):
        if models is None or name in models:
            out[name] = {cut: _Path(*fn(y, cut, horizon)) for cut in cuts}
    return out


def origins(n: int, horizon: int = BACKTEST_HORIZON) -> list[int]:
    """Backtest cuts (training lengths): 12, 15, ... months before the end, each with MIN_TRAIN months before."""
    cuts = [n - horizon - ORIGIN_STEP * k for k in range(MAX_ORIGINS)]
    return sorted(c for c in cuts if c >= MIN_TRAIN)


def _scores(y: np.ndarray, paths: dict[int, _Path], cuts: list[int], horizon: int) -> tuple:
    err, pct = [], []
    for cut in cuts:
        actual = y[cut:cut + horizon]
        e = np.abs(paths[cut].point[:horizon] - actual)
        err.append(e)
        pct.append(e / np.abs(actual) if np.all(actual != 0) else np.full(len(e), np.nan))
    err, pct = np.concatenate(err), np.concatenate(pct)
    mae = float(err.mean())
    mape = None if np.isnan(pct).any() else float(pct.mean() * 100)
    return mae, mape, len(err)


def _combine(members: list[dict[int, _Path]], cut) -> _Path:
    point = np.mean([m[cut].point for m in members], axis=0)
    sd = np.mean([m[cut].raw_sd() for m in members], axis=0)
    return _Path(point, sd, False)


def _multiplier(ratios: np.ndarray, level: float) -> float:
    """The conformal quantile of |error / own deviation|, never below the normal quantile."""
    z = float(stats.norm.ppf(0.5 + level / 2))
    r = np.abs(ratios[np.isfinite(ratios)])
    if len(r) == 0:
        return z
    rank = min(len(r), math.ceil((len(r) + 1) * level))
    q = float(np.sort(r)[rank - 1])
    return max(z, q)


def fit(y: np.ndarray, horizon: int = 24, models=None) -> tuple[str, dict[float, tuple], np.ndarray,
                                                                 list[Backtest], str | None, tuple, dict]:
    """(model, {level: (lo, hi)}, point, backtests, reason, combo members, multipliers) for y (no gaps)."""
    n = len(y)
    if n < FULL_MONTHS:
        point, sd = _mean12(y, horizon)
        path = _Path(point, sd)
        bands = {lv: path.bounds(float(stats.norm.ppf(0.5 + lv / 2))) for lv in LEVELS}
        return "mean12", bands, point, [], "short", (), {}
    cuts = origins(n)
    if len(cuts) < MIN_ORIGINS:
        point, sd = _snaive(y, n, horizon)
        path = _Path(point, sd)
        bands = {lv: path.bounds(float(stats.norm.ppf(0.5 + lv / 2))) for lv in LEVELS}
        return "seasonal_naive", bands, point, [], "short_cv", (), {}
    every = cuts + [n]
    paths = candidate_paths(y, every, max(horizon, BACKTEST_HORIZON), models)
    d = np.abs(y[M:] - y[:-M])
    scale = float(d.mean()) if len(d) and d.mean() > 0 else float(np.mean(np.abs(np.diff(y)))) or 1.0
    scored = {}
    for name, p in paths.items():
        mae, mape, cnt = _scores(y, p, cuts, BACKTEST_HORIZON)
        if np.isfinite(mae):
            scored[name] = Backtest(name, mape, mae / scale, mae, cnt)
    ranked = sorted(scored.values(), key=lambda b: (b.mase, robustness(b.model)))
    members = tuple(b.model for b in ranked[:COMBO_SIZE])
    if len(members) == COMBO_SIZE and (models is None or "combo" in models):
        paths["combo"] = {cut: _combine([paths[m] for m in members], cut) for cut in every}
        mae, mape, cnt = _scores(y, paths["combo"], cuts, BACKTEST_HORIZON)
        scored["combo"] = Backtest("combo", mape, mae / scale, mae, cnt)
    best = min(scored.values(), key=lambda b: b.mase)
    tied = [b for b in scored.values() if b.mase <= best.mase * (1 + TIE)]
    chosen = min(tied, key=lambda b: (robustness(b.model), b.mase)).model
    ratios = np.concatenate([paths[chosen][cut].ratio(y[cut:cut + BACKTEST_HORIZON], BACKTEST_HORIZON)
                             for cut in cuts])
    mults = {lv: _multiplier(ratios, lv) for lv in LEVELS}
    final = paths[chosen][n]
    point = final.point[:horizon]
    bands = {}
    for lv in LEVELS:
        lo, hi = final.bounds(mults[lv])
        bands[lv] = (lo[:horizon], hi[:horizon])
    order = [scored[chosen]] + sorted((b for b in scored.values() if b.model != chosen), key=lambda b: b.mase)
    return chosen, bands, point, order, None, members if chosen == "combo" else (), mults


def forecast(series: pd.DataFrame, horizon: int = 24, lower_bound: float | None = 0.0,
             upper_bound: float | None = None, models=None) -> Forecast | None:
    """Forecast a monthly series (columns period, value; consecutive months). None when it has fewer than
    MIN_MONTHS months, gaps or hidden (NaN) months: a forecast we cannot stand behind is not made.
    Values and intervals are clipped to [lower_bound, upper_bound] (shares stay in 0-100)."""
    df = series.sort_values("period")
    if df["value"].isna().any() or len(df) < MIN_MONTHS:
        return None
    months = pd.DatetimeIndex(df["period"]).to_period("M")
    if len(months) != (months[-1] - months[0]).n + 1:
        return None
    y = df["value"].to_numpy(dtype=float)
    model, bands, point, backtests, reason, members, mults = fit(y, horizon, models)
    future = pd.period_range(months[-1] + 1, periods=horizon, freq="M").to_timestamp()
    frame = pd.DataFrame({"period": future, "value": point})
    for level in LEVELS:
        tag = int(level * 100)
        lo, hi = bands[level]
        frame[f"lo{tag}"], frame[f"hi{tag}"] = np.minimum(lo, point), np.maximum(hi, point)
    cols = ["value", "lo80", "hi80", "lo95", "hi95"]
    frame[cols] = frame[cols].clip(lower=lower_bound, upper=upper_bound)
    frame["lo95"] = np.minimum(frame["lo95"], frame["lo80"])
    frame["hi95"] = np.maximum(frame["hi95"], frame["hi80"])
    return Forecast(model, frame, tuple(backtests), reason, members, mults)
