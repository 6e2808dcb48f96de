"""Cached reads: one engine per process, queries keyed on the data version (an ingest bumps it).

Faults: a read that fails because the warehouse went away is retried once (the pool pings and reconnects), then
the page says one sentence in the user's language and stops; a query past its time limit has a sentence of its
own. While the warehouse is away, the last data version this server read is used, so everything already cached
stays on screen, marked stale with the time it was last confirmed."""
from __future__ import annotations

import datetime as dt
import functools
import inspect
import threading
import time

import pandas as pd
import sqlalchemy as sa
import streamlit as st

from data_sources import catalog, forecasts, migrations
from data_sources.schema import AGE_GROUPS, CHANNELS  # noqa: F401 - the pages' breakdowns
from data_sources.engine import WarehouseUnavailable, check_connection, fault_kind, make_engine  # noqa: F401
from data_sources.settings import get_settings
from metrics import engine as metric_engine
from metrics.composite import load_rules, score_area
from metrics.engine import (Filters, KPISummary, clear_results, kpi_series, kpi_summary, kpi_values, new_run,
                            set_run_version)
from metrics.forecast import kpi_forecast, scope_key
from metrics.registry import load_registry

from ui import sidebar
from ui.i18n import t
from ui.safe import incident


@st.cache_resource(show_spinner=False)
def engine():
    """One engine per process, its warehouse brought to the latest schema once (data_sources.migrations). A
    commit through it (an upload, a classification edit, a saved selection) makes the next rerun read the data
    version again at once instead of after VERSION_TTL_SECONDS."""
    e = make_engine()
    migrations.upgrade(e)
    sa.event.listen(e, "commit", lambda conn: forget_version())
    return e


def a11y_contact() -> str:
    """Where accessibility feedback goes (DASHBOARD_A11Y_CONTACT), for the accessibility statement."""
    return get_settings().a11y_contact


def lang() -> str:
    return st.session_state.get("lang", get_settings().lang)


RETRY_ATTEMPTS = 2          # a read is tried at most this often when the warehouse fails under it
RETRY_DELAY = 0.3


def retrying(fn):
    """Run a read again after a short pause when the warehouse failed under it (bounded; never for writes)."""
    @functools.wraps(fn)
    def run(*args, **kwargs):
        for attempt in range(RETRY_ATTEMPTS):
            try:
                return fn(*args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - only warehouse faults are retried
                if fault_kind(exc) != "down" or attempt == RETRY_ATTEMPTS - 1:
                    raise
                time.sleep(RETRY_DELAY)
    return run


def stop_on_fault(exc: BaseException) -> None:
    """A warehouse fault ends the page with one sentence in the user's language (no SQL, no host); anything
    else is re-raised."""
    kind = fault_kind(exc)
    if kind is None:
        raise exc
    key = "db_timeout" if kind == "timeout" else "db_down"
    st.error(t(key, lang(), ref=incident(exc, f"warehouse {kind}")), icon="⚠️")
    st.stop()


def guarded(fn):
    """The page's side of a warehouse call: a fault becomes the one sentence (stop_on_fault)."""
    @functools.wraps(fn)
    def run(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - stop_on_fault re-raises what is not a warehouse fault
            stop_on_fault(exc)
    return run


TTL = int(get_settings().cache_ttl_seconds)
metric_engine.RESULT_TTL_SECONDS = TTL          # the query result cache keeps a frame as long as the page caches
# How the caches hash a Filters argument: its repr names every field and value, as the dataclass hashing Streamlit
# falls back to does (dataclasses.asdict, a deep copy) at a tenth of the cost; a page run makes about two hundred
# cached calls, most of them with the filters (tests/test_concurrency_queries.py checks that filters never share a
# key).
HASH_FUNCS = {Filters: repr}


def by_name(cached, fn):
    """`cached` (fn under st.cache_data) called with every argument by its name. The key is the same: Streamlit
    hashes (name, value) pairs in the signature's order either way, but for an argument given by position it looks
    the name up in the function's signature on every call (inspect.signature, through the wrappers), a tenth of
    the cache's own cost on a page of two hundred cached calls."""
    names = tuple(inspect.signature(fn).parameters)

    @functools.wraps(fn)
    def call(*args, **kwargs):
        if args:
            kwargs = {**dict(zip(names, args)), **kwargs}
        return cached(**kwargs)
    call.clear = cached.clear
    return call


def cached_read(fn):
    """A read cached on its arguments (the data version among them), retried once on a warehouse fault, and
    guarded: what a page calls."""
    return guarded(by_name(st.cache_data(ttl=TTL, show_spinner=False, hash_funcs=HASH_FUNCS)(retrying(fn)), fn))


# --- the data version, read at most every VERSION_TTL_SECONDS per server -------------------------------------
_versions: dict[tuple[str, str], dict] = {}
_versions_lock = threading.Lock()


def _warehouse_key() -> tuple[str, str]:
    s = get_settings()
    return s.db_url, s.db_schema


warehouse_key = _warehouse_key          # which warehouse this process reads (URL, schema): a key for memos


def forget_version() -> None:
    """The next rerun reads the data version from the warehouse (this server just wrote)."""
    with _versions_lock:
        for seen in _versions.values():
            seen["checked"] = float("-inf")


def data_version() -> tuple[int, str]:
    """(version, changed at) from the warehouse, reused for VERSION_TTL_SECONDS: the warehouse check and the
    version read are one query, not one per rerun. A failure is remembered as long, so a warehouse that is away
    is not asked on every rerun either; raises the fault (the last good version stays in _versions)."""
    key = _warehouse_key()
    ttl = float(get_settings().version_ttl_seconds or 0)
    now = time.monotonic()
    with _versions_lock:
        seen = _versions.setdefault(key, {"checked": float("-inf")})
        if now - seen["checked"] < ttl:
            if seen.get("error") is not None:
                raise seen["error"]
            return seen["version"], seen["updated"]
    try:
        version, updated = retrying(catalog.data_version)(engine())
    except Exception as exc:  # noqa: BLE001 - remembered, then raised to the caller
        with _versions_lock:
            seen.update(checked=now, error=exc)
        raise
    with _versions_lock:
        seen.update(checked=now, error=None, version=version, updated=updated, confirmed=dt.datetime.now())
    return version, updated


def require_warehouse() -> tuple[int, str]:
    """The data version for this rerun. When the warehouse does not answer: with a version read earlier, the page
    goes on with it (cached numbers stay on screen) under a note that they are stale and since when; without
    one, the page stops with a message in the user's language. Called once per rerun: it also starts the run's
    query memo (an identical query runs once per rerun)."""
    new_run()
    try:
        version, updated = data_version()
        set_run_version(version, _warehouse_key())      # the run reads and fills the result cache of this version
        return version, updated
    except Exception as exc:  # noqa: BLE001 - any driver error ends here
        with _versions_lock:
            seen = dict(_versions.get(_warehouse_key(), {}))
        kind = fault_kind(exc) or "down"
        if "version" in seen:
            at = seen["confirmed"].strftime("%d.%m.%Y %H.%M.%S")
            st.warning(t("db_stale", lang(), at=at, ref=incident(exc, f"warehouse {kind} (stale)")), icon="⚠️")
            set_run_version(seen["version"], _warehouse_key())     # what was read at it stays on screen
            return seen["version"], seen["updated"]
        st.error(t("db_timeout" if kind == "timeout" else "db_down", lang(),
                   ref=incident(exc, "warehouse connection")), icon="⚠️")
        st.stop()


@cached_read
def municipalities(version: int) -> pd.DataFrame:
    return catalog.municipalities(engine())


@cached_read
def latest_month(version: int) -> tuple[int, int]:
    return catalog.latest_month(engine())


@cached_read
def summary(kpi_id: str, filters: Filters, version: int) -> KPISummary:
    return kpi_summary(engine(), kpi_id, filters)


@cached_read
def values(kpi_id: str, filters: Filters, by: tuple[str, ...], years: tuple[int, ...] | None,
           version: int) -> pd.DataFrame:
    return kpi_values(engine(), kpi_id, filters, by, years)


@cached_read
def series(kpi_id: str, filters: Filters, grain: str, years: tuple[int, ...] | None, version: int) -> pd.DataFrame:
    return kpi_series(engine(), kpi_id, filters, grain, years)


@cached_read
def forecast(kpi_id: str, filters: Filters, version: int, latest_year: int) -> dict:
    """Stored forecast for this scope and data version (computed and stored on first use). The scope's stored
    runs are read together, once (stored_runs): a page judging twenty KPIs makes three reads, not sixty."""
    stored = stored_runs(scope_key(filters), version).get(kpi_id)
    return kpi_forecast(engine(), load_registry()[kpi_id], filters, version, latest_year, stored=stored)


@st.cache_resource(ttl=TTL, max_entries=64, show_spinner=False)
def _stored_runs(warehouse: tuple[str, str], scope: str, version: int) -> dict[str, dict]:
    return retrying(forecasts.load_scope)(engine(), scope, version)


@guarded
def stored_runs(scope: str, version: int) -> dict[str, dict]:
    """Every forecast run stored for a scope at a data version, as it was when first asked (a KPI forecast
    later is read on its own by kpi_forecast; runs at a version never change). Held as it is (cache_resource,
    keyed on the warehouse too), not copied per call like cache_data's values: each KPI's forecast takes its
    own run from it (a copy of every run of the scope for each of twenty KPIs was a tenth of the strategic
    page), and nothing changes it (kpi_forecast makes new frames; its result is cache_data's, so a page gets
    copies)."""
    return _stored_runs(_warehouse_key(), scope, version)


def clear_caches() -> None:
    """Empty the page data caches, the query result cache and the kept chart specs (not the engine): what a cold
    page starts from, for the benchmarks."""
    from ui import charts, compare as compare_ui
    st.cache_data.clear()
    clear_results()
    _stored_runs.clear()
    for clear in _also_cleared:
        clear()
    charts.forget()
    compare_ui.forget()


_also_cleared: list = []


def clear_with_caches(clear) -> None:
    """Have clear_caches() call `clear` too (a module above this one holding objects per process)."""
    _also_cleared.append(clear)


@guarded
def stored_forecasts(scope: str, version: int) -> list[str]:
    """KPI ids with a forecast stored for a scope and data version (not cached: it grows as they are made)."""
    return forecasts.stored_kpis(engine(), scope, version)


@cached_read
def service_points(version: int) -> pd.DataFrame:
    return catalog.service_points(engine())


@cached_read
def service_areas(version: int) -> pd.DataFrame:
    return catalog.service_areas(engine())


@cached_read
def service_deficit(version: int) -> pd.DataFrame:
    return catalog.service_deficit(engine())


@cached_read
def composite_scores(filters: Filters, version: int,
                     missed: frozenset[str] = frozenset()) -> list[tuple[str, float, str | None, pd.DataFrame]]:
    """(area id, score, status, explanation table) for every area of metrics/composite.yaml; `missed`: the KPIs
    whose target verdict says missed or off track (an area with one of them is not "on target")."""
    rules = load_rules()
    out = []
    for area in rules.areas:
        values_ = {i.kpi: summary(i.kpi, filters, version).value for i in area.indicators}
        score, status, table = score_area(area, values_, rules, missed)
        out.append((area.id, score, status, table))
    return out


def kpi_sql(kpi_id: str, filters: Filters) -> tuple[str, str]:
    """(dialect name, the SQL) a KPI's numerator and denominator compile to for `filters`, values written in: what
    Mittarin tiedot shows behind its toggle, beside the formula in words."""
    from metrics.engine import measure_select
    reg = load_registry()
    k = reg[kpi_id]
    dialect = engine().dialect
    parts = [str(measure_select(reg.measures[m], filters, ("yr",), (filters.year,), k.filter)
                 .compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
             for m in filter(None, (k.numerator, k.denominator))]
    return dialect.name, ";\n\n".join(parts) + ";"


def place(f: Filters, version: int) -> str:
    """The chosen area in words (a page subtitle, a file's heading)."""
    return sidebar.place(f, municipalities(version), lang())


def describe(f: Filters, version: int) -> str:
    return sidebar.describe(f, municipalities(version), lang())
