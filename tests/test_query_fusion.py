"""Within a page run the summed monthly measures of one view read alike are asked for in one query
(metrics.engine.read_measure): every KPI x a set of filters and groupings gives the very frames it gives with each
measure read on its own, on DuckDB and PostgreSQL, and a run of them sends fewer queries."""
from __future__ import annotations

import dataclasses

import pandas as pd
import pytest
import sqlalchemy as sa

from metrics import engine as me
from metrics.engine import Filters, kpi_series, kpi_values
from metrics.registry import load_registry

REG = load_registry()
FILTERS = [
    Filters(year=2025),
    Filters(year=2026, months=(1, 10), county="KH"),
    Filters(year=2024, municipalities=("179", "410"), service_areas=("primary_care", "dental")),
    Filters(year=2025, months=(3, 8), age_groups=("0-6", "75+"), scope_county="PH"),
    Filters(year=2026, county="KH", scope_county="PH"),                      # an empty intersection
]
BYS = (("yr",), ("yr", "mon"), ("channel",))          # summaries, monthly series, channels


def _reads(engine, fuse: bool, filters=FILTERS, bys=tuple(BYS)) -> tuple[dict, int]:
    """Every KPI read as the pages read it (values by each grouping, summary, monthly series) in one page run per
    filter; the frames and the number of queries sent."""
    sent = [0]

    def count(*_):
        sent[0] += 1
    out = {}
    sa.event.listen(engine, "before_cursor_execute", count)
    old = me.FUSE
    me.FUSE = fuse
    try:
        for n, f in enumerate(filters):
            me.new_run()
            for kpi in REG.kpis.values():
                for by in bys + ((("municipality_code",),) if n == 1 else ()):     # regions: once (slow to hide)
                    years = tuple(range(2019, f.year + 1)) if "yr" in by else None
                    try:
                        out[(kpi.id, repr(f), by)] = kpi_values(engine, kpi, f, by, years, REG)
                    except ValueError:                 # a grouping the KPI's view does not have
                        continue
                if "month" in kpi.grains:
                    out[(kpi.id, repr(f), "series")] = kpi_series(engine, kpi, dataclasses.replace(f, months=(1, 12)),
                                                                  "month", registry=REG)
    finally:
        me.FUSE = old
        me._run_memo.set(None)
        sa.event.remove(engine, "before_cursor_execute", count)
    return out, sent[0]


def _same(engine, **kw) -> tuple[int, int]:
    fused, n_fused = _reads(engine, True, **kw)
    alone, n_alone = _reads(engine, False, **kw)
    assert fused.keys() == alone.keys()
    for key, frame in fused.items():
        pd.testing.assert_frame_equal(frame, alone[key], check_exact=False, rtol=1e-12, atol=1e-9, obj=str(key))
    assert n_fused < 0.8 * n_alone, (n_fused, n_alone)         # it does fuse: not the same queries renamed
    return n_fused, n_alone


def test_fused_reads_equal_each_measure_read_alone_duckdb(duck):
    n_fused, n_alone = _same(duck)
    print(f"queries: {n_fused} fused, {n_alone} alone")


def test_fused_reads_equal_each_measure_read_alone_postgres(pg_template):
    from data_sources.engine import make_engine
    url, schema = pg_template
    engine = make_engine(url, schema=schema)
    try:
        _same(engine, filters=FILTERS[:3], bys=BYS[:2])      # the whole set on DuckDB
    finally:
        engine.dispose()


def test_a_fused_query_only_joins_measures_of_one_source_and_filter():
    """Siblings share the view, their own filter and the KPI filter, and are sums over months (a stock's mean over
    months, or an average, is never fused); a measure on another rollup for the same filters is left out."""
    f = Filters(year=2026, county="KH")
    for m in REG.measures.values():
        if not me._fusable(m):
            continue
        for kpi_filter in {repr(k.filter): k.filter for k in REG.kpis.values()}.values():
            fam = me._family(REG, m, f, ("yr", "mon"), (2025, 2026), kpi_filter)
            assert fam[0] is m
            src = me.source(m, f, ("yr", "mon"), (2025, 2026), kpi_filter).name
            for other in fam:
                assert other.view == m.view and me._fusable(other) and other.filter == m.filter
                assert me.source(other, f, ("yr", "mon"), (2025, 2026), kpi_filter).name == src
    assert not me._fusable(next(m for m in REG.measures.values() if m.time_agg == "mean"))
