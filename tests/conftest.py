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


@pytest.fixture(scope="session")
def warehouse_path(tmp_path_factory) -> Path:
    from data_sources import demo
    from data_sources.engine import make_engine

    path = tmp_path_factory.mktemp("wh") / "warehouse.duckdb"
    engine = make_engine(f"duckdb:///{path}")
    demo.write_warehouse(engine, demo.generate(scale=TEST_SCALE, latest=LATEST))
    engine.dispose()
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
