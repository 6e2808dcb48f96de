"""Named source profiles (issue 13): what an analyst confirmed once for a source (column map, constants, value
map), stored under the source's header signature so that its next file is read without a question. The app
requires the "upload" right for every write and audits it (app/upload.py)."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa

from .. import schema
from ..text import clean_text
from .mapping import Mapping

T = schema.upload_profile
NAME_LEN = 80


class ProfileError(ValueError):
    """A profile write that cannot be done (empty name, a name taken); `code` becomes a message."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code, self.params = code, params


def _name(name: str) -> str:
    clean = clean_text(name, NAME_LEN).strip()
    if not clean:
        raise ProfileError("profile_name_empty")
    return clean


def find(engine_or_conn, dataset: str, signature: str) -> Mapping | None:
    """The profile saved for this dataset and header signature (the most recently updated one), or None."""
    stmt = (sa.select(T.c.name, T.c.mapping_json).where(T.c.dataset == dataset, T.c.signature == signature)
            .order_by(T.c.updated_at.desc()).limit(1))
    try:
        if isinstance(engine_or_conn, sa.Connection):
            row = engine_or_conn.execute(stmt).first()
        else:
            with engine_or_conn.connect() as conn:
                row = conn.execute(stmt).first()
    except sa.exc.DBAPIError:          # a warehouse not migrated yet has no profiles
        return None
    return Mapping.from_json(row.mapping_json, row.name) if row else None


def save(engine: sa.Engine, name: str, dataset: str, signature: str, mapping: Mapping, user: str) -> str:
    """Create or update a profile. A profile already saved for this source (same dataset and signature) is
    updated and takes the new name, so one source has one profile. Returns the name stored."""
    name = _name(name)
    now = dt.datetime.now().replace(microsecond=0)
    with engine.begin() as conn:
        same_source = conn.execute(sa.select(T.c.name).where(T.c.dataset == dataset, T.c.signature == signature)
                                   ).scalars().all()
        taken = conn.execute(sa.select(T.c.dataset, T.c.signature).where(T.c.name == name)).first()
        if taken and (taken.dataset, taken.signature) != (dataset, signature):
            raise ProfileError("profile_name_taken", name=name)
        if same_source:
            conn.execute(T.update().where(T.c.name.in_(same_source)).values(
                name=name, mapping_json=mapping.to_json(), updated_at=now, updated_by=clean_text(user, 120)))
            if len(same_source) > 1:
                conn.execute(T.delete().where(T.c.name.in_([n for n in same_source if n != name])))
        else:
            conn.execute(T.insert().values(name=name, dataset=dataset, signature=signature,
                                           mapping_json=mapping.to_json(), created_at=now,
                                           created_by=clean_text(user, 120), updated_at=now,
                                           updated_by=clean_text(user, 120), uses=0))
    return name


def used(engine: sa.Engine, name: str) -> None:
    """Count one use of a profile (a file stored with it)."""
    with engine.begin() as conn:
        conn.execute(T.update().where(T.c.name == name).values(last_used_at=dt.datetime.now().replace(microsecond=0),
                                                               uses=T.c.uses + 1))


def rename(engine: sa.Engine, old: str, new: str, user: str) -> str:
    new = _name(new)
    with engine.begin() as conn:
        if new != old and conn.execute(sa.select(T.c.name).where(T.c.name == new)).first():
            raise ProfileError("profile_name_taken", name=new)
        n = conn.execute(T.update().where(T.c.name == old).values(
            name=new, updated_at=dt.datetime.now().replace(microsecond=0), updated_by=clean_text(user, 120))).rowcount
    if not n:
        raise ProfileError("profile_missing", name=old)
    return new


def delete(engine: sa.Engine, name: str) -> None:
    with engine.begin() as conn:
        n = conn.execute(T.delete().where(T.c.name == name)).rowcount
    if not n:
        raise ProfileError("profile_missing", name=name)


def listing(engine: sa.Engine) -> pd.DataFrame:
    """Every profile: name, dataset, columns mapped, constants, values mapped, who and when, uses."""
    cols = ["name", "dataset", "columns", "constants", "values", "updated_by", "updated_at", "last_used_at", "uses"]
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.select(T).order_by(T.c.dataset, T.c.name)).fetchall()
    except sa.exc.DBAPIError:
        return pd.DataFrame(columns=cols)
    out = []
    for r in rows:
        m = Mapping.from_json(r.mapping_json)
        out.append({"name": r.name, "dataset": r.dataset, "columns": len(m.columns), "constants": len(m.constants),
                    "values": sum(len(v) for v in m.values.values()), "updated_by": r.updated_by,
                    "updated_at": r.updated_at, "last_used_at": r.last_used_at, "uses": r.uses})
    return pd.DataFrame(out, columns=cols)
