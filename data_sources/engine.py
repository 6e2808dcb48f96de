"""Engine factory: the same code path for an embedded DuckDB file and a PostgreSQL warehouse."""
from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from .settings import get_settings


class WarehouseUnavailable(RuntimeError):
    """The warehouse cannot be reached or opened; the UI shows a message, not a traceback."""


def make_engine(url: str | None = None, schema: str | None = None) -> sa.Engine:
    settings = get_settings()
    url = url or settings.db_url
    schema = settings.db_schema if schema is None else schema
    parsed = make_url(url)
    kwargs: dict = {}
    if parsed.get_backend_name() == "duckdb":
        db = parsed.database
        if db and db != ":memory:":
            Path(db).parent.mkdir(parents=True, exist_ok=True)
        # One process owns the file; a single pooled connection avoids lock fights between threads.
        kwargs["poolclass"] = sa.pool.SingletonThreadPool
    elif parsed.get_backend_name() == "postgresql":
        kwargs["pool_pre_ping"] = True
        connect_args = {"connect_timeout": 5}
        if schema:
            connect_args["options"] = f"-csearch_path={schema}"
        kwargs["connect_args"] = connect_args
    return sa.create_engine(url, **kwargs)


def check_connection(engine: sa.Engine) -> None:
    """Raise WarehouseUnavailable with the driver's reason when the warehouse does not answer."""
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except Exception as exc:  # driver errors differ by backend; the message is what matters
        raise WarehouseUnavailable(str(exc).splitlines()[0]) from exc
