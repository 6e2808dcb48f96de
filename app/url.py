"""The view in the URL (issue 15): the sidebar filters and each page's own choices are written to the address as
they change and read from it when a link is opened, so a copied link shows a colleague the same view, within the
colleague's own region scope.

Convention (shared by every link the app makes): pages are served at /<page file stem>; the parameters are
`county`, `municipality`, `year`, `months` ("1-6"), `kpi`, `lang` (fi/en) and the page-level ones a page names
(e.g. `grain`, `horizon`). A value is applied once: a marker in Session State holds the value last applied to
(or written from) a widget, so the widget rules after that. A value that is not valid (unknown, malformed, too
long, a year out of range) is ignored with a short notice; a region outside the user's scope is ignored with a
notice and audited (app/auth.py)."""
from __future__ import annotations

import re
from typing import Iterable

import streamlit as st

from metrics.engine import BASE_YEAR
from ui.i18n import LANGS, t
from ui.safe import md

MARK = "_url_"                      # Session State prefix: the URL value last applied to / written from a widget
FILTERS = ("county", "municipality", "year", "months")
VALUE_MAX = 200                     # a longer value is never valid
_MONTHS = re.compile(r"^(\d{1,2})(?:-(\d{1,2}))?$")


def notice(value, lang: str, scope: bool = False) -> None:
    """The short notice of an ignored parameter: its first characters shown as literal text."""
    shown = md(str(value)[:20]) or "–"
    st.toast(t("auth_scope_ignored" if scope else "auth_param_ignored", lang, value=shown),
             icon="🔒" if scope else "ℹ️")


def _raw(param: str) -> str | None:
    try:
        value = st.query_params.get(param)
    except Exception:  # noqa: BLE001 - a malformed query string is no view
        return None
    return value if isinstance(value, str) else None


def _asked(param: str, key: str) -> str | None:
    """The URL's value for `param` when the widget `key` has not had it yet (a link not applied), else None."""
    raw = _raw(param)
    if raw is None or (st.session_state.get(MARK + key) == raw and key in st.session_state):
        return None
    st.session_state[MARK + key] = raw
    return raw


def forget() -> None:
    """Every URL value is applied afresh (opening a saved view or the start view)."""
    for key in [k for k in st.session_state if str(k).startswith(MARK)]:
        del st.session_state[key]


def put(param: str, value, key: str | None = None) -> None:
    """Write a choice to the URL (None or "" removes the parameter) and remember it as applied."""
    text = "" if value is None else str(value)
    if text:
        if _raw(param) != text:
            st.query_params[param] = text
    elif param in st.query_params:
        del st.query_params[param]
    st.session_state[MARK + (key or param)] = text or None


# --- language ---------------------------------------------------------------------------------------------------
def apply_lang() -> str | None:
    """The link's language into Session State before the switch is drawn; an unknown one is returned for a notice."""
    raw = _asked("lang", "lang")
    if raw is None:
        return None
    if raw in LANGS:
        st.session_state["lang"] = raw
        return None
    return raw


def put_lang(lang: str, default: str) -> None:
    put("lang", None if lang == default else lang, key="lang")


# --- the sidebar filters ------------------------------------------------------------------------------------------
def _signature() -> str:
    return repr([(p, _raw(p)) for p in FILTERS])


def apply_filters(allowed, munis, latest: tuple[int, int], lang: str, on_scope) -> None:
    """A link's county, municipality, year and months into the sidebar's Session State before the filters are
    drawn. They are applied together (a year without its months would reset the window; a region left out is
    every region, the form put_filters writes). `allowed`: the
    municipalities the user may see; `on_scope(param, value)` records a region outside the scope."""
    sig = _signature()
    present = {p: _raw(p) for p in FILTERS if _raw(p) is not None}
    if not present or (st.session_state.get(MARK + "filters") == sig
                       and all(f"f_{p}" in st.session_state for p in ("county", "municipality", "year", "months"))):
        return
    st.session_state[MARK + "filters"] = sig
    last_year, last_month = latest
    # a link that names the period but no region is a view of every region (the URL leaves "all" out)
    for param in ("county", "municipality"):
        if param not in present:
            st.session_state[f"f_{param}"] = ""
    county = present.get("county")
    if county is not None:
        if county in set(allowed.county_code):
            st.session_state["f_county"] = county
        elif county in set(munis.county_code):
            on_scope("county", county)
            notice(county, lang, scope=True)
            county = None
        else:
            notice(county, lang)
            county = None
    muni = present.get("municipality")
    if muni is not None:
        row = allowed[allowed.municipality_code == muni]
        if len(row) and (county is None or row.county_code.iloc[0] == county):
            chosen = st.session_state.get("f_county")
            if chosen and chosen != row.county_code.iloc[0]:
                st.session_state["f_county"] = row.county_code.iloc[0]
            st.session_state["f_municipality"] = muni
        elif muni in set(munis.municipality_code) and not len(row):
            on_scope("municipality", muni)
            notice(muni, lang, scope=True)
        else:
            notice(muni, lang)
    year = st.session_state.get("f_year", last_year)
    raw_year = present.get("year")
    if raw_year is not None:
        if re.fullmatch(r"\d{4}", raw_year) and BASE_YEAR <= int(raw_year) <= last_year:
            year = int(raw_year)
            st.session_state["f_year"] = year
        else:
            notice(raw_year, lang)
    raw_months = present.get("months")
    if raw_months is not None:
        found = _MONTHS.match(raw_months) if len(raw_months) <= 5 else None
        max_month = last_month if year == last_year else 12
        a, b = (int(found.group(1)), int(found.group(2) or found.group(1))) if found else (0, 0)
        if found and 1 <= a <= b <= max_month:
            st.session_state["f_months"] = (a, b)
            st.session_state["f_months_span"] = (year, max_month)
        else:
            notice(raw_months, lang)


def put_filters() -> None:
    """The sidebar's current choices into the URL (after the filters are drawn)."""
    months = st.session_state.get("f_months")
    put("county", st.session_state.get("f_county") or None, key="f_county")
    put("municipality", st.session_state.get("f_municipality") or None, key="f_municipality")
    put("year", st.session_state.get("f_year"), key="f_year")
    put("months", f"{months[0]}-{months[1]}" if months else None, key="f_months")
    st.session_state[MARK + "filters"] = _signature()


# --- a page's own choices -----------------------------------------------------------------------------------------
def choice(param: str, key: str, options: Iterable, lang: str, *, multi: bool = False) -> None:
    """A link's value for a page's widget `key` (a selectbox, segmented control or, with `multi`, a multiselect
    given as "a,b") into Session State before the widget is drawn; a value not among `options` is ignored with
    a notice. Call put(param, value, key) after the widget."""
    raw = _asked(param, key)
    if raw is None:
        return
    by_text = {str(o): o for o in options}
    if len(raw) <= VALUE_MAX:
        if multi:
            parts = [p for p in raw.split(",") if p] if raw else []
            if all(p in by_text for p in parts) and len(parts) == len(set(parts)):
                st.session_state[key] = [by_text[p] for p in parts]
                return
        elif raw in by_text:
            st.session_state[key] = by_text[raw]
            return
    notice(raw, lang)


def put_choice(param: str, value, key: str, *, multi: bool = False) -> None:
    put(param, ",".join(map(str, value)) if multi else value, key=key)


def current() -> dict[str, str]:
    """The view's query parameters as the browser has them now (a saved view stores these)."""
    return {k: v for k, v in st.query_params.to_dict().items() if isinstance(v, str)}
