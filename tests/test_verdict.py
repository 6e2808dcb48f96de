"""The one target-verdict rule (metrics/targets.py): the period judged, passed targets on that period's actuals
with their wording, the next dated target, the probability from the forecast distribution, a registry path of
targets; and the same verdict for every KPI on every page, in the board pack and in its slides."""
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from scipy import stats
from streamlit.testing.v1 import AppTest

from metrics import targets as T
from metrics.engine import Filters
from metrics.forecast import kpi_verdict
from metrics.registry import REGISTRY_FILE, Goal, RegistryError, load_registry, parse
from ui.verdict import verdict_label, verdict_text

REG = load_registry()
K = REG["care_guarantee_7d"]          # higher is better, 80 % by 12/2025, judged on the quarter
APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")


def monthly(values, start="2024-01"):
    return pd.DataFrame({"period": pd.period_range(start, periods=len(values), freq="M").to_timestamp(),
                         "value": np.asarray(values, float)})


def history(q4_2025=(76.0, 77.0, 77.4), after=80.0):
    """2024-01..2026-10: flat 70 until 9/2025, the given Q4/2025, then `after` every month."""
    vals = [70.0] * 21 + list(q4_2025) + [after] * 10
    return monthly(vals)


def forecast_points(start="2026-11", n=24, value=82.0, half80=5.0):
    p = monthly([value] * n, start)
    return p.assign(lo80=value - half80, hi80=value + half80, lo95=value - 2 * half80, hi95=value + 2 * half80)


def test_a_passed_target_is_judged_on_its_own_quarter_and_worded_so():
    v = T.verdict(K, history(), forecast_points())
    assert v.past and v.state == T.MISSED and v.basis == "actual" and v.probability is None
    assert v.value == pytest.approx(76.8) and (v.start, v.end) == (pd.Timestamp("2025-10-01"),
                                                                   pd.Timestamp("2025-12-01"))
    assert verdict_text(v, K, "fi").startswith("12/2025: ei saavutettu, 76,8\u00a0%")
    assert verdict_text(v, K, "en").startswith("12/2025: not met, 76.8\u00a0%")
    assert verdict_label(v, K, "fi")[0] == "■"
    assert "loka–joulukuu 2025" in verdict_text(v, K, "fi", period=True)


def test_later_data_never_changes_a_passed_verdict():
    low_later = T.verdict(K, history(after=60.0))
    high_later = T.verdict(K, history(after=95.0))
    assert low_later.key() == high_later.key() and low_later.state == T.MISSED
    met = T.verdict(K, history(q4_2025=(80.0, 81.0, 82.0), after=60.0))
    assert met.state == T.MET and verdict_text(met, K, "fi").startswith("12/2025: saavutettu, 81,0\u00a0%")


def test_a_path_of_targets_shows_the_passed_one_then_the_next():
    k = replace(K, targets=(Goal(80, "2025-12"), Goal(85, "2027-06"), Goal(90, "2030-12")))
    v = T.verdict(k, history(), forecast_points(value=86.0, half80=4.0))
    assert v.goal == Goal(85, "2027-06") and not v.past and v.previous.state == T.MISSED
    text = verdict_text(v, k, "fi")
    assert text.startswith("12/2025: ei saavutettu, 76,8\u00a0%") and " · seuraava tavoite: Tavoite 85\u00a0%" in text
    assert "6/2027" in text
    # every target passed: the last one is shown
    late = monthly([90.0] * 60, "2026-01")
    last = T.verdict(replace(k, targets=(Goal(80, "2025-12"), Goal(85, "2027-06"))), late)
    assert last.goal == Goal(85, "2027-06") and last.state == T.MET and last.previous is None


def test_the_probability_comes_from_the_forecast_distribution():
    k = replace(K, targets=(Goal(80, "2027-03"),))
    half80 = 5.0
    v = T.verdict(k, history(), forecast_points(value=82.0, half80=half80))
    sd = half80 / stats.norm.ppf(0.9)                   # every judged month from the forecast, fully correlated
    assert v.probability == pytest.approx(stats.norm.cdf((82.0 - 80.0) / sd))
    assert v.state == T.AT_RISK and v.basis == "forecast" and v.value == pytest.approx(82.0)
    sure = T.verdict(k, history(), forecast_points(value=90.0, half80=2.0))
    assert sure.state == T.ON_TRACK and sure.probability > 0.99
    lower = replace(REG["t3_primary"], targets=(Goal(7, "2027-03"),))
    off = T.verdict(lower, history(), forecast_points(value=12.0, half80=1.0))
    assert off.state == T.OFF_TRACK and off.probability < 0.01
    # a quarter that mixes actual and forecast months
    mixed = T.verdict(replace(k, targets=(Goal(80, "2026-12"),)), history(), forecast_points(value=86.0))
    assert mixed.value == pytest.approx((80.0 + 86.0 + 86.0) / 3)


def test_beyond_the_horizon_hidden_months_or_no_forecast_cannot_be_judged():
    k = replace(K, targets=(Goal(80, "2030-12"),))
    assert T.verdict(k, history(), forecast_points()).state == T.UNKNOWN
    assert T.verdict(k, history(), None).basis == "no_forecast"
    hidden = history()
    hidden.loc[22, "value"] = np.nan                     # 11/2025 hidden for privacy
    v = T.verdict(K, hidden)
    assert v.state == T.UNKNOWN and v.past and "kuukausia piilotettu" in verdict_text(v, K, "fi")
    assert T.verdict(REG["contacts_total"], history()) is None          # no target


def test_the_judged_period_a_quarter_a_year_for_money_or_the_targets_own():
    assert T.period_months(K) == 3
    assert T.period_months(REG["net_cost_per_resident"]) == 12 and T.period_months(REG["budget_realisation"]) == 12
    assert T.period_months(K, Goal(80, "2025-12", "month")) == 1
    one = replace(K, targets=(Goal(80, "2025-12", "month"),))
    assert T.verdict(one, history()).value == pytest.approx(77.4)


def test_a_yearly_kpi_is_judged_on_that_year_or_its_trend():
    k = REG["eservice_adults"]                            # yearly only: 35 % by 2025
    years = pd.DataFrame({"period": pd.to_datetime([f"{y}-01-01" for y in range(2019, 2027)]),
                          "value": [19, 21, 24, 27, 30, 33, 36, 38.0]})
    v = T.verdict(k, years)
    assert v.past and v.state == T.MET and v.value == 36
    ahead = T.verdict(replace(k, targets=(Goal(42, "2028-12"),)), years)   # 2022-2026 rise 2.8 a year
    assert ahead.basis == "trend" and ahead.state == T.ON_TRACK and ahead.probability is None
    assert T.verdict(replace(k, targets=(Goal(50, "2028-12"),)), years).state == T.OFF_TRACK


def test_the_registry_takes_a_path_of_dated_targets():
    doc = yaml.safe_load(REGISTRY_FILE.read_text(encoding="utf-8"))
    entry = next(k for k in doc["kpis"] if k["id"] == "care_guarantee_7d")
    entry.pop("target")
    entry["targets"] = [{"value": 80, "date": "2025-12"}, {"value": 85, "date": "2027-12", "period": "year"},
                        {"value": 90, "date": "2030-12"}]
    k = parse(doc)["care_guarantee_7d"]
    assert [g.date for g in k.targets] == ["2025-12", "2027-12", "2030-12"] and k.target.value == 90
    assert k.targets[1].period == "year"
    entry["targets"] = [{"value": 80, "date": "2027-12"}, {"value": 85, "date": "2025-12"}]
    with pytest.raises(RegistryError, match="date order"):
        parse(doc)
    entry["targets"] = [{"value": 80, "date": "2025-12", "period": "fortnight"}]
    with pytest.raises(RegistryError, match="period"):
        parse(doc)
    entry["target"] = {"value": 80, "date": "2025-12"}
    entry["targets"] = [{"value": 80, "date": "2025-12"}]
    with pytest.raises(RegistryError, match="either target or targets"):
        parse(doc)


# --- the same verdict everywhere ---------------------------------------------------------------------------
TARGETED = [k for k in REG.kpis.values() if k.targets]
COUNTY = "KS"


@pytest.fixture(scope="module")
def expected(duck):
    """Every targeted KPI's verdict for the county, straight from metrics (the board-pack path uses the same)."""
    at = AppTest.from_file(APP, default_timeout=300).run()
    version = at.session_state["data_version"]
    f = Filters(year=2026, county=COUNTY)
    return version, {k.id: verdict_label(kpi_verdict(duck, k, f, version, 2026), k, "fi") for k in TARGETED}


def _open(page):
    at = AppTest.from_file(APP, default_timeout=300).run()
    at.sidebar.selectbox(key="f_county").set_value(COUNTY).run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def _shown(text: str) -> str:
    """A caption's markdown ':red[■] words' as the plain label '■ words'."""
    import re
    return re.sub(r":[a-z]+\[(.)\] ", r"\1 ", text)


def test_every_kpi_gets_the_same_verdict_on_every_page_and_in_the_board_pack(expected, duck):
    version, want = expected
    assert len(want) >= 10 and any(w.startswith("■ 12/2025: ei saavutettu") or w.startswith("● 12/2025: saavutettu")
                                   for w in want.values())
    name = {k.name_fi: k.id for k in TARGETED}

    strategic = _open("pages/strategic.py")            # the strategy table: one verdict column, no second light
    table = strategic.table[-1].value
    assert "Tavoitearvio" in table.columns and not {"Tila", "Ennuste"} & set(table.columns)
    assert {name[n]: v for n, v in zip(table["Mittari"], table["Tavoitearvio"])} == want
    cards = [_shown(c.value).split(" · ")[0] for c in strategic.caption if c.value.startswith(":")]
    for k in REG.by_level("strategic"):
        if k.targets:
            assert any(c == want[k.id] or c.startswith(want[k.id][:40]) for c in cards), (k.id, cards)

    fc = _open("pages/forecast.py")                    # the all-indicators table of Ennusteet
    glance = fc.table[-1].value
    for n, v in zip(glance["Mittari"], glance["Tavoitearvio"]):
        if n in name:
            assert v == want[name[n]], n

    detail = _open("pages/kpi_detail.py")              # Mittarin tiedot: the facts table and the caption
    for k in TARGETED:
        detail.selectbox(key="detail_kpi").set_value(k.id).run()
        facts = detail.table[0].value
        row = facts[facts.iloc[:, 0] == "Tavoitearvio"].iloc[0, 1]
        assert row == want[k.id], k.id
        assert any(_shown(c.value) == f"Tavoitearvio: {want[k.id]}" for c in detail.caption), k.id

    from app.exports import slides_from_engine        # the board pack, built straight from the warehouse
    from ui.board_pack import PackItem
    slides = slides_from_engine(duck, [PackItem(k.id, "card") for k in TARGETED],
                                Filters(year=2026, months=(1, 10), county=COUNTY), "Keski-Suomi")
    for s in slides:
        assert f"Tavoitearvio: {want[s.kpi.id]}." in s.caption, s.kpi.id


# --- the rule on dictionaries (metrics.targets._monthly) is the rule it was on pandas indexes ---------------------
def _reference_monthly(kpi, goal, actual, points, last, registry):
    """metrics.targets._monthly as it was written on pandas (reindex, loc) before it looked months up in
    dictionaries: kept here to hold the faster one to the same verdicts."""
    def month(ts):
        return pd.Timestamp(ts).to_period("M").to_timestamp()

    def index(df):
        return pd.DatetimeIndex(pd.to_datetime(df["period"])).to_period("M").to_timestamp()

    n = T.period_months(kpi, goal, registry)
    end = month(f"{goal.date}-01")
    start = end - pd.DateOffset(months=n - 1)
    window = pd.date_range(start, end, freq="MS")
    act = actual.set_index(index(actual))
    base = dict(kpi_id=kpi.id, goal=goal, start=start, end=end, months=n)
    if end <= last:
        vals = act.reindex(window)
        if vals["value"].isna().any():
            return T.Verdict(**base, state=T.UNKNOWN, value=None, probability=None, past=True, basis="hidden")
        value = float(vals["value"].mean())
        return T.Verdict(**base, state=T.MET if T._meets(value, goal, kpi.direction) else T.MISSED, value=value,
                         probability=None, past=True, basis="actual")
    if points is None or points.empty:
        return T.Verdict(**base, state=T.UNKNOWN, value=None, probability=None, past=False, basis="no_forecast")
    fc = points.set_index(index(points))
    if end > fc.index.max():
        return T.Verdict(**base, state=T.UNKNOWN, value=None, probability=None, past=False, basis="beyond")
    known = [m for m in window if m <= last]
    ahead = [m for m in window if m > last]
    known_vals = act.reindex(known)["value"]
    if known_vals.isna().any() or any(m not in fc.index for m in ahead):
        return T.Verdict(**base, state=T.UNKNOWN, value=None, probability=None, past=False, basis="hidden")
    f = fc.loc[ahead]
    value = float((known_vals.sum() + f["value"].sum()) / n)
    sd = float(((f["hi80"] - f["lo80"]) / (2 * T.Z80)).sum() / n)
    gap = (value - goal.value) if kpi.direction == "higher" else (goal.value - value)
    prob = float(stats.norm.cdf(gap / sd)) if sd > 0 else (1.0 if gap >= 0 else 0.0)
    state = T.ON_TRACK if prob >= T.LIKELY else T.AT_RISK if prob >= T.UNLIKELY else T.OFF_TRACK
    return T.Verdict(**base, state=state, value=value, probability=prob, past=False, basis="forecast")


def _reference_verdict(kpi, actual, points):
    goals = kpi.targets
    if not goals or kpi.direction not in ("higher", "lower") or actual is None or actual.empty:
        return None
    if actual.dropna(subset=["value"]).empty:
        return None
    last = pd.Timestamp(pd.to_datetime(actual["period"]).max()).to_period("M").to_timestamp()
    judged = [_reference_monthly(kpi, g, actual, points, last, REG) for g in goals]
    passed = [v for v in judged if v.past]
    ahead = [v for v in judged if not v.past]
    if not ahead:
        return passed[-1]
    return T.Verdict(**{**ahead[0].__dict__, "previous": passed[-1]}) if passed else ahead[0]


def test_the_rule_on_month_numbers_gives_the_verdicts_the_pandas_rule_gave():
    """Random histories (hidden months, gaps, NaN forecasts, short and long forecasts) and paths of targets, past,
    straddling the last month and beyond the horizon, for a quarter, a year and a month, higher and lower: the
    same verdicts, the values and probabilities to the last bit."""
    rng = np.random.default_rng(19)
    kpis = [K, REG["t3_primary"], replace(K, annualize=True)]
    seen = set()
    for case in range(400):
        n = int(rng.integers(1, 40))
        start = pd.Timestamp(2022, 1, 1) + pd.DateOffset(months=int(rng.integers(0, 24)))
        actual = monthly(rng.normal(75, 8, n).round(int(rng.integers(0, 4))), start.strftime("%Y-%m"))
        if rng.random() < 0.4:
            actual.loc[rng.choice(n, size=int(rng.integers(1, max(2, n // 4))), replace=False), "value"] = np.nan
        if rng.random() < 0.2 and n > 3:
            actual = actual.drop(index=int(rng.integers(1, n - 1))).reset_index(drop=True)    # a month missing
        last = actual["period"].max()
        points = None
        if rng.random() < 0.85:
            h = int(rng.integers(0, 30))
            points = forecast_points((last + pd.DateOffset(months=1)).strftime("%Y-%m"), h,
                                     float(rng.normal(78, 5)), float(abs(rng.normal(4, 3))))
            if h and rng.random() < 0.2:
                points.loc[int(rng.integers(0, h)), "value"] = np.nan
        goals = []
        for _ in range(int(rng.integers(1, 4))):
            when = last + pd.DateOffset(months=int(rng.integers(-14, 30)))
            goals.append(Goal(float(rng.normal(76, 6)), when.strftime("%Y-%m"),
                              period=rng.choice([None, "month", "quarter", "year"])))
        goals.sort(key=lambda g: g.date)
        kpi = replace(kpis[case % len(kpis)], targets=tuple(goals))
        got, want = T.verdict(kpi, actual, points), _reference_verdict(kpi, actual, points)
        assert (got is None) == (want is None), case
        if got is not None:
            assert got == want, (case, got, want)
            seen.add((got.state, got.basis))
    # every branch of the rule was exercised
    assert {s for s, _ in seen} >= {T.MET, T.MISSED, T.ON_TRACK, T.AT_RISK, T.OFF_TRACK, T.UNKNOWN}
    assert {b for _, b in seen} >= {"actual", "forecast", "hidden", "no_forecast", "beyond"}
