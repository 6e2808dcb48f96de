"""Bulk forecast benchmark (not a timed test): every monthly indicator x area (whole region, counties,
municipalities: 1 363 series on the demo) through metrics/forecast_job.py in worker processes, against the
one-by-one path (metrics.forecast.kpi_forecast per indicator and area, as a page computes a missing one) on the
counties in the same run. Goal: 1 000 series <= 60 s on 2 cores.

    .venv/bin/python bench/forecast_bulk.py                       # builds a scale-1 demo warehouse in /tmp
    .venv/bin/python bench/forecast_bulk.py --url duckdb:///data/bench.duckdb
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from data_sources import catalog, demo  # noqa: E402
from data_sources.engine import make_engine  # noqa: E402
from metrics import forecast_job  # noqa: E402
from metrics.forecast import kpi_forecast  # noqa: E402
from metrics.registry import load_registry  # noqa: E402


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--url", default=None, help="a warehouse to copy (DuckDB file URL); default: build scale 1")
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--workers", type=int, default=None)
    args = ap.parse_args(argv)
    tmp = Path(tempfile.mkdtemp())
    base = tmp / "base.duckdb"
    if args.url:
        shutil.copy(args.url.removeprefix("duckdb:///"), base)
    else:
        engine = make_engine(f"duckdb:///{base}")
        demo.write_warehouse(engine, demo.generate(scale=args.scale))
        engine.dispose()
    reg = load_registry()
    monthly = [k for k in reg.kpis.values() if "month" in k.grains]

    # the job: every indicator x area, parallel
    shutil.copy(base, tmp / "job.duckdb")
    engine = make_engine(f"duckdb:///{tmp / 'job.duckdb'}")
    version, _ = catalog.data_version(engine)
    latest_year, _ = catalog.latest_month(engine)
    scopes = forecast_job.scopes(catalog.municipalities(engine), latest_year)
    res = forecast_job.run(engine, version, latest_year, scopes, workers=args.workers)
    engine.dispose()
    per_job = res["seconds"] / res["computed"]

    # one by one, as a page does: the whole region and the counties
    shutil.copy(base, tmp / "one.duckdb")
    engine = make_engine(f"duckdb:///{tmp / 'one.duckdb'}")
    few = forecast_job.scopes(catalog.municipalities(engine), latest_year, level="county")
    t0 = time.perf_counter()
    for f in few:
        for k in monthly:
            kpi_forecast(engine, k, f, version, latest_year, registry=reg)
    one = time.perf_counter() - t0
    engine.dispose()
    per_one = one / (len(few) * len(monthly))
    shutil.rmtree(tmp, ignore_errors=True)

    print(f"bulk job: {res['computed']} series in {res['seconds']:.1f} s (reading {res['read_seconds']:.1f} s), "
          f"{per_job * 1000:.0f} ms/series; goal 1 000 series <= 60 s: "
          f"{'met' if res['seconds'] * 1000 / res['computed'] <= 60 else 'NOT met'}")
    print(f"one by one: {len(few) * len(monthly)} series in {one:.1f} s, {per_one * 1000:.0f} ms/series")
    print(f"ratio (one by one / job, per series): {per_one / per_job:.1f}x")


if __name__ == "__main__":
    main()
