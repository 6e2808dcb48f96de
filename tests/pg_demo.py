"""The PostgreSQL demo warehouse of a test run: built once into a template schema (tests/conftest.py pg_template),
read there by the modules that only read, and copied server-side into a schema of its own for a module that writes
(clone_schema: a few seconds, where a demo build takes half a minute)."""
from __future__ import annotations

import sqlalchemy as sa

from data_sources import schema


def _rows(conn: sa.Connection, sql: str, schema: str) -> list:
    return conn.execute(sa.text(sql), {"s": schema}).all()


def clone_schema(conn: sa.Connection, src: str, dst: str) -> None:
    """Copy every object of schema `src` into the existing empty schema `dst`, inside the caller's transaction:
    tables with their rows, columns, defaults and checks, then their primary keys, unique constraints, foreign keys
    and other indexes under the same names (built after the rows are in), sequences at the same position, views in
    the order they were made, functions and triggers; then ANALYZE where the template has statistics. The definitions are
    read with `src` as the search path, so they come out unqualified and are made again with `dst` as the path."""
    conn.execute(sa.text(f"SET LOCAL search_path = {src}"))
    in_src = "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = :s"
    tables = [r[0] for r in _rows(conn, f"SELECT c.relname FROM pg_class c {in_src} AND c.relkind = 'r' "
                                        "ORDER BY c.oid", src)]
    unsupported = _rows(conn, f"SELECT c.relname, c.relkind FROM pg_class c {in_src} "
                              "AND c.relkind NOT IN ('r', 'i', 'S', 'v')", src)
    unsupported += _rows(conn, f"SELECT c.relname, a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
                               f"{in_src} AND (a.attidentity <> '' OR a.attgenerated <> '')", src)
    assert not unsupported, f"clone_schema does not copy {unsupported}"
    defaults = _rows(conn, f"SELECT c.relname, a.attname, pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d "
                           f"JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum "
                           f"JOIN pg_class c ON c.oid = d.adrelid {in_src} "
                           "AND pg_get_expr(d.adbin, d.adrelid) LIKE '%nextval%'", src)
    constraints = _rows(conn, "SELECT c.relname, k.conname, pg_get_constraintdef(k.oid) FROM pg_constraint k "
                              f"JOIN pg_class c ON c.oid = k.conrelid {in_src} AND k.contype IN ('p', 'u', 'x', 'f') "
                              "ORDER BY k.contype = 'f', k.oid", src)
    indexes = [r[0] for r in _rows(conn, "SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i "
                                         f"JOIN pg_class c ON c.oid = i.indexrelid {in_src} AND NOT EXISTS "
                                         "(SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid) "
                                         "ORDER BY c.oid", src)]
    sequences = _rows(conn, "SELECT sequencename, data_type, start_value, min_value, max_value, increment_by, cycle, "
                            "cache_size, last_value FROM pg_sequences WHERE schemaname = :s", src)
    views = _rows(conn, f"SELECT c.relname, pg_get_viewdef(c.oid) FROM pg_class c {in_src} AND c.relkind = 'v' "
                        "ORDER BY c.oid", src)            # a view is made after the views it reads
    # the schema's own views from their source text, as the migrations made them (the server's rendering of a view
    # is equivalent, not the same text)
    views = [(name, schema.VIEWS.get(name, select)) for name, select in views]
    analyzed = {r[0] for r in _rows(conn, "SELECT DISTINCT tablename FROM pg_stats WHERE schemaname = :s", src)}
    functions = [r[0] for r in _rows(conn, "SELECT pg_get_functiondef(p.oid) FROM pg_proc p "
                                           "JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = :s", src)]
    triggers = [r[0] for r in _rows(conn, "SELECT pg_get_triggerdef(t.oid) FROM pg_trigger t "
                                          f"JOIN pg_class c ON c.oid = t.tgrelid {in_src} AND NOT t.tgisinternal", src)]

    conn.execute(sa.text(f"SET LOCAL search_path = {dst}"))
    run = lambda sql: conn.execute(sa.text(sql))  # noqa: E731
    for name, dtype, start, low, high, step, cycle, cache, last in sequences:
        run(f"CREATE SEQUENCE {dst}.{name} AS {dtype} INCREMENT {step} MINVALUE {low} MAXVALUE {high} START {start} "
            f"CACHE {cache} {'' if cycle else 'NO '}CYCLE")
        if last is not None:
            run(f"SELECT setval('{dst}.{name}', {int(last)})")
    for table in tables:
        run(f"CREATE TABLE {dst}.{table} (LIKE {src}.{table} INCLUDING ALL EXCLUDING INDEXES)")
        run(f"INSERT INTO {dst}.{table} SELECT * FROM {src}.{table}")
    for table, column, default in defaults:     # LIKE keeps a default's sequence in src
        run(f"ALTER TABLE {dst}.{table} ALTER COLUMN {column} SET DEFAULT "
            f"{default.replace(f'{src}.', f'{dst}.')}")
    for table, name, definition in constraints:
        run(f"ALTER TABLE {dst}.{table} ADD CONSTRAINT {name} {definition}")
    for definition in indexes:                  # pg_get_indexdef names the table with its schema
        run(definition.replace(f" ON {src}.", f" ON {dst}.", 1).replace(f" ON ONLY {src}.", f" ON ONLY {dst}.", 1))
    for name, select in views:
        run(f"CREATE VIEW {dst}.{name} AS {select}")
    for definition in functions:                # pg_get_functiondef names the function with its schema
        run(definition.replace(f" FUNCTION {src}.", f" FUNCTION {dst}.", 1)
            .replace(f" PROCEDURE {src}.", f" PROCEDURE {dst}.", 1))
    for definition in triggers:                 # pg_get_triggerdef names the table with its schema
        run(definition.replace(f" ON {src}.", f" ON {dst}.", 1))
    for table in tables:
        if table in analyzed:                   # statistics where the template has them
            run(f"ANALYZE {dst}.{table}")
