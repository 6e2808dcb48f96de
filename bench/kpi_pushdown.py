"""Benchmark: KPI aggregation pushed down to the warehouse vs. pulling fact rows into pandas.

    .venv/bin/python bench/kpi_pushdown.py [--scale 10] [--url duckdb:///data/bench.duckdb]

Builds (once) a demo warehouse at the given scale, then times, in the same process, the overview page's
KPI summaries (engine: SQLAlchemy Core in the warehouse) against the baseline of reading the contacts
fact table into pandas and grouping there. Prints both times, the ratio and the peak memory of each.
"""
from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from data_sources import demo  # noqa: E402
from data_sources.engine import make_engine  # noqa: E402
from metrics.engine import Filters, kpi_summary  # noqa: E402

OVERVIEW = ("care_guarantee_7d", "remote_share", "eservice_adults", "net_cost_per_resident", "budget_realisation",
            "t3_primary", "calls_answered_share", "callback_delay", "contacts_per_1000")


def timed(fn):
    tracemalloc.start()
    t0 = time.perf_counter()
    out = fn()
    dt = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return out, dt, peak


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=float, default=10)
    ap.add_argument("--url", default=None)
    args = ap.parse_args()
    url = args.url or f"duckdb:///{Path(__file__).resolve().parent.parent / 'data' / f'bench_s{args.scale:g}.duckdb'}"
    engine = make_engine(url)
    if not demo.warehouse_exists(engine):
        t0 = time.perf_counter()
        frames = demo.generate(args.scale, "2026-10")
        demo.write_warehouse(engine, frames)
        print(f"built scale {args.scale:g}: {sum(len(d) for n, d in frames.items() if n.startswith('fact_')):,} "
              f"fact rows in {time.perf_counter() - t0:.1f} s")
        del frames
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT COUNT(*) FROM fact_contacts")).scalar()
    f = Filters(year=2026, months=(1, 10), county="KS")

    def pushed_down():
        return {k: kpi_summary(engine, k, f).value for k in OVERVIEW}

    def pandas_baseline():
        # the slow path the design forbids: fact rows into pandas, then group there (one KPI only)
        with engine.connect() as conn:
            df = pd.read_sql(sa.text("SELECT f.month, f.channel, f.service_area, f.contacts, m.county_code "
                                     "FROM fact_contacts f JOIN dim_municipality m USING (municipality_code)"), conn)
        df = df[(df.county_code == "KS") & df.service_area.isin(
            ["primary_care", "mental_substance", "social_work", "child_family"])]
        df["yr"] = pd.to_datetime(df.month).dt.year
        g = df.assign(remote=df.contacts.where(df.channel != "in_person", 0)).groupby("yr")
        return (g.remote.sum() / g.contacts.sum() * 100).to_dict()

    pushed_down()  # warm the connection and the view definitions
    got, t_push, m_push = timed(pushed_down)
    base, t_base, m_base = timed(pandas_baseline)
    assert abs(base[2026] - got["remote_share"]) < 1e-9, "both paths must give the same remote share"
    print(f"contacts fact rows: {rows:,}")
    print(f"pushed down, 9 overview KPIs x 8 years: {t_push:.3f} s, peak Python memory {m_push:.0f} MiB")
    print(f"pandas baseline, 1 KPI:                 {t_base:.3f} s, peak Python memory {m_base:.0f} MiB")
    print(f"ratio (baseline / pushed down): {t_base / t_push:.1f}x faster while computing 9x the KPIs")


if __name__ == "__main__":
    main()
