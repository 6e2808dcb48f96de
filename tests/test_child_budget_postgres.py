"""DuckDB and PostgreSQL give the same child-budget numbers: the tiny budget to the cent, the demo exactly."""
import uuid

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from data_sources import child_budget as cbdata
from data_sources.engine import make_engine
from metrics import child_budget as cb
from metrics.engine import Filters

from . import child_budget_tiny as tiny
from .conftest import PG_URL

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def pg_demo(pg_template, duck):
    """The run's PostgreSQL demo warehouse (the same deterministic data as the DuckDB one), read only."""
    url, schema = pg_template
    engine = make_engine(url, schema=schema)
    counts = "SELECT (SELECT COUNT(*) FROM fact_costs), (SELECT COUNT(*) FROM fact_contacts)"
    with duck.connect() as a, engine.connect() as b:
        assert tuple(a.execute(sa.text(counts)).one()) == tuple(b.execute(sa.text(counts)).one())
    yield engine
    engine.dispose()


@pytest.fixture()
def pg_tiny():
    schema = f"jt_cb_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    engine = make_engine(PG_URL, schema=schema)
    try:
        tiny.build(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def test_tiny_budget_same_cents_on_postgres(pg_tiny, tmp_path):
    duck = make_engine(f"duckdb:///{tmp_path / 'tiny.duckdb'}")
    tiny.build(duck)
    f = Filters(year=tiny.YEAR, months=(1, 2))
    a = cb.by_levels(pg_tiny, f).set_index(["level", "code"])
    b = cb.by_levels(duck, f).set_index(["level", "code"])
    assert round(a.loc[("municipality", "AAA"), "child_actual"], 2) == tiny.A_CHILD
    for col in cb.MONEY:
        if col in a:
            assert a[col].round(2).tolist() == b[col].round(2).tolist(), col
    # a saved change reads the same on both
    rules = tiny.RULES.copy()
    rules.loc[rules.service_class == "C4", "target_class"] = "direct"
    assert cbdata.save_classification(pg_tiny, rules, "pg") == cbdata.save_classification(duck, rules, "duck") == 2
    a = cb.totals(pg_tiny, f).iloc[0]
    b = cb.totals(duck, f).iloc[0]
    assert round(a.child_actual, 2) == round(b.child_actual, 2) == tiny.ALL_CHILD + 5000
    duck.dispose()


@pytest.mark.parametrize("filters", [
    Filters(year=2026, months=(1, 10)),
    Filters(year=2022, months=(4, 6), county="PH"),
])
def test_demo_child_budget_same_on_both(pg_demo, duck, filters):
    a = cb.trend(pg_demo, filters)
    b = cb.trend(duck, filters)
    assert len(a) == len(b) > 0
    money = [c for c in cb.MONEY if c in a]
    # exact decimal shares: the euros agree to the cent
    np.testing.assert_array_equal(a[money].round(2).to_numpy(), b[money].round(2).to_numpy())
    shares = ["child_share", "child_share_low", "child_share_high", "preventive_share", "eur_per_child"]
    np.testing.assert_allclose(a[shares].to_numpy(float), b[shares].to_numpy(float), rtol=1e-12)
    la, lb = cb.by_levels(pg_demo, filters), cb.by_levels(duck, filters)
    assert la.code.tolist() == lb.code.tolist()
    np.testing.assert_array_equal(la.child_actual.round(2).to_numpy(), lb.child_actual.round(2).to_numpy())
    ka, kb = cb.keys(pg_demo, filters), cb.keys(duck, filters)
    pd.testing.assert_frame_equal(ka, kb, check_dtype=False)


def test_seeded_classification_same_and_without_nan_text(pg_demo, duck):
    a = cbdata.read_classification(pg_demo)
    b = cbdata.read_classification(duck)
    pd.testing.assert_frame_equal(a, b, check_dtype=False)
    assert not (a.allocation_key.astype(str) == "nan").any()
    assert a.allocation_key.isna().sum() == (a.target_class != "partial").sum()
