"""Composite scores per area (kokonaispistesäännöt): transparent, configurable, explainable."""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

from .registry import Registry, RegistryError, load_registry
from .targets import AMBER, GREEN, RED

RULES_FILE = Path(__file__).with_name("composite.yaml")


@dataclass(frozen=True)
class Indicator:
    kpi: str
    weight: float
    baseline: float
    target: float
    direction: str


@dataclass(frozen=True)
class Area:
    id: str
    name_fi: str
    name_en: str
    indicators: tuple[Indicator, ...]

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_fi


@dataclass(frozen=True)
class Rules:
    green_from: float
    amber_from: float
    areas: tuple[Area, ...]


def indicator_score(value: float, baseline: float, target: float) -> float:
    """0 at the baseline, 100 at the target, linear between, clipped; NaN when the value is missing."""
    if value is None or math.isnan(value):
        return math.nan
    if target == baseline:
        return 100.0 if value == target else 0.0
    return max(0.0, min(100.0, (value - baseline) / (target - baseline) * 100))


def parse_rules(doc: dict, registry: Registry) -> Rules:
    errors: list[str] = []
    areas = []
    for a in doc.get("areas", []):
        inds = []
        for i in a.get("indicators", []):
            k = registry.kpis.get(i.get("kpi"))
            if k is None:
                errors.append(f"area {a.get('id')}: unknown kpi {i.get('kpi')!r}")
                continue
            baseline = i.get("baseline", k.baseline.value if k.baseline else None)
            target = i.get("target", k.target.value if k.target else None)
            direction = i.get("direction", k.direction)
            if baseline is None or target is None:
                errors.append(f"area {a['id']}: {k.id} needs a baseline and a target to be scored")
                continue
            if direction == "neutral" or (target - baseline) * (1 if direction == "higher" else -1) <= 0:
                errors.append(f"area {a['id']}: {k.id} target must lie beyond the baseline in its direction")
                continue
            if not i.get("weight", 0) > 0:
                errors.append(f"area {a['id']}: {k.id} weight must be positive")
                continue
            inds.append(Indicator(k.id, float(i["weight"]), float(baseline), float(target), direction))
        areas.append(Area(a["id"], a["name_fi"], a["name_en"], tuple(inds)))
    th = doc.get("thresholds", {})
    green, amber = float(th.get("green_from", 75)), float(th.get("amber_from", 50))
    if not 0 <= amber <= green <= 100:
        errors.append("thresholds: need 0 <= amber_from <= green_from <= 100")
    if errors:
        raise RegistryError("; ".join(errors))
    return Rules(green, amber, tuple(areas))


@lru_cache(maxsize=1)
def load_rules(path: Path = RULES_FILE) -> Rules:
    return parse_rules(yaml.safe_load(path.read_text(encoding="utf-8")), load_registry())


def meets_target(value: float, ind: Indicator) -> bool | None:
    """Whether a value is at or beyond the indicator's target in its direction (None when it is missing)."""
    if value is None or math.isnan(value):
        return None
    return value >= ind.target if ind.direction == "higher" else value <= ind.target


def score_area(area: Area, values: dict[str, float], rules: Rules,
               missed: frozenset[str] | set[str] = frozenset()) -> tuple[float, str | None, pd.DataFrame]:
    """The area's score, its status and the table that explains it (one row per indicator).

    Missing or suppressed indicators drop out and the remaining weights are renormalised. The status is green
    ("on target") only when the score reaches green_from AND every scored indicator meets its target: its value
    in the chosen period is at or beyond the target, and it is not in `missed` (the KPIs whose target verdict,
    metrics.targets, says the target was missed or is off track). A high score with an indicator short of its
    target is amber at best, so the area never says "on target" beside a card that says "not met".
    """
    rows = []
    for ind in area.indicators:
        v = values.get(ind.kpi, math.nan)
        meets = meets_target(v, ind)
        if meets and ind.kpi in missed:
            meets = False
        rows.append({"kpi": ind.kpi, "value": v, "baseline": ind.baseline, "target": ind.target,
                     "score": indicator_score(v, ind.baseline, ind.target), "weight": ind.weight,
                     "meets_target": meets})
    table = pd.DataFrame(rows)
    scored = table.dropna(subset=["score"])
    if scored.empty:
        return math.nan, None, table.assign(weight_used=0.0, points=math.nan)
    table["weight_used"] = (table.weight / scored.weight.sum()).where(table.score.notna(), 0.0)
    table["points"] = table.score * table.weight_used
    total = float(table.points.sum())
    short = (scored.meets_target == False).any()  # noqa: E712 - a column of True/False/None
    st = GREEN if total >= rules.green_from and not short else AMBER if total >= rules.amber_from else RED
    return total, st, table
