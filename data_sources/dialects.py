"""What differs between warehouses lives here, one small class per backend (imitates Superset's
db_engine_specs): bulk loading, which indexes the schema adds and how schema changes are serialised; the queries
themselves are portable Core."""
from __future__ import annotations

import contextlib
import threading

import pandas as pd
import sqlalchemy as sa


MIGRATION_LOCK = 20230401     # first key of the PostgreSQL advisory lock taken while migrating
WRITE_LOCK = 20230402         # first key of the lock that uploads, rollbacks and classification edits take


class EngineSpec:
    name = "generic"

    @staticmethod
    def lock_schema(conn: sa.Connection) -> None:
        """Hold off other processes' schema changes until this transaction ends (DuckDB: one writer process)."""

    @staticmethod
    def lock_writes(conn: sa.Connection) -> None:
        """Hold off other processes' uploads, rollbacks and classification edits until this transaction ends, so
        each reads what the one before it wrote (no lost edits, no key clashes). DuckDB: one writer process."""

    @staticmethod
    def index_months(conn: sa.Connection, tables: list[sa.Table]) -> None:
        """Index the month column of fact tables where the warehouse profits from it (PostgreSQL)."""

    @staticmethod
    def append_only(conn: sa.Connection, table: str) -> None:
        """Make a table refuse UPDATE and DELETE where the warehouse can (PostgreSQL: a trigger)."""

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
    def lock_schema(conn: sa.Connection) -> None:
        # two app servers starting at once: the second waits, then finds the migration recorded; one lock per
        # schema, so test schemas do not wait for each other
        conn.execute(sa.text(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK}, hashtext(current_schema()))"))

    @staticmethod
    def lock_writes(conn: sa.Connection) -> None:
        # one lock per schema, taken first in the transaction (before anything is read), so two app servers'
        # writes run one after the other; reentrant within the transaction, released at its end
        conn.execute(sa.text(f"SELECT pg_advisory_xact_lock({WRITE_LOCK}, hashtext(current_schema()))"))

    @staticmethod
    def append_only(conn: sa.Connection, table: str) -> None:
        conn.execute(sa.text(
            "CREATE OR REPLACE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'append-only table %', TG_TABLE_NAME; END $$"))
        conn.execute(sa.text(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}"))
        conn.execute(sa.text(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON {table} "
                             f"FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()"))

    @staticmethod
    def index_months(conn: sa.Connection, tables: list[sa.Table]) -> None:
        # an upload touches one or a few months of a fact table: with the index its comparisons, backup and
        # delete read those months only (100 000-row upload commit 0.8 -> 0.5 s on 2.3 M contact rows)
        for t in tables:
            conn.execute(sa.text(f"CREATE INDEX IF NOT EXISTS ix_{t.name}_month ON {t.name} (month)"))

    @staticmethod
    def bulk_insert(conn: sa.Connection, table: sa.Table, df: pd.DataFrame) -> None:
        raw = conn.connection.driver_connection  # psycopg.Connection
        cols = ", ".join(df.columns)
        with raw.cursor() as cur:
            with cur.copy(f"COPY {table.name} ({cols}) FROM STDIN WITH (FORMAT csv)") as copy:
                copy.write(_csv_bytes(table, df))
            # fresh statistics: without them the planner guessed tiny tables and nested-looped for minutes
            cur.execute(f"ANALYZE {table.name}")


def _csv_bytes(table: sa.Table, df: pd.DataFrame) -> bytes:
    """The rows as CSV for COPY, written by Arrow's C++ writer (100 000 rows: 0.03 s vs 0.16 s with
    DataFrame.to_csv). Date columns go as dates; a null is an empty unquoted field (NULL to COPY)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv
    arrays = []
    for name in df.columns:
        col = df[name]
        sql_type = table.c[name].type if name in table.c else None
        if isinstance(sql_type, sa.Date) and not isinstance(sql_type, sa.DateTime):
            arrays.append(pa.array(pd.to_datetime(col), from_pandas=True).cast(pa.date32()))
        else:
            arrays.append(pa.array(col, from_pandas=True))
    buf = pa.BufferOutputStream()
    pacsv.write_csv(pa.Table.from_arrays(arrays, names=list(df.columns)), buf,
                    pacsv.WriteOptions(include_header=False))
    return buf.getvalue().to_pybytes()


def spec_for(engine_or_conn) -> type[EngineSpec]:
    name = engine_or_conn.dialect.name
    return {"duckdb": DuckDBSpec, "postgresql": PostgresSpec}.get(name, EngineSpec)


_process_locks: dict[str, threading.RLock] = {}
_process_locks_guard = threading.Lock()


@contextlib.contextmanager
def process_lock(engine: sa.Engine):
    """On DuckDB, this process's write lock for the warehouse file: its threads (sessions, the background job)
    share one database, whose optimistic transactions fail each other's commit on a conflict, even an INSERT ... ON
    CONFLICT DO NOTHING of the same key. Nothing on PostgreSQL (its own locking serialises such inserts)."""
    if engine.dialect.name != "duckdb":
        yield
        return
    with _process_locks_guard:
        lock = _process_locks.setdefault(str(engine.url), threading.RLock())
    with lock:
        yield


@contextlib.contextmanager
def writing(engine: sa.Engine):
    """A write transaction under the write lock: on PostgreSQL the advisory lock that serialises app servers
    (lock_writes); on DuckDB a lock in this process, whose threads (sessions) would otherwise fail each other's
    commit on a conflict. Yields the connection; commits at the end, rolls back on an error."""
    with process_lock(engine), engine.begin() as conn:
        spec_for(conn).lock_writes(conn)
        yield conn
