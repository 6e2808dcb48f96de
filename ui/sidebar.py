"""The sidebar's widgets: the language switch, the menu and the filters every page shares. Drawing only:
the data (municipalities, the latest month) comes from the caller."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from metrics.engine import BASE_YEAR, Filters

from .i18n import LANGS, local, local_col, month_name, month_window, t

# (section, [(page file, title key, icon)]): the menu, in the order a person reads it
MENU = (
    ("section_overview", (("pages/overview.py", "page_overview", ":material/dashboard:"),)),
    ("section_kpis", (("pages/strategic.py", "page_strategic", ":material/flag:"),
                      ("pages/tactical.py", "page_tactical", ":material/tune:"),
                      ("pages/operational.py", "page_operational", ":material/today:"),
                      ("pages/deficit.py", "page_deficit", ":material/trending_down:"),
                      ("pages/kpi_detail.py", "page_detail", ":material/info:"),
                      ("pages/compare.py", "page_compare", ":material/compare_arrows:"),
                      ("pages/forecast.py", "page_forecast", ":material/query_stats:"))),
    ("section_child_budget", (("pages/child_budget.py", "page_child_budget", ":material/child_care:"),)),
    ("section_data", (("pages/upload.py", "page_upload", ":material/upload_file:"),)),
    ("section_export", (("pages/board_pack.py", "page_board_pack", ":material/slideshow:"),)),
    ("section_admin", (("pages/admin.py", "page_admin", ":material/admin_panel_settings:"),)),
)
# pages every role may open, linked at the foot of the sidebar (the accessibility statement, law 306/2019)
FOOTER = (("pages/accessibility.py", "page_accessibility", ":material/accessibility_new:"),)
# Sidebar widgets: in pages-directory mode each page is its own script, so a widget is new on every page and
# its value is handed over through Session State (Streamlit's documented way to keep state across pages).
CARRIED = ("lang", "f_county", "f_municipality", "f_year", "f_months", "demo_role", "demo_scope")
# Choice widgets whose options are shown through a language-dependent format_func (selectbox, multiselect,
# select_slider, segmented control). Buttons, uploads and download buttons must not be listed: they cannot
# be given a value.
RELABEL_KEYS = ("f_county", "f_municipality", "f_months", "overview_kpi", "tactical_access_kpi", "tactical_areas",
                "operational_kpi", "operational_muni", "deficit_groups", "detail_kpi", "detail_grain", "fc_kpi",
                "fc_horizon", "fc_history", "pack_saved", "pack_items", "upl_dataset", "upl_mode", "upl_rb_pick",
                "demo_role", "demo_scope", "cmp_kpi", "cmp_std", "cmp_bench", "cmp_view", "cmp_level", "cmp_area",
                "cmp_kpi_y")


def carry_over() -> None:
    """Give each carried widget its value back before it is drawn on this page."""
    for key in CARRIED:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def language_switch(default: str) -> str:
    st.session_state.setdefault("lang", default)
    st.sidebar.radio(t("language_switch", default), options=list(LANGS), key="lang", horizontal=True,
                     format_func=lambda code: t("lang_name", code), on_change=_relabel_widgets)
    return st.session_state["lang"]


def _relabel_widgets() -> None:
    """After a language switch, hand each choice widget its own value back. Streamlit then sends the value to
    the browser again, which redraws the selected option in the new language; without this a selectbox keeps
    showing its Finnish label (Streamlit does not refresh the display when only format_func's output changes,
    streamlit/streamlit PR #13788)."""
    for key in RELABEL_KEYS:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def menu(lang: str, allowed: frozenset[str] | None = None) -> None:
    """The app's own menu (Streamlit's file-name menu is hidden by client.showSidebarNavigation = false), with
    only the pages the signed-in role may open (`allowed`: page file stems; None = all)."""
    with st.sidebar:
        for section, pages in MENU:
            shown = [p for p in pages if allowed is None or Path(p[0]).stem in allowed]
            if not shown:
                continue
            st.caption(t(section, lang))
            for path, title, icon in shown:
                st.page_link(path, label=t(title, lang), icon=icon)


def footer(lang: str, allowed: frozenset[str] | None = None) -> None:
    """The sidebar's last line: the accessibility statement (every role has it)."""
    with st.sidebar:
        st.divider()
        for path, title, icon in FOOTER:
            if allowed is None or Path(path).stem in allowed:
                st.page_link(path, label=t(title, lang), icon=icon)


def filters(munis: pd.DataFrame, latest: tuple[int, int], lang: str, all_counties: bool = True) -> Filters:
    """The shared filters over `munis` (the municipalities the user may see); without `all_counties` the county
    choice has no "all" option (a user limited to one county)."""
    last_year, last_month = latest
    sb = st.sidebar
    sb.header(t("filters", lang))
    counties = munis[["county_code", "county_fi", "county_en"]].drop_duplicates()
    county_names = dict(zip(counties.county_code, counties[local_col("county", lang)]))
    options = ([""] if all_counties else []) + list(county_names)
    if st.session_state.get("f_county") not in options:
        st.session_state["f_county"] = options[0]
    county = sb.selectbox(t("county", lang), options=options, key="f_county",
                          format_func=lambda c: county_names.get(c, t("all_counties", lang)))
    in_county = munis if not county else munis[munis.county_code == county]
    names = dict(zip(in_county.municipality_code, in_county.name_fi))
    if st.session_state.get("f_municipality") not in ("", None, *names):
        st.session_state["f_municipality"] = ""
    municipality = sb.selectbox(t("municipality", lang), options=[""] + sorted(names, key=names.get),
                                key="f_municipality",
                                format_func=lambda c: names.get(c, t("all_municipalities", lang)))
    years = list(range(last_year, BASE_YEAR - 1, -1))
    if st.session_state.get("f_year") not in years:
        st.session_state["f_year"] = last_year
    year = sb.selectbox(t("year", lang), options=years, key="f_year")
    max_month = last_month if year == last_year else 12
    # the options depend on the year, so a new year resets the window to its whole span (the default value
    # makes it a range; the carried value in Session State wins over it)
    if st.session_state.get("f_months_span") != (year, max_month):
        st.session_state["f_months_span"] = (year, max_month)
        st.session_state["f_months"] = (1, max_month)
    months = sb.select_slider(t("months", lang), options=list(range(1, max_month + 1)), key="f_months",
                              value=(1, max_month), format_func=lambda m: month_name(m, lang))
    if year == last_year:
        sb.caption(t("latest_full_month", lang, month=f"{month_name(last_month, lang)} {last_year}"))
    return Filters(year=year, months=tuple(months), county=county or None,
                   municipalities=(municipality,) if municipality else ())


def place(f: Filters, munis: pd.DataFrame, lang: str) -> str:
    """The chosen area in words: municipalities, a county, or all counties."""
    if f.municipalities:
        return ", ".join(munis.set_index("municipality_code").loc[list(f.municipalities), "name_fi"])
    if f.county:
        row = munis[munis.county_code == f.county].iloc[0]
        return local(row, "county", lang)
    return t("all_counties", lang)


def describe(f: Filters, munis: pd.DataFrame, lang: str) -> str:
    """Human-readable subtitle of the filters: 'Keski-Suomen hyvinvointialue · tammi–lokakuu 2026'."""
    return f"{place(f, munis, lang)} · {month_window(f.months, lang)} {f.year}"
