"""The sidebar's saved views ("Omat näkymät"): drawing only; app/views.py stores and opens them."""
from __future__ import annotations

import streamlit as st

from .i18n import t

NAME_MAX = 80


def saved_views_box(views: list[dict], lang: str, *, roles: list[str], flash: tuple[str, str] | None = None
                    ) -> tuple[str, str, str | None] | None:
    """(action, view name, extra) when a button was pressed: save (the name typed), open, delete, start, or
    role_default (extra: the role); None otherwise. View names are shown as plain text (option labels)."""
    with st.sidebar.expander(t("sv_title", lang), icon=":material/bookmarks:", expanded=flash is not None):
        if flash:
            (st.success if flash[0] == "ok" else st.error)(flash[1])
        if views:
            names = [v["name"] for v in views]
            start = {v["name"] for v in views if v["is_start"]}
            if st.session_state.get("sv_pick") not in names:
                st.session_state["sv_pick"] = names[0]
            picked = st.selectbox(t("sv_pick", lang), names, key="sv_pick",
                                  format_func=lambda n: f"★ {n}" if n in start else n)
            c1, c2 = st.columns(2)
            if c1.button(t("sv_open", lang), key="sv_open", icon=":material/open_in_new:", width="stretch"):
                return "open", picked, None
            if c2.button(t("sv_delete", lang), key="sv_delete", icon=":material/delete:", width="stretch"):
                return "delete", picked, None
            label = "sv_start_off_button" if picked in start else "sv_start"
            if st.button(t(label, lang), key="sv_start", icon=":material/home:", width="stretch"):
                return "start", picked, None
            if roles:
                role = st.selectbox(t("sv_role", lang), roles, key="sv_role",
                                    format_func=lambda r: t(f"role_{r}", lang))
                if st.button(t("sv_role_button", lang), key="sv_role_set", width="stretch"):
                    return "role_default", picked, role
        else:
            st.caption(t("sv_none", lang))
        name = st.text_input(t("sv_name", lang), key="sv_name", max_chars=NAME_MAX)
        if st.button(t("sv_save", lang), key="sv_save", icon=":material/bookmark_add:", width="stretch"):
            return "save", name or "", None
    return None
