"""The bulk forecast job: grouped reads give each area exactly the series kpi_series gives (suppression
included), worker processes compute every indicator x area, and saving is conflict-tolerant (two processes
storing the same forecasts at once on PostgreSQL: no error, one run each)."""
import multiprocessing

import pandas as pd
import pytest
import sqlalchemy as sa

from data_sources import catalog, forecasts, schema
from data_sources.engine import make_engine
from metrics import forecast_job as J
from metrics.engine import Filters, kpi_series
from metrics.forecast import MODELS, history_filters, scope_key
from metrics.registry import load_registry


REG = load_registry()
MONTHLY = [k for k in REG.kpis.values() if "month" in k.grains]


def test_grouped_reads_equal_kpi_series_for_every_area(duck):
    scopes = J.scopes(catalog.municipalities(duck), 2026)
    assert len(scopes) * len(MONTHLY) >= 1000               # every indicator x area is over a thousand series
    hidden = 0
    for k in MONTHLY:
        got = J._read(duck, k, scopes, 2026, REG)
        assert [f for f, _ in got] and {scope_key(f) for f, _ in got} == {scope_key(f) for f in scopes}
        for f, series in got[:: max(1, len(got) // 6)] + [g for g in got if g[0].municipalities == ("435",)]:
            want = kpi_series(duck, k, history_filters(f, 2026), "month")
            pd.testing.assert_frame_equal(series[["period", "value", "suppressed"]].reset_index(drop=True),
                                          want[["period", "value", "suppressed"]].reset_index(drop=True),
                                          check_dtype=False, obj=f"{k.id} {scope_key(f)}")
            hidden += int(want.suppressed.sum())
    assert hidden, "the comparison should meet suppressed months (Luhanka)"


def test_the_job_runs_every_indicator_and_area_in_worker_processes(warehouse_copy):
    wh = warehouse_copy("bulk")
    munis = catalog.municipalities(wh)
    scopes = J.scopes(munis, 2026, level="county")
    seen = []
    res = J.run(wh, 3, 2026, scopes, progress=lambda i, n: seen.append((i, n)), workers=2)
    total = len(scopes) * len(MONTHLY)
    assert res["total"] == res["computed"] == total and total >= J.PARALLEL_FROM     # the process pool ran
    assert seen[0] == (0, total) and seen[-1] == (total, total) and len(seen) > 2
    assert [i for i, _ in seen] == sorted(i for i, _ in seen)
    keys = forecasts.stored_keys(wh, 3)
    assert keys == {(k.id, scope_key(f)) for k in MONTHLY for f in scopes}
    stored = forecasts.load(wh, "care_guarantee_7d", "county_code=KS", 3)
    assert stored["model"] in MODELS and len(stored["points"]) == 24 and len(stored["backtests"]) >= 5
    again = J.run(wh, 3, 2026, scopes, workers=2)                  # nothing left: everything skipped
    assert again["computed"] == 0 and again["skipped"] == total


def test_the_readme_command_runs_the_job_in_worker_processes(warehouse_copy):
    """`python -m metrics.forecast_job` (what the README says to run after a data load): under -m the module is
    __main__, which spawned workers do not have; they must still find the work function."""
    import subprocess
    import sys

    from .conftest import ROOT
    wh = warehouse_copy("bulk_cli")
    url = str(wh.url)
    wh.dispose()                                  # DuckDB: one process holds the file at a time
    out = subprocess.run([sys.executable, "-m", "metrics.forecast_job", "--url", url, "--level", "county",
                          "--workers", "2"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    n = 4 * len(MONTHLY)                          # the whole region and three counties
    assert n >= J.PARALLEL_FROM and f"{n} series forecast (0 already stored)" in out.stdout, out.stdout
    engine = make_engine(url)
    version, _ = catalog.data_version(engine)
    assert len(forecasts.stored_keys(engine, version)) == n
    engine.dispose()


def test_saving_the_same_run_twice_keeps_the_first(warehouse_copy):
    wh = warehouse_copy("twice")
    run = dict(model=None, reason="suppressed", last_period=pd.Timestamp("2026-10-01"), seconds=0.1, points=None,
               backtests=[])
    assert forecasts.save(wh, "calls_total", "all", 4, **run) is True
    assert forecasts.save(wh, "calls_total", "all", 4, **{**run, "reason": "too_short"}) is False
    assert forecasts.load(wh, "calls_total", "all", 4)["reason"] == "suppressed"
    assert forecasts.save(wh, "calls_total", "all", 5, **run) is True   # a newer version replaces the older
    assert forecasts.load(wh, "calls_total", "all", 4) is None


def test_two_threads_saving_the_same_runs_at_once_do_not_fail(warehouse_copy):
    """A page and the background job of one server store the same forecast at the same moment: DuckDB's optimistic
    transactions failed the second with "Duplicate key" despite ON CONFLICT DO NOTHING (seen in the background
    test); the process's write lock orders them, and exactly one stores each run."""
    import threading
    wh = warehouse_copy("race")
    run = dict(model=None, reason="suppressed", last_period=pd.Timestamp("2026-10-01"), seconds=0.1, points=None,
               backtests=[])
    for version in range(10, 16):
        barrier, took, errors = threading.Barrier(2), [], []

        def save(kpi_id="calls_total"):
            barrier.wait()
            try:
                took.append(forecasts.save(wh, kpi_id, "all", version, **run))
            except Exception as exc:  # noqa: BLE001 - the failure this test is about
                errors.append(exc)
        threads = [threading.Thread(target=save) for _ in range(2)]
        for th in threads:
            th.start()
        for th in threads:
            th.join(30)
        assert errors == [] and sorted(took) == [False, True], (version, errors, took)


def _job(url, schema_name, version, out):
    engine = make_engine(url, schema=schema_name)
    try:
        res = J.run(engine, version, 2026, [Filters(year=2026), Filters(year=2026, county="KS")], workers=1,
                    recompute=True)
        out.put(("ok", res["computed"]))
    except Exception as exc:  # noqa: BLE001 - reported to the test
        out.put(("error", repr(exc)))


@pytest.mark.postgres
def test_two_processes_storing_the_same_forecasts_at_once_on_postgresql(pg_demo_copy):
    with pg_demo_copy("jt_fcbulk") as (url, schema_name):      # any data: it is about the writes
        pg = make_engine(url, schema=schema_name)
        ctx = multiprocessing.get_context("spawn")
        out = ctx.Queue()
        procs = [ctx.Process(target=_job, args=(url, schema_name, 11, out)) for _ in range(2)]
        with J.plain_main():                                         # as under AppTest or Streamlit
            for p in procs:
                p.start()
        results = [out.get(timeout=300) for _ in procs]
        for p in procs:
            p.join(timeout=60)
        assert [r[0] for r in results] == ["ok", "ok"], results
        with pg.connect() as conn:
            runs = conn.execute(sa.select(sa.func.count()).select_from(schema.forecast_run)
                                .where(schema.forecast_run.c.data_version == 11)).scalar()
            points = conn.execute(sa.select(sa.func.count()).select_from(schema.forecast_point)
                                  .where(schema.forecast_point.c.data_version == 11)).scalar()
            n_models = conn.execute(sa.select(sa.func.count()).select_from(schema.forecast_run).where(
                schema.forecast_run.c.data_version == 11, schema.forecast_run.c.model.is_not(None))).scalar()
        assert runs == 2 * len(MONTHLY)                             # one run per KPI and area, none twice
        assert points == 24 * n_models                              # points of one writer only
        pg.dispose()
