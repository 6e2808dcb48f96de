"""Aggregate awareness: every KPI x a set of filters and groupings gives the same numbers, to the cent, and the same
suppression from the monthly rollups as from the fact views, on DuckDB and PostgreSQL; uploads and rollbacks keep
the rollups in step in their own transaction; the rebuild command restores them; the engine really reads them."""
from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from data_sources import rollups, uploads
from data_sources.engine import make_engine
from metrics.engine import Filters, facts_only, kpi_values, measure_select
from metrics.registry import load_registry

from .conftest import ROOT

REG = load_registry()


def _scoped(**kw) -> Filters:
    """Region scope (row-level security) where Filters has it: rollups keep county and municipality for it."""
    fields = {f.name for f in dataclasses.fields(Filters)}
    return Filters(**{k: v for k, v in kw.items() if k in fields or not k.startswith("scope_")})


FILTERS = [
    Filters(year=2025),
    Filters(year=2026, months=(1, 10), county="KH"),
    Filters(year=2024, municipalities=("179", "410"), service_areas=("primary_care", "dental")),
    Filters(year=2025, months=(3, 8), age_groups=("0-6", "75+")),
    _scoped(year=2026, months=(1, 6), scope_county="PH", service_areas=("mental_substance",)),
]
# each filter with two groupings (the pages' ones: years, months, quarters, regions, service areas, channels)
BYS = [(("yr",), ("municipality_code",)), (("yr", "mon"), ("service_area",)), (("yr", "qtr"), ("channel",)),
       (("yr",), ("municipality_code",)), (("yr", "mon"), ("municipality_code",))]


def _frames(engine, kpi, f, by):
    years = tuple(range(2019, f.year + 1)) if "yr" in by else None
    fast = kpi_values(engine, kpi, f, by, years, REG)
    with facts_only():
        slow = kpi_values(engine, kpi, f, by, years, REG)
    return fast, slow


def _assert_same(fast: pd.DataFrame, slow: pd.DataFrame, what: str) -> None:
    assert list(fast.columns) == list(slow.columns), what
    assert len(fast) == len(slow), what
    assert (fast["suppressed"].to_numpy() == slow["suppressed"].to_numpy()).all(), what
    for col in ("numerator", "denominator", "value"):
        a, b = fast[col].to_numpy(float), slow[col].to_numpy(float)
        assert (np.isnan(a) == np.isnan(b)).all(), (what, col)
        ok = np.isnan(a) | (np.abs(np.round(a, 2) - np.round(b, 2)) < 0.005)
        assert ok.all(), (what, col, a[~ok][:3], b[~ok][:3])
    keys = [c for c in fast.columns if c not in ("numerator", "denominator", "value", "suppressed",
                                                 "n_months", "n_units")]
    assert fast[keys].astype(str).equals(slow[keys].astype(str)), what


def _parity(engine, per_filter: int = 2) -> int:
    """Compare every KPI x filter x grouping; returns how many measure reads went to a rollup."""
    rolled = 0
    for kpi in REG.kpis.values():
        for f, bys in zip(FILTERS, BYS):
            for by in bys[:per_filter]:
                _assert_same(*_frames(engine, kpi, f, by), f"{kpi.id} {f} {by}")
                for mid in filter(None, (kpi.numerator, kpi.denominator)):
                    sql = str(measure_select(REG.measures[mid], f, by, (f.year,), kpi.filter))
                    rolled += "rollup_" in sql
    return rolled


def test_every_kpi_equal_on_rollups_and_facts_duckdb(duck):
    rolled = _parity(duck)
    assert rolled > 80, rolled          # most reads do go to a rollup: the comparison is not facts vs facts


CB_FILTERS = [Filters(year=2025, months=(1, 9), county="KS"), Filters(year=2026, municipalities=("179",)),
              _scoped(year=2024, scope_county="PH"),
              Filters(year=2025, months=(4, 9), service_areas=("primary_care", "child_family")),  # not from January
              Filters(year=2026, months=(11, 12))]                                             # after the data


def _child_budget_parity(engine, filters=CB_FILTERS) -> None:
    from metrics import child_budget as cb
    outputs = {"model_lines": cb.model_lines, "keys": cb.keys, "by_levels": cb.by_levels, "trend": cb.trend,
               "by_line": cb.by_line, "trend_by_county": lambda e, f: cb.trend(e, f, ("county_code",))}
    for name, fn in outputs.items():
        for flt in filters:
            fast = fn(engine, flt)
            with facts_only():
                slow = fn(engine, flt)
            pd.testing.assert_frame_equal(fast.reset_index(drop=True), slow.reset_index(drop=True),
                                          check_exact=False, atol=0.005, obj=f"{name} {flt}")


def test_child_budget_reads_year_to_date_rollups_and_gives_the_same_euros(duck):
    """The child-budget model's cost lines and client and visit keys come from the year-to-date rollups (a month
    window is one row minus another): every result equals the facts' one to the cent (the model's lines, the keys,
    the levels, the trend, the line table), windows from January and from later months alike."""
    from metrics import child_budget as cb
    f = Filters(year=2025, months=(4, 9), county="KS")
    pop, use = cb.keys_select(f, (2025,))
    assert "rollup_child_keys_ytd" in str(sa.select(use))
    assert "rollup_costs_ytd" in str(sa.select(cb.lines_select(f, (2025,))))
    _child_budget_parity(duck)
    with facts_only():
        assert "rollup_" not in str(sa.select(cb.keys_select(f, (2025,))[1]))
        assert "rollup_" not in str(sa.select(cb.lines_select(f, (2025,))))


def test_a_not_specified_channel_is_not_remote(warehouse_copy):
    """A coarse extract stores contacts with channel 'unspec' (issue 13): they count in all contacts, never as
    remote ones, in the view and in the rollups alike."""
    import datetime as dt
    engine = warehouse_copy("unspec")
    f = Filters(year=2024, months=(1, 1), municipalities=("179",), service_areas=("primary_care",))
    before = kpi_values(engine, "remote_share", f, ("yr",), (2024,), REG)
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO fact_contacts (month, service_point_id, municipality_code, service_area, "
                             "channel, profession, age_group, contacts, clients) SELECT :m, min(service_point_id), "
                             "'179', 'primary_care', 'unspec', 'unspec', 'unspec', 1000, 900 FROM fact_contacts "
                             "WHERE municipality_code = '179'"), {"m": dt.date(2024, 1, 1)})
        rollups.refresh(conn, ["fact_contacts"], (dt.date(2024, 1, 1), dt.date(2024, 1, 1)))
    for ctx in (facts_only, __import__("contextlib").nullcontext):
        with ctx():
            after = kpi_values(engine, "remote_share", f, ("yr",), (2024,), REG)
        assert after.numerator.iloc[0] == before.numerator.iloc[0]
        assert after.denominator.iloc[0] == before.denominator.iloc[0] + 1000


@pytest.fixture(scope="module")
def pg_warehouse(pg_template):
    url, schema = pg_template               # the run's PostgreSQL demo warehouse, read only
    engine = make_engine(url, schema=schema)
    yield engine
    engine.dispose()


@pytest.mark.postgres
def test_every_kpi_equal_on_rollups_and_facts_postgres(pg_warehouse):
    assert _parity(pg_warehouse, per_filter=1) > 40


@pytest.mark.postgres
def test_child_budget_equal_on_year_to_date_rollups_and_facts_postgres(pg_warehouse):
    _child_budget_parity(pg_warehouse, CB_FILTERS[2:4])


def test_the_engine_reads_the_smallest_covering_rollup():
    contacts, doctor, t3 = REG.measures["contacts"], REG.measures["doctor_contacts"], REG.measures["t3_days"]
    f = Filters(year=2025, county="KS")
    assert "rollup_contacts_channel" in str(measure_select(contacts, f, ("yr",), (2025,)))
    assert "rollup_contacts_detail" in str(measure_select(doctor, f, ("yr",), (2025,)))   # profession filter
    aged = Filters(year=2025, age_groups=("0-6",))
    assert "rollup_contacts_age" in str(measure_select(contacts, aged, ("yr",), (2025,)))
    assert "v_contacts" in str(measure_select(contacts, f, ("service_point_id",), (2025,)))
    sql = str(measure_select(t3, f, ("yr",), (2025,)))
    assert "rollup_t3_area" in sql and "t3_days__n" in sql
    with facts_only():
        assert "rollup_" not in str(measure_select(contacts, f, ("yr",), (2025,)))


def _rollup_vs_view(engine) -> None:
    """Every stored rollup row equals the view summed afresh, and no row is missing or extra (EXCEPT both ways,
    in the warehouse)."""
    with engine.connect() as conn:
        for r in rollups.ROLLUPS:
            v = rollups.schema.view(r.view)
            keys = [v.c[c] for c in rollups.CALENDAR + r.dims]
            fresh = sa.select(*keys, *[sa.func.sum(v.c[s]).label(s) for s in r.sums]).group_by(*keys)
            t = rollups.TABLES[r.name]
            stored = sa.select(*[t.c[c] for c in rollups.CALENDAR + r.dims + r.sums])
            for a, b in ((fresh, stored), (stored, fresh)):
                diff = conn.scalar(sa.select(sa.func.count()).select_from(sa.except_(a, b).subquery()))
                assert diff == 0, (r.name, diff)
            assert conn.scalar(sa.select(sa.func.count()).select_from(t)) > 0, r.name
        for r in rollups.YTD_ROLLUPS:      # the stored year-to-date rows equal them computed afresh
            t = rollups.YTD_TABLES[r.name]
            fresh, stored = rollups.ytd_select(r).order_by(None), sa.select(*[t.c[c] for c in r.columns])
            for a, b in ((fresh, stored), (stored, fresh)):
                diff = conn.scalar(sa.select(sa.func.count()).select_from(sa.except_(a, b).subquery()))
                assert diff == 0, (r.name, diff)
            assert conn.scalar(sa.select(sa.func.count()).select_from(t)) > 0, r.name


def _contacts_file(engine, tmp_path, month) -> bytes:
    """A contacts extract as the patient system writes it (bench/upload_bench.py's generator)."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("upload_bench", ROOT / "bench" / "upload_bench.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    path = tmp_path / "kontaktit.xlsx"
    bench.make_extract(engine, path, 600, month, extra=3, headers=bench.HEADERS)   # the template's own headers
    return path.read_bytes()


def test_upload_and_rollback_keep_rollups_in_step(warehouse_copy, tmp_path):
    import datetime as dt
    engine = warehouse_copy("rollup_upload")
    v = uploads.check_file(engine, _contacts_file(engine, tmp_path, dt.date(2026, 9, 1)), "kontaktit.xlsx",
                           "contacts", ())
    assert v.ok, v.issues
    res = uploads.ingest(engine, v, "testi", "upsert")
    assert res.upload_id and res.comparison.inserted + res.comparison.updated > 0
    _rollup_vs_view(engine)
    uploads.rollback(engine, res.upload_id, "testi")
    _rollup_vs_view(engine)


def test_rebuild_command_restores_rollups(warehouse_copy, capsys):
    engine = warehouse_copy("rollup_rebuild")
    with engine.begin() as conn:
        conn.execute(rollups.TABLES["rollup_contacts_channel"].delete())
        conn.execute(sa.text("UPDATE rollup_costs_area SET actual_eur = 0"))
        conn.execute(sa.text("DELETE FROM rollup_costs_ytd WHERE yr = 2024"))
    before = kpi_values(engine, "net_cost_total", Filters(year=2025))
    url = str(engine.url)
    engine.dispose()
    rollups.main(["rebuild", "--url", url])
    assert "rebuilt 7 rollups" in capsys.readouterr().out
    engine = make_engine(url)
    _rollup_vs_view(engine)
    after = kpi_values(engine, "net_cost_total", Filters(year=2025))
    with facts_only():
        facts = kpi_values(engine, "net_cost_total", Filters(year=2025))
    assert before.value.iloc[0] == 0 and after.value.iloc[0] == facts.value.iloc[0] > 0
    engine.dispose()


def test_migration_creates_and_fills_the_year_to_date_rollups(warehouse_copy):
    """A warehouse at schema version 9 has no year-to-date rollups: the upgrade creates and fills them."""
    from data_sources import migrations
    engine = warehouse_copy("ytd_migration")
    with engine.begin() as conn:
        for name in rollups.YTD_TABLES:
            conn.execute(sa.text(f"DROP TABLE {name}"))
        conn.execute(sa.text("DELETE FROM schema_version WHERE version > 9"))
    assert migrations.upgrade(engine) == len(migrations.MIGRATIONS)
    _rollup_vs_view(engine)
