"""What the admin page draws: the user table and forms, the audit trail's filters, table and downloads."""
from __future__ import annotations

import datetime as dt
from typing import Callable

import pandas as pd
import streamlit as st

from . import export_data
from .i18n import local_col, t

PASSWORD_MAX = 200
ROLE_IDS = ("viewer", "analyst", "executive", "admin")      # app/roles.yaml (the labels: role_<id>)


def _scope_words(county: str | None, municipalities, munis: pd.DataFrame, lang: str) -> str:
    names = dict(zip(munis.municipality_code, munis.name_fi))
    counties = dict(zip(munis.county_code, munis[local_col("county", lang)]))
    if municipalities:
        return ", ".join(names.get(m, m) for m in municipalities)
    if county:
        return counties.get(county, county)
    return t("auth_scope_all", lang)


def users_table(users: list, munis: pd.DataFrame, lang: str) -> None:
    if not users:
        st.caption(t("adm_no_users", lang))
        return
    table = pd.DataFrame({
        t("auth_name", lang): [u.user_name for u in users],
        t("adm_display", lang): [u.display_name for u in users],
        t("adm_role", lang): [t(f"role_{u.role}", lang) for u in users],
        t("adm_scope", lang): [_scope_words(u.scope_county, u.scope_municipalities, munis, lang) for u in users],
        t("adm_status", lang): [t("adm_disabled" if u.disabled else "adm_active", lang) for u in users],
        t("adm_sign_in", lang): [t("adm_oidc" if u.oidc_subject else "adm_password", lang) for u in users],
        t("adm_email", lang): [u.email or "–" for u in users],
    })
    st.dataframe(table, hide_index=True, width="stretch")


def _scope_inputs(key: str, munis: pd.DataFrame, lang: str, county=None, municipalities=()) -> tuple:
    counties = dict(zip(munis.county_code, munis[local_col("county", lang)]))
    options = ["", *counties]
    c = st.selectbox(t("adm_scope_county", lang), options, index=options.index(county or ""), key=f"{key}_county",
                     format_func=lambda x: counties.get(x, t("auth_scope_all", lang)))
    pool = munis if not c else munis[munis.county_code == c]
    names = dict(zip(pool.municipality_code, pool.name_fi))
    m = st.multiselect(t("adm_scope_munis", lang), sorted(names, key=names.get),
                       default=[x for x in municipalities if x in names], key=f"{key}_munis",
                       format_func=lambda x: names.get(x, x), placeholder=t("adm_scope_munis_all", lang))
    return c or None, tuple(m)


def user_form(key: str, munis: pd.DataFrame, role_ids: list[str], lang: str) -> dict | None:
    """The new user's fields when the form was sent."""
    with st.form(key, clear_on_submit=True):
        name = st.text_input(t("auth_name", lang), max_chars=80, key=f"{key}_name")
        display = st.text_input(t("adm_display", lang), max_chars=120, key=f"{key}_display")
        role = st.selectbox(t("adm_role", lang), role_ids, key=f"{key}_role", format_func=lambda r: t(f"role_{r}", lang))
        county, municipalities = _scope_inputs(key, munis, lang)
        password = st.text_input(t("adm_new_password", lang), type="password", max_chars=PASSWORD_MAX,
                                 key=f"{key}_pw", autocomplete="new-password")
        if not st.form_submit_button(t("adm_add_submit", lang), type="primary"):
            return None
    return dict(name=name, display=display, role=role, password=password, county=county,
                municipalities=municipalities)


def edit_form(user, munis: pd.DataFrame, role_ids: list[str], lang: str) -> tuple[str, dict] | None:
    """(kind, values) of the one change asked for: role, scope, password or disabled."""
    if user is None:
        return None
    key = f"adm_edit_{user.user_name}"
    role = st.selectbox(t("adm_role", lang), role_ids, index=role_ids.index(user.role) if user.role in role_ids else 0,
                        key=f"{key}_role", format_func=lambda r: t(f"role_{r}", lang))
    if st.button(t("adm_save_role", lang), key=f"{key}_role_go"):
        return "role", {"role": role}
    county, municipalities = _scope_inputs(key, munis, lang, user.scope_county, user.scope_municipalities)
    if st.button(t("adm_save_scope", lang), key=f"{key}_scope_go"):
        return "scope", {"county": county, "municipalities": municipalities}
    address = st.text_input(t("adm_email", lang), value=user.email or "", max_chars=254, key=f"{key}_email",
                            help=t("adm_email_help", lang), autocomplete="off")
    if st.button(t("adm_save_email", lang), key=f"{key}_email_go"):
        return "email", {"address": address}
    with st.form(f"{key}_pwform", clear_on_submit=True):
        password = st.text_input(t("adm_new_password", lang), type="password", max_chars=PASSWORD_MAX,
                                 key=f"{key}_pw", autocomplete="new-password")
        if st.form_submit_button(t("adm_reset_password", lang)):
            return "password", {"password": password}
    label = "adm_enable" if user.disabled else "adm_disable"
    if st.button(t(label, lang), key=f"{key}_toggle"):
        return "disabled", {"disabled": not user.disabled}
    return None


def audit_filters(actions: tuple[str, ...], lang: str, today: dt.date) -> dict:
    a, b, c = st.columns([2, 2, 3])
    window = a.date_input(t("adm_window", lang), value=(today - dt.timedelta(days=30), today), key="adm_window",
                          format="DD.MM.YYYY")
    since, until = (window if isinstance(window, tuple) and len(window) == 2 else (today - dt.timedelta(days=30), today))
    user = b.text_input(t("adm_filter_user", lang), max_chars=80, key="adm_filter_user")
    text = c.text_input(t("adm_filter_text", lang), max_chars=100, key="adm_filter_text")
    chosen = st.multiselect(t("adm_filter_actions", lang), list(actions), key="adm_filter_actions",
                            format_func=lambda x: t(f"adm_action_{x}", lang), placeholder=t("adm_all_actions", lang))
    return dict(since=since, until=until, user=user.strip().lower(), actions=tuple(chosen), text=text.strip())


def audit_frame(events: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame({
        t("adm_col_at", lang): events.occurred_at.dt.strftime("%d.%m.%Y %H.%M.%S") if len(events) else [],
        t("auth_name", lang): events.user_name,
        t("adm_role", lang): [", ".join(t(f"role_{r}", lang) if r in ROLE_IDS else r for r in str(x).split(",") if r)
                               for x in events.role],
        t("adm_col_action", lang): [t(f"adm_action_{a}", lang) for a in events.action],
        t("adm_col_object", lang): events.object,
        t("adm_col_detail", lang): events.detail,
        t("adm_scope", lang): events.scope,
    })


def audit_table(events: pd.DataFrame, lang: str) -> None:
    st.caption(t("adm_n_events", lang, n=len(events)))
    st.dataframe(audit_frame(events, lang), hide_index=True, width="stretch")


def audit_downloads(events: pd.DataFrame, lang: str, on_download: Callable[[str], None]) -> None:
    table = audit_frame(events, lang)
    a, b = st.columns(2)
    a.download_button(t("export_xlsx", lang), data=lambda: export_data.to_xlsx(table, {}, lang, title=t("adm_audit", lang)),
                      file_name=t("adm_audit_file", lang, ext="xlsx"), key="adm_dl_xlsx", on_click=on_download,
                      args=("xlsx",), mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    b.download_button(t("export_csv", lang), data=lambda: export_data.to_csv(table, lang),
                      file_name=t("adm_audit_file", lang, ext="csv"), key="adm_dl_csv", on_click=on_download,
                      args=("csv",), mime="text/csv")
