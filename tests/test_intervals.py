"""metrics/intervals.py against published worked examples and numbers worked out by hand."""
import math

import numpy as np
import pytest

from data_sources.schema import AGE_GROUPS
from metrics import intervals as iv


# --- Wilson score interval: Newcombe (1998), Statistics in Medicine 17:857-872, Table I, method 3 --------------
@pytest.mark.parametrize("k,n,lo,hi", [
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0000, 0.1611),
    (1, 29, 0.0061, 0.1718),
])
def test_wilson_matches_newcombe(k, n, lo, hi):
    a, b = iv.wilson(k, n)
    assert float(a) == pytest.approx(lo, abs=5e-5)
    assert float(b) == pytest.approx(hi, abs=5e-5)


def test_wilson_rejects_impossible_shares():
    a, b = iv.wilson([5, 3, 1], [0, 2, -1])
    assert np.isnan(a).all() and np.isnan(b).all()


# --- exact Poisson (Garwood 1936): the standard table of 95 % limits (e.g. Ulm 1990, Am J Epidemiol 131:373) ----
@pytest.mark.parametrize("o,lo,hi", [
    (0, 0.0, 3.6889), (1, 0.0253, 5.5716), (5, 1.6235, 11.6683), (10, 4.7954, 18.3904),
])
def test_poisson_exact_matches_the_table(o, lo, hi):
    a, b = iv.poisson_exact(o)
    assert float(a) == pytest.approx(lo, abs=1e-4)
    assert float(b) == pytest.approx(hi, abs=1e-4)


def test_byar_is_close_to_exact_and_matches_its_formula():
    # Byar for O = 10 by hand: 10 (1 - 1/90 - 1.959964 / (3 sqrt 10))^3 and 11 (1 - 1/99 + 1.959964 / (3 sqrt 11))^3
    z = 1.959963985
    lo = 10 * (1 - 1 / 90 - z / (3 * math.sqrt(10))) ** 3
    hi = 11 * (1 - 1 / 99 + z / (3 * math.sqrt(11))) ** 3
    a, b = iv.poisson_byar(10)
    assert (float(a), float(b)) == pytest.approx((lo, hi), abs=1e-6)
    assert (float(a), float(b)) == pytest.approx((4.7954, 18.3904), abs=0.01)   # close to the exact limits
    assert float(iv.poisson_byar(0)[0]) == 0.0


def test_rate_interval_divides_the_count_interval():
    lo, hi = iv.rate_interval(10, 2000, scale=1000)
    assert (float(lo), float(hi)) == pytest.approx((4.7954 / 2, 18.3904 / 2), abs=1e-4)
    assert np.isnan(iv.rate_interval(10, 0)[0])


# --- the gamma interval of a directly standardised rate: Fay and Feuer (1997), Table II (Down's syndrome, birth
# order 5+, Michigan 1950-64), as reproduced by R dsrTest's vignette: 75.52901 (67.70212, 188.30017) per 100 000 --
def test_dsr_gamma_matches_fay_feuer():
    cases = [0, 8, 63, 112, 262, 295]
    births = [327, 30666, 123419, 149919, 104088, 34392]
    standard = np.array([319933, 931318, 786511, 488235, 237863, 61313], dtype=float)
    rate, lo, hi = iv.dsr(cases, births, standard / standard.sum(), scale=1e5)
    assert rate == pytest.approx(75.52901, abs=1e-5)
    assert lo == pytest.approx(67.70212, abs=1e-5)
    assert hi == pytest.approx(188.30017, abs=1e-5)


def test_dsr_of_one_stratum_is_the_exact_poisson_rate():
    rate, lo, hi = iv.dsr([10], [2000], [1.0], scale=1000)
    assert rate == pytest.approx(5.0)
    assert (lo, hi) == pytest.approx((4.7954 / 2, 18.3904 / 2), abs=1e-4)


def test_direct_standardisation_worked_by_hand():
    # Two age groups, standard weights 3/4 and 1/4. Area A: 20 events among 1 000 young, 30 among 500 old.
    # Age-specific rates 0.02 and 0.06; DSR = 0.75 * 0.02 + 0.25 * 0.06 = 0.03, per 1 000: 30.
    # Crude: 50 / 1 500 = 33.3 per 1 000 (A is older than the standard).
    rate, lo, hi = iv.dsr([20, 30], [1000, 500], [0.75, 0.25], scale=1000)
    assert rate == pytest.approx(30.0)
    assert lo < rate < hi
    # variance by hand: sum (w_i / n_i)^2 x_i = (0.00075)^2 * 20 + (0.0005)^2 * 30 = 1.125e-5 + 7.5e-6
    y, v = 0.03, 0.00075 ** 2 * 20 + 0.0005 ** 2 * 30
    from scipy import stats
    assert lo == pytest.approx(stats.gamma.ppf(0.025, y * y / v, scale=v / y) * 1000, rel=1e-12)
    # an age group without residents drops out and the rest is renormalised
    assert iv.dsr([20, 30, 0], [1000, 500, 0], [0.375, 0.125, 0.5], scale=1000)[0] == pytest.approx(30.0)


def test_esp2013_collapsed_to_the_six_groups():
    assert tuple(iv.ESP2013) == AGE_GROUPS
    assert sum(iv.ESP2013.values()) == 100_000
    # the 5-year bands of ESP 2013, each spread evenly over its single years
    bands = [1000, 4000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000, 7000, 6500, 6000, 5500, 5000, 4000,
             2500, 1500, 800, 200]                       # <1, 1-4, 5-9, ..., 90-94, 95+
    per_year = [bands[0]] + [bands[1] / 4] * 4 + [b / 5 for b in bands[2:20] for _ in range(5)] + [bands[20]]
    groups = {"0-6": range(0, 7), "7-12": range(7, 13), "13-17": range(13, 18), "18-64": range(18, 65),
              "65-74": range(65, 75), "75+": range(75, 96)}
    for g, ages in groups.items():
        assert iv.ESP2013[g] == pytest.approx(sum(per_year[a] for a in ages)), g
    w = iv.standard_weights(["18-64", "75+"], iv.ESP2013)
    assert w == pytest.approx([61200 / 70200, 9000 / 70200])


# --- funnel limits (Spiegelhalter 2005, Stat Med 24:1185, appendix A.1.1: interpolated discrete quantiles) ------
def test_funnel_binomial_limits_by_hand():
    # n = 2, p0 = 0.5: F(0) = .25, F(1) = .75, F(2) = 1. Upper 97.5 %: r = 2, alpha = (1 - .975)/(1 - .75) = 0.1,
    # limit (2 - 0.1) / 2 = 0.95. Lower 2.5 %: r = 0, alpha = (.25 - .025)/.25 = 0.9, (0 - 0.9)/2 < 0 -> 0.
    lim = iv.funnel_limits(0.5, [2], "proportion")
    lo, hi = lim[0.95]
    assert float(hi[0]) == pytest.approx(0.95)
    assert float(lo[0]) == 0.0


def test_funnel_poisson_limits_by_hand():
    # mean 1: F(2) = 5e^-1 = .919699, F(3) = 8/3 e^-1 = .981012; upper 97.5 %: r = 3,
    # alpha = (.981012 - .975) / (.981012 - .919699) = 0.098055; limit 2.901945
    e = math.exp(-1)
    f2, f3 = 2.5 * e, 8 / 3 * e
    expected = 3 - (f3 - 0.975) / (f3 - f2)
    hi = iv.funnel_limits(1.0, [1.0], "rate")[0.95][1]
    assert float(hi[0]) == pytest.approx(expected, abs=1e-9)


def test_funnel_limits_approach_the_normal_ones_for_large_units():
    n = 1_000_000
    lim = iv.funnel_limits(0.3, [n], "proportion")
    for level, z in ((0.95, 1.959964), (0.998, 3.090232)):
        half = z * math.sqrt(0.3 * 0.7 / n)
        assert float(lim[level][0][0]) == pytest.approx(0.3 - half, abs=2e-6)
        assert float(lim[level][1][0]) == pytest.approx(0.3 + half, abs=2e-6)
    rate = iv.funnel_limits(0.01, [n], "rate", scale=1000)       # 10 per 1 000, 10 000 events expected
    half = 3.090232 * math.sqrt(0.01 / n) * 1000
    assert float(rate[0.998][1][0]) == pytest.approx(10 + half, abs=0.01)


def test_funnel_narrows_with_size_and_998_is_wider():
    lim = iv.funnel_limits(0.2, [50, 500, 5000], "proportion")
    width95 = lim[0.95][1] - lim[0.95][0]
    width998 = lim[0.998][1] - lim[0.998][0]
    assert (np.diff(width95) < 0).all() and (width998 > width95).all()
    with pytest.raises(ValueError):
        iv.funnel_limits(0.2, [50], "mean")


# --- significance flags on a constructed case -------------------------------------------------------------------
def test_flags_need_the_whole_interval_on_one_side():
    lo = [11, 5, 9, 1, np.nan, 10]
    hi = [14, 9, 12, 9.9, 3, 12]
    flags = iv.compare_to(lo, hi, 10)
    assert list(flags) == ["above", "below", "same", "below", "none", "same"]   # touching the benchmark is "same"
    assert list(iv.compare_to([1], [2], np.nan)) == ["none"]
    assert iv.judged("above", "higher") == "better"
    assert iv.judged("above", "lower") == "worse"
    assert iv.judged("below", "lower") == "better"
    assert iv.judged("below", "neutral") == "below"
    assert iv.judged("same", "higher") == "same"


def test_overdispersion_factor_by_hand():
    # ten units of 100 around 0.5 (se 0.05) with z-scores -3, -2, -1, -0.5, 0, 0, 0.5, 1, 2, 3: winsorised at the
    # 10th and 90th percentiles (-2.1 and 2.1), phi = (2 * 2.1^2 + 2 * 2^2 + 2 * 1 + 2 * 0.25) / 10 = 1.932
    z = np.array([-3, -2, -1, -0.5, 0, 0, 0.5, 1, 2, 3])
    phi, significant = iv.overdispersion(0.5 + 0.05 * z, 0.5, [100] * 10, "proportion")
    assert phi == pytest.approx(1.932)
    assert significant == (10 * 1.932 > 16.919)          # chi-square 95 % with 9 df: 16.919
    wide = iv.funnel_limits(0.5, [100], "proportion", phi=4.0)
    assert float(wide[0.95][1][0]) == pytest.approx(0.5 + 1.959964 * 2 * 0.05, abs=1e-6)
    assert iv.overdispersion([0.5, 0.5], 0.5, [100, 100], "proportion") == (1.0, False)   # too few units
