"""The query result cache (metrics.engine): runs that know the data version share what was read at it, and the
region's monthly and yearly reads are split by county in the same query, so a county picked after the region reads
its sums from the cache. Every KPI's frames are those read without the cache, on DuckDB and PostgreSQL; the
county's pass sends far fewer queries; a region frame added up from the counties is exactly its own query's; a new
data version (or the time limit) reads the warehouse again; a run without a version never touches the cache."""
from __future__ import annotations

import dataclasses

import pandas as pd
import pytest
import sqlalchemy as sa

from metrics import engine as me
from metrics.engine import Filters, kpi_series, kpi_summary, kpi_values
from metrics.registry import load_registry

REG = load_registry()
COUNTIES = ("KH", "KS", "PH")
WAREHOUSE = ("test", "result cache")


class Counter:
    def __init__(self, engine):
        self.engine, self.n = engine, 0

    def __enter__(self):
        sa.event.listen(self.engine, "before_cursor_execute", self.count)
        return self

    def count(self, *_):
        self.n += 1

    def __exit__(self, *exc):
        sa.event.remove(self.engine, "before_cursor_execute", self.count)


def _page_reads(engine, f: Filters) -> dict:
    """What the pages read of every KPI for an area: the summary's yearly values and the monthly history."""
    out = {}
    for kpi in REG.kpis.values():
        out[(kpi.id, "years")] = kpi_values(engine, kpi, f, ("yr",), tuple(range(2019, f.year + 1)), REG)
        out[(kpi.id, "summary")] = kpi_summary(engine, kpi, f, REG).series
        if "month" in kpi.grains:
            out[(kpi.id, "months")] = kpi_series(engine, kpi, dataclasses.replace(f, months=(1, 12)), "month",
                                                 registry=REG)
    return out


def _region_then_counties(engine, base: Filters, version: int | None) -> tuple[dict, dict, int]:
    """The region read in one run, then each county in a run of its own (as a county change is): the frames per
    area and the queries the counties' runs sent."""
    frames = {}
    me.new_run(version, WAREHOUSE if version is not None else None)
    frames[None] = _page_reads(engine, base)
    with Counter(engine) as sent:
        for c in COUNTIES:
            me.new_run(version, WAREHOUSE if version is not None else None)
            frames[c] = _page_reads(engine, dataclasses.replace(base, county=c))
    me._run_memo.set(None)
    me._run_scope.set(None)
    return frames, sent.n


def _same(cached: dict, plain: dict) -> None:
    assert cached.keys() == plain.keys()
    for area in plain:
        assert cached[area].keys() == plain[area].keys()
        for key, frame in plain[area].items():
            # the same sums; the row order of a warehouse's GROUP BY is its own, the pipeline sorts
            pd.testing.assert_frame_equal(cached[area][key], frame, check_exact=False, rtol=1e-12, atol=1e-9,
                                          obj=f"{area} {key}")


def _check(engine, bases) -> list[tuple[int, int]]:
    counts = []
    for base in bases:
        me.clear_results()
        plain, n_plain = _region_then_counties(engine, base, None)
        me.clear_results()
        cached, n_cached = _region_then_counties(engine, base, 1)
        _same(cached, plain)
        assert n_cached < 0.6 * n_plain, (base, n_cached, n_plain)     # the counties' sums came from the cache
        counts.append((n_cached, n_plain))
    me.clear_results()
    return counts


def test_counties_after_the_region_read_their_sums_from_the_cache_duckdb(duck):
    counts = _check(duck, [Filters(year=2026, months=(1, 10)),
                           Filters(year=2025, service_areas=("primary_care", "dental")),
                           Filters(year=2026, months=(3, 7), age_groups=("0-6", "13-17"))])
    print("county passes, queries with / without the cache:", counts)


def test_counties_after_the_region_read_their_sums_from_the_cache_postgres(pg_template):
    from data_sources.engine import make_engine
    url, schema = pg_template
    engine = make_engine(url, schema=schema)
    try:
        _check(engine, [Filters(year=2026, months=(1, 10))])
    finally:
        engine.dispose()


def _monthly_read(engine, measure_id: str, f: Filters) -> pd.DataFrame:
    m = REG.measures[measure_id]
    return me.read_measure(engine, m, f, ("yr", "mon"), tuple(range(2019, 2027)), None, REG)


@pytest.mark.parametrize("measure_id", ["cost_actual", "contacts", "population"])
def test_a_region_added_up_from_its_counties_is_exactly_its_own_query(duck, measure_id):
    """Integer and decimal sums are added up exactly (int, Decimal), so the region's frame and each county's are
    the very values their own queries give, not merely close."""
    by = ("yr",) if measure_id == "population" else ("yr", "mon")
    m = REG.measures[measure_id]
    years = tuple(range(2019, 2027))
    f = Filters(year=2026)

    def read(area: Filters, version):
        me.new_run(version, WAREHOUSE if version is not None else None)
        out = me.read_measure(duck, m, area, by, years, None, REG)
        return out.sort_values(list(by)).reset_index(drop=True)
    me.clear_results()
    split = {None: read(f, 1)}
    with Counter(duck) as sent:
        split.update({c: read(dataclasses.replace(f, county=c), 1) for c in COUNTIES})
    assert sent.n == 0                                  # every county from the region's one query
    for area, frame in split.items():
        own = read(f if area is None else dataclasses.replace(f, county=area), None)
        assert len(own) >= 8                           # every year at least
        pd.testing.assert_frame_equal(frame, own, check_exact=True, obj=str(area))
    me.clear_results()


def test_a_new_data_version_reads_the_warehouse_again(warehouse_copy):
    """A frame kept at one version is not used at another (an upload makes a new version); the older version's
    frames are let go; past the time limit the warehouse is read again; and a run without a version neither
    reads nor fills the cache."""
    engine = warehouse_copy("result_cache")
    f = Filters(year=2025, county="KH")
    me.clear_results()

    def population(version):
        me.new_run(version, WAREHOUSE if version is not None else None)
        return float(kpi_summary(engine, "population", f, REG).value)

    before = population(5)
    with engine.begin() as conn:                         # the data change an upload would make, version and all
        conn.exec_driver_sql("UPDATE fact_population SET population = population + 1000 WHERE yr = 2025 AND "
                             "municipality_code IN (SELECT municipality_code FROM dim_municipality "
                             "WHERE county_code = 'KH')")
    with Counter(engine) as sent:
        assert population(5) == before                   # the same version: the kept frame, no query
    assert sent.n == 0
    assert population(None) > before                     # no version: read from the warehouse, cache untouched
    after = population(6)
    assert after > before
    assert not any(key[0][1] == 5 for key in me._results)      # version 5's frames are gone
    old_ttl = me.RESULT_TTL_SECONDS
    me.RESULT_TTL_SECONDS = 0.0
    try:
        with Counter(engine) as sent:
            population(6)
        assert sent.n > 0                                # kept too long: read again
    finally:
        me.RESULT_TTL_SECONDS = old_ttl
    me.new_run(None)
    me.clear_results()
    assert not me._results


def test_the_cache_keeps_to_its_size(duck, monkeypatch):
    """Past RESULT_CACHE_BYTES the least recently used frames go first; the accounting stays exact."""
    monkeypatch.setattr(me, "RESULT_CACHE_BYTES", 40_000)
    me.clear_results()
    me.new_run(1, WAREHOUSE)
    for c in COUNTIES:
        _page_reads(duck, Filters(year=2026, county=c))
    assert me._results_state["bytes"] <= 40_000
    assert me._results_state["bytes"] == sum(v[2] for v in me._results.values())
    assert len(me._results) > 3
    me.new_run(None)
    me.clear_results()


def test_the_cache_keeps_no_engine_alive_and_tells_engines_apart(warehouse_path):
    """Frames are kept under an engine's id but refer to it weakly: a gone engine (and its connections) is not kept
    alive, and a second engine on the same warehouse reads its own frames, not the first one's."""
    import gc
    import weakref

    from data_sources.engine import make_engine
    me.clear_results()
    f = Filters(year=2025, county="KH")
    first = make_engine(f"duckdb:///{warehouse_path}")
    me.new_run(1, WAREHOUSE)
    value = float(kpi_summary(first, "population", f, REG).value)
    assert me._results
    second = make_engine(f"duckdb:///{warehouse_path}")
    with Counter(second) as sent:
        me.new_run(1, WAREHOUSE)
        assert float(kpi_summary(second, "population", f, REG).value) == value
    assert sent.n > 0                                   # not the first engine's frames
    gone = weakref.ref(first)
    first.dispose()
    del first
    gc.collect()
    assert gone() is None
    second.dispose()
    me.new_run(None)
    me.clear_results()
