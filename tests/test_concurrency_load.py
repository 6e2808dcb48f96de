"""Many users at once: 10 simultaneous sessions (overview, county change, page switch) against a real server on a
copy of the test warehouse, driven by the shared websocket load client through bench/load.py: no session sees an
error (the old SingletonThreadPool gave 5 of 10 "Connection already closed!"). Threads on one DuckDB engine too."""
from __future__ import annotations

import importlib.util
import shutil
import threading

import pytest
import sqlalchemy as sa

from .conftest import ROOT


def _load_module():
    spec = importlib.util.spec_from_file_location("bench_load", ROOT / "bench" / "load.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_ten_simultaneous_sessions_no_errors(warehouse_path, tmp_path):
    load = _load_module()
    if not load.WS_LOAD.exists():
        pytest.fail(f"the shared load client is missing: {load.WS_LOAD}")
    copy = tmp_path / "warehouse.duckdb"
    shutil.copy(warehouse_path, copy)            # the server process opens the file alone
    s = load.run(10, url=f"duckdb:///{copy}", timeout=180, quiet=True)
    assert s["sessions"] == 10
    assert s["sessions_with_errors"] == 0, s["errors"][:5]
    assert all(v["ok"] == 10 for k, v in s["steps"].items() if k != "connect"), s["steps"]


def test_forty_threads_share_one_duckdb_engine(warehouse_copy):
    """More threads than the pool holds, each running queries: none fails, none gets another's result."""
    from metrics.engine import Filters, kpi_values
    engine = warehouse_copy("threads")
    expected = {c: kpi_values(engine, "contacts_total", Filters(year=2025, county=c)).value.iloc[0]
                for c in ("KS", "KH", "PH")}
    errors, wrong = [], []

    def work(i):
        county = ("KS", "KH", "PH")[i % 3]
        try:
            for _ in range(5):
                got = kpi_values(engine, "contacts_total", Filters(year=2025, county=county)).value.iloc[0]
                if got != expected[county]:
                    wrong.append((county, got))
                with engine.connect() as conn:
                    conn.execute(sa.text("SELECT count(*) FROM fact_contacts")).scalar()
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(repr(exc))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[:3]
    assert not wrong, wrong[:3]
