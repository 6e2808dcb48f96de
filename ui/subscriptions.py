"""Managing one's e-mail subscriptions (issue 15): the board pack's "Tilaa sähköpostina" and the KPI page's alert
switch and "Tilaukset" list. Draws and returns the user's choice; storing is the glue's (app/subscribe.py)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import streamlit as st

from .i18n import t
from .safe import md

SCHEDULES = ("monthly", "version")


@dataclass(frozen=True)
class Row:
    """One subscription as listed: kind, target (selection name or KPI id), its name in words, schedule, region."""
    kind: str
    target: str
    label: str
    schedule: str
    region: str


def no_address(lang: str) -> None:
    st.info(t("sub_no_email", lang), icon=":material/mail:")


def schedule_label(schedule: str, lang: str) -> str:
    return t("sub_schedule_monthly", lang) if schedule == "monthly" else t("sub_schedule_version", lang)


def pack_form(selections: list[str], chosen: str, address: str, lang: str) -> tuple[str, str] | None:
    """(selection, schedule) when the user subscribes; None otherwise."""
    st.caption(t("sub_pack_intro", lang, address=md(address)))
    if not selections:
        st.info(t("sub_pack_none_saved", lang))
        return None
    left, right, go = st.columns([3, 3, 1], vertical_alignment="bottom")
    name = left.selectbox(t("sub_pack_selection", lang), selections, key="sub_pack_selection",
                          index=selections.index(chosen) if chosen in selections else 0)
    schedule = right.radio(t("sub_schedule", lang), SCHEDULES, key="sub_pack_schedule", horizontal=True,
                           format_func=lambda s: schedule_label(s, lang))
    if go.button(t("sub_subscribe", lang), key="sub_pack_go", type="primary"):
        return name, schedule
    return None


def alert_switch(subscribed: bool, address: str, has_target: bool, lang: str,
                 on_change: Callable[[bool], None]) -> None:
    """The KPI page's alert button; `on_change(True)` subscribes, `on_change(False)` stops (run before the page
    is drawn again, so the page shows the new state)."""
    if not has_target:
        st.caption(t("sub_alert_no_target", lang))
        return
    st.caption(t("sub_alert_on" if subscribed else "sub_alert_intro", lang, address=md(address)))
    if subscribed:
        st.button(t("sub_alert_stop", lang), key="sub_alert_stop", on_click=on_change, args=(False,))
    else:
        st.button(t("sub_alert_start", lang), key="sub_alert_start", icon=":material/notifications:",
                  on_click=on_change, args=(True,))


def subscription_list(rows: list[Row], lang: str, key: str) -> Row | None:
    """The user's subscriptions with a remove button each; the row whose button was pressed."""
    if not rows:
        st.caption(t("sub_none", lang))
        return None
    removed = None
    for i, r in enumerate(rows):
        text, button = st.columns([6, 1], vertical_alignment="center")
        kind = t("sub_kind_pack", lang) if r.kind == "pack" else t("sub_kind_alert", lang)
        text.markdown(f"**{md(r.label)}** · {kind} · {schedule_label(r.schedule, lang)}"
                      + (f" · {md(r.region)}" if r.region else ""))
        if button.button(t("sub_remove", lang), key=f"{key}_rm_{i}", help=t("sub_remove_help", lang, name=r.label)):
            removed = r
    return removed
