"""Cold page and filter change, AppTest script time, on a warehouse (scale 10 for the issue's goals): each page run
first the way it was before issue 19 (facts only, no chart-spec cache; baseline) and then the new way (monthly
rollups, cached chart specs), caches emptied before each cold run, in the same process, with the ratio.

    .venv/bin/python -m data_sources.demo --url duckdb:///data/bench_s10.duckdb --scale 10
    .venv/bin/python bench/pages.py --url duckdb:///data/bench_s10.duckdb
    .venv/bin/python bench/pages.py --url postgresql+psycopg://postgres@127.0.0.1/test --schema bench_s10

cold = the first view of a page with empty caches; filter = the county changed on that page (KH) right after.
The baseline does not include the old engine's SingletonThreadPool (single-threaded AppTest does not need it).
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = ("overview", "strategic", "tactical", "operational", "child_budget", "kpi_detail")


def one(page: str, fast: bool) -> tuple[float, float]:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from app import state
    from metrics import engine as metric_engine
    from ui import charts

    metric_engine.USE_ROLLUPS = fast
    charts.SPEC_CACHE = fast
    charts.VALIDATE = not fast          # the baseline validates every spec, as the app did before
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=600)
    at.switch_page("pages/deficit.py").run()    # AppTest's own first-run work (component scan, ~0.8 s): not timed
    state.clear_caches()
    charts._charts.clear()
    at.switch_page(f"pages/{page}.py")
    t0 = time.perf_counter()
    at.run()
    cold = time.perf_counter() - t0
    if at.exception:
        raise SystemExit(f"{page}: {at.exception[0].message}")
    t0 = time.perf_counter()
    at.sidebar.selectbox(key="f_county").set_value("KH").run()
    change = time.perf_counter() - t0
    if at.exception:
        raise SystemExit(f"{page} after filter: {at.exception[0].message}")
    return cold, change


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--url", required=True)
    ap.add_argument("--schema", default="")
    ap.add_argument("--pages", default=",".join(PAGES))
    args = ap.parse_args(argv)
    os.environ["DASHBOARD_DB_URL"] = args.url
    os.environ["DASHBOARD_DB_SCHEMA"] = args.schema
    os.environ.setdefault("DASHBOARD_LATEST_MONTH", "2026-10")
    one("overview", True)                       # imports, engine, migrations, OS file cache: not timed
    print(f"{'page':14s} {'cold before':>11s} {'cold after':>10s} {'ratio':>6s} {'filter before':>13s} "
          f"{'filter after':>12s} {'ratio':>6s}")
    for page in args.pages.split(","):
        cb, fb = one(page, False)
        ca, fa = one(page, True)
        print(f"{page:14s} {cb:11.2f} {ca:10.2f} {cb / ca:5.1f}x {fb:13.2f} {fa:12.2f} {fb / fa:5.1f}x", flush=True)


if __name__ == "__main__":
    main()
