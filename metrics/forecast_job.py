"""The bulk forecast job: every monthly indicator for every area (the whole region, each county, each
municipality) at the current data version, fitted and backtested in parallel processes.

The parent process reads the series and writes the results; worker processes only compute (numpy), so the job
also runs beside an app that holds the DuckDB file, and on PostgreSQL beside any number of app servers (the
save is conflict-tolerant: data_sources/forecasts.save_many). Series are read with one grouped query per
indicator, measure and area level, then split per area with the KPI engine's own suppression rule (the same
series as metrics.engine.kpi_series for each area: tests/test_forecast_bulk.py), so reading 1 000 series costs
about a hundred queries, not two thousand.

    .venv/bin/python -m metrics.forecast_job                 # every indicator x area, progress bar on stderr
    .venv/bin/python -m metrics.forecast_job --level county  # the whole region and the counties only
"""
from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import os
import sys
import time
import types
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import replace

import pandas as pd

from data_sources import catalog, forecasts

from . import privacy
from .engine import BASE_YEAR, Filters, kpi_series, ratio_frame, with_period
from .forecast import compute, history_filters, scope_key
from .registry import load_registry

BATCH = 24          # series per worker task
PARALLEL_FROM = 60  # fewer series are computed in this process (starting workers costs about a second)
LEVELS = ("all", "county", "municipality")


def scopes(munis: pd.DataFrame, latest_year: int, level: str = "municipality") -> list[Filters]:
    """The areas as the sidebar makes them: the whole region, each county, each municipality (with its county)."""
    out = [Filters(year=latest_year)]
    if level in ("county", "municipality"):
        out += [Filters(year=latest_year, county=c) for c in sorted(munis.county_code.unique())]
    if level == "municipality":
        out += [Filters(year=latest_year, county=c, municipalities=(m,))
                for c, m in sorted(zip(munis.county_code, munis.municipality_code))]
    return out


def _area(f: Filters) -> tuple[str | None, str | None]:
    """(grouping column, code) of a plain area filter; (None, None) for the whole region."""
    if len(f.municipalities) == 1:
        return "municipality_code", f.municipalities[0]
    if f.county and not f.municipalities:
        return "county_code", f.county
    return None, None


def grouped_series(engine, kpi, base: Filters, dim: str | None, registry) -> dict[str | None, pd.DataFrame]:
    """{area code: monthly series} for every area of a level in one query per measure, each series equal to
    kpi_series(kpi, that area): the same ratio, annualising and small-count suppression (cells 1-4 hidden,
    then the lone hidden month of a year protected by hiding the smallest other)."""
    years = tuple(range(BASE_YEAR, base.year + 1))
    by = ((dim,) if dim else ()) + ("yr", "mon")
    out, _, counts = ratio_frame(engine, kpi, base, by, years, registry)
    if not (dim and dim in out):
        dim = None
    order = [dim, "yr", "mon"] if dim else ["yr", "mon"]
    out = privacy.suppress_kpi(out.sort_values(order).reset_index(drop=True), counts, kpi.suppress_below)
    if counts and len(out) > 1:
        # the lone hidden month of an area's year: only those (area, year) groups go through the rule
        group = [dim, "yr"] if dim else ["yr"]
        lone = out.groupby(group)["suppressed"].transform("sum") == 1
        if lone.any():
            out.loc[lone] = privacy.complementary(out.loc[lone], counts, ["value"], group)
    out = with_period(out)
    if dim is None:
        return {None: out.drop(columns=[c for c in ("county_code", "municipality_code") if c in out])}
    return {code: part.drop(columns=[dim]).reset_index(drop=True) for code, part in out.groupby(dim, sort=False)}


def _read(engine, kpi, filters_list: list[Filters], latest_year: int, registry) -> list[tuple[Filters, pd.DataFrame]]:
    """The history of `kpi` for each filters: grouped where the filters are plain areas, else one by one."""
    groups: dict = {}
    out = []
    for f in filters_list:
        dim, code = _area(f)
        if dim is None and (f.county or f.municipalities):      # several municipalities: read on its own
            out.append((f, kpi_series(engine, kpi, history_filters(f, latest_year), "month", registry=registry)))
            continue
        base = replace(history_filters(f, latest_year), county=None, municipalities=())
        groups.setdefault((base, dim), []).append((f, code))
    for (base, dim), members in groups.items():
        if len(members) == 1:
            f = members[0][0]
            out.append((f, kpi_series(engine, kpi, history_filters(f, latest_year), "month", registry=registry)))
            continue
        by_code = grouped_series(engine, kpi, base, dim, registry)
        shared = by_code.get(None)        # the measure has no such column: one series for every area
        for f, code in members:
            s = by_code.get(code, shared)
            if s is None:
                s = kpi_series(engine, kpi, history_filters(f, latest_year), "month", registry=registry)
            out.append((f, s))
    return out


@contextlib.contextmanager
def plain_main():
    """Spawned workers re-run the parent's __main__ module from its file; under Streamlit (and AppTest) that is
    the page script being run. Workers started inside this block see an empty __main__ instead."""
    saved = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if saved is not None:
            sys.modules["__main__"] = saved


def _compute_batch(batch: list[tuple]) -> list[dict]:
    """Worker: (kpi id, scope, series) -> run dicts ready to store."""
    registry = load_registry()
    return [{"kpi_id": kid, "scope": scope, **compute(registry[kid], series)} for kid, scope, series in batch]


def _batch_fn():
    """_compute_batch as the workers can find it: by its module's import name (under `python -m
    metrics.forecast_job` this module is __main__, which a spawned worker does not have: see plain_main)."""
    import importlib
    return importlib.import_module("metrics.forecast_job")._compute_batch


def run(engine, version: int, latest_year: int, filters_list: list[Filters] | None = None, registry=None,
        progress=None, workers: int | None = None, recompute: bool = False) -> dict:
    """Forecast every monthly KPI for each filters (default: every area) at `version`; runs already stored are
    skipped unless `recompute`. progress(done, total) is called as results arrive.
    Returns {total, computed, skipped, seconds, read_seconds}."""
    t0 = time.perf_counter()
    registry = registry or load_registry()
    if filters_list is None:
        filters_list = scopes(catalog.municipalities(engine), latest_year)
    kpis = [k for k in registry.kpis.values() if "month" in k.grains]
    have = set() if recompute else forecasts.stored_keys(engine, version)
    todo = {k.id: [f for f in filters_list if (k.id, scope_key(f)) not in have] for k in kpis}
    total = sum(len(v) for v in todo.values())
    skipped = len(kpis) * len(filters_list) - total
    done = 0
    read_s = 0.0
    if progress:
        progress(0, total)
    workers = workers or os.cpu_count() or 1
    parallel = workers > 1 and total >= PARALLEL_FROM
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) if parallel else None
    pending, batch = set(), []
    plain = plain_main() if pool else contextlib.nullcontext()
    plain.__enter__()

    def store(results: list[dict]) -> None:
        nonlocal done
        if not results:
            return
        forecasts.save_many(engine, [{**r, "version": version} for r in results])
        done += len(results)
        if progress:
            progress(done, total)

    def collect(block: bool) -> None:
        nonlocal pending
        if not pending:
            return
        finished, pending = wait(pending, timeout=None if block else 0, return_when=FIRST_COMPLETED)
        store([r for fut in finished for r in fut.result()])

    try:
        for k in kpis:
            if not todo[k.id]:
                continue
            r0 = time.perf_counter()
            series = _read(engine, k, todo[k.id], latest_year, registry)
            read_s += time.perf_counter() - r0
            for f, s in series:
                batch.append((k.id, scope_key(f), s[["period", "value", "suppressed"]]))
                if len(batch) >= BATCH:
                    if pool:
                        pending.add(pool.submit(_batch_fn(), batch))
                        collect(block=len(pending) > 2 * workers)
                    else:
                        store(_compute_batch(batch))
                    batch = []
        if batch:
            if pool:
                pending.add(pool.submit(_batch_fn(), batch))
            else:
                store(_compute_batch(batch))
        while pending:
            collect(block=True)
    finally:
        if pool:
            pool.shutdown(cancel_futures=True)
        plain.__exit__(None, None, None)
    return {"total": total, "computed": done, "skipped": skipped, "seconds": time.perf_counter() - t0,
            "read_seconds": read_s}


def _bar(done: int, total: int, started: float) -> None:
    width = 40
    filled = int(width * done / total) if total else width
    rate = done / max(time.perf_counter() - started, 1e-9)
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} series  {rate:.0f}/s ")
    sys.stderr.flush()


def main(argv=None) -> None:
    """Forecast every monthly indicator for every area at the current data version (run it after a data load;
    the app computes a missing area's forecasts when its forecast page opens)."""
    from data_sources.engine import make_engine

    ap = argparse.ArgumentParser(description=main.__doc__.splitlines()[0])
    ap.add_argument("--url", default=None, help="SQLAlchemy URL (default: the DASHBOARD_DB_URL setting)")
    ap.add_argument("--level", choices=LEVELS, default="municipality",
                    help="areas: the whole region only, with the counties, or with the municipalities too")
    ap.add_argument("--workers", type=int, default=None, help="processes (default: one per core)")
    ap.add_argument("--recompute", action="store_true", help="recompute runs already stored for this version")
    args = ap.parse_args(argv)
    engine = make_engine(args.url) if args.url else make_engine()
    version, _ = catalog.data_version(engine)
    latest_year, _ = catalog.latest_month(engine)
    started = time.perf_counter()
    res = run(engine, version, latest_year, scopes(catalog.municipalities(engine), latest_year, args.level),
              progress=lambda i, n: _bar(i, n, started), workers=args.workers, recompute=args.recompute)
    sys.stderr.write("\n")
    print(f"{res['computed']} series forecast ({res['skipped']} already stored) at data version {version} in "
          f"{res['seconds']:.1f} s (reading {res['read_seconds']:.1f} s), {args.workers or os.cpu_count()} processes")


if __name__ == "__main__":
    main()
