"""What sign-in draws: the password form, the OIDC button, the demo-mode banner and role switcher, the signed-in
user's box with its sign-out button. The decisions are app/auth.py's."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from .i18n import local_col, t
from .safe import md

NAME_MAX, PASSWORD_MAX = 80, 200


def password_form(lang: str) -> tuple[str, str] | None:
    """(name, password) when the form was sent, else None (the page stops under the form)."""
    st.title(t("auth_title", lang))
    st.caption(t("auth_intro", lang))
    with st.columns([2, 3])[0], st.form("signin", clear_on_submit=True, enter_to_submit=True):   # no password kept
        name = st.text_input(t("auth_name", lang), key="auth_name", max_chars=NAME_MAX, autocomplete="username")
        password = st.text_input(t("auth_password", lang), type="password", key="auth_password",
                                 max_chars=PASSWORD_MAX, autocomplete="current-password")
        sent = st.form_submit_button(t("auth_submit", lang), type="primary")
    if not sent:
        return None
    return name or "", password or ""


def oidc_button(lang: str) -> bool:
    st.title(t("auth_title", lang))
    st.caption(t("auth_intro_oidc", lang))
    return st.button(t("auth_oidc", lang), type="primary", key="auth_oidc")


def refused(message: str, lang: str) -> None:
    st.error(message, icon="🔒")


def notice(message: str) -> None:
    st.info(message, icon="ℹ️")


def user_box(display: str, role_labels: list[str], lang: str) -> bool:
    """The signed-in user in the sidebar; True when sign-out was pressed."""
    with st.sidebar:
        st.caption(t("auth_signed_in", lang, name=md(display), role=", ".join(role_labels)))
        return st.button(t("auth_signout", lang), key="auth_signout", icon=":material/logout:")


def sign_out_button(lang: str) -> bool:
    return st.button(t("auth_signout", lang), key="auth_signout_refused")


def demo_banner(lang: str) -> None:
    """A marked line on top of every page (a badge and the sentence: not a warning element, which the page's own
    messages use)."""
    st.markdown(f":orange-badge[:material/science: {t('auth_demo_badge', lang)}] {t('auth_demo_banner', lang)}")


def demo_switcher(role_ids: list[str], munis: pd.DataFrame, lang: str) -> tuple[str, str]:
    """(role, county code or "") chosen in the demo mode's sidebar box (admin and every county by default)."""
    counties = munis[["county_code", local_col("county", lang)]].drop_duplicates()
    names = dict(zip(counties.county_code, counties[local_col("county", lang)]))
    if st.session_state.get("demo_role") not in role_ids:
        st.session_state["demo_role"] = "admin" if "admin" in role_ids else role_ids[0]
    if st.session_state.get("demo_scope") not in ("", *names):
        st.session_state["demo_scope"] = ""
    with st.sidebar.expander(t("auth_demo_box", lang), expanded=False, icon=":material/science:"):
        role = st.selectbox(t("auth_demo_role", lang), role_ids, key="demo_role",
                            format_func=lambda r: t(f"role_{r}", lang))
        county = st.selectbox(t("auth_demo_scope", lang), ["", *names], key="demo_scope",
                              format_func=lambda c: names.get(c, t("auth_scope_all", lang)))
    return role, county
