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
    high = {"eservice_adults": 40.0, "eservice_all": 46.0, "remote_share": 36.0, "digital_share": 12.0}
    score, st, _ = score_area(digital, high, rules)
    assert (score, st) == (pytest.approx(100.0), GREEN)


def test_an_area_is_not_on_target_while_an_indicator_misses_its_target():
    """Issue 15: "Digitaaliset palvelut 100/100 Tavoitteessa" beside "E-service use, all ages 31,9 % (target 45 %)".
    All ages is now scored in the area, and a high score with an indicator short of its target is amber."""
    rules = load_rules()
    digital = next(a for a in rules.areas if a.id == "digital")
    assert "eservice_all" in [i.kpi for i in digital.indicators]
    demo = {"eservice_adults": 37.1, "eservice_all": 31.9, "remote_share": 35.1, "digital_share": 12.0}
    score, st, table = score_area(digital, demo, rules)
    assert score < 100 and st != GREEN
    assert table.set_index("kpi").meets_target.to_dict() == {"eservice_adults": True, "eservice_all": False,
                                                              "remote_share": True, "digital_share": True}
    # the score alone would be green (>= 75): one indicator short of its target keeps it amber
    access = next(a for a in rules.areas if a.id == "access")
    near = {"care_guarantee_7d": 80.0, "t3_primary": 7.0, "dental_within_3m": 90.0, "calls_answered_share": 80.0}
    score, st, table = score_area(access, near, rules)
    assert score >= rules.green_from and st == AMBER
    assert table.meets_target.tolist().count(False) == 1
    at_target = {**near, "calls_answered_share": 90.0}
    assert score_area(access, at_target, rules)[1] == GREEN


def test_a_missed_target_verdict_keeps_the_area_off_target():
    """Every value at its target in the chosen period, but one KPI's target verdict says missed (its target's own
    period): the area is not "on target", and its table says which indicator."""
    rules = load_rules()
    digital = next(a for a in rules.areas if a.id == "digital")
    values = {"eservice_adults": 40.0, "eservice_all": 46.0, "remote_share": 36.0, "digital_share": 12.0}
    score, st, table = score_area(digital, values, rules, missed={"remote_share"})
    assert score == pytest.approx(100.0) and st == AMBER
    assert table.set_index("kpi").meets_target["remote_share"] is False or \
        not table.set_index("kpi").meets_target["remote_share"]
    # a missed KPI that is not in the area changes nothing; a missing value is neither met nor missed
    assert score_area(digital, values, rules, missed={"care_guarantee_7d"})[1] == GREEN
    _, st, table = score_area(digital, {**values, "eservice_all": math.nan}, rules)
    assert st == GREEN and table.set_index("kpi").meets_target["eservice_all"] is None


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
