"""The same KPI queries give the same numbers on DuckDB and on PostgreSQL (127.0.0.1:5432, db test)."""
import numpy as np
import pandas as pd
import pytest

from data_sources.engine import make_engine
from metrics.engine import Filters, kpi_values
from metrics.registry import load_registry

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def pg(pg_template):
    """The run's PostgreSQL demo warehouse: the same generated data as the DuckDB one (tests/conftest.py)."""
    url, schema = pg_template
    engine = make_engine(url, schema=schema)
    yield engine
    engine.dispose()


def test_warehouse_loaded_identically(pg, duck):
    import sqlalchemy as sa
    for table in ("fact_contacts", "fact_costs", "fact_population", "fact_phone"):
        q = sa.text(f"SELECT COUNT(*) FROM {table}")
        with pg.connect() as a, duck.connect() as b:
            assert a.execute(q).scalar() == b.execute(q).scalar(), table


@pytest.mark.parametrize("filters,by", [
    (Filters(year=2026, months=(1, 10)), ("yr",)),
    (Filters(year=2025, months=(1, 12), county="KS"), ("municipality_code",)),
    (Filters(year=2024, months=(4, 6), county="PH"), ("yr", "mon")),
    (Filters(year=2020, months=(1, 12), county="KH"), ("yr", "qtr")),
])
def test_every_kpi_same_on_both(pg, duck, filters, by):
    reg = load_registry()
    years = tuple(range(2019, filters.year + 1)) if by == ("yr",) else None
    for kid in reg.kpis:
        a = kpi_values(pg, kid, filters, by, years)
        b = kpi_values(duck, kid, filters, by, years)
        keys = [c for c in by if c in a.columns]
        a = a.sort_values(keys).reset_index(drop=True)
        b = b.sort_values(keys).reset_index(drop=True)
        assert len(a) == len(b), kid
        assert len(a) > 0 or kid in {k.id for k in reg.series_kpis()}, kid   # series start in 2021/2023
        for col in keys:
            assert a[col].astype(str).tolist() == b[col].astype(str).tolist(), (kid, col)
        np.testing.assert_allclose(a.value.to_numpy(float), b.value.to_numpy(float), rtol=1e-9,
                                   equal_nan=True, err_msg=kid)
        assert a.suppressed.tolist() == b.suppressed.tolist(), kid
