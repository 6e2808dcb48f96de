"""The data version: every cached query is keyed on it, so any write that changes facts bumps it."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from . import schema


def bump(conn: sa.Connection, reason: str) -> int:
    """Record a new version inside the caller's transaction, so data and version commit together; the number
    comes from a sequence, so two app servers writing at once get different ones."""
    new = conn.scalar(schema.data_version_seq.next_value())
    conn.execute(schema.meta_data_version.insert().values(version=new, changed_at=dt.datetime.now(),
                                                          reason=reason[:200]))
    return new


def bump_version(engine: sa.Engine, reason: str) -> int:
    with engine.begin() as conn:
        return bump(conn, reason)
