"""KPI alerts: what a KPI's status is for an area, and which statuses changed between two data versions (pure).

A status is what a subscriber is told about: the KPI's value for the period (hidden when a count is small:
`suppressed`, value None), the target verdict's state and traffic light (metrics.targets, the one rule) and the
judged value behind the verdict. `changes` compares the statuses a subscriber was last told of with today's: a
KPI whose verdict state (and so possibly its light) differs is a change; a KPI seen for the first time is not (it
becomes the baseline). Statuses are plain dicts, so they are stored as JSON as they are.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from .engine import KPISummary
from .targets import Verdict


def _num(x) -> float | None:
    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) else round(x, 6)


def status(summary: KPISummary, verdict: Verdict | None) -> dict:
    """The status of one KPI for one area: value (None when hidden or missing), suppressed, state, light, the
    judged value and the target it is judged against (with its date)."""
    return {
        "value": None if summary.suppressed else _num(summary.value),
        "suppressed": bool(summary.suppressed),
        "state": verdict.state if verdict else None,
        "light": verdict.light if verdict else None,
        "judged": _num(verdict.value) if verdict else None,
        "target": _num(verdict.goal.value) if verdict else None,
        "target_date": verdict.goal.date if verdict else None,
    }


@dataclass(frozen=True)
class Change:
    kpi_id: str
    before: dict
    after: dict

    @property
    def light_changed(self) -> bool:
        return self.before.get("light") != self.after.get("light")

    @property
    def turned_red(self) -> bool:
        return self.light_changed and self.after.get("light") == "red"

    def values(self) -> tuple[float | None, float | None, bool]:
        """(before, after, judged): the judged values when both verdicts have one (that is what changed the
        verdict), else the period's values; None where a side is hidden or missing."""
        b, a = self.before.get("judged"), self.after.get("judged")
        if b is not None and a is not None and self.before.get("target_date") == self.after.get("target_date"):
            return b, a, True
        return self.before.get("value"), self.after.get("value"), False

    @property
    def delta(self) -> float | None:
        before, after, _ = self.values()
        return None if before is None or after is None else after - before


def changes(before: dict[str, dict], after: dict[str, dict]) -> list[Change]:
    """KPIs (in the order of `after`) whose target verdict differs from what the subscriber was last told. A KPI
    without a verdict on either side (no target) or not seen before gives no change."""
    out = []
    for kpi_id, now in after.items():
        then = before.get(kpi_id)
        if then is None or then.get("state") is None or now.get("state") is None:
            continue
        if then["state"] != now["state"] or then.get("light") != now.get("light"):
            out.append(Change(kpi_id, then, now))
    return out
