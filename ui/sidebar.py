"""The filters every page shares: county, municipality, year and month window (sidebar widgets)."""
from __future__ import annotations

import streamlit as st

from metrics.engine import BASE_YEAR, Filters

from . import state
from .i18n import MONTHS, t


def language_switch() -> str:
    if "lang" not in st.session_state:
        st.session_state["lang"] = state.lang()   # the configured default, set once per session
    st.sidebar.radio("Kieli / Language", options=["fi", "en"], key="lang", horizontal=True,
                     format_func=lambda x: {"fi": "Suomi", "en": "English"}[x], on_change=_relabel_widgets)
    return state.lang()


# Choice widgets whose options are shown through a language-dependent format_func (selectbox, multiselect,
# select_slider, segmented control). Buttons, uploads and download buttons must not be listed: they cannot
# be given a value.
RELABEL_KEYS = ("f_county", "f_municipality", "f_months", "overview_kpi", "tactical_access_kpi", "tactical_areas",
                "operational_kpi", "operational_muni", "deficit_groups", "detail_kpi", "detail_grain", "fc_kpi",
                "fc_horizon", "fc_history", "pack_saved", "pack_items", "upl_dataset", "upl_mode", "upl_rb_pick")


def _relabel_widgets() -> None:
    """After a language switch, hand each choice widget its own value back. Streamlit then sends the value to
    the browser again, which redraws the selected option in the new language; without this a selectbox keeps
    showing its Finnish label (Streamlit does not refresh the display when only format_func's output changes,
    streamlit/streamlit PR #13788)."""
    for key in RELABEL_KEYS:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def filters(version: int) -> Filters:
    lang = state.lang()
    munis = state.municipalities(version)
    last_year, last_month = state.latest_month(version)
    sb = st.sidebar
    sb.header(t("filters", lang))
    counties = munis[["county_code", "county_fi", "county_en"]].drop_duplicates()
    county_names = dict(zip(counties.county_code, counties["county_en" if lang == "en" else "county_fi"]))
    county = sb.selectbox(t("county", lang), options=[""] + list(county_names), key="f_county",
                          format_func=lambda c: county_names.get(c, t("all_counties", lang)))
    in_county = munis if not county else munis[munis.county_code == county]
    names = dict(zip(in_county.municipality_code, in_county.name_fi))
    if st.session_state.get("f_municipality") not in ("", None, *names):
        st.session_state["f_municipality"] = ""
    municipality = sb.selectbox(t("municipality", lang), options=[""] + sorted(names, key=names.get),
                                key="f_municipality",
                                format_func=lambda c: names.get(c, t("all_municipalities", lang)))
    years = list(range(last_year, BASE_YEAR - 1, -1))
    year = sb.selectbox(t("year", lang), options=years, key="f_year")
    max_month = last_month if year == last_year else 12
    names_m = MONTHS["en" if lang == "en" else "fi"]
    # the options depend on the year, so a new year resets the window to its whole span
    months = sb.select_slider(t("months", lang), options=list(range(1, max_month + 1)), key="f_months",
                              value=(1, max_month), format_func=lambda m: names_m[m - 1])
    if year == last_year:
        sb.caption(("Viimeisin täysi kuukausi: " if lang != "en" else "Latest full month: ")
                   + f"{names_m[last_month - 1]} {last_year}")
    return Filters(year=year, months=tuple(months), county=county or None,
                   municipalities=(municipality,) if municipality else ())


def place(f: Filters, version: int) -> str:
    """The chosen area in words: municipalities, a county, or all counties."""
    lang = state.lang()
    munis = state.municipalities(version)
    if f.municipalities:
        return ", ".join(munis.set_index("municipality_code").loc[list(f.municipalities), "name_fi"])
    if f.county:
        row = munis[munis.county_code == f.county].iloc[0]
        return row.county_en if lang == "en" else row.county_fi
    return t("all_counties", lang)


def describe(f: Filters, version: int) -> str:
    """Human-readable subtitle of the filters: 'Keski-Suomen hyvinvointialue · tammi–lokakuu 2026'."""
    from .i18n import month_window
    lang = state.lang()
    place_name = place(f, version)
    return f"{place_name} · {month_window(f.months, lang)} {f.year}"
