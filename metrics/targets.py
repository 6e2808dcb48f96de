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
