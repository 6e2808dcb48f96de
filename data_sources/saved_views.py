"""Saved views (issue 15): a named page and its URL query parameters, per owner, one of them the owner's start view.

Owners: "u:<user name>" (a signed-in user), "demo:<role>" (demo mode keeps views per demo role) and
"role:<role>" (an admin's default start view for a role). A save is an upsert on (owner, name), and changes to
the start view take the write lock (data_sources/dialects.py), so two app servers writing at once do not clash.
"""
from __future__ import annotations

import datetime as dt
import json

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from . import schema
from .dialects import writing
from .text import clean_text

T = schema.saved_view
NAME_MAX = T.c.name.type.length
PAGE_MAX = T.c.page.type.length
VALUE_MAX = 200             # one query parameter's value
PARAMS_MAX = 20             # parameters per view


class ViewError(ValueError):
    """A view cannot be saved as given; `code` names the reason."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def owner_user(name: str) -> str:
    return f"u:{name}"


def owner_demo(role: str) -> str:
    return f"demo:{role}"


def owner_role(role: str) -> str:
    return f"role:{role}"


def clean_params(params: dict) -> dict[str, str]:
    """At most PARAMS_MAX parameters, names of letters, digits and '_' (at most 40), values cleaned and short."""
    out = {}
    for key, value in list((params or {}).items())[:PARAMS_MAX]:
        key = str(key)
        if not key or len(key) > 40 or not key.replace("_", "").isalnum() or not key.isascii():
            continue
        out[key] = clean_text(value if isinstance(value, str) else str(value), VALUE_MAX)
    return out


def save(engine: sa.Engine, owner: str, name: str, page: str, params: dict, user: str,
         is_start: bool = False) -> str:
    """Insert or replace a view (an upsert: two servers saving the same name at once do not clash); with
    `is_start` it becomes the owner's start view. Returns the name as stored."""
    name = clean_text(name, NAME_MAX)
    page = clean_text(page, PAGE_MAX)
    if not name:
        raise ViewError("empty")
    if not page:
        raise ViewError("page")
    row = insert(T).values(owner=owner, name=name, page=page, params_json=json.dumps(clean_params(params)),
                           is_start=False, updated_at=dt.datetime.now().replace(microsecond=0),
                           updated_by=clean_text(user, 80) or "-")
    with writing(engine) as conn:
        conn.execute(row.on_conflict_do_update(index_elements=[T.c.owner, T.c.name], set_={
            c: row.excluded[c] for c in ("page", "params_json", "updated_at", "updated_by")}))
        if is_start:
            _set_start(conn, owner, name)
    return name


def views(engine: sa.Engine, owner: str) -> list[dict]:
    """The owner's views by name: {name, page, params, is_start}."""
    q = sa.select(T.c.name, T.c.page, T.c.params_json, T.c.is_start).where(T.c.owner == owner).order_by(T.c.name)
    with engine.connect() as conn:
        rows = conn.execute(q).fetchall()
    return [{"name": clean_text(n, NAME_MAX), "page": clean_text(p, PAGE_MAX), "params": _params(j),
             "is_start": bool(s)} for n, p, j, s in rows]


def _params(raw: str) -> dict[str, str]:
    try:
        loaded = json.loads(raw)
    except (TypeError, ValueError):
        return {}
    return clean_params(loaded) if isinstance(loaded, dict) else {}


def delete(engine: sa.Engine, owner: str, name: str) -> bool:
    with writing(engine) as conn:
        return conn.execute(T.delete().where(T.c.owner == owner, T.c.name == name)).rowcount > 0


def _set_start(conn: sa.Connection, owner: str, name: str | None) -> None:
    conn.execute(T.update().where(T.c.owner == owner).values(is_start=False))
    if name:
        conn.execute(T.update().where(T.c.owner == owner, T.c.name == name).values(is_start=True))


def set_start(engine: sa.Engine, owner: str, name: str | None) -> None:
    """Make `name` the owner's start view (None: no start view)."""
    with writing(engine) as conn:
        _set_start(conn, owner, name)


def start_view(engine: sa.Engine, owners: list[str]) -> dict | None:
    """The first start view among `owners` (in the order given: the user's own, then their role's default)."""
    for owner in owners:
        found = next((v for v in views(engine, owner) if v["is_start"]), None)
        if found:
            return found
    return None
