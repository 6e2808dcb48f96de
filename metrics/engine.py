"""Compile registry KPIs to SQLAlchemy Core and run them in the warehouse.

Only aggregated rows come back (one per group); ratios, suppression and changes are then computed on
those few rows. The same Core statement runs unchanged on DuckDB and PostgreSQL.
"""
from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import decimal
import functools
import threading
import time
import weakref
from collections import OrderedDict
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import sqlalchemy as sa

from data_sources import rollups
from data_sources.schema import VIEW_COLUMNS, view

from . import privacy
from .registry import KPI, Measure, Registry, load_registry

BASE_YEAR = 2019
GROUPABLE = ("yr", "qtr", "mon", "county_code", "municipality_code", "service_area", "age_group",
             "channel", "profession", "service_point_id", "service_class", "cost_account")


@dataclass(frozen=True)
class Filters:
    """What the user selected: region, service area, age group and the period (a year and a month window)."""
    year: int
    months: tuple[int, int] = (1, 12)
    county: str | None = None
    municipalities: tuple[str, ...] = ()
    service_areas: tuple[str, ...] = ()
    age_groups: tuple[str, ...] = ()
    # The signed-in user's region scope (row-level security, app/auth.py): applied to every query built from
    # these filters, whatever the region choice says. None / () = no limit.
    scope_county: str | None = None
    scope_municipalities: tuple[str, ...] = ()

    def dims(self) -> dict[str, tuple[str, ...]]:
        """Column -> allowed values. The region choice and the scope are intersected, so a choice outside the
        scope selects nothing (an empty tuple) rather than escaping it."""
        out: dict[str, tuple[str, ...]] = {}

        def put(col: str, values) -> None:
            values = tuple(str(v) for v in values)
            out[col] = tuple(v for v in out[col] if v in values) if col in out else values

        if self.county:
            put("county_code", (self.county,))
        if self.scope_county:
            put("county_code", (self.scope_county,))
        if self.municipalities:
            put("municipality_code", self.municipalities)
        if self.scope_municipalities:
            put("municipality_code", self.scope_municipalities)
        if self.service_areas:
            out["service_area"] = tuple(self.service_areas)
        if self.age_groups:
            out["age_group"] = tuple(self.age_groups)
        return out

    def with_year(self, year: int) -> "Filters":
        return replace(self, year=year)


def _merge_filters(*filters: dict) -> dict[str, set]:
    """Intersect dimension filters: a fixed KPI filter narrows the user's choice, never widens it."""
    merged: dict[str, set] = {}
    for f in filters:
        for col, values in (f or {}).items():
            vals = {str(v) for v in values}
            merged[col] = merged[col] & vals if col in merged else vals
    return merged


def _period_ranges(years: tuple[int, ...], months: tuple[int, int]) -> list[tuple[dt.date, dt.date]]:
    """The chosen months of the chosen years as half-open date ranges, adjacent ones merged: 2019-2026 with
    the whole year is one range, January-October of each year eight."""
    a, b = months
    ranges: list[tuple[dt.date, dt.date]] = []
    for y in sorted(set(years)):
        start, end = dt.date(y, a, 1), dt.date(y + (b == 12), b % 12 + 1, 1)
        if ranges and ranges[-1][1] == start:
            ranges[-1] = (ranges[-1][0], end)
        else:
            ranges.append((start, end))
    return ranges


def period_where(c, years: tuple[int, ...], months: tuple[int, int], monthly: bool) -> sa.ColumnElement:
    """The chosen period as a condition on a view: date ranges on `month` for monthly views (the warehouse
    can use statistics and indexes on it), the year list for yearly ones."""
    if not monthly:
        return c.yr.in_(years)
    ranges = _period_ranges(years, months)
    if not ranges:
        return sa.false()
    return sa.or_(*[sa.and_(c.month >= lo, c.month < hi) for lo, hi in ranges])


def filter_where(source: sa.FromClause, filters: Filters, years: tuple[int, ...],
                 *fixed: dict | None) -> list[sa.ColumnElement]:
    """The user's filters as WHERE conditions on a view or subquery, the one place they are applied: each
    dimension the source has (narrowed, never widened, by `fixed` filters such as a KPI's own), then the
    months window of `years` (the filters' own year, or a series of years for the same months)."""
    c = source.c
    where = [c[col].in_(sorted(values)) for col, values in _merge_filters(filters.dims(), *fixed).items()
             if col in c]
    where.append(period_where(c, years, filters.months, "mon" in c))
    return where


# --- aggregate awareness: read a monthly rollup (data_sources/rollups.py) when it has every column needed ------
_use_rollups: contextvars.ContextVar[bool] = contextvars.ContextVar("use_rollups", default=True)
USE_ROLLUPS = True      # process-wide switch: the page benchmarks' baseline (scripts run in other threads)


@contextlib.contextmanager
def facts_only():
    """Within this block measures are read from the views (the fact tables), never from a rollup: the parity
    tests and the benchmarks' baseline."""
    token = _use_rollups.set(False)
    try:
        yield
    finally:
        _use_rollups.reset(token)


def rollups_enabled() -> bool:
    """Whether reads may go to a rollup here (not within facts_only, not in the benchmarks' baseline)."""
    return USE_ROLLUPS and _use_rollups.get()


def _columns_used(clauses) -> set[str]:
    """Names of the columns a list of SQL conditions refers to."""
    return {el.name for clause in clauses for el in sa.sql.visitors.iterate(clause)
            if isinstance(el, sa.sql.elements.ColumnClause)}


def source(measure: Measure, filters: Filters, by: tuple[str, ...], years: tuple[int, ...],
           kpi_filter: dict | None = None) -> sa.FromClause:
    """Where a measure is read from: the smallest rollup that has the measure, every grouping column and every
    column the filters (filter_where, the one place they are built, region scope included) refer to; else the
    view. An averaged stock (agg avg with time_agg mean) always reads the view."""
    v = view(measure.view)
    if not (USE_ROLLUPS and _use_rollups.get()) or (measure.agg == "avg" and measure.time_agg == "mean"):
        return v
    cols = VIEW_COLUMNS[measure.view]
    if "mon" not in cols:
        return v
    needed = {measure.expr, "month", "yr", "mon", *(g for g in by if g in cols)}
    needed |= _columns_used(filter_where(v, filters, years, kpi_filter, measure.filter))
    if measure.agg == "avg":
        needed.add(f"{measure.expr}__n")
    rolled = rollups.pick(measure.view, needed)
    return v if rolled is None else rolled


def summed_source(view_name: str, columns: set[str], filters: Filters, years: tuple[int, ...]) -> sa.FromClause:
    """Where a query that only SUMs `columns` of a monthly view reads them: the smallest rollup that has them and
    every column the filters refer to, else the view (the child-budget keys read contacts this way)."""
    v = view(view_name)
    if not (USE_ROLLUPS and _use_rollups.get()) or "mon" not in VIEW_COLUMNS[view_name]:
        return v
    rolled = rollups.pick(view_name, set(columns) | _columns_used(filter_where(v, filters, years)))
    return v if rolled is None else rolled


def measure_select(measure: Measure, filters: Filters, by: tuple[str, ...], years: tuple[int, ...],
                   kpi_filter: dict | None = None) -> sa.Select:
    """SELECT by..., <agg>(expr) AS value, n_months FROM view WHERE ... GROUP BY by.

    Monthly views are filtered on the `month` column itself (date ranges, not year/month numbers), so the
    warehouse can use its statistics and indexes; and they are totalled per month first, then per group,
    which also counts the months (no COUNT(DISTINCT), which made PostgreSQL sort every fact row)."""
    cols = VIEW_COLUMNS[measure.view]
    v = source(measure, filters, by, years, kpi_filter)
    c = v.c
    where = filter_where(v, filters, years, kpi_filter, measure.filter)
    monthly = "mon" in cols
    group = [c[g] for g in by if g in cols]
    agg = {"sum": sa.func.sum, "avg": sa.func.avg}[measure.agg](c[measure.expr])
    unit = ("yr", "mon") if monthly else ("yr",)
    if measure.time_agg == "mean" and unit[-1] not in by:
        # a stock (clients in a month): total per time unit first, then the mean over the period's units
        extra = [c[u] for u in unit if u not in by]
        inner = (sa.select(*group, *extra, agg.label("value")).where(*where)
                 .group_by(*group, *extra).subquery("per_unit"))
        outer_group = [inner.c[g.name] for g in group]
        return (sa.select(*outer_group, sa.func.avg(inner.c.value).label("value"),
                          sa.func.count().label("n_units"))
                .group_by(*outer_group))
    if not monthly:
        n_years = sa.literal(12) * sa.func.count(sa.distinct(c.yr))
        return sa.select(*group, agg.label("value"), n_years.label("n_months")).where(*where).group_by(*group)
    parts = [sa.func.sum(c[measure.expr]).label("s")]
    if measure.agg == "avg":   # a rollup keeps the count of an averaged column beside its sum
        n = sa.func.sum(c[f"{measure.expr}__n"]) if rollups.rollup_of(v) else sa.func.count(c[measure.expr])
        parts.append(n.label("n"))
    inner = (sa.select(*group, c.month, *parts).where(*where)
             .group_by(*group, c.month).subquery("per_month"))
    outer_group = [inner.c[g.name] for g in group]
    total = sa.func.sum(inner.c.s)
    value = total if measure.agg == "sum" else \
        sa.cast(total, sa.Double) / sa.cast(sa.func.nullif(sa.func.sum(inner.c.n), 0), sa.Double)
    return sa.select(*outer_group, value.label("value"), sa.func.count().label("n_months")).group_by(*outer_group)


MEASURE_FLOATS = ("value", "n_months", "n_units")


_run_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar("query_memo", default=None)
_run_scope: contextvars.ContextVar[tuple | None] = contextvars.ContextVar("query_scope", default=None)


def new_run(version: int | None = None, warehouse: tuple | None = None) -> None:
    """Start a page run (the app calls it once per rerun, in the rerun's thread): within it an identical query
    (the same measure for several KPIs, e.g. the population under every per-resident KPI) is run once. With the
    warehouse's data `version` (and which warehouse it is) the run also reads and fills the process's result
    cache (below): what any run read at that version is not read again."""
    _run_memo.set({})
    _run_scope.set(None if version is None else (warehouse, int(version)))


def run_memo() -> dict | None:
    """The current run's memo (None outside a run), for a caller keeping an immutable result of its own for the
    rest of the run under a key that names it (a tuple starting with a string: query keys start with an engine)."""
    return _run_memo.get()


def set_run_version(version: int, warehouse: tuple | None = None) -> None:
    """new_run's version, told once the run has read it (the run's memo is kept)."""
    _run_scope.set((warehouse, int(version)))


# --- the result cache: query results kept per data version, for every run and session of the process ---------
# A frame read at a data version is the same for as long as the version is (an upload, a rollback or an edit makes
# a new one), so runs that know the version (new_run) share what was read: a second session's identical read, the
# region-wide reads the annualised rates of a chosen area divide by (_reference_months), and each county's monthly
# reads when the region's were read split by county (read_measure). Bounded by an estimate of its size, least
# recently used first out; a newer version of a warehouse drops the older version's frames.
RESULT_CACHE_BYTES = 64 * 2 ** 20
RESULT_TTL_SECONDS = 3600.0          # as the page caches' (the app sets it from DASHBOARD_CACHE_TTL_SECONDS)
_results: "OrderedDict[tuple, tuple]" = OrderedDict()       # key -> (engine ref, frame, size, when kept)
_results_state = {"bytes": 0}
_results_latest: dict = {}                   # (engine id, warehouse) -> (engine ref, the newest version seen)
_results_lock = threading.Lock()


def clear_results() -> None:
    """Empty the result cache (the benchmarks' cold start, tests that rebuild a warehouse)."""
    with _results_lock:
        _results.clear()
        _results_latest.clear()
        _results_state["bytes"] = 0


RESULT_CACHE = True      # process-wide switch: the page benchmarks' baseline runs without it


def _shared_key(key: tuple) -> tuple | None:
    scope = _run_scope.get()
    return None if scope is None or not RESULT_CACHE else (scope, key)


class _Later:
    """A frame kept in the result cache as the makings of it, made when first asked for (a county's frames of the
    region's split read: most are never asked for, and making a DataFrame costs more than the rows)."""
    __slots__ = ("make", "rows", "columns")

    def __init__(self, make, rows: int, columns: int):
        self.make, self.rows, self.columns = make, rows, columns


def _recall(engine: sa.Engine, key: tuple) -> pd.DataFrame | None:
    """The frame of a query key from the run's memo, else from the result cache (then kept in the memo too)."""
    memo = _run_memo.get()
    if memo is not None and key in memo:
        return memo[key]
    shared = _shared_key(key)
    if shared is None:
        return None
    with _results_lock:
        hit = _results.get(shared)
        if hit is None or hit[0]() is not engine:          # a dead engine's id given to a new one: not its frame
            return None
        if time.monotonic() - hit[3] > RESULT_TTL_SECONDS:
            _results_state["bytes"] -= _results.pop(shared)[2]
            return None
        _results.move_to_end(shared)
    frame = hit[1]
    if isinstance(frame, _Later):
        frame = frame.make()
        with _results_lock:                                 # kept made (unless dropped meanwhile)
            if _results.get(shared) is hit:
                _results[shared] = (hit[0], frame, hit[2], hit[3])
    if memo is not None:
        memo[key] = frame
    return frame


def _remember(engine: sa.Engine, key: tuple, frame: "pd.DataFrame | _Later", run: bool = True) -> None:
    """Keep a frame under its query key in the run's memo (`run`) and in the result cache (when the run knows its
    data version). The cache refers to the engine weakly and checks it is the same object: an engine's id in a key
    may be another engine's once the first is gone, and the cache keeps no engine (nor its connections) alive."""
    memo = _run_memo.get()
    if run and memo is not None:
        memo[key] = frame
    shared = _shared_key(key)
    if shared is None:
        return
    (warehouse, version), _ = shared
    rows, columns = (frame.rows, frame.columns) if isinstance(frame, _Later) else (len(frame), len(frame.columns))
    size = 200 + rows * (columns + 1) * 16
    owner = (id(engine), warehouse)
    ref = weakref.ref(engine)
    with _results_lock:
        seen = _results_latest.get(owner)
        latest = seen[1] if seen is not None and seen[0]() is engine else version
        if version < latest:                       # a run still on an older version: not kept
            return
        if version > latest:                       # a new data version: the older version's frames go
            for k in [k for k, v in _results.items()
                      if v[0]() is engine and k[0][0] == warehouse and k[0][1] < version]:
                _results_state["bytes"] -= _results.pop(k)[2]
        _results_latest[owner] = (ref, version)
        old = _results.pop(shared, None)
        if old is not None:
            _results_state["bytes"] -= old[2]
        _results[shared] = (ref, frame, size, time.monotonic())
        _results_state["bytes"] += size
        while _results_state["bytes"] > RESULT_CACHE_BYTES and _results:
            _results_state["bytes"] -= _results.popitem(last=False)[1][2]


def compiled_sql(engine: sa.Engine, stmt: sa.Select) -> tuple[str, tuple | dict]:
    """The statement as the driver's SQL and parameters, compiled once: the run's memo key and what is executed
    (DuckDB's SQLAlchemy dialect has no statement cache, so executing the Core statement compiled it again)."""
    compiled = stmt.compile(dialect=engine.dialect, compile_kwargs={"render_postcompile": True})
    params = compiled.construct_params()
    if compiled.positional:
        return compiled.string, tuple(params[k] for k in compiled.positiontup)
    return compiled.string, params


AREA_DIMS = ("county_code", "municipality_code")
_SQL_SHAPES: "OrderedDict[tuple, tuple]" = OrderedDict()
_SQL_SHAPES_MAX = 4096
_shapes_lock = threading.Lock()


def measure_sql(engine: sa.Engine, measure: Measure, filters: Filters, by: tuple[str, ...], years: tuple[int, ...],
                kpi_filter: dict | None = None) -> tuple[str, tuple | dict]:
    """compiled_sql(measure_select(...)), built and compiled once per query shape: the area codes (county,
    municipalities) are parameters, so a county change reuses the SQL of the county before with the new codes
    as its parameters (building and compiling the statement was about a tenth of a page's filter change). The
    codes go in as placeholders that cannot be real codes, and each placeholder's parameter is replaced by the
    code in its place; an area a fixed filter also narrows, or an empty intersection, is built as it is. A read of
    the whole region (no area chosen) is kept under its filters as they are."""
    return shaped_sql(engine, (measure,), lambda f: measure_select(measure, f, by, years, kpi_filter), filters,
                      (by, years, repr(sorted((kpi_filter or {}).items()))),
                      set(kpi_filter or ()) | set(measure.filter or ()))


def shaped_sql(engine: sa.Engine, measures: tuple[Measure, ...], build, filters: Filters, ident: tuple,
               fixed: set[str]) -> tuple[str, tuple | dict]:
    """compiled_sql(build(filters)) kept per query shape (see measure_sql): `ident` and the measures (by identity)
    tell the statements apart beside the filters' shape; `fixed`: the columns a fixed filter narrows."""
    dims = filters.dims()
    areas = {c: sorted(set(v)) for c, v in dims.items() if c in AREA_DIMS}     # as filter_where has them
    if not areas:                                # the whole region: the filters are the shape (kept as they are)
        marks, shape = {}, filters
    elif any(not v or c in fixed for c, v in areas.items()) or len(areas.get("county_code", "x")) != 1:
        return compiled_sql(engine, build(filters))
    else:
        marks = {c: tuple(f"\x00{c}\x00{i:05d}" for i in range(len(v))) for c, v in areas.items()}
        shape = replace(filters, county=marks["county_code"][0] if "county_code" in marks else None,
                        municipalities=marks.get("municipality_code", ()), scope_county=None,
                        scope_municipalities=())
    key = (engine.dialect.name, engine.dialect.paramstyle, tuple(map(id, measures)), shape, ident, rollups_enabled())
    with _shapes_lock:
        hit = _SQL_SHAPES.get(key)
        if hit is not None:
            _SQL_SHAPES.move_to_end(key)
    if hit is None:
        sql, params = compiled_sql(engine, build(shape))
        hit = (measures, sql, params)               # the measures are kept so that their ids are not reused
        with _shapes_lock:
            _SQL_SHAPES[key] = hit
            while len(_SQL_SHAPES) > _SQL_SHAPES_MAX:
                _SQL_SHAPES.popitem(last=False)
    _, sql, params = hit
    if not marks:
        return sql, dict(params) if isinstance(params, dict) else params
    real = {m: code for c, v in areas.items() for m, code in zip(marks[c], v)}
    if isinstance(params, dict):
        return sql, {k: real.get(v, v) if isinstance(v, str) else v for k, v in params.items()}
    return sql, tuple(real.get(v, v) if isinstance(v, str) else v for v in params)


def _memo_key(engine: sa.Engine, stmt: tuple[str, tuple | dict], floats: tuple[str, ...]) -> tuple:
    sql, params = stmt
    return (id(engine), sql, repr(params), floats)


def query_frame(engine: sa.Engine, stmt: sa.Select | tuple[str, tuple | dict],
                floats: tuple[str, ...] = MEASURE_FLOATS) -> pd.DataFrame:
    """Run a Core query (or its compiled SQL and parameters, measure_sql) into a DataFrame, the one place
    queries are run. The same SUM or COUNT comes back as int, float or Decimal depending on the warehouse, so
    the `floats` columns are made float64: the frame is the same from DuckDB and PostgreSQL. Within a page run
    (new_run) an identical query is answered from the run's memo, and at a known data version from the result
    cache."""
    sql, params = stmt if isinstance(stmt, tuple) else compiled_sql(engine, stmt)
    if _run_memo.get() is not None:
        key = _memo_key(engine, (sql, params), floats)
        hit = _recall(engine, key)
        if hit is not None:
            return hit.copy()
        out = _query_frame(engine, sql, params, floats)
        _remember(engine, key, out)
        return out.copy()
    return _query_frame(engine, sql, params, floats)


def _as_float(values: list) -> np.ndarray:
    return np.array([np.nan if v is None else float(v) for v in values], dtype=float)


def _query_frame(engine: sa.Engine, sql: str, params: tuple | dict, floats: tuple[str, ...]) -> pd.DataFrame:
    with engine.connect() as conn:
        result = conn.exec_driver_sql(sql, params)
        columns = list(result.keys())
        rows = result.fetchall()
    data = {c: [r[i] for r in rows] for i, c in enumerate(columns)}
    for col in floats:
        if col in data:
            data[col] = _as_float(data[col])
    return pd.DataFrame(data, columns=columns)


def _measure_frames(engine: sa.Engine, kpi: KPI, filters: Filters, by: tuple[str, ...], years: tuple[int, ...],
                    registry: Registry) -> tuple[pd.DataFrame, pd.DataFrame | None, list[str], tuple[str, ...]]:
    """The KPI's numerator and denominator read per group: (numerator frame, denominator frame or None, the group
    keys the numerator has, the keys the denominator is grouped by)."""
    num_m = registry.measures[kpi.numerator]
    num = read_measure(engine, num_m, filters, by, years, kpi.filter, registry)
    keys = [b for b in by if b in VIEW_COLUMNS[num_m.view]]
    if not kpi.denominator:
        return num, None, keys, ()
    den_m = registry.measures[kpi.denominator]
    # the denominator is grouped only by keys the numerator has too: a key only the denominator has (costs per
    # contact "by channel") is summed over, never one of its groups picked for every row
    den_by = tuple(b for b in keys if b in VIEW_COLUMNS[den_m.view])
    den = read_measure(engine, den_m, filters, den_by, years, kpi.filter, registry)
    return num, den, keys, den_by


# --- one query for the measures of a view read alike within a page run ----------------------------------------
# A page reads many measures of one view with the same filters and grouping (the care-guarantee KPIs' visits within
# 7, 14 and 90 days and all visits; the phone KPIs' calls, answered calls and callbacks). Each was a query of its
# own, and a query's fixed cost (planning the view, its join, scheduling) was most of what DuckDB spent on these
# small reads: within a page run (new_run) the first such read asks for every sibling measure in one query and
# puts each one's frame in the run's memo under the very key its own query has, so the sibling's read is answered
# from the memo. Siblings: summed monthly measures of the same view with the same own filter, used by a KPI with the
# same KPI filter, read from the same source (the same rollup, or the view). The frames are the same as their own
# queries give (tests/test_query_fusion.py, on DuckDB and PostgreSQL).
FUSE = True
_families: dict[tuple, tuple] = {}
_families_lock = threading.Lock()


def _fusable(measure: Measure) -> bool:
    return (measure.agg == "sum" and measure.time_agg != "mean" and "mon" in VIEW_COLUMNS[measure.view])


def _siblings(registry: Registry, measure: Measure, kpi_filter: dict | None) -> tuple[Measure, ...]:
    """The fusable measures of the measure's view, with its own filter, that a KPI with this KPI filter reads."""
    key = (id(registry), id(measure), repr(sorted((kpi_filter or {}).items())))
    with _families_lock:
        hit = _families.get(("siblings",) + key)
    if hit is not None:
        return hit[1]
    own = repr(sorted((measure.filter or {}).items()))
    wanted = repr(sorted((kpi_filter or {}).items()))
    ids = {m for k in registry.kpis.values() if repr(sorted((k.filter or {}).items())) == wanted
           for m in (k.numerator, k.denominator) if m}
    out = tuple(m for mid, m in sorted(registry.measures.items()) if mid in ids and m.view == measure.view
                and _fusable(m) and repr(sorted((m.filter or {}).items())) == own)
    with _families_lock:
        _families[("siblings",) + key] = (registry, out)        # the registry is kept so that its id is not reused
    return out


def _source_name(measure: Measure, filters: Filters, by: tuple[str, ...], years: tuple[int, ...],
                 kpi_filter: dict | None) -> str:
    return source(measure, filters, by, years, kpi_filter).name


def _family(registry: Registry, measure: Measure, filters: Filters, by: tuple[str, ...], years: tuple[int, ...],
            kpi_filter: dict | None) -> tuple[Measure, ...]:
    """The siblings read from the same source as `measure` for this query shape (which rollup a measure is read from
    depends on the columns the filters use, not on their values), the measure first."""
    dims = filters.dims()
    shape = (id(registry), id(measure), tuple(sorted((c, len(v) > 0) for c, v in dims.items())), by,
             filters.months == (1, 12), repr(sorted((kpi_filter or {}).items())), rollups_enabled())
    with _families_lock:
        hit = _families.get(shape)
    if hit is not None:
        return hit[1]
    own = _source_name(measure, filters, by, years, kpi_filter)
    out = (measure,) + tuple(m for m in _siblings(registry, measure, kpi_filter) if m is not measure
                             and _source_name(m, filters, by, years, kpi_filter) == own)
    with _families_lock:
        _families[shape] = (registry, out)
    return out


def fused_select(measures: tuple[Measure, ...], filters: Filters, by: tuple[str, ...], years: tuple[int, ...],
                 kpi_filter: dict | None = None) -> sa.Select:
    """measure_select of several summed monthly measures of one source as one statement: the same per-month subquery
    with a sum per measure (s0, s1...), totalled per group (v0, v1...), the months counted once (the rows per month
    are the same for every measure: the same source and conditions)."""
    first = measures[0]
    v = source(first, filters, by, years, kpi_filter)
    c = v.c
    where = filter_where(v, filters, years, kpi_filter, first.filter)
    group = [c[g] for g in by if g in VIEW_COLUMNS[first.view]]
    inner = (sa.select(*group, c.month, *(sa.func.sum(c[m.expr]).label(f"s{i}") for i, m in enumerate(measures)))
             .where(*where).group_by(*group, c.month).subquery("per_month"))
    outer_group = [inner.c[g.name] for g in group]
    return sa.select(*outer_group, *(sa.func.sum(inner.c[f"s{i}"]).label(f"v{i}") for i in range(len(measures))),
                     sa.func.count().label("n_months")).group_by(*outer_group)


def read_measure(engine: sa.Engine, measure: Measure, filters: Filters, by: tuple[str, ...], years: tuple[int, ...],
                 kpi_filter: dict | None, registry: Registry) -> pd.DataFrame:
    """query_frame(measure_sql(...)): within a page run, a summed monthly measure is read together with its siblings
    in one query (see above), each sibling's frame kept in the run's memo for its own read."""
    stmt = measure_sql(engine, measure, filters, by, years, kpi_filter)
    memo = _run_memo.get()
    if memo is None or not FUSE or _recall(engine, _memo_key(engine, stmt, MEASURE_FLOATS)) is not None:
        return query_frame(engine, stmt)
    if not _fusable(measure):
        if (_additive_yearly(measure) and _by_county(engine, registry, measure, filters, by, years, kpi_filter,
                                                     [(measure, _memo_key(engine, stmt, MEASURE_FLOATS))])):
            return memo[_memo_key(engine, stmt, MEASURE_FLOATS)].copy()
        return query_frame(engine, stmt)
    family = _family(registry, measure, filters, by, years, kpi_filter)
    keys = [_memo_key(engine, stmt if m is measure else measure_sql(engine, m, filters, by, years, kpi_filter),
                      MEASURE_FLOATS) for m in family]
    todo = [(m, key) for m, key in zip(family, keys) if _recall(engine, key) is None]
    if _by_county(engine, registry, measure, filters, by, years, kpi_filter, todo):
        return memo[keys[0]].copy()
    if len(todo) < 2:
        return query_frame(engine, stmt)
    members = tuple(m for m, _ in todo)
    sql, params = shaped_sql(engine, members, lambda f: fused_select(members, f, by, years, kpi_filter), filters,
                             ("fused", by, years, repr(sorted((kpi_filter or {}).items()))),
                             set(kpi_filter or ()) | set(measure.filter or ()))
    fused = _query_frame(engine, sql, params, ("n_months", *(f"v{i}" for i in range(len(todo)))))
    group = [c for c in fused.columns if c != "n_months" and not (c[0] == "v" and c[1:].isdigit())]
    columns = {g: fused[g] for g in group}
    for i, (_, key) in enumerate(todo):           # each as its own query's frame: group columns, value, n_months
        _remember(engine, key, pd.DataFrame({**columns, "value": fused[f"v{i}"], "n_months": fused["n_months"]},
                                            columns=[*group, "value", "n_months"], copy=True))
    return memo[keys[0]].copy()


# --- the region's monthly reads split by county ------------------------------------------------------------------
# A manager opens a page for the whole region and then picks a county: every monthly read is then asked again with
# the county's code, some twenty small queries whose fixed cost (planning, the view's join, scheduling) was most of
# a county change. When a run that knows its data version (new_run) reads summed measures of the whole region per
# month, it asks for them per county as well, in the same one query (grouped by county_code too): each county's
# frame is kept in the result cache under the very key that county's own query has, and the region's frame is the
# counties' sums, added up exactly (the warehouse gives integer and decimal sums as int and Decimal; a read with
# any other value, or a month counted other than once, is read as before). One region read per month has one
# calendar month per group, so its month count is 1 whatever the counties' are.
BY_COUNTY = True


def _additive_yearly(measure: Measure) -> bool:
    """A summed measure of a yearly view (population, e-service users): read per year (the only reads _by_county
    takes; a stock's mean over years is then its year's sum), it splits by county too."""
    return measure.agg == "sum" and "mon" not in VIEW_COLUMNS[measure.view]


def _by_county(engine: sa.Engine, registry: Registry, measure: Measure, filters: Filters, by: tuple[str, ...],
               years: tuple[int, ...], kpi_filter: dict | None, todo: list[tuple[Measure, tuple]]) -> bool:
    """Read `todo` (the family's measures not yet read, with their keys) for the whole region in one query grouped
    by county too, keep each county's frames in the result cache and the region's in the run's memo as well;
    False (nothing read) when the read is not of that kind."""
    monthly = "mon" in VIEW_COLUMNS[measure.view]
    if not (BY_COUNTY and RESULT_CACHE and todo and _run_scope.get() is not None
            and "yr" in by and ("mon" in by or not monthly)
            and not (filters.county or filters.municipalities or filters.scope_county or filters.scope_municipalities)
            and not set(by) & set(AREA_DIMS) and "county_code" in VIEW_COLUMNS[measure.view]
            and not (set(kpi_filter or ()) | set(measure.filter or ())) & set(AREA_DIMS)):
        return False
    members = tuple(m for m, _ in todo)
    wide = by + ("county_code",)
    shape = ("by_county", id(registry), tuple(map(id, members)),
             tuple(sorted((c, len(v) > 0) for c, v in filters.dims().items())), by, filters.months == (1, 12),
             repr(sorted((kpi_filter or {}).items())), rollups_enabled())
    with _families_lock:
        same = _families.get(shape)
    if same is None:                 # a county's own read must come from the very source the split read does
        probe = replace(filters, county="\x00")
        same = all(_source_name(m, filters, wide, years, kpi_filter) == _source_name(m, probe, by, years, kpi_filter)
                   for m in members)
        with _families_lock:
            _families[shape] = same
    if not same:
        return False
    # a yearly view's read counts 12 months a year; a monthly read per (yr, mon) one month a row
    unit = 1 if monthly else 12
    def build(f: Filters) -> sa.Select:
        if monthly:
            return fused_select(members, f, wide, years, kpi_filter)
        one = measure_select(members[0], f, wide, years, kpi_filter)
        return one.with_only_columns(*(c.label("v0") if c.name == "value" else c for c in one.selected_columns))
    sql, params = shaped_sql(engine, members, build, filters,                 # compiled once per shape
                             ("by_county", by, years, repr(sorted((kpi_filter or {}).items()))), set())
    with engine.connect() as conn:
        result = conn.exec_driver_sql(sql, params)
        columns = list(result.keys())
        rows = result.fetchall()
    group = [c for c in columns if c != "n_months" and not (c[0] == "v" and c[1:].isdigit())]
    at = {c: i for i, c in enumerate(columns)}
    own = [g for g in group if g != "county_code"]
    sums = [at[f"v{i}"] for i in range(len(members))]
    exact = (int, decimal.Decimal)
    if any(type(r[i]) not in exact or type(r[i]) is bool for r in rows for i in sums) or \
            any(r[at["n_months"]] != unit for r in rows):
        return False                 # not exactly additive: read the region as before
    region: dict[tuple, list] = {}
    counties: dict[str, list] = {}
    for r in rows:
        k = tuple(r[at[g]] for g in own)
        total = region.get(k)
        if total is None:
            region[k] = [r[i] for i in sums]
        else:
            for j, i in enumerate(sums):
                total[j] += r[i]
        counties.setdefault(r[at["county_code"]], []).append(r)

    def frame(keys: list[tuple], values: list[list], j: int) -> pd.DataFrame:
        data = {g: [k[n] for k in keys] for n, g in enumerate(own)}
        data["value"] = _as_float([v[j] for v in values])
        data["n_months"] = np.full(len(keys), float(unit))
        return pd.DataFrame(data, columns=[*own, "value", "n_months"])

    keys = list(region)
    for j, (m, key) in enumerate(todo):
        _remember(engine, key, frame(keys, [region[k] for k in keys], j))
    for county, part in counties.items():
        if county is None or county == "":        # rows of no county: the region's sums have them, no county does
            continue
        local = replace(filters, county=county)
        part_keys = [tuple(r[at[g]] for g in own) for r in part]
        part_values = [[r[i] for i in sums] for r in part]
        for j, m in enumerate(members):
            key = _memo_key(engine, measure_sql(engine, m, local, by, years, kpi_filter), MEASURE_FLOATS)
            _remember(engine, key, _Later(functools.partial(frame, part_keys, part_values, j), len(part_keys),
                                          len(own) + 2), run=False)
    return True


TIME_KEYS = ("yr", "qtr", "mon")


def period_months(frame: pd.DataFrame, keys: list[str], reference: pd.DataFrame | None = None) -> pd.Series:
    """The months a rate is annualised by: the period's months with data, the same for every area (or other
    group) of one time bucket: the most months any group of the bucket has. A group's own count (the months
    that had, say, a youth mental-health contact in a small municipality) would inflate its rate. `reference`:
    the numerator read without the region choice (time keys and n_months, see _reference_months): a chosen area is
    annualised by the months the whole region had data in, so a municipality read alone gets the rate it has in
    the breakdown of every municipality."""
    time_keys = [k for k in keys if k in TIME_KEYS]
    if len(time_keys) == len(keys):
        months = frame["n_months"]
    elif not time_keys:
        months = pd.Series(frame["n_months"].max(), index=frame.index)
    else:
        months = frame.groupby(time_keys)["n_months"].transform("max")
    if reference is None or not len(frame):
        return months
    if time_keys:
        ref = dict(zip(zip(*(reference[k].tolist() for k in time_keys)), reference["n_months"].tolist()))
        wanted = [ref.get(w, 0.0) for w in zip(*(frame[k].tolist() for k in time_keys))]
    else:
        wanted = [float(reference["n_months"].max()) if len(reference) else 0.0] * len(frame)
    return pd.Series(np.fmax(months.to_numpy(dtype=float), np.asarray(wanted, dtype=float)), index=frame.index)


def _lookup(den: pd.DataFrame, num: pd.DataFrame, shared: list[str]) -> np.ndarray:
    """The denominator of each numerator row, by the keys both have (a left join; the denominator has one row per
    key: it is grouped by exactly those keys). Plain Python lookups: on these few rows a pandas merge costs more
    than the rest of the KPI."""
    values = den["value"].to_numpy(dtype=float)
    if not shared:
        return np.full(len(num), values[0] if len(values) else np.nan)
    if len(shared) == 1:
        table = dict(zip(den[shared[0]].tolist(), values))
        wanted = num[shared[0]].tolist()
    else:
        table = dict(zip(zip(*(den[k].tolist() for k in shared)), values))
        wanted = list(zip(*(num[k].tolist() for k in shared)))
    return np.array([table.get(w, np.nan) for w in wanted], dtype=float)


def _combine(kpi: KPI, num: pd.DataFrame, den: pd.DataFrame | None, keys: list[str], den_by: tuple[str, ...],
             registry: Registry, reference: pd.DataFrame | None = None) -> tuple[pd.DataFrame, list[str], list[str]]:
    """Numerator and denominator frames combined into the KPI's value (multiplier, annualising; `reference`: see
    period_months)."""
    numerator = num["value"].to_numpy(dtype=float)
    data = {("numerator" if c == "value" else c): (numerator if c == "value" else num[c].to_numpy())
            for c in num.columns}
    if den is not None:
        denominator = _lookup(den, num, [k for k in keys if k in den_by])
        with np.errstate(divide="ignore", invalid="ignore"):
            value = numerator / np.where(denominator != 0, denominator, np.nan) * kpi.multiplier
    else:
        denominator = np.full(len(num), np.nan)
        value = numerator * kpi.multiplier
    data["denominator"] = denominator
    data["value"] = value
    out = pd.DataFrame(data, index=num.index)
    if den is not None and kpi.annualize and "n_months" in out:
        out["value"] = value * 12 / period_months(out, keys, reference).to_numpy(dtype=float)
    counts = [c for c, m in (("numerator", registry.measures[kpi.numerator]),
                             ("denominator", registry.measures.get(kpi.denominator))) if m is not None and m.count]
    return out, keys, counts


def ratio_frame(engine: sa.Engine, kpi: KPI, filters: Filters, by: tuple[str, ...], years: tuple[int, ...],
                registry: Registry) -> tuple[pd.DataFrame, list[str], list[str]]:
    """The KPI's numerator and denominator read per group and combined into its value (multiplier, annualising),
    before any suppression: (frame, the group keys the numerator has, the count columns to suppress)."""
    num, den, keys, den_by = _measure_frames(engine, kpi, filters, by, years, registry)
    reference = _reference_months(engine, kpi, filters, tuple(k for k in by if k in TIME_KEYS), years, registry)
    return _combine(kpi, num, den, keys, den_by, registry, reference)


def _reference_months(engine: sa.Engine, kpi: KPI, filters: Filters, time_by: tuple[str, ...],
                      years: tuple[int, ...], registry: Registry, from_months: bool = False) -> pd.DataFrame | None:
    """For an annualised rate read for a chosen county or municipalities: its numerator read without that choice
    (the user's region scope, the months and every other filter kept), grouped by the time keys only, whose
    n_months are the months the region had data in (None when nothing is chosen: the read's own groups are the
    reference then). `from_months`: the read per (yr, mon) over whole years made yearly over the filters' months,
    as yearly_ratio_frame reads."""
    if not (kpi.annualize and kpi.denominator) or not (filters.county or filters.municipalities):
        return None
    whole = replace(filters, county=None, municipalities=())
    num_m = registry.measures[kpi.numerator]
    if from_months:
        monthly = read_measure(engine, num_m, replace(whole, months=(1, 12)), ("yr", "mon"), years, kpi.filter,
                               registry)
        return _to_years(monthly, num_m, filters.months)
    return read_measure(engine, num_m, whole, tuple(k for k in time_by if k in VIEW_COLUMNS[num_m.view]), years,
                        kpi.filter, registry)


def _years_from_months(kpi: KPI, registry: Registry) -> bool:
    """Whether the KPI's yearly figures can be added up from its monthly read exactly: a monthly numerator, and
    every measure summed (an average needs its count, which the monthly read does not keep)."""
    num_m = registry.measures[kpi.numerator]
    den_m = registry.measures.get(kpi.denominator)
    return ("month" in kpi.grains and "mon" in VIEW_COLUMNS[num_m.view]
            and all(m.agg == "sum" for m in (num_m, den_m) if m is not None))


def _to_years(frame: pd.DataFrame, measure: Measure, months: tuple[int, int]) -> pd.DataFrame:
    """A measure read per (yr, mon) made yearly over the months window, as measure_select's yearly query would
    give it: summed with the months counted, or for a stock the mean of the month totals with the months as
    units (NaN skipped as pandas' groupby does; numpy, as these frames are a few dozen rows)."""
    a, b = months
    mon = frame["mon"].to_numpy()
    keep = (mon >= a) & (mon <= b)
    years, index = np.unique(frame["yr"].to_numpy()[keep], return_inverse=True)
    values = frame["value"].to_numpy(dtype=float)[keep]
    present = ~np.isnan(values)
    size = np.bincount(index, minlength=len(years)).astype(float)
    total = np.bincount(index, weights=np.where(present, values, 0.0), minlength=len(years)).astype(float)
    if measure.time_agg == "mean":
        counted = np.bincount(index, weights=present.astype(float), minlength=len(years)).astype(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            mean = np.where(counted > 0, total / counted, np.nan)
        return pd.DataFrame({"yr": years, "value": mean, "n_units": size})
    return pd.DataFrame({"yr": years, "value": total, "n_months": size})


def yearly_ratio_frame(engine: sa.Engine, kpi: KPI, filters: Filters, years: tuple[int, ...],
                       registry: Registry) -> tuple[pd.DataFrame, list[str], list[str]]:
    """ratio_frame by year. A KPI whose yearly figures add up from its months is read per month over whole years
    (the very query its monthly history and forecast read, so a page showing both runs it once: the run's memo)
    and added up over the filters' months here; any other KPI is read by year."""
    if not _years_from_months(kpi, registry):
        return ratio_frame(engine, kpi, filters, ("yr",), years, registry)
    whole = replace(filters, months=(1, 12))
    num, den, keys, den_by = _measure_frames(engine, kpi, whole, ("yr", "mon"), years, registry)
    num = _to_years(num, registry.measures[kpi.numerator], filters.months)
    if den is not None and "mon" in den_by:
        den = _to_years(den, registry.measures[kpi.denominator], filters.months)
        den_by = ("yr",)
    reference = _reference_months(engine, kpi, filters, ("yr",), years, registry, from_months=True)
    return _combine(kpi, num, den, ["yr"], den_by, registry, reference)


def _sorted(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """frame.sort_values(keys).reset_index(drop=True), without the sort when the rows are in that order already
    (numeric keys checked in numpy, _in_order: the yearly and monthly reads mostly come back ordered)."""
    if not keys:
        return frame
    if len(frame) > 0 and _in_order([frame[k].to_numpy() for k in keys]):
        return frame.reset_index(drop=True)
    return frame.sort_values(keys).reset_index(drop=True)


def _in_order(columns: list[np.ndarray]) -> bool:
    """Whether rows are in ascending order of the numeric, NaN-free `columns` taken in turn (False for any other
    column: the caller sorts)."""
    if any(c.dtype.kind not in "iuf" or (c.dtype.kind == "f" and np.isnan(c).any()) for c in columns):
        return False
    undecided = np.ones(len(columns[0]) - 1, dtype=bool)      # pairs of rows equal on the columns so far
    for c in columns:
        later, earlier = c[1:], c[:-1]
        if (undecided & (later < earlier)).any():
            return False
        undecided &= later == earlier
    return True


def kpi_values(engine: sa.Engine, kpi: KPI | str, filters: Filters, by: tuple[str, ...] = ("yr",),
               years: tuple[int, ...] | None = None, registry: Registry | None = None) -> pd.DataFrame:
    """One row per group: numerator, denominator, value, suppressed (bool). Suppressed values are NaN."""
    registry = registry or load_registry()
    kpi = registry[kpi] if isinstance(kpi, str) else kpi
    bad = [b for b in by if b not in GROUPABLE]
    if bad:
        raise ValueError(f"cannot group by {bad}")
    years = tuple(years) if years else (filters.year,)
    if by == ("yr",):
        out, keys, counts = yearly_ratio_frame(engine, kpi, filters, years, registry)
    else:
        out, keys, counts = ratio_frame(engine, kpi, filters, by, years, registry)
    out = _sorted(out, keys)
    out = privacy.suppress_kpi(out, counts, kpi.suppress_below)
    if counts and len(out) > 1:
        # a breakdown is read beside its total: protect the lone hidden cell of each group
        time_keys = [k for k in keys if k in ("yr", "qtr", "mon")]
        other = [k for k in keys if k not in time_keys]
        group = time_keys if other else (["yr"] if len(time_keys) > 1 else [])
        out = privacy.complementary(out, counts, ["value"], group or None)
    return out


GRAIN_BY = {"month": ("yr", "mon"), "quarter": ("yr", "qtr"), "year": ("yr",)}


def with_period(df: pd.DataFrame) -> pd.DataFrame:
    """Add a `period` timestamp (first day of the month, quarter or year) from the integer keys."""
    if df.empty:
        return df.assign(period=pd.Series(dtype="datetime64[ns]"))
    month = df["mon"] if "mon" in df else (df["qtr"] - 1) * 3 + 1 if "qtr" in df else 1
    months = (df["yr"].to_numpy(dtype=np.int64) - 1970) * 12 + np.asarray(month, dtype=np.int64) - 1
    return df.assign(period=months.astype("datetime64[M]").astype("datetime64[ns]"))


def kpi_series(engine: sa.Engine, kpi: KPI | str, filters: Filters, grain: str = "month",
               years: tuple[int, ...] | None = None, registry: Registry | None = None) -> pd.DataFrame:
    """The KPI over time at a grain (month, quarter or year) within the filter's month window."""
    registry = registry or load_registry()
    kpi = registry[kpi] if isinstance(kpi, str) else kpi
    if grain not in kpi.grains:
        raise ValueError(f"{kpi.id} has no {grain} grain (it has {', '.join(kpi.grains)})")
    years = years or tuple(range(BASE_YEAR, filters.year + 1))
    return with_period(kpi_values(engine, kpi, filters, GRAIN_BY[grain], years, registry))


@dataclass(frozen=True)
class KPISummary:
    kpi: KPI
    value: float
    previous: float
    base: float
    suppressed: bool
    series: pd.DataFrame  # yr, value, suppressed

    @property
    def change_yoy(self) -> float:
        return change(self.value, self.previous, self.kpi.unit)

    @property
    def change_base(self) -> float:
        return change(self.value, self.base, self.kpi.unit)


def change(now: float, then: float, unit: str) -> float:
    """Percentage points for shares, per cent otherwise; NaN when either side is missing or zero."""
    if now is None or then is None or np.isnan(now) or np.isnan(then):
        return np.nan
    if unit == "pct":
        return now - then
    return np.nan if then == 0 else (now / then - 1) * 100


def kpi_summary(engine: sa.Engine, kpi: KPI | str, filters: Filters,
                registry: Registry | None = None) -> KPISummary:
    """Value for the selected period, the same months a year earlier and in 2019, and the yearly series;
    one warehouse query per measure."""
    registry = registry or load_registry()
    kpi = registry[kpi] if isinstance(kpi, str) else kpi
    years = tuple(range(BASE_YEAR, filters.year + 1))
    df = kpi_values(engine, kpi, filters, ("yr",), years, registry)
    # each year's row looked up in a dictionary (the frame's last row for a year, as set_index + loc picked one)
    row = {int(y): i for i, y in enumerate(df["yr"].tolist())} if len(df) else {}
    value = df["value"].to_numpy(dtype=float) if len(df) else np.array([])
    hidden = df["suppressed"].to_numpy(dtype=bool) if len(df) else np.array([], dtype=bool)

    def at(y):
        return float(value[row[y]]) if y in row else np.nan

    suppressed = bool(hidden[row[filters.year]]) if filters.year in row else False
    series = df if not len(df) else pd.DataFrame(   # the three columns (from arrays: df[[...]] takes twice as long)
        {"yr": df["yr"].to_numpy(), "value": value, "suppressed": hidden}, index=df.index)
    return KPISummary(kpi, at(filters.year), at(filters.year - 1), at(BASE_YEAR), suppressed, series)
