"""Saved views (issue 15): "Omat näkymät" in the sidebar. A view is a page and its URL query parameters
(app/url.py); each user keeps their own (demo mode: per demo role), one may be the start view shown when the app
is opened at its root without parameters, and an admin may set a default start view per role."""
from __future__ import annotations

import time

import streamlit as st

from data_sources import saved_views as store
from ui import views as ui
from ui.i18n import t
from ui.safe import md

from . import auth, state, url

START_FLAG = "_open_start"           # set by dashboard.py when the app is opened at / without parameters


def owner(user: auth.User) -> str:
    return store.owner_demo(user.roles[0]) if user.source == "demo" else store.owner_user(user.name)


def _owners(user: auth.User) -> list[str]:
    return [owner(user), *(store.owner_role(r) for r in user.roles)]


def _open(view: dict, user: auth.User) -> None:
    if view["page"] not in user.pages():
        return
    url.forget()                                     # every parameter of the view is applied afresh
    st.switch_page(f"pages/{view['page']}.py", query_params=view["params"])


def open_start_view(user: auth.User, page: str) -> None:
    """Once per session, when the app was opened at its root: the user's start view, else their role's."""
    if not st.session_state.pop(START_FLAG, False):
        return
    view = None
    for who in _owners(user):              # the user's own start view, then their role's (the box's cached lists)
        listed = _mine(state.engine(), who)
        if listed is None:                 # the warehouse away: the page opens as asked, without a start view
            return
        view = next((v for v in listed if v["is_start"]), None)
        if view:
            break
    if view and (view["page"] != page or view["params"]):
        _open(view, user)


VIEWS_TTL = 10.0          # seconds a session reuses its list of views (its own writes refresh it at once)
_CACHE = "_sv_cache"


def _mine(engine, owner_key: str) -> list[dict] | None:
    """The owner's views, read at most every VIEWS_TTL seconds per session (not on every rerun). While the
    warehouse is away, the last list read stays (None when there is none): the box never stops the page."""
    cache = st.session_state.setdefault(_CACHE, {})
    hit = cache.get(owner_key)
    if hit is not None and time.monotonic() - hit[0] < VIEWS_TTL:
        return hit[1]
    try:
        mine = state.retrying(store.views)(engine, owner_key)
    except Exception as exc:  # noqa: BLE001 - only warehouse faults are absorbed
        if state.fault_kind(exc) is None:
            raise
        return hit[1] if hit is not None else None
    cache[owner_key] = (time.monotonic(), mine)
    return mine


def sidebar_box(user: auth.User, page: str, lang: str) -> None:
    """The sidebar's saved views: save the current view by name, open, delete, make the start view; an admin
    also sets a view as a role's default start view."""
    engine = state.engine()
    mine = _mine(engine, owner(user))
    if mine is None:                                 # the warehouse away and nothing read yet: no box this time
        return
    flash = st.session_state.pop("sv_flash", None)
    roles = sorted(auth.roles(), key=auth.ROLE_ORDER.index) if auth.can("role_views", user) else []
    act = ui.saved_views_box(mine, lang, roles=roles, flash=flash)
    if act is None:
        return
    kind, name, extra = act
    who = auth.who()
    view = next((v for v in mine if v["name"] == name), None)
    if kind == "save":
        try:
            stored = state.guarded(store.save)(engine, owner(user), name, page, url.current(), who)
        except store.ViewError:
            st.session_state["sv_flash"] = ("error", t("sv_no_name", lang))
        else:
            auth.record("saved_view", obj=stored, detail=f"save {page}")
            st.session_state["sv_flash"] = ("ok", t("sv_saved", lang, name=md(stored)))
        st.session_state.pop(_CACHE, None)
        st.rerun()
    if view is None:
        return
    if kind == "open":
        _open(view, user)
    elif kind == "delete":
        state.guarded(store.delete)(engine, owner(user), name)
        auth.record("saved_view", obj=name, detail="delete")
        st.session_state["sv_flash"] = ("ok", t("sv_deleted", lang, name=md(name)))
    elif kind == "start":
        state.guarded(store.set_start)(engine, owner(user), None if view["is_start"] else name)
        auth.record("saved_view", obj=name, detail="start" if not view["is_start"] else "start off")
        st.session_state["sv_flash"] = ("ok", t("sv_start_set" if not view["is_start"] else "sv_start_off",
                                                lang, name=md(name)))
    elif kind == "role_default" and extra in auth.roles():
        auth.require("role_views", lang, "role default view")
        state.guarded(store.save)(engine, store.owner_role(extra), name, view["page"], view["params"], who,
                                  is_start=True)
        auth.record("saved_view", obj=name, detail=f"role default {extra}")
        st.session_state["sv_flash"] = ("ok", t("sv_role_set", lang, name=md(name), role=t(f"role_{extra}", lang)))
    st.session_state.pop(_CACHE, None)
    st.rerun()
