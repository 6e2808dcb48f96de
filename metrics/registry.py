"""Load the KPI registry (registry.yaml) and check it with small rules, like MetricFlow's validators."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from data_sources.schema import VIEW_COLUMNS

REGISTRY_FILE = Path(__file__).with_name("registry.yaml")
LEVELS = ("strategic", "tactical", "operational")
UNITS = ("count", "persons", "pct", "eur", "eur_per_resident", "per_1000", "days", "index")
GRAINS = ("month", "quarter", "year")
DIRECTIONS = ("higher", "lower", "neutral")
AGGS = ("sum", "avg")
TIME_AGGS = ("sum", "mean")
DEFAULT_SUPPRESS_BELOW = 5


class RegistryError(ValueError):
    """A registry entry is broken; the message names the entry and the rule."""


@dataclass(frozen=True)
class Measure:
    id: str
    view: str
    expr: str
    agg: str = "sum"
    count: bool = False
    time_agg: str = "sum"
    filter: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Goal:
    value: float
    date: str  # YYYY-MM
    period: str | None = None   # months judged: month, quarter or year (None: metrics.targets' default)

    @property
    def year(self) -> int:
        return int(self.date[:4])


@dataclass(frozen=True)
class KPI:
    id: str
    name_fi: str
    name_en: str
    description_fi: str
    description_en: str
    level: str
    unit: str
    type: str
    numerator: str
    grains: tuple[str, ...]
    direction: str
    owner: str
    source_fi: str
    denominator: str | None = None
    multiplier: float = 1.0
    annualize: bool = False
    filter: dict = field(default_factory=dict)
    baseline: Goal | None = None
    target: Goal | None = None          # the last of `targets` (where the path leads)
    suppress_below: int = DEFAULT_SUPPRESS_BELOW
    targets: tuple[Goal, ...] = ()      # the path of dated targets, earliest first (metrics/targets.py)

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_fi

    def description(self, lang: str) -> str:
        return self.description_en if lang == "en" else self.description_fi


@dataclass(frozen=True)
class Registry:
    measures: dict[str, Measure]
    kpis: dict[str, KPI]

    def series_kpis(self) -> list[KPI]:
        """KPIs whose values are uploaded as ready series (their numerator reads v_kpi_series)."""
        return [k for k in self.kpis.values() if self.measures[k.numerator].view == "v_kpi_series"]

    def by_level(self, level: str) -> list[KPI]:
        return [k for k in self.kpis.values() if k.level == level]

    def __getitem__(self, kpi_id: str) -> KPI:
        return self.kpis[kpi_id]


PERIODS = ("month", "quarter", "year")


def _date(raw) -> str:
    date = raw["date"]
    if isinstance(date, (dt.date, dt.datetime)):
        date = date.strftime("%Y-%m")
    return str(date)


def _goal(raw) -> Goal | None:
    if raw is None:
        return None
    return Goal(float(raw["value"]), _date(raw), raw.get("period"))


def _targets(k: dict) -> tuple[Goal, ...]:
    """`targets: [{value, date, period?}, ...]` (a path) or one `target: {value, date}`, earliest first."""
    raw = k.get("targets") or ([k["target"]] if k.get("target") else [])
    return tuple(_goal(g) for g in raw)


# --- rules: each takes the raw document and yields error strings --------------------------------------
def _rule_measure_view_and_columns(doc):
    for mid, m in doc.get("measures", {}).items():
        cols = VIEW_COLUMNS.get(m.get("view"))
        if cols is None:
            yield f"measure {mid}: unknown view {m.get('view')!r}"
            continue
        if m.get("expr") not in cols:
            yield f"measure {mid}: column {m.get('expr')!r} is not in view {m['view']}"
        for col in (m.get("filter") or {}):
            if col not in cols:
                yield f"measure {mid}: filter column {col!r} is not in view {m['view']}"
        if m.get("agg", "sum") not in AGGS:
            yield f"measure {mid}: agg must be one of {AGGS}"
        if m.get("time_agg", "sum") not in TIME_AGGS:
            yield f"measure {mid}: time_agg must be one of {TIME_AGGS}"


def _rule_kpi_fields(doc):
    seen = set()
    required = ("id", "name_fi", "name_en", "description_fi", "description_en", "level", "unit", "type",
                "numerator", "grains", "direction", "owner", "source_fi")
    for i, k in enumerate(doc.get("kpis", [])):
        kid = k.get("id", f"#{i}")
        for f in required:
            if not k.get(f):
                yield f"kpi {kid}: missing {f}"
        if kid in seen:
            yield f"kpi {kid}: duplicate id"
        seen.add(kid)
        if k.get("level") not in LEVELS:
            yield f"kpi {kid}: level must be one of {LEVELS}"
        if k.get("unit") not in UNITS:
            yield f"kpi {kid}: unit must be one of {UNITS}"
        if k.get("direction") not in DIRECTIONS:
            yield f"kpi {kid}: direction must be one of {DIRECTIONS}"
        if any(g not in GRAINS for g in k.get("grains") or []):
            yield f"kpi {kid}: grains must be among {GRAINS}"


def _rule_kpi_measures(doc):
    measures = doc.get("measures", {})
    for k in doc.get("kpis", []):
        kid = k.get("id")
        if k.get("numerator") not in measures:
            yield f"kpi {kid}: numerator {k.get('numerator')!r} is not a measure"
        if k.get("type") == "ratio" and k.get("denominator") not in measures:
            yield f"kpi {kid}: ratio needs a denominator measure, got {k.get('denominator')!r}"
        if k.get("type") == "simple" and k.get("denominator"):
            yield f"kpi {kid}: a simple KPI has no denominator"
        if k.get("type") not in ("simple", "ratio"):
            yield f"kpi {kid}: type must be simple or ratio"
        used = [m for m in (k.get("numerator"), k.get("denominator")) if m in measures]
        for col in (k.get("filter") or {}):
            if not any(col in VIEW_COLUMNS.get(measures[m]["view"], ()) for m in used):
                yield f"kpi {kid}: filter column {col!r} is in none of its measures' views"


def _rule_goals(doc):
    for k in doc.get("kpis", []):
        for name in ("baseline", "target"):
            g = k.get(name)
            if g is None:
                continue
            if not isinstance(g, dict) or "value" not in g or "date" not in g:
                yield f"kpi {k.get('id')}: {name} needs value and date"
        if k.get("target") and k.get("direction") == "neutral":
            yield f"kpi {k.get('id')}: a target needs direction higher or lower"
        path = k.get("targets")
        if path is None:
            continue
        kid = k.get("id")
        if k.get("target"):
            yield f"kpi {kid}: give either target or targets, not both"
        if not isinstance(path, list) or not path:
            yield f"kpi {kid}: targets must be a list of {{value, date}}"
            continue
        if k.get("direction") == "neutral":
            yield f"kpi {kid}: a target needs direction higher or lower"
        dates = []
        for g in path:
            if not isinstance(g, dict) or "value" not in g or "date" not in g:
                yield f"kpi {kid}: each of targets needs value and date"
                continue
            if g.get("period", "quarter") not in PERIODS:
                yield f"kpi {kid}: a target's period must be one of {PERIODS}"
            dates.append(_date(g))
        if any(not (a < b) for a, b in zip(dates, dates[1:])):
            yield f"kpi {kid}: targets must be in date order, one per month"


RULES = (_rule_measure_view_and_columns, _rule_kpi_fields, _rule_kpi_measures, _rule_goals)


def validate(doc: dict) -> list[str]:
    return [err for rule in RULES for err in rule(doc)]


def parse(doc: dict) -> Registry:
    errors = validate(doc)
    if errors:
        raise RegistryError("; ".join(errors))
    measures = {mid: Measure(id=mid, **m) for mid, m in doc["measures"].items()}
    kpis = {}
    for k in doc["kpis"]:
        k = dict(k)
        k["grains"] = tuple(k["grains"])
        k["baseline"] = _goal(k.get("baseline"))
        k["targets"] = _targets(k)
        k["target"] = k["targets"][-1] if k["targets"] else None
        kpis[k["id"]] = KPI(**k)
    return Registry(measures, kpis)


@lru_cache(maxsize=1)
def load_registry(path: Path = REGISTRY_FILE) -> Registry:
    return parse(yaml.safe_load(path.read_text(encoding="utf-8")))
