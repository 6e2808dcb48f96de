"""Cold page and filter change, AppTest script time, on a warehouse (scale 10 for the issue's goals): each page run
first the way it was before issue 19 (facts only, no chart-spec cache, no query result cache; baseline) and then
the new way (monthly rollups, cached chart specs, the result cache with the region's reads split by county), caches
emptied before each cold run, in the same process, with the ratio.

    .venv/bin/python -m data_sources.demo --url duckdb:///data/bench_s10.duckdb --scale 10
    .venv/bin/python bench/pages.py --url duckdb:///data/bench_s10.duckdb
    .venv/bin/python bench/pages.py --url postgresql+psycopg://postgres@127.0.0.1/test --schema bench_s10

cold = the first view of a page with empty caches; filter = the county changed on that page (KH) right after; cpu =
the same two in CPU seconds of the process (steadier than wall time on a shared machine); warmed = the same two
after the warm-up the background job runs for a new data version (app/warmup.py: whole region and each county at
the default period).
The baseline does not include the old engine's SingletonThreadPool (single-threaded AppTest does not need it).
With --reps N each cell is the median of N runs, old and new paths alternating (a shared 2-core machine varies by
up to 1.8x between runs; the minimum is printed beside it in brackets).
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = ("overview", "strategic", "tactical", "operational", "child_budget", "kpi_detail")


def one(page: str, fast: bool, warmed: bool = False) -> tuple[float, float, float, float]:
    """(cold, filter change) wall seconds and the same in CPU seconds of this process (DuckDB's threads included)."""
    from streamlit.testing.v1 import AppTest

    from app import state, warmup
    from metrics import engine as metric_engine
    from metrics.engine import Filters
    from ui import charts

    metric_engine.USE_ROLLUPS = fast
    metric_engine.RESULT_CACHE = fast   # nor the query result cache and the reads split by county
    charts.SPEC_CACHE = fast
    charts.VALIDATE = not fast          # the baseline validates every spec, as the app did before
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=600)
    at.switch_page("pages/deficit.py").run()    # AppTest's own first-run work (component scan, ~0.8 s): not timed
    state.clear_caches()
    if warmed:                                  # what the background job does after a new data version (untimed)
        version = state.data_version()[0]
        year = state.latest_month(version)[0]
        counties = sorted(state.municipalities(version).county_code.unique())
        warmup.warm(version, [Filters(year=year)] + [Filters(year=year, county=c) for c in counties])
    at.switch_page(f"pages/{page}.py")
    t0, c0 = time.perf_counter(), time.process_time()
    at.run()
    cold, cold_cpu = time.perf_counter() - t0, time.process_time() - c0
    if at.exception:
        raise SystemExit(f"{page}: {at.exception[0].message}")
    t0, c0 = time.perf_counter(), time.process_time()
    at.sidebar.selectbox(key="f_county").set_value("KH").run()
    change, change_cpu = time.perf_counter() - t0, time.process_time() - c0
    if at.exception:
        raise SystemExit(f"{page} after filter: {at.exception[0].message}")
    return cold, change, cold_cpu, change_cpu


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--url", required=True)
    ap.add_argument("--schema", default="")
    ap.add_argument("--pages", default=",".join(PAGES))
    ap.add_argument("--reps", type=int, default=1, help="runs per cell: the median is printed, [the minimum] beside")
    args = ap.parse_args(argv)
    os.environ["DASHBOARD_DB_URL"] = args.url
    os.environ["DASHBOARD_DB_SCHEMA"] = args.schema
    os.environ.setdefault("DASHBOARD_LATEST_MONTH", "2026-10")
    os.environ["DASHBOARD_FORECAST_ON_NEW_DATA"] = "off"   # no background job competing with the timed runs
    one("overview", True)                       # imports, engine, migrations, OS file cache: not timed
    from app import state                       # every area's forecasts stored first, as the background job does:
    from metrics import forecast_job            # neither path is timed fitting models
    version = state.data_version()[0]
    year = state.latest_month(version)[0]
    forecast_job.run(state.engine(), version, year, forecast_job.scopes(state.municipalities(version), year, "county"))
    print(f"{'page':14s} {'cold before':>13s} {'cold after':>13s} {'ratio':>6s} {'filter before':>13s} "
          f"{'filter after':>13s} {'ratio':>6s} {'cpu cold/filter':>15s} {'warmed cold/filter':>18s}")

    def cell(values: list[float]) -> str:
        return f"{statistics.median(values):.2f}" + (f" [{min(values):.2f}]" if len(values) > 1 else "")

    for page in args.pages.split(","):
        runs = {"before": [], "after": [], "warmed": []}
        for _ in range(args.reps):              # alternating, so a slow spell of the machine hits every path
            runs["before"].append(one(page, False))
            runs["after"].append(one(page, True))
            runs["warmed"].append(one(page, True, warmed=True))
        cb, fb, ca, fa = ([r[i] for r in runs[k]] for k, i in (("before", 0), ("before", 1), ("after", 0),
                                                                ("after", 1)))
        cc, fc = ([r[i] for r in runs["after"]] for i in (2, 3))
        cw, fw = ([r[i] for r in runs["warmed"]] for i in (0, 1))
        med = statistics.median
        print(f"{page:14s} {cell(cb):>13s} {cell(ca):>13s} {med(cb) / med(ca):5.1f}x {cell(fb):>13s} {cell(fa):>13s} "
              f"{med(fb) / med(fa):5.1f}x {med(cc):7.2f}/{med(fc):<7.2f} {med(cw):9.2f}/{med(fw):<8.2f}", flush=True)


if __name__ == "__main__":
    main()
