"""User administration for the local user store: the admin page and the command line share these functions.

    python -m app.users add NAME --role admin [--county KH] [--municipalities 109,165] [--name "Display"]
    python -m app.users passwd NAME          # reset: asks for the new password (or reads it from stdin)
    python -m app.users role NAME analyst
    python -m app.users scope NAME [--county KH] [--municipalities 109,165]   # neither: no limit
    python -m app.users disable NAME | enable NAME
    python -m app.users email NAME ADDRESS   # where subscriptions and alerts go; "-" removes it
    python -m app.users list

Every change is written to the audit trail as `user_admin` by the acting user (the OS user on the command line).
A password is read with getpass (or a line of stdin when it is not a terminal), never from an argument, so it
does not end up in the shell history or the process list.
"""
from __future__ import annotations

import argparse
import getpass
import sys

import sqlalchemy as sa

from data_sources import audit, catalog, migrations
from data_sources import users as store
from data_sources.engine import make_engine

from . import auth

MIN_PASSWORD = 12


class AdminError(ValueError):
    """A change that cannot be made as asked; `code` is a catalogue key suffix (admin_err_<code>)."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


def _check_role(role: str) -> str:
    if role not in auth.roles():
        raise AdminError("role", role=role)
    return role


def _check_scope(engine: sa.Engine, county: str | None, municipalities: tuple[str, ...]) -> None:
    munis = catalog.municipalities(engine)
    if county and county not in set(munis.county_code):
        raise AdminError("county", value=county)
    unknown = sorted(set(municipalities) - set(munis.municipality_code))
    if unknown:
        raise AdminError("municipality", value=", ".join(unknown))
    if county and municipalities:
        outside = sorted(set(municipalities) - set(munis[munis.county_code == county].municipality_code))
        if outside:
            raise AdminError("outside_county", value=", ".join(outside), county=county)


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AdminError("password_short", n=MIN_PASSWORD)


def _scope_text(county: str | None, municipalities: tuple[str, ...]) -> str:
    return f"{county or '*'}:{','.join(municipalities)}" if municipalities else (county or "*")


def add_user(engine: sa.Engine, actor: str, name: str, role: str, password: str | None, display: str = "",
             county: str | None = None, municipalities: tuple[str, ...] = (), subject: str | None = None) -> str:
    _check_role(role)
    _check_scope(engine, county, municipalities)
    if password is not None:
        _check_password(password)
    elif not subject:
        raise AdminError("password_short", n=MIN_PASSWORD)
    try:
        stored = store.add(engine, name, display or name, role, auth.hash_password(password) if password else None,
                           county, municipalities, subject)
    except store.UserError as exc:
        raise AdminError(exc.code) from exc
    audit.record(engine, actor, "user_admin", stored, f"add role={role}", _scope_text(county, municipalities))
    return stored


def set_password(engine: sa.Engine, actor: str, name: str, password: str) -> None:
    _check_password(password)
    _update(engine, name, password_hash=auth.hash_password(password))
    audit.record(engine, actor, "user_admin", store.norm_name(name), "password reset")


def set_role(engine: sa.Engine, actor: str, name: str, role: str) -> None:
    _update(engine, name, role=_check_role(role))
    audit.record(engine, actor, "user_admin", store.norm_name(name), f"role={role}")


def set_scope(engine: sa.Engine, actor: str, name: str, county: str | None, municipalities: tuple[str, ...]) -> None:
    _check_scope(engine, county, municipalities)
    _update(engine, name, scope_county=county or None, scope_municipalities=municipalities)
    audit.record(engine, actor, "user_admin", store.norm_name(name), "scope",
                 _scope_text(county, municipalities))


def set_email(engine: sa.Engine, actor: str, name: str, address: str | None) -> str | None:
    """Set (or with None/"-"/"" remove) the user's e-mail address; returns it as stored."""
    try:
        clean = store.clean_email(None if address in (None, "-") else address)
    except store.UserError as exc:
        raise AdminError(exc.code) from exc
    _update(engine, name, email=clean)
    audit.record(engine, actor, "user_admin", store.norm_name(name), f"email={clean or '-'}")
    return clean


def set_disabled(engine: sa.Engine, actor: str, name: str, disabled: bool) -> None:
    _update(engine, name, disabled=disabled)
    audit.record(engine, actor, "user_admin", store.norm_name(name), "disabled" if disabled else "enabled")


def _update(engine: sa.Engine, name: str, **values) -> None:
    try:
        store.update(engine, name, **values)
    except store.UserError as exc:
        raise AdminError(exc.code) from exc


def _read_password(prompt: str) -> str:
    if sys.stdin.isatty():
        first = getpass.getpass(prompt)
        if getpass.getpass("Again: ") != first:
            raise AdminError("password_mismatch")
        return first
    return sys.stdin.readline().rstrip("\n")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m app.users", description="Manage the dashboard's local users.")
    p.add_argument("--url", help="warehouse URL (default: DASHBOARD_DB_URL)")
    sub = p.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("add", help="add a user (the password is asked for)")
    a.add_argument("name")
    a.add_argument("--role", required=True, choices=sorted(auth.roles()))
    a.add_argument("--display", default="")
    a.add_argument("--county")
    a.add_argument("--municipalities", default="")
    a.add_argument("--oidc-subject", help="an OIDC-only user: no password, matched on the provider's subject")
    for cmd in ("passwd", "disable", "enable"):
        sub.add_parser(cmd).add_argument("name")
    r = sub.add_parser("role")
    r.add_argument("name")
    r.add_argument("role", choices=sorted(auth.roles()))
    s = sub.add_parser("scope")
    s.add_argument("name")
    s.add_argument("--county")
    s.add_argument("--municipalities", default="")
    e = sub.add_parser("email", help="set the address subscriptions and alerts go to ('-' removes it)")
    e.add_argument("name")
    e.add_argument("address")
    sub.add_parser("list")
    args = p.parse_args(argv)

    engine = make_engine(args.url) if args.url else make_engine()
    migrations.upgrade(engine)
    try:
        actor = f"cli:{getpass.getuser()}"
    except Exception:  # noqa: BLE001 - no user database in some containers
        actor = "cli"
    munis = tuple(m.strip() for m in getattr(args, "municipalities", "").split(",") if m.strip())
    try:
        if args.cmd == "add":
            password = None if args.oidc_subject else _read_password("Password: ")
            name = add_user(engine, actor, args.name, args.role, password, args.display, args.county, munis,
                            args.oidc_subject)
            print(f"added {name} ({args.role})")
        elif args.cmd == "passwd":
            set_password(engine, actor, args.name, _read_password("New password: "))
            print("password changed")
        elif args.cmd == "role":
            set_role(engine, actor, args.name, args.role)
        elif args.cmd == "scope":
            set_scope(engine, actor, args.name, args.county, munis)
        elif args.cmd == "email":
            print(f"email {set_email(engine, actor, args.name, args.address) or 'removed'}")
        elif args.cmd in ("disable", "enable"):
            set_disabled(engine, actor, args.name, args.cmd == "disable")
        elif args.cmd == "list":
            for u in store.all_users(engine):
                print(f"{u.user_name}\t{u.role}\t{_scope_text(u.scope_county, u.scope_municipalities)}\t"
                      f"{'disabled' if u.disabled else 'active'}\t{u.display_name}\t{u.email or '-'}")
    except AdminError as exc:
        print(f"error: {exc.code} {exc.params or ''}".strip(), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
