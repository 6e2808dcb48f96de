"""Johdon työpöytä: page config, language, shared filters, navigation. No KPI logic here."""
from pathlib import Path

import streamlit as st

from ui import sidebar, state
from ui.widgets import global_style
from ui.i18n import t

st.set_page_config(page_title="Johdon työpöytä", page_icon=str(Path(__file__).parent / "assets" / "favicon.png"), layout="wide")

state.leave_legacy_pages_mode(rerun="filters" not in st.session_state)   # first run of a session
global_style()
lang = state.lang()   # the switch below has already stored a new choice when this run starts
pages = {
    t("section_overview", lang): [
        st.Page("pages/overview.py", title=t("page_overview", lang), icon=":material/dashboard:", default=True),
    ],
    t("section_kpis", lang): [
        st.Page("pages/strategic.py", title=t("page_strategic", lang), icon=":material/flag:"),
        st.Page("pages/tactical.py", title=t("page_tactical", lang), icon=":material/tune:"),
        st.Page("pages/operational.py", title=t("page_operational", lang), icon=":material/today:"),
        st.Page("pages/deficit.py", title=t("page_deficit", lang), icon=":material/trending_down:"),
        st.Page("pages/kpi_detail.py", title=t("page_detail", lang), icon=":material/info:"),
        st.Page("pages/forecast.py", title=t("page_forecast", lang), icon=":material/query_stats:"),
    ],
    t("section_child_budget", lang): [
        st.Page("pages/child_budget.py", title=t("page_child_budget", lang), icon=":material/child_care:"),
    ],
    # analyst upload (issue 7)
    t("section_data", lang): [
        st.Page("pages/upload.py", title=t("page_upload", lang), icon=":material/upload_file:"),
    ],
    t("section_export", lang): [
        st.Page("pages/board_pack.py", title=t("page_board_pack", lang), icon=":material/slideshow:"),
    ],
}
nav = st.navigation(pages)
sidebar.language_switch()   # widgets go after st.navigation, or their state is lost
version, updated = state.require_warehouse()
st.session_state["filters"] = sidebar.filters(version)
st.session_state["data_version"] = version
st.sidebar.caption(t("data_version", lang, version=version, at=updated))
nav.run()
