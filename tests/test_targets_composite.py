"""Traffic lights, dated-target outlook and composite scores on edge cases."""
import math
from dataclasses import replace

import pandas as pd
import pytest
import yaml

from metrics.composite import RULES_FILE, indicator_score, load_rules, parse_rules, score_area
from metrics.registry import Goal, RegistryError, load_registry
from metrics.targets import AMBER, GREEN, MISSED, OFF_TRACK, ON_TRACK, REACHED, RED, on_track, status

REG = load_registry()
HIGHER = REG["care_guarantee_7d"]          # baseline 66, target 80, higher is better
LOWER = REG["t3_primary"]                  # baseline 19, target 7, lower is better


@pytest.mark.parametrize("kpi,value,expected", [
    (HIGHER, 80.0, GREEN), (HIGHER, 92.0, GREEN), (HIGHER, 73.0, AMBER), (HIGHER, 72.9, RED),
    (HIGHER, 50.0, RED), (LOWER, 7.0, GREEN), (LOWER, 3.0, GREEN), (LOWER, 13.0, AMBER), (LOWER, 13.1, RED),
    (LOWER, 25.0, RED), (HIGHER, math.nan, None), (REG["population"], 1000.0, None),
])
def test_traffic_lights(kpi, value, expected):
    assert status(value, kpi) == expected


def test_without_baseline_amber_is_within_five_percent():
    k = replace(HIGHER, baseline=None)
    assert status(76.5, k) == AMBER       # 4.4 % short of 80
    assert status(75.0, k) == RED         # 6.25 % short
    assert status(80.0, k) == GREEN


def test_target_reached_exactly_lower_is_better_zero_target():
    k = REG["callback_delay"]              # target 0 days
    assert status(0.0, k) == GREEN
    assert status(0.2, k) in (AMBER, RED)


def _series(values, start="2024-01-01"):
    return pd.DataFrame({"period": pd.date_range(start, periods=len(values), freq="MS"), "value": values})


def test_on_track_uses_the_trend_to_the_target_date():
    k = replace(HIGHER, target=Goal(80, "2025-12"))
    rising = _series([66 + i for i in range(12)])          # 66 → 77 in 2024, +1/month
    flat = _series([70.0] * 12)
    assert on_track(rising, k) == ON_TRACK
    assert on_track(flat, k) == OFF_TRACK
    assert on_track(_series([70, 75, 81]), k) == REACHED
    late = _series([70.0] * 30)                              # runs past 12/2025 unmet
    assert on_track(late, k) == MISSED
    assert on_track(_series([70.0]), k) is None              # too short to project


def test_on_track_lower_is_better():
    k = replace(LOWER, target=Goal(7, "2025-12"))
    falling = _series([19 - i for i in range(12)])           # 19 → 8
    assert on_track(falling, k) == ON_TRACK
    assert on_track(_series([15.0] * 12), k) == OFF_TRACK


@pytest.mark.parametrize("value,baseline,target,score", [
    (66, 66, 80, 0), (80, 66, 80, 100), (73, 66, 80, 50), (90, 66, 80, 100), (50, 66, 80, 0),
    (13, 19, 7, 50), (7, 19, 7, 100), (25, 19, 7, 0),
])
def test_indicator_score(value, baseline, target, score):
    assert indicator_score(value, baseline, target) == pytest.approx(score)


def test_area_score_is_weighted_and_explained():
    rules = load_rules()
    access = next(a for a in rules.areas if a.id == "access")
    values = {"care_guarantee_7d": 80.0, "t3_primary": 19.0, "dental_within_3m": 81.0,
              "calls_answered_share": 80.0}
    score, st, table = score_area(access, values, rules)
    # 0.4*100 + 0.2*0 + 0.2*50 + 0.2*50 = 60
    assert score == pytest.approx(60.0)
    assert st == AMBER
    assert table.points.sum() == pytest.approx(score)
    assert list(table.kpi) == [i.kpi for i in access.indicators]


def test_missing_indicator_renormalises_weights():
    rules = load_rules()
    access = next(a for a in rules.areas if a.id == "access")
    score, st, table = score_area(access, {"care_guarantee_7d": 80.0}, rules)
    assert score == pytest.approx(100.0) and st == GREEN
    assert table.weight_used.sum() == pytest.approx(1.0)
    score, st, _ = score_area(access, {}, rules)
    assert math.isnan(score) and st is None


def test_thresholds_give_red_green():
    rules = load_rules()
    digital = next(a for a in rules.areas if a.id == "digital")
    low = {"eservice_adults": 19.1, "remote_share": 30.0, "digital_share": 2.0}
    assert score_area(digital, low, rules)[1] == RED
    high = {"eservice_adults": 40.0, "remote_share": 36.0, "digital_share": 12.0}
    assert score_area(digital, high, rules)[:2] == (100.0, GREEN)


@pytest.mark.parametrize("mutate,message", [
    (lambda d: d["areas"][0]["indicators"].append({"kpi": "nope", "weight": 1}), "unknown kpi"),
    (lambda d: d["areas"][0]["indicators"].append({"kpi": "population", "weight": 1}), "baseline and a target"),
    (lambda d: d["areas"][0]["indicators"][0].update(weight=0), "weight must be positive"),
    (lambda d: d["areas"][0]["indicators"][0].update(baseline=90), "beyond the baseline"),
    (lambda d: d.update(thresholds={"green_from": 40, "amber_from": 60}), "thresholds"),
])
def test_rules_validation(mutate, message):
    doc = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))
    mutate(doc)
    with pytest.raises(RegistryError, match=message):
        parse_rules(doc, REG)
