"""Composite scores on edge cases (the target verdict rule is tested in tests/test_verdict.py)."""
import math

import pytest
import yaml

from metrics.composite import RULES_FILE, indicator_score, load_rules, parse_rules, score_area
from metrics.registry import RegistryError, load_registry
from metrics.targets import AMBER, GREEN, RED

REG = load_registry()


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
