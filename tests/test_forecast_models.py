"""The forecasting models on series whose truth we know: multiplicative seasonality is recognised, intervals
widen with the horizon and are calibrated on a known distribution, near-ties go to the robust choice, and short,
gappy, zero or flat series fall back honestly instead of raising."""
import numpy as np
import pandas as pd
import pytest

from metrics import forecast_models as FM

MULTIPLICATIVE = {m for m, (_, season, log) in FM.ETS_SPECS.items() if season == "M" or log}


def frame(y, start="2018-01"):
    return pd.DataFrame({"period": pd.period_range(start, periods=len(y), freq="M").to_timestamp(), "value": y})


def growing_seasonal(n=120, seed=0, noise=0.03):
    """Level growing 1.5 % a month, a seasonal swing of ±35 % of the level, multiplicative noise."""
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    level = 100 * 1.015 ** t
    season = 1 + 0.35 * np.sin(2 * np.pi * t / 12)
    return level * season * np.exp(rng.normal(0, noise, n))


def test_a_multiplicative_series_gets_a_multiplicative_or_log_model():
    for seed in range(3):
        fc = FM.forecast(frame(growing_seasonal(seed=seed)), horizon=12, lower_bound=0)
        members = set(fc.members) if fc.model == "combo" else {fc.model}
        assert members <= MULTIPLICATIVE, (seed, fc.model, fc.members)
        additive = next(b for b in fc.backtests if b.model == "ets_AAdA")
        assert fc.chosen.mase < additive.mase            # it earns its place over the additive form


def test_interval_width_grows_with_the_horizon():
    y = growing_seasonal(seed=5, noise=0.05)
    for models in (None, {"ets_AAdA"}, {"log_AAdA"}, {"seasonal_naive"}, {"drift"}):
        f = FM.forecast(frame(y), horizon=24, lower_bound=None, models=models).frame
        rel80 = ((f.hi80 - f.lo80) / f.value).to_numpy()        # relative: the level itself grows too
        assert rel80[11] > rel80[0] and rel80[23] > rel80[11], models
        assert (f.lo95 <= f.lo80).all() and (f.lo80 <= f.value).all() and (f.hi80 <= f.hi95).all()


def test_intervals_are_never_narrower_than_the_models_own():
    y = growing_seasonal(seed=2)
    fc = FM.forecast(frame(y), horizon=12, lower_bound=None)
    assert fc.coverage[0.8] >= 1.2815 and fc.coverage[0.95] >= 1.9599


def test_coverage_on_a_known_distribution_lands_within_the_tolerance():
    """Trend + season + Gaussian noise (sd 4): over 40 series the 80 % interval holds 70-90 % of the next 12
    months and the 95 % interval at least 88 %."""
    inside80, inside95 = [], []
    for seed in range(40):
        rng = np.random.default_rng(100 + seed)
        t = np.arange(96 + 12)
        y = 200 + 0.4 * t + 15 * np.sin(2 * np.pi * t / 12) + rng.normal(0, 4, len(t))
        f = FM.forecast(frame(y[:96]), horizon=12, lower_bound=None).frame
        actual = y[96:]
        inside80.extend((actual >= f.lo80) & (actual <= f.hi80))
        inside95.extend((actual >= f.lo95) & (actual <= f.hi95))
    assert 0.70 <= np.mean(inside80) <= 0.90, np.mean(inside80)
    assert np.mean(inside95) >= 0.88, np.mean(inside95)


def test_near_ties_go_to_the_more_robust_choice():
    assert FM.robustness("combo") < FM.robustness("ets_AAdM") < FM.robustness("ets_ANA") \
        < FM.robustness("ets_AAA") < FM.robustness("drift") < FM.robustness("seasonal_naive")
    # a pure repeating pattern: every seasonal model and the naive are exact, a tie the naive does not win
    season = np.tile([5, 7, 9, 12, 15, 18, 20, 19, 15, 11, 8, 6], 8).astype(float) * 10
    fc = FM.forecast(frame(season), horizon=12)
    assert fc.model != "seasonal_naive" and fc.baseline.mase == 0


def test_selection_uses_at_least_three_origins():
    y = growing_seasonal(n=94)
    cuts = FM.origins(len(y))
    assert len(cuts) >= FM.MIN_ORIGINS and all(c >= FM.MIN_TRAIN for c in cuts)
    fc = FM.forecast(frame(y), horizon=12)
    assert all(b.n == len(cuts) * FM.BACKTEST_HORIZON for b in fc.backtests)


@pytest.mark.parametrize("n,model,reason", [(18, "mean12", "short"), (30, "seasonal_naive", "short_cv"),
                                            (41, "seasonal_naive", "short_cv")])
def test_short_series_get_the_simplest_honest_forecast_with_a_reason(n, model, reason):
    fc = FM.forecast(frame(growing_seasonal(n=n)), horizon=24)
    assert (fc.model, fc.reason) == (model, reason)
    assert len(fc.frame) == 24 and fc.frame[["value", "lo80", "hi95"]].notna().all().all()


def test_series_that_cannot_be_forecast_give_none_never_an_exception():
    assert FM.forecast(frame(growing_seasonal(n=11))) is None                    # under a year
    y = frame(growing_seasonal())
    assert FM.forecast(y.drop(index=[40])) is None                               # a gap
    y.loc[50, "value"] = np.nan
    assert FM.forecast(y) is None                                                # a hidden month


def test_zero_negative_and_flat_series_fall_back_to_additive_models():
    with_zero = growing_seasonal()
    with_zero[30] = 0.0
    fc = FM.forecast(frame(with_zero), horizon=12, lower_bound=0)
    assert not ({b.model for b in fc.backtests} & MULTIPLICATIVE)               # no log or ratio of zero
    assert np.isfinite(fc.frame[["value", "lo95", "hi95"]].to_numpy()).all()
    flat = FM.forecast(frame(np.full(60, 7.0)), horizon=12)
    assert np.allclose(flat.frame.value, 7.0) and np.allclose(flat.frame.hi95, 7.0, atol=1e-6)
    negative = FM.forecast(frame(np.linspace(-50, 50, 72)), horizon=12, lower_bound=None)
    assert negative.frame.value.iloc[-1] > 50


def test_fit_and_backtest_take_well_under_a_second():
    import time
    y = growing_seasonal(n=120)
    FM.forecast(frame(y), horizon=24)                                            # warm the grids
    t0 = time.perf_counter()
    for _ in range(5):
        FM.forecast(frame(y), horizon=24)
    assert (time.perf_counter() - t0) / 5 < 1.0
