"""Forecast glue: the target verdict of a KPI for an area (the one rule, metrics.targets.verdict, fed the same
stored forecast and history on every page, the board pack and the exports), the bulk forecast job for
an area with a progress callback (metrics.forecast_job), and the same job run in the background when a server
first sees a data version (DASHBOARD_FORECAST_ON_NEW_DATA), so that pages read their forecasts ready."""
from __future__ import annotations

import logging
import threading
import time

import streamlit as st

from data_sources import catalog
from data_sources.settings import get_settings
from metrics import forecast_job
from metrics.engine import Filters, run_memo
from metrics.forecast import history_filters, scope_key
from metrics.registry import load_registry
from metrics.targets import Verdict, verdict as judge

from . import state


def _latest_year(version: int) -> int:
    return state.latest_month(version)[0]


def _verdict_of(kpi_id: str, scope: Filters, version: int) -> Verdict | None:
    k = load_registry()[kpi_id]
    if not k.targets:
        return None
    latest_year = scope.year
    if "month" in k.grains:
        res = state.forecast(kpi_id, scope, version, latest_year)
        return judge(k, res["actual"], res["points"] if res["model"] else None)
    return judge(k, state.series(kpi_id, scope, "year", None, version))


_verdict = state.by_name(
    st.cache_data(ttl=state.TTL, show_spinner=False, hash_funcs=state.HASH_FUNCS)(_verdict_of), _verdict_of)


def verdict(kpi_id: str, f: Filters, version: int) -> Verdict | None:
    """The verdict on the KPI's shown target for the area of `f` (the sidebar's year and months do not change
    it: the rule judges the target's own period on the whole history and the forecast)."""
    scope = history_filters(f, _latest_year(version))
    memo = run_memo()               # a page asks for the same verdict up to three times (scores, cards, table)
    key = ("verdict", kpi_id, scope, version)
    if memo is not None and key in memo:
        return memo[key]
    out = _verdict(kpi_id, scope, version)
    if memo is not None:
        memo[key] = out               # a Verdict is frozen: the run may share it
    return out


def verdicts(kpi_ids, f: Filters, version: int) -> dict[str, Verdict | None]:
    return {k: verdict(k, f, version) for k in kpi_ids}


def missed(kpi_ids, f: Filters, version: int) -> frozenset[str]:
    """The KPIs whose shown target verdict says missed or off track (a composite area with one is not on target)."""
    from metrics.targets import MISSED, OFF_TRACK
    return frozenset(k for k, v in verdicts(kpi_ids, f, version).items() if v is not None
                     and v.state in (MISSED, OFF_TRACK))


_complete: set[tuple] = set()      # (warehouse, scope, data version) with every forecast stored, in this process


def missing(f: Filters, version: int) -> list[str]:
    """Monthly KPIs without a stored forecast for the area of `f` at this data version. Once an area is
    complete at a version it stays so (runs are only deleted for a newer version), so the warehouse is not asked
    again: that keeps the page's cached forecasts on screen while the warehouse is away."""
    key = (state.warehouse_key(), scope_key(f), version)
    if key in _complete:
        return []
    stored = set(state.stored_forecasts(key[1], version))
    out = [k for k, v in load_registry().kpis.items() if "month" in v.grains and k not in stored]
    if not out:
        _complete.add(key)
    return out


def compute_area(f: Filters, version: int, progress=None) -> dict:
    """Forecast every monthly KPI of the area of `f` that has none yet (metrics.forecast_job.run)."""
    latest_year = _latest_year(version)
    return forecast_job.run(state.engine(), version, latest_year, [history_filters(f, latest_year)],
                            progress=progress)


# --- the background job: a new data version is forecast once per server, in a thread ---------------------------
log = logging.getLogger(__name__)
LEVELS = ("all", "county", "municipality")
_background: dict = {}            # warehouse key -> {version, thread, done, total, error, scopes}
_background_lock = threading.Lock()


def on_data_version(version: int, then=None) -> threading.Thread | None:
    """Start forecasting every monthly KPI of the areas the setting names, at `version`, in a background thread,
    unless this server has already started it for this version (called on every rerun: a dictionary look-up). The
    job skips what is stored (another server or the CLI may have done it) and runs in this process, one series
    after another, so the server's other core stays free and the DuckDB file needs no second process. `then(version,
    areas)` runs in the same thread after it (app/warmup.warm), for the whole region and the counties it forecast."""
    level = (get_settings().forecast_on_new_data or "off").strip().lower()
    if level not in LEVELS:
        return None
    key = state.warehouse_key()
    with _background_lock:
        job = _background.get(key)
        if job is not None and job["version"] >= version:
            return None
        job = _background[key] = {"version": version, "done": 0, "total": 0, "error": None, "scopes": None,
                                  "finished": False, "level": level}
        thread = job["thread"] = threading.Thread(target=_work, args=(state.engine(), version, level, job, then),
                                                  name=f"forecast-v{version}", daemon=True)
    thread.start()
    return thread


def _work(engine, version: int, level: str, job: dict, then=None) -> None:
    started = time.perf_counter()
    try:
        latest_year = catalog.latest_month(engine)[0]
        areas = forecast_job.scopes(catalog.municipalities(engine), latest_year, level)
        job["scopes"] = {scope_key(history_filters(f, latest_year)) for f in areas}

        def progress(done: int, total: int) -> None:
            job["done"], job["total"] = done, total
        res = forecast_job.run(engine, version, latest_year, areas, progress=progress, workers=1)
        log.info("data version %s: %s series forecast in the background (%s stored already) in %.1f s",
                 version, res["computed"], res["skipped"], time.perf_counter() - started)
        if then is not None:                      # the cache warm-up (app/warmup.py) of the areas it covered
            job["warmed"] = then(version, [a for a in areas if not a.municipalities])
    except LookupError:                       # a warehouse without contacts yet: nothing to forecast
        pass
    except Exception as exc:  # noqa: BLE001 - a failed background job is logged; pages compute on demand
        job["error"] = exc
        log.warning("background forecast of data version %s failed: %s", version, exc)
    finally:
        job["finished"] = True


def background_job() -> dict | None:
    """This server's background job for its warehouse (version, done, total, finished, scopes), or None."""
    with _background_lock:
        job = _background.get(state.warehouse_key())
        return dict(job) if job else None


def wait_for_background(f: Filters, version: int, progress=None, timeout: float = 120.0) -> bool:
    """When the background job is forecasting the area of `f` at `version`, wait for it (progress(done, total) as
    it goes) rather than compute the same forecasts a second time; True when it finished."""
    job = background_job()
    if not job or job["version"] != version or job["finished"]:
        return bool(job and job["finished"])
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = background_job()
        if job["finished"]:
            return True
        if job["scopes"] is not None and scope_key(history_filters(f, _latest_year(version))) not in job["scopes"]:
            return False                           # not an area the job covers: the page computes it itself
        if progress:
            progress(job["done"], job["total"])
        time.sleep(0.25)
    return False
