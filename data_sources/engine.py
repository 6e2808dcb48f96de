"""Engine factory: the same code path for an embedded DuckDB file and a PostgreSQL warehouse.

Concurrency. Every Streamlit rerun runs in a thread of its own, so the engine is shared by many threads.
- DuckDB: the process owns one connection to the file (opened on first use, closed by engine.dispose()); the
  pool hands out cursors of it (DuckDB's own rule: one cursor per thread; a cursor is a connection of its own on
  the same database). It is a QueuePool, which never closes a connection another thread is using (the old
  SingletonThreadPool closed connections past five threads: "Connection already closed!", "No open result set").
- PostgreSQL: a QueuePool of real sessions, checked with pool_pre_ping, so a server that went away and came
  back is reconnected to without a restart.

Time limits. A query may run `QUERY_TIMEOUT_SECONDS`: PostgreSQL ends it itself (statement_timeout), a DuckDB
query is interrupted by a watchdog thread (DuckDBPyConnection.interrupt). Either way the caller gets an error
that fault_kind() calls "timeout", and the UI says so in its own words.
"""
from __future__ import annotations

import heapq
import itertools
import re
import threading
import time
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from .settings import get_settings


class WarehouseUnavailable(RuntimeError):
    """The warehouse cannot be reached or opened; the UI shows a message, not a traceback."""


POOL_SIZE = 8          # connections kept open per process; more threads wait up to POOL_TIMEOUT for one
MAX_OVERFLOW = 16
POOL_TIMEOUT = 30


def make_engine(url: str | None = None, schema: str | None = None, query_timeout: float | None = None) -> sa.Engine:
    """An engine for the warehouse; `query_timeout` in seconds (None: the QUERY_TIMEOUT_SECONDS setting, 0: no
    limit, for batch jobs such as the demo build and the rollup rebuild)."""
    settings = get_settings()
    url = url or settings.db_url
    schema = settings.db_schema if schema is None else schema
    timeout = float(settings.query_timeout_seconds or 0) if query_timeout is None else float(query_timeout)
    parsed = make_url(url)
    kwargs: dict = {"pool_size": POOL_SIZE, "max_overflow": MAX_OVERFLOW, "pool_timeout": POOL_TIMEOUT,
                    "poolclass": sa.pool.QueuePool}
    if parsed.get_backend_name() == "duckdb":
        db = parsed.database
        if db and db != ":memory:":
            Path(db).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, **kwargs)
        _own_one_connection(engine)
        if timeout > 0:
            _interrupt_after(engine, timeout)
        return engine
    if parsed.get_backend_name() == "postgresql":
        kwargs["pool_pre_ping"] = True
        options = []
        if schema:
            options.append(f"-csearch_path={schema}")
        if timeout > 0:
            options.append(f"-cstatement_timeout={int(timeout * 1000)}")
        work_mem = (settings.pg_work_mem or "").strip()
        if work_mem:
            if not re.fullmatch(r"\d+\s*(kB|MB|GB)?", work_mem):
                raise ValueError(f"DASHBOARD_PG_WORK_MEM must be like 64MB, not {work_mem!r}")
            options.append(f"-cwork_mem={work_mem.replace(' ', '')}")
        connect_args: dict = {"connect_timeout": 5}
        if options:
            connect_args["options"] = " ".join(options)
        kwargs["connect_args"] = connect_args
        return sa.create_engine(url, **kwargs)
    return sa.create_engine(url)


def _own_one_connection(engine: sa.Engine) -> None:
    """DuckDB: open the file once per engine and give the pool cursors of that connection."""
    lock = threading.Lock()
    root: dict = {}

    @sa.event.listens_for(engine, "do_connect")
    def _cursor_of_root(dialect, conn_rec, cargs, cparams):
        with lock:
            if "conn" not in root:
                root["conn"] = dialect.connect(*cargs, **dict(cparams))    # duckdb_engine's ConnectionWrapper
            wrapper = root["conn"]
            # wrapper.cursor() is duckdb_engine's CursorWrapper; its .cursor() is DuckDBPyConnection.cursor():
            # a new connection to the same database instance, safe to use from another thread
            return type(wrapper)(wrapper.cursor().cursor())

    @sa.event.listens_for(engine, "engine_disposed")
    def _close_root(_engine):
        with lock:
            conn = root.pop("conn", None)
        if conn is not None:
            try:
                conn.close()
            except Exception:  # noqa: BLE001 - closing twice or after the file went away is not an error here
                pass


class _Watchdog:
    """One thread that calls a function when its deadline passes, unless it was cancelled first."""

    def __init__(self):
        self._cv = threading.Condition()
        self._heap: list[tuple[float, int]] = []
        self._jobs: dict[int, object] = {}
        self._ids = itertools.count()
        self._thread: threading.Thread | None = None

    def after(self, seconds: float, fn) -> int:
        with self._cv:
            token = next(self._ids)
            self._jobs[token] = fn
            heapq.heappush(self._heap, (time.monotonic() + seconds, token))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="query-watchdog", daemon=True)
                self._thread.start()
            self._cv.notify()
            return token

    def cancel(self, token: int) -> None:
        with self._cv:
            self._jobs.pop(token, None)

    def _run(self) -> None:
        while True:
            with self._cv:
                while self._heap and self._heap[0][1] not in self._jobs:
                    heapq.heappop(self._heap)                  # cancelled
                if not self._heap:
                    self._cv.wait(timeout=60)
                    continue
                deadline, token = self._heap[0]
                wait = deadline - time.monotonic()
                if wait > 0:
                    self._cv.wait(timeout=wait)
                    continue
                heapq.heappop(self._heap)
                fn = self._jobs.pop(token, None)
            if fn is not None:
                try:
                    fn()
                except Exception:  # noqa: BLE001 - the connection may have closed meanwhile
                    pass


_watchdog = _Watchdog()


def _interrupt_after(engine: sa.Engine, seconds: float) -> None:
    """DuckDB has no statement_timeout: interrupt the connection's query when it runs past `seconds`."""

    @sa.event.listens_for(engine, "before_cursor_execute")
    def _arm(conn, cursor, statement, parameters, context, executemany):
        raw = conn.connection.driver_connection
        conn.info["_watchdog"] = _watchdog.after(seconds, raw.interrupt)

    @sa.event.listens_for(engine, "after_cursor_execute")
    def _disarm(conn, cursor, statement, parameters, context, executemany):
        token = conn.info.pop("_watchdog", None)
        if token is not None:
            _watchdog.cancel(token)

    @sa.event.listens_for(engine, "handle_error")
    def _disarm_on_error(ctx):
        if ctx.connection is not None:
            token = ctx.connection.info.pop("_watchdog", None)
            if token is not None:
                _watchdog.cancel(token)


def fault_kind(exc: BaseException) -> str | None:
    """'timeout' for a query that ran past its limit, 'down' for a warehouse that cannot be reached or failed
    under us, None for anything else (a bug, which should surface as one)."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        name = type(exc).__name__
        text = str(exc)
        if name in ("QueryCanceled", "InterruptException") or "canceling statement due to statement timeout" in text \
                or "INTERRUPT Error" in text:
            return "timeout"
        if isinstance(exc, (WarehouseUnavailable, sa.exc.OperationalError, sa.exc.InterfaceError,
                            sa.exc.DisconnectionError, ConnectionError, sa.exc.TimeoutError)):
            return "down"
        if isinstance(exc, sa.exc.DBAPIError) and exc.connection_invalidated:
            return "down"
        if name in ("OperationalError", "InterfaceError", "IOException", "ConnectionException"):
            return "down"
        exc = getattr(exc, "orig", None) or exc.__cause__ or exc.__context__
    return None


def check_connection(engine: sa.Engine) -> None:
    """Raise WarehouseUnavailable with the driver's reason when the warehouse does not answer."""
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except Exception as exc:  # driver errors differ by backend; the message is what matters
        raise WarehouseUnavailable(str(exc).splitlines()[0]) from exc
