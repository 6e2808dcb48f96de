"""The data version: every cached query is keyed on it, so any write that changes facts bumps it."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from . import schema


def bump(conn: sa.Connection, reason: str) -> int:
    """Record a new version inside the caller's transaction, so data and version commit together."""
    table = schema.meta_data_version
    current = conn.execute(sa.select(sa.func.max(table.c.version))).scalar() or 0
    conn.execute(table.insert().values(version=current + 1, changed_at=dt.datetime.now(), reason=reason[:200]))
    return current + 1


def bump_version(engine: sa.Engine, reason: str) -> int:
    with engine.begin() as conn:
        return bump(conn, reason)
