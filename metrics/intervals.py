"""Interval statistics for comparing areas, as public-health profiles compute them (England's Fingertips, THL
Sotkanet): Wilson score intervals for shares, exact Poisson (Garwood) or Byar intervals for counts and rates,
directly age-standardised rates with the gamma interval of Fay and Feuer (1997), Spiegelhalter's funnel-plot
control limits, and the flag "significantly above / below a benchmark". Pure functions on numbers or numpy
arrays; NaN in, NaN out."""
from __future__ import annotations

import numpy as np
from scipy import stats

Z95 = stats.norm.ppf(0.975)          # 1.959964...
LEVEL = 0.95
FUNNEL_LEVELS = (0.95, 0.998)        # Spiegelhalter: about 2 and 3 standard deviations

# The European Standard Population 2013 (Eurostat 2013, 5-year bands, 100 000 in all) collapsed to the demo's
# six age groups (data_sources.schema.AGE_GROUPS), each band spread evenly over its single years of age:
# 0-6 = 1 000 + 4 000 + 2/5 * 5 500; 7-12 = 3/5 * 5 500 + 3/5 * 5 500; 13-17 = 2/5 * 5 500 + 3/5 * 5 500;
# 18-64 = 2/5 * 5 500 + 6 000 + 6 000 + 6 500 + 4 * 7 000 + 6 500 + 6 000; 65-74 = 5 500 + 5 000;
# 75+ = 4 000 + 2 500 + 1 500 + 800 + 200.
ESP2013 = {"0-6": 7200.0, "7-12": 6600.0, "13-17": 5500.0, "18-64": 61200.0, "65-74": 10500.0, "75+": 9000.0}


def _arr(x) -> np.ndarray:
    return np.asarray(x, dtype=float)


def _z(level: float) -> float:
    return float(stats.norm.ppf(0.5 + level / 2))


def wilson(k, n, level: float = LEVEL) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of a proportion k/n (no continuity correction; Newcombe 1998, method 3)."""
    k, n = _arr(k), _arr(n)
    z = _z(level)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z / (1 + z * z / n) * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    bad = ~(n > 0) | (k < 0) | (k > n)
    return np.where(bad, np.nan, np.clip(centre - half, 0, 1)), np.where(bad, np.nan, np.clip(centre + half, 0, 1))


def poisson_exact(count, level: float = LEVEL) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood 1936) interval of a Poisson count: chi-square quantiles, 0 below when nothing is counted."""
    o = _arr(count)
    a = 1 - level
    with np.errstate(invalid="ignore"):
        lo = np.where(o > 0, stats.chi2.ppf(a / 2, 2 * o) / 2, 0.0)
        hi = stats.chi2.ppf(1 - a / 2, 2 * o + 2) / 2
    bad = ~(o >= 0)
    return np.where(bad, np.nan, lo), np.where(bad, np.nan, hi)


def poisson_byar(count, level: float = LEVEL) -> tuple[np.ndarray, np.ndarray]:
    """Byar's approximation to the exact Poisson interval (the one Fingertips uses for counts and crude rates)."""
    o = _arr(count)
    z = _z(level)
    with np.errstate(divide="ignore", invalid="ignore"):
        lo = np.where(o > 0, o * (1 - 1 / (9 * o) - z / (3 * np.sqrt(o))) ** 3, 0.0)
        hi = (o + 1) * (1 - 1 / (9 * (o + 1)) + z / (3 * np.sqrt(o + 1))) ** 3
    bad = ~(o >= 0)
    return np.where(bad, np.nan, lo), np.where(bad, np.nan, hi)


def rate_interval(count, denominator, scale: float = 1.0, level: float = LEVEL) -> tuple[np.ndarray, np.ndarray]:
    """Interval of a crude rate count / denominator * scale: the exact Poisson interval of the count, divided."""
    lo, hi = poisson_exact(count, level)
    with np.errstate(divide="ignore", invalid="ignore"):
        d = _arr(denominator)
        ok = d > 0
        return np.where(ok, lo / d * scale, np.nan), np.where(ok, hi / d * scale, np.nan)


def standard_weights(groups, standard: dict[str, float]) -> np.ndarray:
    """The standard population's shares over the given age groups (renormalised to sum 1 over them)."""
    w = np.array([standard.get(g, np.nan) for g in groups], dtype=float)
    return w / np.nansum(w)


def dsr(counts, populations, weights, scale: float = 1.0, level: float = LEVEL) -> tuple[float, float, float]:
    """A directly standardised rate sum_i w_i x_i / n_i (weights summing to 1) and its gamma interval (Fay and
    Feuer 1997): the rate's distribution is approximated by a gamma with its mean and variance, the upper limit
    widened by the largest per-event weight. An age group without population adds nothing (its weight is
    dropped and the rest renormalised)."""
    x, n, w = _arr(counts), _arr(populations), _arr(weights)
    keep = n > 0
    if not keep.any() or np.isnan(x[keep]).any():
        return np.nan, np.nan, np.nan
    x, n, w = x[keep], n[keep], w[keep] / w[keep].sum()
    wi = w / n                               # the weight of one event in each age group
    y, lo, hi = gamma_interval(np.sum(wi * x), np.sum(wi * wi * x), wi.max(), level)
    return float(y) * scale, float(lo) * scale, float(hi) * scale


def gamma_interval(y, v, wm, level: float = LEVEL) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fay and Feuer's gamma interval from a weighted sum of Poisson counts y = sum w_i x_i, its variance
    estimate v = sum w_i^2 x_i and the largest weight wm (vectorised: many areas at once)."""
    y, v, wm = _arr(y), _arr(v), _arr(wm)
    a = 1 - level
    with np.errstate(divide="ignore", invalid="ignore"):
        lo = np.where((y > 0) & (v > 0), stats.gamma.ppf(a / 2, y * y / v, scale=v / y), 0.0)
        hi = stats.gamma.ppf(1 - a / 2, (y + wm) ** 2 / (v + wm * wm), scale=(v + wm * wm) / (y + wm))
    return y, lo, hi


def _interpolated_quantile(cdf, ppf, p: float, *args) -> np.ndarray:
    """Spiegelhalter (2005) appendix A.1.1: the discrete quantile r_p, less the interpolation
    (F(r_p) - p) / (F(r_p) - F(r_p - 1)), so the limits are smooth in the denominator."""
    r = ppf(p, *args)
    f_r, f_below = cdf(r, *args), cdf(r - 1, *args)
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = np.where(f_r > f_below, (f_r - p) / (f_r - f_below), 0.0)
    return r - alpha


def _se(target: float, n: np.ndarray, kind: str) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.sqrt((target * (1 - target) if kind == "proportion" else target) / n)


def overdispersion(values, target: float, denominators, kind: str, winsor: float = 0.1) -> tuple[float, bool]:
    """Spiegelhalter's (2005, section 3.2.1) multiplicative over-dispersion factor phi: the mean squared z-score of
    the units against the target, the z-scores first winsorised at the 10th and 90th percentiles so that the
    outliers being looked for do not inflate it; and whether it is significant (I * phi above the 95 % point of
    chi-square with I - 1 degrees of freedom). `values` in the target's units (a share, or events per unit)."""
    y, n = _arr(values), _arr(denominators)
    ok = np.isfinite(y) & (n > 0)
    if ok.sum() < 3 or not np.isfinite(target) or target <= 0 or (kind == "proportion" and target >= 1):
        return 1.0, False
    z = (y[ok] - target) / _se(target, n[ok], kind)
    lo, hi = np.quantile(z, [winsor, 1 - winsor])
    phi = float(np.mean(np.clip(z, lo, hi) ** 2))
    return phi, bool(ok.sum() * phi > stats.chi2.ppf(0.95, ok.sum() - 1))


def funnel_limits(target: float, denominators, kind: str, levels=FUNNEL_LEVELS, scale: float = 1.0,
                  phi: float = 1.0) -> dict:
    """Control limits around `target` for units of size `denominators` (Spiegelhalter 2005): `kind` "proportion"
    (target a share in 0..1, binomial) or "rate" (target events per unit of denominator, Poisson). Returns
    {level: (lower, upper)} in the target's units times `scale`. With an over-dispersion factor phi > 1 the limits
    are the normal ones widened by sqrt(phi): target +- z sqrt(phi) se."""
    n = _arr(denominators)
    out = {}
    for level in levels:
        lo_p, hi_p = (1 - level) / 2, 1 - (1 - level) / 2
        if phi > 1:
            half = _z(level) * np.sqrt(phi) * _se(target, n, kind)
            lo, hi = np.clip(target - half, 0, None), target + half
            if kind == "proportion":
                hi = np.clip(hi, 0, 1)
        elif kind == "proportion":
            n_int = np.maximum(np.round(n), 1)
            lo = _interpolated_quantile(stats.binom.cdf, stats.binom.ppf, lo_p, n_int, target) / n_int
            hi = _interpolated_quantile(stats.binom.cdf, stats.binom.ppf, hi_p, n_int, target) / n_int
            lo, hi = np.clip(lo, 0, 1), np.clip(hi, 0, 1)
        elif kind == "rate":
            mu = target * n
            with np.errstate(divide="ignore", invalid="ignore"):
                lo = _interpolated_quantile(stats.poisson.cdf, stats.poisson.ppf, lo_p, mu) / n
                hi = _interpolated_quantile(stats.poisson.cdf, stats.poisson.ppf, hi_p, mu) / n
            lo = np.clip(lo, 0, None)
        else:
            raise ValueError(f"unknown funnel kind {kind!r}")
        out[level] = (lo * scale, hi * scale)
    return out


ABOVE, BELOW, SAME, NO_TEST = "above", "below", "same", "none"


def compare_to(lo, hi, benchmark) -> np.ndarray:
    """Where each interval lies against the benchmark: wholly above, wholly below, overlapping it ("same"), or
    "none" when there is no interval or no benchmark (a suppressed cell, a KPI that is not a count)."""
    lo, hi, b = _arr(lo), _arr(hi), _arr(benchmark)
    out = np.full(np.broadcast(lo, hi, b).shape, SAME, dtype=object)
    out[lo > b] = ABOVE
    out[hi < b] = BELOW
    out[np.isnan(lo) | np.isnan(hi) | np.isnan(b)] = NO_TEST
    return out


def judged(flag: str, direction: str) -> str:
    """A flag in the KPI's own terms: above/below become better/worse when higher or lower is better."""
    if flag not in (ABOVE, BELOW) or direction not in ("higher", "lower"):
        return flag
    return "better" if (flag == ABOVE) == (direction == "higher") else "worse"
