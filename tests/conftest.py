"""Shared fixtures: one small demo warehouse (DuckDB file) per test session, and PostgreSQL access."""
from __future__ import annotations

import contextlib
import os
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
LATEST = "2026-10"          # fixed so that tests do not depend on today's date
TEST_SCALE = 0.3
PG_URL = os.environ.get("TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() == "true"
os.environ["DASHBOARD_VALIDATE_CHARTS"] = "1"     # every chart the tests draw is checked against the Vega-Lite schema
# the session warehouse is shared by every test: no server forecasts it in the background behind their backs
# (tests/test_forecast_background.py turns it on for a warehouse of its own)
os.environ.setdefault("DASHBOARD_FORECAST_ON_NEW_DATA", "off")


def run_dir(tmp_path_factory) -> Path:
    """A directory of this test run that every xdist worker sees (a worker's basetemp is …/popen-gwN inside the
    controller's)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    """The demo warehouse (TEST_SCALE, LATEST) built once per test run, whichever worker comes first (a file
    lock), and never opened afterwards: tests and browser servers get byte copies of it (a copy takes a fraction
    of a second, a build several seconds)."""
    import fcntl

    from data_sources import demo
    from data_sources.engine import make_engine

    folder = run_dir(tmp_path_factory) / "demo_template"
    folder.mkdir(exist_ok=True)
    path, done = folder / "warehouse.duckdb", folder / "built"
    with open(folder / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            path.unlink(missing_ok=True)
            engine = make_engine(f"duckdb:///{path}", query_timeout=0)
            demo.write_warehouse(engine, demo.generate(scale=TEST_SCALE, latest=LATEST))
            engine.dispose()                  # closing checkpoints: the whole warehouse is in the one file
            assert not path.with_name(path.name + ".wal").exists()
            done.touch()
    from . import browser
    browser.DEMO_TEMPLATES[LATEST] = path     # running_app copies it instead of building a warehouse
    return path


@pytest.fixture(scope="session")
def warehouse_path(demo_template, tmp_path_factory) -> Path:
    import shutil

    path = tmp_path_factory.mktemp("wh") / "warehouse.duckdb"
    shutil.copy(demo_template, path)
    return path


@pytest.fixture(scope="session", autouse=True)
def app_env(warehouse_path):
    """Point the app (AppTest runs in this process) at the test warehouse."""
    os.environ["DASHBOARD_DB_URL"] = f"duckdb:///{warehouse_path}"
    os.environ["DASHBOARD_LATEST_MONTH"] = LATEST
    yield


@pytest.fixture(scope="module")
def warehouse_copy(warehouse_path, tmp_path_factory):
    """A function giving an engine on a private copy of the session warehouse (for tests that write)."""
    import shutil

    from data_sources.engine import make_engine
    engines = []

    def make(name: str = "copy") -> sa.Engine:
        path = tmp_path_factory.mktemp(name) / "warehouse.duckdb"
        shutil.copy(warehouse_path, path)
        engines.append(make_engine(f"duckdb:///{path}"))
        return engines[-1]
    yield make
    for engine in engines:
        engine.dispose()


@pytest.fixture(scope="session")
def duck(warehouse_path) -> sa.Engine:
    from data_sources.engine import make_engine
    return make_engine(f"duckdb:///{warehouse_path}")


@pytest.fixture(scope="session")
def command_line(tmp_path_factory):
    """`command_line.run("app.users", "--url", url, "list", env=..., input=...)`: the app's command line in a
    process of its own, as `python -m app.users ...` runs it, forked from a helper that has the third-party libraries
    imported already (tests/cli.py); a subprocess.CompletedProcess."""
    from .cli import CommandLines
    lines = CommandLines(tmp_path_factory.mktemp("command_line"))
    yield lines
    lines.close()


def pg_available() -> tuple[bool, str]:
    try:
        eng = sa.create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with eng.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        eng.dispose()
        return True, ""
    except Exception as exc:  # noqa: BLE001
        return False, str(exc).splitlines()[0]


@contextlib.contextmanager
def private_pg_schema(prefix: str = "jt_test"):
    """A fresh schema in the PostgreSQL test database, dropped afterwards; skipped without a server, but never
    in CI."""
    ok, why = pg_available()
    if not ok:
        if IN_CI:
            pytest.fail(f"PostgreSQL at {PG_URL} must answer in CI: {why}")
        pytest.skip(f"no PostgreSQL server at {PG_URL}: {why}")
    schema = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    try:
        yield PG_URL, schema
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture(scope="session")
def pg_schema_url():
    with private_pg_schema() as url_schema:
        yield url_schema


def _pg_template_dir(base: Path) -> Path:
    return base / "pg_template"


@pytest.fixture(scope="session")
def pg_template(tmp_path_factory) -> tuple[str, str]:
    """(URL, schema) of the run's PostgreSQL demo warehouse (TEST_SCALE, LATEST: the same data as the DuckDB demo),
    built once per test run by whichever worker asks first (a file lock) and dropped when the run ends
    (pytest_sessionfinish). The URL logs in as a role that may only read it, so that no module changes what the
    others read: a module that writes takes a copy of its own (pg_demo_copy)."""
    import fcntl

    from data_sources import demo
    from data_sources.engine import make_engine

    ok, why = pg_available()
    if not ok:
        if IN_CI:
            pytest.fail(f"PostgreSQL at {PG_URL} must answer in CI: {why}")
        pytest.skip(f"no PostgreSQL server at {PG_URL}: {why}")
    folder = _pg_template_dir(run_dir(tmp_path_factory))
    folder.mkdir(exist_ok=True)
    built = folder / "built"
    with open(folder / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not built.exists():
            schema = f"jt_tmpl_{uuid.uuid4().hex[:8]}"
            with open(folder / "made", "a") as made:        # before anything exists: the end of the run drops it
                made.write(schema + "\n")
            admin = sa.create_engine(PG_URL)
            with admin.begin() as conn:
                conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
            engine = make_engine(PG_URL, schema=schema, query_timeout=0)
            demo.write_warehouse(engine, demo.generate(scale=TEST_SCALE, latest=LATEST))
            engine.dispose()
            with admin.begin() as conn:
                conn.execute(sa.text(f"CREATE ROLE {schema}_reader LOGIN"))
                conn.execute(sa.text(f"GRANT USAGE ON SCHEMA {schema} TO {schema}_reader"))
                conn.execute(sa.text(f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {schema}_reader"))
            admin.dispose()
            built.write_text(schema)
        schema = built.read_text()
    return PG_URL.replace("://postgres@", f"://{schema}_reader@"), schema


@pytest.fixture(scope="session")
def pg_demo_copy(pg_template):
    """`with pg_demo_copy(prefix) as (url, schema):` a fresh schema holding a copy of the run's PostgreSQL demo
    warehouse (tables, rows, indexes, sequences, views, triggers: as a demo build leaves them), dropped afterwards;
    for a module that writes. A server-side copy takes seconds where a demo build takes half a minute."""
    from .pg_demo import clone_schema
    _, template = pg_template

    @contextlib.contextmanager
    def copy(prefix: str = "jt_test"):
        with private_pg_schema(prefix) as (url, schema):
            admin = sa.create_engine(url)
            with admin.begin() as conn:
                clone_schema(conn, template, schema)
            admin.dispose()
            yield url, schema
    return copy


def pytest_sessionfinish(session):
    """The controller (or the one process without xdist), after every worker has finished: drop the run's
    PostgreSQL demo template and its reader role (only the ones this run made, listed by pg_template)."""
    if hasattr(session.config, "workerinput"):
        return
    made = _pg_template_dir(session.config._tmp_path_factory.getbasetemp()) / "made"
    if not made.exists():
        return
    admin = sa.create_engine(PG_URL)
    try:
        with admin.begin() as conn:
            for schema in made.read_text().split():
                conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
                reader = conn.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": f"{schema}_reader"})
                if reader.first():
                    conn.execute(sa.text(f"DROP OWNED BY {schema}_reader"))
                    conn.execute(sa.text(f"DROP ROLE {schema}_reader"))
        made.unlink()
    finally:
        admin.dispose()


# The browser modules that only read the demo warehouse share one server (shared_app). Under xdist they run as one
# unit of work on one worker (see pytest_xdist_make_scheduler below), so the run starts that server once; a module
# that uses shared_app without being listed here still passes, with a server of its own on the other worker.
# Forecasts the forecast page computes and stores there, and audit events of exports, change no other page's view.
SHARED_SERVER_MODULES = ("tests/test_browser_accessibility.py", "tests/test_browser_child_budget.py",
                         "tests/test_browser_compare.py", "tests/test_browser_forecast.py",
                         "tests/test_browser_overview.py")
# Modules that take longest (measured, roughly slowest first): handed out before the rest so that neither worker
# is left with a long module at the end while the other idles. A stale list only costs balance, never a test.
# Seconds per module in a full run (junit, 2 workers, after the PostgreSQL template and the script-state waits):
# hostile 345 (with the template build), the shared-server unit 215, rollups 90, views_notes_app 63,
# two_servers 59, subscriptions 54, auth_app 49, browser_upload 49, forecast_bulk 48, upload_db_down 47,
# kpi_pages_app 45, browser_views 45, browser_auth 41, auth_store 40, child_budget_engine 38, compare_app 37, ...
SLOW_FIRST = ("tests/test_hostile.py", *SHARED_SERVER_MODULES, "tests/test_rollups.py", "tests/test_views_notes_app.py",
              "tests/test_two_servers.py", "tests/test_subscriptions.py", "tests/test_auth_app.py",
              "tests/test_browser_upload.py", "tests/test_forecast_bulk.py", "tests/test_upload_db_down.py",
              "tests/test_kpi_pages_app.py", "tests/test_browser_views.py", "tests/test_browser_auth.py",
              "tests/test_auth_store.py", "tests/test_child_budget_engine.py", "tests/test_query_fusion.py",
              "tests/test_compare_app.py",
              "tests/test_faults.py", "tests/test_forecast_background.py", "tests/test_upload_extent.py",
              "tests/test_concurrency_load.py", "tests/test_forecast_app.py", "tests/test_browser_navigation.py",
              "tests/test_browser_export.py", "tests/test_office.py", "tests/test_browser_upload_mapping.py",
              "tests/test_upload_app.py", "tests/test_text_rules.py", "tests/test_schema_migrations.py",
              "tests/test_board_pack_app.py", "tests/test_upload_ingest.py", "tests/test_subscriptions_app.py",
              "tests/test_child_budget.py", "tests/test_child_budget_app.py", "tests/test_forecast.py",
              "tests/test_verdict.py", "tests/test_charts_template.py")


@pytest.fixture(scope="session")
def shared_app(demo_template, tmp_path_factory):
    """The URL of one Streamlit server on a copy of the demo warehouse, for browser tests that only read."""
    from .browser import running_app
    with running_app(tmp_path_factory.mktemp("shared_app") / "shared.duckdb", LATEST) as url:
        yield url


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """--dist loadfile (pytest.ini), with two changes: the SHARED_SERVER_MODULES are one unit, and units are handed
    out slowest first (SLOW_FIRST, then the rest by number of tests, as xdist does)."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    shared = "browser modules on shared_app"

    class Scheduling(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = super()._split_scope(nodeid)
            return shared if module in SHARED_SERVER_MODULES else module

        def _assign_work_unit(self, node) -> None:
            def rank(scope: str) -> int:
                names = SHARED_SERVER_MODULES if scope == shared else (scope,)
                return min((SLOW_FIRST.index(n) for n in names if n in SLOW_FIRST), default=len(SLOW_FIRST))
            first = min(self.workqueue, key=rank)          # ties keep xdist's order (most tests first)
            self.workqueue.move_to_end(first, last=False)
            super()._assign_work_unit(node)

    return Scheduling(config, log)
