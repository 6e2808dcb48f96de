"""Benchmark: the KPI engine's period filter (date ranges on `month`, totals per month first) against the form it
replaced (year/month numbers from EXTRACT in the WHERE clause and COUNT(DISTINCT month)), same measures,
same warehouse, same process.

    .venv/bin/python bench/period_filter.py --url postgresql+psycopg://postgres@127.0.0.1/test [--schema S]
    .venv/bin/python bench/period_filter.py --url duckdb:///data/warehouse.duckdb

The warehouse needs the demo data (python -m data_sources.demo --url ... --scale 1). Both forms must give
the same numbers; the script checks that before it prints the times and the ratio.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import sqlalchemy as sa  # noqa: E402

from data_sources.engine import make_engine  # noqa: E402
from data_sources.schema import VIEW_COLUMNS, view  # noqa: E402
from metrics.engine import Filters, _merge_filters, measure_select  # noqa: E402
from metrics.registry import load_registry  # noqa: E402

CASES = [  # (filters, group by, years): the overview's yearly trend, a monthly series, a municipality table
    (Filters(year=2026, months=(1, 10), county="KS"), ("yr",), tuple(range(2019, 2027))),
    (Filters(year=2026, months=(1, 12)), ("yr", "mon"), tuple(range(2019, 2027))),
    (Filters(year=2025, months=(1, 12), county="PH"), ("municipality_code",), (2025,)),
]


def old_select(measure, filters: Filters, by, years) -> sa.Select:
    """The statement the engine built before: EXTRACT-derived yr/mon in WHERE, COUNT(DISTINCT month)."""
    cols = VIEW_COLUMNS[measure.view]
    c = view(measure.view).c
    where = [c[col].in_(sorted(v)) for col, v in _merge_filters(filters.dims(), measure.filter).items() if col in cols]
    where.append(c.yr.in_(years))
    if "mon" in cols:
        where.append(c.mon.between(*filters.months))
    group = [c[g] for g in by if g in cols]
    agg = {"sum": sa.func.sum, "avg": sa.func.avg}[measure.agg](c[measure.expr])
    return sa.select(*group, agg.label("value"), sa.func.count(sa.distinct(c.month)).label("n_months")) \
        .where(*where).group_by(*group)


def run(engine, stmt) -> pd.DataFrame:
    with engine.connect() as conn:
        result = conn.execute(stmt)
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--url", required=True)
    ap.add_argument("--schema", default=None)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    engine = make_engine(args.url, schema=args.schema) if args.schema else make_engine(args.url)
    reg = load_registry()
    measures = [m for m in reg.measures.values()
                if "mon" in VIEW_COLUMNS[m.view] and m.time_agg == "sum"]   # stocks keep their own form
    times = {"old": [], "new": []}
    for _ in range(args.repeat):
        for form in ("old", "new"):
            t0 = time.perf_counter()
            results = []
            for filters, by, years in CASES:
                for m in measures:
                    stmt = old_select(m, filters, by, years) if form == "old" else \
                        measure_select(m, filters, by, years)
                    results.append(run(engine, stmt))
            times[form].append(time.perf_counter() - t0)
            if form == "old":
                old_results = results
            else:
                for a, b in zip(old_results, results):
                    keys = [k for k in a.columns if k not in ("value", "n_months")]
                    a, b = a.sort_values(keys).reset_index(drop=True), b.sort_values(keys).reset_index(drop=True)
                    np.testing.assert_allclose(a.value.astype(float), b.value.astype(float), rtol=1e-9)
                    assert a.n_months.astype(int).tolist() == b.n_months.astype(int).tolist()
    old, new = statistics.median(times["old"]), statistics.median(times["new"])
    n = len(measures) * len(CASES)
    print(f"{engine.dialect.name}: {n} statements ({len(measures)} monthly measures x {len(CASES)} cases), "
          f"median of {args.repeat}, same results")
    print(f"  before (EXTRACT filters, COUNT DISTINCT): {old:.2f} s")
    print(f"  now    (month ranges, per-month totals):  {new:.2f} s")
    print(f"  ratio: {old / new:.1f}x")
    engine.dispose()


if __name__ == "__main__":
    main()
