"""Traffic lights from target, baseline and direction; text labels go with every colour."""
from __future__ import annotations

import math

from .registry import KPI

GREEN, AMBER, RED = "green", "amber", "red"
AMBER_PROGRESS = 0.5      # at least half way from baseline to target
AMBER_TOLERANCE = 0.05    # without a baseline: within 5 % of the target


def status(value: float | None, kpi: KPI) -> str | None:
    """green = target reached; amber = at least half way from baseline (or within 5 %); red otherwise."""
    if kpi.target is None or kpi.direction == "neutral" or value is None or math.isnan(value):
        return None
    target = kpi.target.value
    sign = 1 if kpi.direction == "higher" else -1
    if sign * (value - target) >= 0:
        return GREEN
    base = kpi.baseline.value if kpi.baseline else None
    if base is not None and sign * (target - base) > 0:
        progress = (value - base) / (target - base)
        return AMBER if progress >= AMBER_PROGRESS else RED
    gap = abs(value - target) / abs(target) if target else math.inf
    return AMBER if gap <= AMBER_TOLERANCE else RED


ON_TRACK, OFF_TRACK, REACHED, MISSED = "on_track", "off_track", "reached", "missed"


def projected(series: "pd.DataFrame", at: "pd.Timestamp", months: int = 12) -> float:
    """Straight-line projection of the last `months` points (period, value) to the date `at`."""
    import numpy as np
    import pandas as pd

    s = series.dropna(subset=["value"]).sort_values("period").tail(months)
    if len(s) < 3:
        return float("nan")
    x = (pd.to_datetime(s.period) - pd.Timestamp("2019-01-01")).dt.days.to_numpy(float)
    slope, intercept = np.polyfit(x, s.value.to_numpy(float), 1)
    return float(slope * (pd.Timestamp(at) - pd.Timestamp("2019-01-01")).days + intercept)


def on_track(series: "pd.DataFrame", kpi: KPI, months: int = 12) -> str | None:
    """For a dated target: reached, on track (the recent trend meets it by its date), off track, or missed
    (its date has passed unmet). Without a target or a direction there is no answer."""
    import pandas as pd

    if kpi.target is None or kpi.direction == "neutral":
        return None
    s = series.dropna(subset=["value"]).sort_values("period")
    if s.empty:
        return None
    sign = 1 if kpi.direction == "higher" else -1
    latest = float(s.value.iloc[-1])
    if sign * (latest - kpi.target.value) >= 0:
        return REACHED
    due = pd.Timestamp(f"{kpi.target.date}-01") + pd.offsets.MonthEnd(0)
    if pd.Timestamp(s.period.iloc[-1]) >= due:
        return MISSED
    value_at_due = projected(s, due, months)
    if math.isnan(value_at_due):
        return None
    return ON_TRACK if sign * (value_at_due - kpi.target.value) >= 0 else OFF_TRACK
