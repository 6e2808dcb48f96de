"""Johdon työpöytä: page config, language, shared filters, navigation. No KPI logic here."""
from pathlib import Path

import streamlit as st

from ui import sidebar, state
from ui.i18n import t

st.set_page_config(page_title="Johdon työpöytä", page_icon=str(Path(__file__).parent / "assets" / "favicon.png"), layout="wide")

lang = sidebar.language_switch()
pages = {
    t("section_overview", lang): [
        st.Page("pages/overview.py", title=t("page_overview", lang), icon=":material/dashboard:",
                url_path="yleiskuva", default=True),
    ],
    t("section_export", lang): [
        st.Page("pages/board_pack.py", title=t("page_board_pack", lang), icon=":material/slideshow:",
                url_path="raporttipaketti"),
    ],
}
nav = st.navigation(pages)
version, updated = state.require_warehouse()
st.session_state["filters"] = sidebar.filters(version)
st.session_state["data_version"] = version
st.sidebar.caption(t("data_version", lang, version=version, at=updated))
nav.run()
