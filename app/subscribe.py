"""The pages' side of e-mail subscriptions (issue 15): a signed-in user with an e-mail address subscribes to a saved
board pack (executives and admins, on the board-pack page) or to alerts on a KPI (every role, on the KPI page) and
removes them; each change is audited. The sending is app/subscriptions.py's (cron or a systemd timer)."""
from __future__ import annotations

import logging
import threading

import streamlit as st

from data_sources import subscriptions as store
from data_sources import users as user_store
from data_sources.settings import get_settings
from metrics.engine import Filters
from metrics.registry import load_registry
from ui import subscriptions as ui_sub
from ui.i18n import local, t
from ui.safe import md

from . import auth, exports, state
from . import subscriptions as runner

log = logging.getLogger("dashboard")
NOTICE = "sub_alert_notice"          # the alert button's outcome, said on the run after its callback


def _stored(user: auth.User | None) -> user_store.StoredUser | None:
    """The user's row (where the address is); none for the demo user or an OIDC user known by claims only."""
    if user is None or user.source == "demo":
        return None
    stored = state.guarded(user_store.get)(state.engine(), user.name)
    return stored if stored and not stored.disabled else None


def _rows(user: auth.User, version: int, lang: str, kind: str) -> list[ui_sub.Row]:
    reg = load_registry()
    munis = state.municipalities(version)
    counties = {r.county_code: local(r, "county", lang) for r in munis.itertuples()}
    return [ui_sub.Row(s.kind, s.target, reg[s.target].name(lang) if s.kind == "alert" and s.target in reg.kpis
                       else s.target, s.schedule, counties.get(s.region, s.region))
            for s in state.guarded(store.of_user)(state.engine(), user.name) if s.kind == kind]


def _subscribe(user: auth.User, kind: str, target: str, schedule: str, version: int, f: Filters, lang: str):
    sub = state.guarded(store.subscribe)(state.engine(), user.name, kind, target, schedule, lang, version,
                                         f.county or "")
    auth.record("subscribe", obj=f"{kind}:{target}", detail=f"{schedule} · {f.county or '*'} · {lang}")
    return sub


def _unsubscribe(user: auth.User, kind: str, target: str) -> None:
    if state.guarded(store.unsubscribe)(state.engine(), user.name, kind, target):
        auth.record("unsubscribe", obj=f"{kind}:{target}")


def _baseline(stored: user_store.StoredUser, sub: store.Subscription, version: int) -> None:
    """What the new alert subscriber sees now is what later changes are compared with (so an upload before the
    next run is not missed). A failure here only delays that to the next run."""
    try:
        latest = state.latest_month(version)
        found = runner.statuses(state.engine(), [sub], stored, version, latest, state.municipalities(version))
        store.save_baselines(state.engine(), stored.user_name, version, found)
    except Exception:  # noqa: BLE001 - the run records the baseline instead
        log.exception("subscriptions: recording the first status of %s failed", sub.target)


def pack_section(chosen: str, f: Filters, version: int, lang: str) -> None:
    """The board-pack page's "Tilaa sähköpostina": subscribe a saved selection, list and remove one's packs."""
    user = auth.current()
    if not auth.can("board_pack", user):
        return
    st.subheader(t("sub_pack_title", lang))
    stored = _stored(user)
    if stored is None or not stored.email:
        ui_sub.no_address(lang)
        return
    picked = ui_sub.pack_form(exports.selections(), chosen, stored.email, lang)
    if picked:
        auth.require("board_pack", lang)
        name, schedule = picked
        _subscribe(user, "pack", name, schedule, version, f, lang)
        st.success(t("sub_pack_ok", lang, name=md(name), address=md(stored.email)))
    removed = ui_sub.subscription_list(_rows(user, version, lang, "pack"), lang, "sub_pack")
    if removed:
        _unsubscribe(user, "pack", removed.target)
        st.rerun()


def alert_section(kpi_id: str, f: Filters, version: int, lang: str) -> None:
    """The KPI page's "Tilaukset": alerts on this KPI on or off, and one's alert subscriptions."""
    user = auth.current()
    if user is None:
        return
    st.subheader(t("sub_alerts_title", lang))
    stored = _stored(user)
    if stored is None or not stored.email:
        ui_sub.no_address(lang)
        return
    k = load_registry()[kpi_id]
    subscribed = state.guarded(store.get)(state.engine(), user.name, "alert", kpi_id) is not None

    def change(on: bool) -> None:
        if on:
            sub = _subscribe(user, "alert", kpi_id, "version", version, f, lang)
            _baseline(stored, sub, version)
            st.session_state[NOTICE] = t("sub_alert_ok", lang, name=k.name(lang), address=md(stored.email))
        else:
            _unsubscribe(user, "alert", kpi_id)
            st.session_state[NOTICE] = t("sub_alert_removed", lang, name=k.name(lang))
    ui_sub.alert_switch(subscribed, stored.email, bool(k.targets), lang, change)
    if notice := st.session_state.pop(NOTICE, None):
        st.success(notice)
    removed = ui_sub.subscription_list(_rows(user, version, lang, "alert"), lang, "sub_alert")
    if removed:
        _unsubscribe(user, "alert", removed.target)
        st.rerun()


@st.cache_resource(show_spinner=False)
def in_app_runner(minutes: float) -> threading.Event:
    """One thread per server process that runs the due subscriptions every `minutes` (what cron does otherwise);
    the returned event stops it."""
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(minutes * 60):
            try:
                cfg = runner.smtp_config()
                if cfg.host and cfg.sender:
                    log.info("subscriptions (in the app): %s", runner.run(state.engine(), cfg=cfg).summary())
            except Exception:  # noqa: BLE001 - the next round tries again; the app goes on
                log.exception("subscriptions (in the app) failed")
    threading.Thread(target=loop, name="subscriptions", daemon=True).start()
    return stop


def start_in_app_runner() -> None:
    """With DASHBOARD_SUBSCRIPTIONS_EVERY_MINUTES above 0, make sure this server runs the subscriptions itself."""
    try:
        minutes = float(get_settings().subscriptions_every_minutes or 0)
    except ValueError:
        minutes = 0
    if minutes > 0:
        in_app_runner(minutes)
