"""The one target-verdict rule. Every page, the board pack and the exports show what `verdict` says.

A KPI has a path of dated targets (registry `targets`, or one `target`). The rule:

1. **Which period is judged.** The months ending in the target's month: the month itself, the quarter (3 months)
   or the year (12). By default a year for money and annualised indicators (their targets are yearly), the
   quarter for the rest (targets like "80 % by Q4/2025"); a target may say `period: month|quarter|year`. The
   judged value is the mean of those months' values (a yearly-only KPI: that year's value).
2. **A target whose period has passed** (its last month is in the actuals) is judged on the actuals of that
   period only: `met` or `missed` (`unknown` when a month of it is hidden or missing). Later data never
   changes it.
3. **The shown target** is the first one whose period has not passed; the latest past one is kept beside it
   (`previous`), so a page can say "12/2025: not met, 76.8 %" and then the next target. When every target
   has passed, the last one is shown.
4. **A future target** is judged on the forecast: the judged value mixes the actual months of the period with
   the forecast's for the rest, and the probability that it meets the target comes from the forecast
   distribution (each forecast month's normal deviation read from its 80 % interval; the months of one period
   taken as fully correlated, which does not understate the spread). `on_track` from 75 %, `at_risk` from
   25 %, `off_track` below. Beyond the forecast's horizon, or without a forecast (hidden months), `unknown`.
   A yearly-only KPI has no forecast: its future target is judged by the straight-line trend of its years
   (`on_track` / `off_track`, no probability).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from .registry import KPI, Goal, load_registry

GREEN, AMBER, RED = "green", "amber", "red"     # traffic lights (metrics/composite.py scores use them too)
MET, MISSED, ON_TRACK, AT_RISK, OFF_TRACK, UNKNOWN = "met", "missed", "on_track", "at_risk", "off_track", "unknown"
STATES = (MET, ON_TRACK, AT_RISK, OFF_TRACK, MISSED, UNKNOWN)
LIKELY, UNLIKELY = 0.75, 0.25
PERIOD_MONTHS = {"month": 1, "quarter": 3, "year": 12}
Z80 = float(stats.norm.ppf(0.9))
# the traffic light of each state: colour, a distinct shape (never colour alone)
LIGHT = {MET: GREEN, ON_TRACK: GREEN, AT_RISK: AMBER, OFF_TRACK: RED, MISSED: RED, UNKNOWN: None}


@dataclass(frozen=True)
class Verdict:
    kpi_id: str
    goal: Goal                      # the target judged
    state: str                      # one of STATES
    start: pd.Timestamp             # first and last month of the judged period
    end: pd.Timestamp
    months: int
    value: float | None             # judged value: actual mean (past) or expected mean (actuals + forecast)
    probability: float | None       # P(target met) from the forecast distribution (future targets)
    past: bool                      # judged on actuals only
    basis: str                      # "actual", "forecast", "trend" or the reason for unknown
    previous: "Verdict | None" = None   # the latest passed target's verdict when a later one is shown

    @property
    def light(self) -> str | None:
        return LIGHT[self.state]

    def key(self) -> tuple:
        """What makes two verdicts the same (for consistency checks)."""
        prev = self.previous.key() if self.previous else None
        return (self.kpi_id, self.goal, self.state, None if self.value is None else round(self.value, 6),
                None if self.probability is None else round(self.probability, 6), prev)


def period_months(kpi: KPI, goal: Goal | None = None, registry=None) -> int:
    """Months judged for a target: the target's own `period`, else a year for money and annualised
    indicators, a quarter for the rest."""
    if goal is not None and goal.period:
        return PERIOD_MONTHS[goal.period]
    registry = registry or load_registry()
    return 12 if kpi.annualize or registry.measures[kpi.numerator].view == "v_costs" else 3


def _meets(value: float, goal: Goal, direction: str) -> bool:
    return value >= goal.value if direction == "higher" else value <= goal.value


def _month(ts) -> pd.Timestamp:
    return pd.Timestamp(ts).to_period("M").to_timestamp()


def _months(periods: pd.Series) -> np.ndarray:
    """Periods as month numbers (months since 1/1970, numpy's datetime64[M]): the rule's look-ups are done on these
    with dictionaries; the series are a few dozen months, on which pandas' indexing cost more than the rule (a tenth
    of the strategic page's county change for its sixteen verdicts)."""
    values = periods.to_numpy()
    if not np.issubdtype(values.dtype, np.datetime64):
        values = pd.to_datetime(periods).to_numpy()
    return values.astype("datetime64[M]").astype(np.int64)


def _month_number(ts: pd.Timestamp) -> int:
    return (ts.year - 1970) * 12 + ts.month - 1


def _monthly(kpi: KPI, goal: Goal, act: dict[int, float], fc: dict[int, tuple[float, float, float]] | None,
             last: int, registry) -> Verdict:
    """One target judged: `act` month number -> actual value (NaN hidden), `fc` month number -> (value, lo80, hi80)
    of the forecast (None without one), `last` the last actual month's number."""
    n = period_months(kpi, goal, registry)
    end = _month(f"{goal.date}-01")
    start = end - pd.DateOffset(months=n - 1)
    e = _month_number(end)
    window = range(e - n + 1, e + 1)
    past = e <= last
    base = dict(kpi_id=kpi.id, goal=goal, start=start, end=end, months=n)
    if past:
        vals = np.array([act.get(m, np.nan) for m in window], dtype=float)
        if np.isnan(vals).any():
            return Verdict(**base, state=UNKNOWN, value=None, probability=None, past=True, basis="hidden")
        value = float(vals.sum() / n)
        return Verdict(**base, state=MET if _meets(value, goal, kpi.direction) else MISSED, value=value,
                       probability=None, past=True, basis="actual")
    if not fc:
        return Verdict(**base, state=UNKNOWN, value=None, probability=None, past=False, basis="no_forecast")
    if e > max(fc):
        return Verdict(**base, state=UNKNOWN, value=None, probability=None, past=False, basis="beyond")
    known = np.array([act.get(m, np.nan) for m in window if m <= last], dtype=float)
    ahead = [m for m in window if m > last]
    if np.isnan(known).any() or any(m not in fc for m in ahead):
        return Verdict(**base, state=UNKNOWN, value=None, probability=None, past=False, basis="hidden")
    f = np.array([fc[m] for m in ahead], dtype=float).reshape(-1, 3)
    value = float((known.sum() + np.nansum(f[:, 0])) / n)          # pandas' sums skip a NaN, as before
    sd = float(np.nansum((f[:, 2] - f[:, 1]) / (2 * Z80)) / n)
    gap = (value - goal.value) if kpi.direction == "higher" else (goal.value - value)
    prob = float(stats.norm.cdf(gap / sd)) if sd > 0 else (1.0 if gap >= 0 else 0.0)
    state = ON_TRACK if prob >= LIKELY else AT_RISK if prob >= UNLIKELY else OFF_TRACK
    return Verdict(**base, state=state, value=value, probability=prob, past=False, basis="forecast")


def _yearly(kpi: KPI, goal: Goal, actual: pd.DataFrame, last_year: int) -> Verdict:
    year = int(goal.date[:4])
    start, end = pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 1)
    base = dict(kpi_id=kpi.id, goal=goal, start=start, end=end, months=12)
    years = pd.DatetimeIndex(pd.to_datetime(actual["period"])).year
    vals = pd.Series(actual["value"].to_numpy(float), index=years)
    if year <= last_year:
        v = vals.get(year)
        if v is None or math.isnan(v):
            return Verdict(**base, state=UNKNOWN, value=None, probability=None, past=True, basis="hidden")
        return Verdict(**base, state=MET if _meets(float(v), goal, kpi.direction) else MISSED, value=float(v),
                       probability=None, past=True, basis="actual")
    known = vals.dropna().tail(5)
    if len(known) < 3:
        return Verdict(**base, state=UNKNOWN, value=None, probability=None, past=False, basis="too_short")
    slope, intercept = np.polyfit(known.index.to_numpy(float), known.to_numpy(float), 1)
    value = float(slope * year + intercept)
    return Verdict(**base, state=ON_TRACK if _meets(value, goal, kpi.direction) else OFF_TRACK, value=value,
                   probability=None, past=False, basis="trend")


def verdict(kpi: KPI, actual: pd.DataFrame | None, points: pd.DataFrame | None = None,
            registry=None) -> Verdict | None:
    """The verdict on the KPI's shown target (see the module text). `actual`: the KPI's monthly series over its
    whole history for the area (columns period, value; hidden months NaN), or its yearly series for a KPI
    without months; `points`: the stored forecast (period, value, lo80, hi80), None when there is none.
    None for a KPI without a target or a direction, or without any actual value."""
    goals = kpi.targets
    if not goals or kpi.direction not in ("higher", "lower") or actual is None or actual.empty:
        return None
    if np.isnan(actual["value"].to_numpy(dtype=float)).all():
        return None
    months = _months(actual["period"])
    monthly = "month" in kpi.grains and len(actual) > 0 and (len(months) < 2 or len(set((months % 12).tolist())) > 1)
    if monthly:
        act = dict(zip(months.tolist(), actual["value"].to_numpy(dtype=float).tolist()))
        fc = None
        if points is not None and not points.empty:
            fc = dict(zip(_months(points["period"]).tolist(),
                          zip(*(points[c].to_numpy(dtype=float).tolist() if c in points
                                else [np.nan] * len(points) for c in ("value", "lo80", "hi80")))))
        judged = [_monthly(kpi, g, act, fc, int(months.max()), registry) for g in goals]
    else:
        last_year = int(pd.to_datetime(actual["period"]).dt.year.max())
        judged = [_yearly(kpi, g, actual, last_year) for g in goals]
    passed = [v for v in judged if v.past]
    ahead = [v for v in judged if not v.past]
    if not ahead:
        return passed[-1]
    shown = ahead[0]
    if passed:
        shown = Verdict(**{**shown.__dict__, "previous": passed[-1]})
    return shown
