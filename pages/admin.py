"""Administration (admins only): the local users with their roles and region scopes, and the audit trail with
filters and an export. Every change is audited by app/users.py."""
import datetime as dt

import streamlit as st

from app import admin, auth, context
from ui import admin as ui_admin
from ui.i18n import t
from ui.safe import md

lang, _, version = context.setup("page_admin")
st.title(t("page_admin", lang))
if flash := st.session_state.pop("adm_flash", None):
    st.success(md(flash))

users_tab, audit_tab = st.tabs([t("adm_users", lang), t("adm_audit", lang)])

with users_tab:
    auth.require("users", lang)
    st.caption(t("adm_mode", lang, mode=t(f"adm_mode_{auth.mode()}", lang)))
    munis = admin.municipalities(version)
    ui_admin.users_table(admin.all_users(), munis, lang)
    with st.expander(t("adm_add", lang), icon=":material/person_add:"):
        new = ui_admin.user_form("adm_new", munis, admin.ROLE_IDS, lang)
        if new is not None:
            admin.run(lambda: admin.add_user(**new), t("adm_added", lang, name=new["name"]), lang)
    names = [u.user_name for u in admin.all_users()]
    if names:
        with st.expander(t("adm_edit", lang), icon=":material/manage_accounts:"):
            who = st.selectbox(t("adm_pick", lang), names, key="adm_pick")
            change = ui_admin.edit_form(admin.user(who), munis, admin.ROLE_IDS, lang)
            if change is not None:
                kind, values = change
                admin.run(lambda: admin.change(who, kind, values), t("adm_changed", lang, name=who), lang)

with audit_tab:
    auth.require("audit", lang)
    crit = ui_admin.audit_filters(admin.ACTIONS, lang, today=dt.date.today())
    events = admin.audit_events(**crit)
    ui_admin.audit_table(events, lang)
    ui_admin.audit_downloads(events, lang, on_download=lambda fmt: auth.record("export", obj="audit", detail=fmt))
