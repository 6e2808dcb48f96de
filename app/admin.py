"""The admin page's glue: user administration as the signed-in admin (app/users.py), and the audit trail."""
from __future__ import annotations

import datetime as dt
from typing import Callable

import pandas as pd
import streamlit as st

from data_sources import audit
from data_sources import users as store
from ui.i18n import t

from . import auth, state, users


def municipalities(version: int) -> pd.DataFrame:
    return state.municipalities(version)


def all_users() -> list[store.StoredUser]:
    return store.all_users(state.engine())


def user(name: str) -> store.StoredUser | None:
    return store.get(state.engine(), name)


def add_user(name: str, display: str, role: str, password: str, county: str | None,
             municipalities: tuple[str, ...]) -> None:
    actor = auth.require("users", state.lang())
    users.add_user(state.engine(), actor.name, name, role, password, display, county, municipalities)


def change(name: str, kind: str, values: dict) -> None:
    """One change to a user: role, scope, password, e-mail address, disabled (the edit form's submit buttons)."""
    actor = auth.require("users", state.lang()).name
    e = state.engine()
    if kind == "role":
        users.set_role(e, actor, name, values["role"])
    elif kind == "scope":
        users.set_scope(e, actor, name, values["county"], values["municipalities"])
    elif kind == "email":
        users.set_email(e, actor, name, values["address"] or None)
    elif kind == "password":
        users.set_password(e, actor, name, values["password"])
    elif kind == "disabled":
        if values["disabled"] and store.norm_name(name) == actor:
            raise users.AdminError("self_disable")
        users.set_disabled(e, actor, name, values["disabled"])
    else:
        raise ValueError(kind)


def run(action: Callable[[], None], done: str, lang: str) -> None:
    """Run an administration change; its refusal is said in the user's language, success after a rerun."""
    try:
        action()
    except users.AdminError as exc:
        st.error(t(f"adm_err_{exc.code}", lang, **exc.params))
        return
    auth.users_changed()
    st.session_state["adm_flash"] = done
    st.rerun()


def audit_events(since: dt.date, until: dt.date, user: str, actions: tuple[str, ...], text: str) -> pd.DataFrame:
    auth.require("audit", state.lang())
    return audit.events(state.engine(), user=user or None, actions=actions,
                        since=dt.datetime.combine(since, dt.time()),
                        until=dt.datetime.combine(until + dt.timedelta(days=1), dt.time()), text=text)


ACTIONS = audit.ACTIONS
ROLE_IDS = [r for r in reversed(auth.ROLE_ORDER) if r in auth.roles()]
