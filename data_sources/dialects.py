"""What differs between warehouses lives here, one small class per backend (imitates Superset's
db_engine_specs): only bulk loading differs; the queries themselves are portable Core."""
from __future__ import annotations

import io

import pandas as pd
import sqlalchemy as sa


class EngineSpec:
    name = "generic"

    @staticmethod
    def bulk_insert(conn: sa.Connection, table: sa.Table, df: pd.DataFrame) -> None:
        records = df.to_dict("records")
        for start in range(0, len(records), 10_000):
            conn.execute(table.insert(), records[start:start + 10_000])


class DuckDBSpec(EngineSpec):
    name = "duckdb"

    @staticmethod
    def bulk_insert(conn: sa.Connection, table: sa.Table, df: pd.DataFrame) -> None:
        raw = conn.connection.driver_connection  # duckdb.DuckDBPyConnection (duckdb-engine wrapper)
        cols = ", ".join(df.columns)
        raw.register("_bulk_df", df)
        try:
            raw.execute(f"INSERT INTO {table.name} ({cols}) SELECT {cols} FROM _bulk_df")
        finally:
            raw.unregister("_bulk_df")


class PostgresSpec(EngineSpec):
    name = "postgresql"

    @staticmethod
    def bulk_insert(conn: sa.Connection, table: sa.Table, df: pd.DataFrame) -> None:
        raw = conn.connection.driver_connection  # psycopg.Connection
        buf = io.StringIO()
        df.to_csv(buf, index=False, header=False)
        cols = ", ".join(df.columns)
        with raw.cursor() as cur:
            with cur.copy(f"COPY {table.name} ({cols}) FROM STDIN WITH (FORMAT csv)") as copy:
                copy.write(buf.getvalue())
            # fresh statistics: without them the planner guessed tiny tables and nested-looped for minutes
            cur.execute(f"ANALYZE {table.name}")


def spec_for(engine_or_conn) -> type[EngineSpec]:
    name = engine_or_conn.dialect.name
    return {"duckdb": DuckDBSpec, "postgresql": PostgresSpec}.get(name, EngineSpec)
