"""The local user store (issue 11): one row per user with an argon2 hash, a role and a region scope.

Hashing and verifying are the glue layer's (app/auth.py); this module only stores what it is given. A user name
is kept in lower case, cleaned by the one text rule.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import sqlalchemy as sa

from . import schema
from .text import clean_text

T = schema.app_user
NAME_MAX = T.c.user_name.type.length


class UserError(ValueError):
    """A user cannot be stored as given (unknown user, empty name, name taken); `code` names the reason."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class StoredUser:
    user_name: str
    display_name: str
    password_hash: str | None
    oidc_subject: str | None
    role: str
    scope_county: str | None
    scope_municipalities: tuple[str, ...]
    disabled: bool
    must_change_password: bool
    email: str | None = None        # where subscriptions and alerts are sent (migration 8)


def norm_name(name: str) -> str:
    return clean_text(name, NAME_MAX).strip().lower()


def _row(r) -> StoredUser:
    munis = tuple(m for m in (r.scope_municipalities or "").split(",") if m)
    return StoredUser(r.user_name, r.display_name, r.password_hash, r.oidc_subject, r.role, r.scope_county or None,
                      munis, bool(r.disabled), bool(r.must_change_password), r.email or None)


def count(engine: sa.Engine) -> int:
    """How many users exist (disabled ones too): demo mode is off as soon as this is above zero."""
    with engine.connect() as conn:
        return int(conn.scalar(sa.select(sa.func.count()).select_from(T)) or 0)


def get(engine: sa.Engine, user_name: str) -> StoredUser | None:
    with engine.connect() as conn:
        r = conn.execute(sa.select(T).where(T.c.user_name == norm_name(user_name))).first()
    return _row(r) if r else None


def by_subject(engine: sa.Engine, subject: str) -> StoredUser | None:
    with engine.connect() as conn:
        r = conn.execute(sa.select(T).where(T.c.oidc_subject == subject)).first()
    return _row(r) if r else None


def all_users(engine: sa.Engine) -> list[StoredUser]:
    with engine.connect() as conn:
        return [_row(r) for r in conn.execute(sa.select(T).order_by(T.c.user_name))]


def add(engine: sa.Engine, user_name: str, display_name: str, role: str, password_hash: str | None,
        scope_county: str | None = None, scope_municipalities: tuple[str, ...] = (),
        oidc_subject: str | None = None, must_change_password: bool = False) -> str:
    name = norm_name(user_name)
    if not name:
        raise UserError("empty_name")
    now = dt.datetime.now()
    with engine.begin() as conn:
        if conn.scalar(sa.select(sa.func.count()).select_from(T).where(T.c.user_name == name)):
            raise UserError("name_taken")
        conn.execute(T.insert().values(
            user_name=name, display_name=clean_text(display_name, T.c.display_name.type.length) or name,
            password_hash=password_hash, oidc_subject=oidc_subject, role=role, scope_county=scope_county or None,
            scope_municipalities=",".join(scope_municipalities) or None, disabled=False,
            must_change_password=must_change_password, created_at=now, updated_at=now))
    return name


EMAIL_MAX = T.c.email.type.length
_EMAIL = re.compile(r"[^@\s<>\"',;:()\[\]\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+")


def clean_email(address: str | None) -> str | None:
    """An e-mail address as stored: trimmed, one plain local@domain (no display name, no second address, no
    header characters); None for an empty one. Raises UserError("email") for anything else."""
    address = (address or "").strip()
    if not address:
        return None
    if len(address) > EMAIL_MAX or not _EMAIL.fullmatch(address):
        raise UserError("email")
    return address


def update(engine: sa.Engine, user_name: str, **values) -> None:
    """Change stored fields of a user (role, scope, disabled, password_hash, display_name, oidc_subject, email)."""
    allowed = {"role", "scope_county", "scope_municipalities", "disabled", "password_hash", "display_name",
               "oidc_subject", "must_change_password", "email"}
    bad = set(values) - allowed
    if bad:
        raise ValueError(f"not a user field: {sorted(bad)}")
    if "scope_municipalities" in values:
        values["scope_municipalities"] = ",".join(values["scope_municipalities"] or ()) or None
    with engine.begin() as conn:
        done = conn.execute(T.update().where(T.c.user_name == norm_name(user_name))
                            .values(updated_at=dt.datetime.now(), **values)).rowcount
    if not done:
        raise UserError("unknown_user")
