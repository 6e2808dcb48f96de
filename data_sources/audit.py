"""The append-only audit trail: who did what, when, with which role and region scope (issue 11).

Every sign-in (success and failure), sign-out, upload, rollback, export, classification edit, source-profile
change and user administration is one row of `audit_event`. Rows are only ever inserted (PostgreSQL refuses
UPDATE/DELETE with a trigger, migration 3). Text is cleaned by the one text rule; a password or token is never
passed here (tests/test_auth_secrets.py greps the warehouse and the log for them).
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa

from . import schema
from .text import clean_text

T = schema.audit_event

ACTIONS = ("signin_ok", "signin_failed", "signin_locked", "signout", "session_expired", "denied",
           "upload", "rollback", "export", "board_pack", "classification", "profile", "user_admin",
           "scope_ignored", "forecast_run", "subscribe", "unsubscribe", "mail_sent", "mail_failed", "annotation",
           "saved_view")


def _len(col: str) -> int:
    return T.c[col].type.length


def record(engine_or_conn, user: str, action: str, obj: str = "", detail: str = "", scope: str = "",
           role: str = "", at: dt.datetime | None = None) -> None:
    """Append one event. Accepts an engine (own transaction) or a connection (the caller's transaction, so an
    upload and its event commit or roll back together)."""
    values = dict(
        occurred_at=at or dt.datetime.now(), user_name=clean_text(user, _len("user_name")) or "-",
        role=clean_text(role, _len("role")), action=clean_text(action, _len("action")),
        object=clean_text(obj, _len("object")), detail=clean_text(detail, _len("detail")),
        scope=clean_text(scope, _len("scope")))
    stmt = T.insert().values(event_id=schema.audit_event_seq.next_value(), **values)
    if isinstance(engine_or_conn, sa.Connection):
        engine_or_conn.execute(stmt)
    else:
        with engine_or_conn.begin() as conn:
            conn.execute(stmt)


def events(engine: sa.Engine, *, user: str | None = None, actions: tuple[str, ...] = (),
           since: dt.datetime | None = None, until: dt.datetime | None = None, text: str = "",
           limit: int = 5000) -> pd.DataFrame:
    """The newest events first, filtered by user, actions, time window and a text found in object or detail."""
    q = sa.select(T).order_by(T.c.occurred_at.desc(), T.c.event_id.desc()).limit(limit)
    if user:
        q = q.where(T.c.user_name == user)
    if actions:
        q = q.where(T.c.action.in_(actions))
    if since:
        q = q.where(T.c.occurred_at >= since)
    if until:
        q = q.where(T.c.occurred_at < until)
    if text:
        like = f"%{text.replace('%', '').replace('_', '')}%"
        q = q.where(sa.or_(T.c.object.ilike(like), T.c.detail.ilike(like)))
    with engine.connect() as conn:
        rows = conn.execute(q).fetchall()
    return pd.DataFrame(rows, columns=[c.name for c in T.columns])


def times(engine: sa.Engine, user: str, action: str, since: dt.datetime) -> list[dt.datetime]:
    """When `user` had `action` events since a time, oldest first (the sign-in lock-out counts failures)."""
    q = (sa.select(T.c.occurred_at).where(T.c.user_name == user, T.c.action == action, T.c.occurred_at >= since)
         .order_by(T.c.occurred_at))
    with engine.connect() as conn:
        return list(conn.scalars(q))
