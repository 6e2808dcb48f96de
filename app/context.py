"""The session context every page starts from: page config, language, the menu, the shared filters and the
data version. Each page calls setup() first (Streamlit's pages-directory mode runs the page file alone)."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from metrics.engine import Filters
from ui import sidebar, widgets
from ui.i18n import t

from . import exports, state
from .state import describe, place  # noqa: F401 - pages read them from the context

ICON = str(Path(__file__).resolve().parent.parent / "assets" / "favicon.png")


def setup(title_key: str) -> tuple[str, Filters, int]:
    """(language, filters, data version) for a page titled by catalogue key `title_key`; stops the page with
    a message in the user's language when the warehouse does not answer."""
    lang = state.lang()
    st.set_page_config(page_title=f"{t(title_key, lang)} · {t('app_title', lang)}", page_icon=ICON, layout="wide")
    sidebar.carry_over()
    widgets.global_style()
    lang = sidebar.language_switch(state.lang())
    sidebar.menu(lang)
    version, updated = state.require_warehouse()
    f = sidebar.filters(state.municipalities(version), state.latest_month(version), lang)
    st.sidebar.caption(t("data_version", lang, version=version, at=updated))
    st.session_state["data_version"] = version          # the export menu stamps its files with it
    widgets.on_export(exports.record_export)
    return lang, f, version
