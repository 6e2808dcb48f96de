"""Bulk loading per warehouse: the rows that go in are the rows that come out (PostgreSQL COPY of Arrow-written
CSV, DuckDB from a registered frame), and PostgreSQL fact tables get their month index."""
import datetime as dt

import pandas as pd
import pytest
import sqlalchemy as sa

from data_sources import migrations, schema
from data_sources.dialects import spec_for
from data_sources.engine import make_engine

TRICKY = pd.DataFrame({
    "month": pd.to_datetime(["2026-01-01", "2026-02-01", "2026-03-01", "2026-04-01"]),
    "code": ["091", "a,b", 'sanoi "moi"', None],
    "note": ["rivi\nvaihto", "", "ääkköset €", "x"],
    "n": pd.array([1, None, -3, 2_000_000_000], dtype="Int64"),
    "share": [0.5, float("nan"), 1e-9, 12345.678],
})


def _table() -> sa.Table:
    return sa.Table("tmp_bulk", sa.MetaData(), sa.Column("month", sa.Date), sa.Column("code", sa.String(20)),
                    sa.Column("note", sa.String(40)), sa.Column("n", sa.BigInteger), sa.Column("share", sa.Double))


def _round_trip(engine: sa.Engine) -> pd.DataFrame:
    table = _table()
    with engine.begin() as conn:
        table.drop(conn, checkfirst=True)
        table.create(conn)
        spec_for(conn).bulk_insert(conn, table, TRICKY)
        rows = conn.execute(sa.select(table).order_by(table.c.month)).fetchall()
        table.drop(conn)
    return pd.DataFrame(rows, columns=list(TRICKY.columns))


def _expected_rows() -> list[tuple]:
    return [(dt.date(2026, 1, 1), "091", "rivi\nvaihto", 1, 0.5),
            (dt.date(2026, 2, 1), "a,b", "", None, None),
            (dt.date(2026, 3, 1), 'sanoi "moi"', "ääkköset €", -3, 1e-9),
            (dt.date(2026, 4, 1), None, "x", 2_000_000_000, 12345.678)]


def _normalise(df: pd.DataFrame) -> list[tuple]:
    out = []
    for r in df.itertuples(index=False):
        out.append(tuple(None if (v is None or (isinstance(v, float) and pd.isna(v))) else v for v in r))
    return out


@pytest.mark.postgres
def test_postgres_copy_keeps_every_value(pg_schema_url):
    url, sch = pg_schema_url
    engine = make_engine(url, schema=sch)
    try:
        assert _normalise(_round_trip(engine)) == _expected_rows()
    finally:
        engine.dispose()


def test_duckdb_bulk_insert_keeps_every_value(tmp_path):
    engine = make_engine(f"duckdb:///{tmp_path / 'w.duckdb'}")
    try:
        assert _normalise(_round_trip(engine)) == _expected_rows()
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_postgres_fact_tables_get_month_indexes(pg_schema_url):
    url, sch = pg_schema_url
    engine = make_engine(url, schema=sch)
    try:
        migrations.upgrade(engine)
        migrations.upgrade(engine)           # twice: idempotent
        with engine.connect() as conn:
            names = set(conn.execute(sa.text("SELECT indexname FROM pg_indexes WHERE schemaname = :s"),
                                     {"s": sch}).scalars())
        months = {f"ix_{t.name}_month" for t in schema.metadata.sorted_tables
                  if t.name.startswith("fact_") and "month" in t.c}
        assert "ix_fact_contacts_month" in months and months <= names
    finally:
        engine.dispose()
