"""E-mail subscriptions in the warehouse (issue 15): who subscribed to what, each delivery once, alert baselines.

A subscription is a row keyed on (user, kind, target): kind "pack" (target: a saved board-pack selection, sent
monthly or when a new data version arrives) or "alert" (target: a KPI id, an e-mail when its traffic light or
target verdict changes). A delivery is a row keyed on (user, kind, target, period), the period being "v17" (a data
version) or "m2026-12" (a month): the primary key is what keeps two overlapping runs (two cron jobs, two servers)
from sending the same thing twice. A run *claims* a delivery before sending it (an insert that finds the key taken
claims nothing), then marks it sent or failed; a failed one is claimed again by the next run (a compare-and-set
on its attempt count), and so is one left "sending" by a run that died (after STALE_AFTER).

The glue (app/subscriptions.py) sends; the change detection is metrics/alerts.py; this module only stores.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from . import schema
from .dialects import spec_for
from .text import clean_text
from .users import norm_name

S, D, A = schema.subscription, schema.subscription_delivery, schema.alert_status
KINDS = ("pack", "alert")
SCHEDULES = {"pack": ("monthly", "version"), "alert": ("version",)}
ALERT_TARGET = "*"                              # an alert e-mail covers every KPI of the user that changed
STALE_AFTER = dt.timedelta(minutes=30)          # a claim older than this was left by a run that died
ERROR_MAX = D.c.last_error.type.length


class SubscriptionError(ValueError):
    """A subscription cannot be stored as given; `code` is a catalogue key suffix (sub_err_<code>)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Subscription:
    user_name: str
    kind: str
    target: str
    region: str
    schedule: str
    lang: str
    since_version: int
    created_at: dt.datetime


@dataclass(frozen=True)
class Delivery:
    user_name: str
    kind: str
    target: str
    period: str
    data_version: int
    status: str
    attempts: int
    last_error: str
    claimed_at: dt.datetime
    sent_at: dt.datetime | None


def subscribe(engine: sa.Engine, user: str, kind: str, target: str, schedule: str, lang: str, version: int,
              region: str = "") -> Subscription:
    """Insert or update (schedule, language, region) one subscription; an upsert, so two servers saving the same
    at once do not clash."""
    if kind not in KINDS:
        raise SubscriptionError("kind")
    if schedule not in SCHEDULES[kind]:
        raise SubscriptionError("schedule")
    target = clean_text(target, S.c.target.type.length)
    user = norm_name(user)
    if not target or not user:
        raise SubscriptionError("target")
    values = dict(user_name=user, kind=kind, target=target, region=clean_text(region, S.c.region.type.length),
                  schedule=schedule, lang=lang if lang in ("fi", "en") else "fi", since_version=int(version),
                  created_at=dt.datetime.now().replace(microsecond=0))
    row = insert(S).values(**values)
    with engine.begin() as conn:
        conn.execute(row.on_conflict_do_update(index_elements=[S.c.user_name, S.c.kind, S.c.target],
                                               set_={c: row.excluded[c] for c in ("region", "schedule", "lang")}))
    return get(engine, user, kind, target)


def unsubscribe(engine: sa.Engine, user: str, kind: str, target: str) -> bool:
    """Remove one subscription (an alert's baselines too); True when there was one."""
    user = norm_name(user)
    with engine.begin() as conn:
        done = conn.execute(S.delete().where(S.c.user_name == user, S.c.kind == kind, S.c.target == target)).rowcount
        if kind == "alert":
            conn.execute(A.delete().where(A.c.user_name == user, A.c.kpi_id == target))
    return bool(done)


def get(engine: sa.Engine, user: str, kind: str, target: str) -> Subscription | None:
    with engine.connect() as conn:
        r = conn.execute(sa.select(S).where(S.c.user_name == norm_name(user), S.c.kind == kind,
                                            S.c.target == target)).first()
    return Subscription(**r._mapping) if r else None


def of_user(engine: sa.Engine, user: str) -> list[Subscription]:
    with engine.connect() as conn:
        rows = conn.execute(sa.select(S).where(S.c.user_name == norm_name(user)).order_by(S.c.kind, S.c.target))
        return [Subscription(**r._mapping) for r in rows]


def all_subscriptions(engine: sa.Engine) -> list[Subscription]:
    with engine.connect() as conn:
        rows = conn.execute(sa.select(S).order_by(S.c.user_name, S.c.kind, S.c.target))
        return [Subscription(**r._mapping) for r in rows]


# --- deliveries ----------------------------------------------------------------------------------------------

def _key(user: str, kind: str, target: str, period: str):
    return sa.and_(D.c.user_name == user, D.c.kind == kind, D.c.target == target, D.c.period == period)


def delivery(engine: sa.Engine, user: str, kind: str, target: str, period: str) -> Delivery | None:
    with engine.connect() as conn:
        r = conn.execute(sa.select(D).where(_key(user, kind, target, period))).first()
    return Delivery(**r._mapping) if r else None


def deliveries(engine: sa.Engine, user: str | None = None) -> list[Delivery]:
    q = sa.select(D).order_by(D.c.claimed_at.desc())
    if user:
        q = q.where(D.c.user_name == norm_name(user))
    with engine.connect() as conn:
        return [Delivery(**r._mapping) for r in conn.execute(q)]


def claim(engine: sa.Engine, user: str, kind: str, target: str, period: str, version: int,
          now: dt.datetime | None = None) -> bool:
    """Take the delivery of (user, kind, target, period) for this run: True when this run should send it. A new
    key is inserted as "sending"; a key sent already, or being sent by another run, is not taken; a failed one (or
    one left sending longer than STALE_AFTER) is taken by whichever run updates it first. Under the warehouse's
    write lock (PostgreSQL: an advisory lock; DuckDB: one writing process), and the primary key decides anyway."""
    now = now or dt.datetime.now()
    try:
        return _claim(engine, user, kind, target, period, version, now)
    except sa.exc.DBAPIError as exc:
        if lost_race(exc):
            return False
        raise


def lost_race(exc: sa.exc.DBAPIError) -> bool:
    """Whether a write failed because another run's transaction wrote the same key first: DuckDB says so with a
    constraint error instead of taking ON CONFLICT (when the other insert is not committed yet), or with a
    write-write conflict at the update or at commit."""
    text = str(exc.orig).lower()
    return isinstance(exc, sa.exc.IntegrityError) or "conflict" in text or "duplicate key" in text


def _claim(engine: sa.Engine, user: str, kind: str, target: str, period: str, version: int,
           now: dt.datetime) -> bool:
    with engine.begin() as conn:
        spec_for(conn).lock_writes(conn)
        row = conn.execute(sa.select(D.c.status, D.c.attempts, D.c.claimed_at)
                           .where(_key(user, kind, target, period))).first()
        if row is None:
            stmt = insert(D).values(user_name=user, kind=kind, target=target, period=period, data_version=version,
                                    status="sending", attempts=0, last_error="", claimed_at=now, sent_at=None)
            return bool(conn.execute(stmt.on_conflict_do_nothing()).rowcount)
        status, attempts, claimed_at = row
        if status == "sent" or (status == "sending" and now - claimed_at < STALE_AFTER):
            return False
        done = conn.execute(D.update().where(_key(user, kind, target, period), D.c.status == status,
                                             D.c.attempts == attempts)
                            .values(status="sending", claimed_at=now, data_version=version)).rowcount
        return bool(done)


def finish(engine: sa.Engine, user: str, kind: str, target: str, period: str, ok: bool, attempts: int,
           error: str = "", conn: sa.Connection | None = None) -> None:
    """Mark a claimed delivery sent, or failed with the error (the next run takes it again)."""
    values = dict(status="sent" if ok else "failed", attempts=D.c.attempts + attempts,
                  last_error=clean_text(error, ERROR_MAX), sent_at=dt.datetime.now() if ok else None)
    stmt = D.update().where(_key(user, kind, target, period)).values(**values)
    if conn is not None:
        conn.execute(stmt)
        return
    with engine.begin() as c:
        c.execute(stmt)


# --- alert baselines: the KPI statuses a subscriber was last told of (or first saw) -----------------------------

def baselines(engine: sa.Engine, user: str) -> dict[str, tuple[int, dict]]:
    """kpi id -> (data version, status as stored) for a user's alerts."""
    with engine.connect() as conn:
        rows = conn.execute(sa.select(A.c.kpi_id, A.c.data_version, A.c.status_json)
                            .where(A.c.user_name == norm_name(user))).fetchall()
    return {k: (int(v), json.loads(s)) for k, v, s in rows}


def save_baselines(engine: sa.Engine, user: str, version: int, statuses: dict[str, dict],
                   conn: sa.Connection | None = None) -> None:
    """Store the statuses a user now knows of (an upsert per KPI)."""
    if not statuses:
        return
    now = dt.datetime.now()
    rows = [dict(user_name=norm_name(user), kpi_id=k, data_version=int(version), status_json=json.dumps(s),
                 updated_at=now) for k, s in statuses.items()]
    stmt = insert(A).values(rows)
    stmt = stmt.on_conflict_do_update(index_elements=[A.c.user_name, A.c.kpi_id], set_={
        c: stmt.excluded[c] for c in ("data_version", "status_json", "updated_at")})
    if conn is not None:
        conn.execute(stmt)
        return
    try:
        with engine.begin() as c:
            c.execute(stmt)
    except sa.exc.DBAPIError as exc:
        if not lost_race(exc):           # another run recorded the same statuses at the same moment
            raise
