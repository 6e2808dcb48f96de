"""The session context every page starts from: page config, language, sign-in and role (app/auth.py), the menu
the role may use, the shared filters limited to the user's region scope, and the data version. Each page calls
setup() first (Streamlit's pages-directory mode runs the page file alone)."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import streamlit as st

from data_sources.settings import get_settings
from metrics.engine import Filters
from ui import sidebar, widgets
from ui.i18n import t

from . import annotations, auth, exports, forecasting, state, subscribe, url, views, warmup
from .state import describe, place  # noqa: F401 - pages read them from the context
from .url import choice as url_choice, put_choice as url_put  # noqa: F401 - pages keep their choices in the URL

ICON = str(Path(__file__).resolve().parent.parent / "assets" / "favicon.png")
PAGE_OF = {title: Path(path).stem for _, pages in (*sidebar.MENU, ("", sidebar.FOOTER)) for path, title, _ in pages}


def setup(title_key: str) -> tuple[str, Filters, int]:
    """(language, filters, data version) for a page titled by catalogue key `title_key`. Stops the page with
    the sign-in form, a refusal (a role without this page) or a message in the user's language when the
    warehouse does not answer."""
    bad_lang = url.apply_lang()
    lang = state.lang()
    st.set_page_config(page_title=f"{t(title_key, lang)} · {t('app_title', lang)}", page_icon=ICON, layout="wide")
    sidebar.carry_over()
    widgets.global_style()
    lang = sidebar.language_switch(state.lang())
    url.put_lang(lang, get_settings().lang)
    if bad_lang is not None:
        url.notice(bad_lang, lang)
    version, updated = state.require_warehouse()
    # a version new to this server is forecast in the background, then the pages' first views are computed
    forecasting.on_data_version(version, then=warmup.warm if get_settings().warm_caches.strip() == "1" else None)
    subscribe.start_in_app_runner()
    munis = state.municipalities(version)
    user = state.guarded(auth.gate)(PAGE_OF[title_key], lang, munis)   # warehouse away: one sentence
    views.open_start_view(user, PAGE_OF[title_key])     # the app opened at its root: the start view, if any
    sidebar.menu(lang, user.pages())
    try:
        latest = state.latest_month(version)
    except LookupError:                         # a new warehouse without contacts yet: nothing to compute
        latest = _no_data_yet(title_key, user, lang)
    f = scoped_filters(user, munis, latest, lang)
    st.sidebar.caption(t("data_version", lang, version=version, at=updated))
    sidebar.footer(lang, user.pages())
    st.session_state["data_version"] = version          # the export menu stamps its files with it
    widgets.on_export(exports.export_hook(user) if auth.can("export", user) else None)
    widgets.on_notes(annotations.notes_hook(f, version, lang))
    views.sidebar_box(user, PAGE_OF[title_key], lang)
    return lang, f, version


def _no_data_yet(title_key: str, user: auth.User, lang: str) -> tuple[int, int]:
    """An empty warehouse: the pages that compute say so in a sentence (with the way to the upload page for a role
    that may upload) and stop; the upload and admin pages go on with this month as the latest."""
    if PAGE_OF[title_key] not in ("upload", "admin"):
        st.title(t(title_key, lang))
        st.info(t("no_data_yet", lang), icon=":material/database:")
        if auth.can("upload", user):
            st.page_link("pages/upload.py", label=t("page_upload", lang), icon=":material/upload_file:")
        st.stop()
    today = dt.date.today()
    return today.year, today.month


def scoped_filters(user: auth.User, munis, latest: tuple[int, int], lang: str) -> Filters:
    """The sidebar's filters offering only the user's region, with the scope attached so that every query built
    from them is limited in SQL (metrics.engine.Filters.dims). A county or municipality named by a link outside
    the scope is ignored with a notice and audited; the choices are written back to the URL (app/url.py)."""
    allowed = munis
    if user.county:
        allowed = allowed[allowed.county_code == user.county]
    if user.municipalities:
        allowed = allowed[allowed.municipality_code.isin(user.municipalities)]

    def out_of_scope(key: str, value: str) -> None:
        auth.record("scope_ignored", obj=f"{key}={value}")

    url.apply_filters(allowed, munis, latest, lang, out_of_scope)
    f = sidebar.filters(allowed, latest, lang, all_counties=not user.county and not user.municipalities)
    url.put_filters()
    if user.municipalities and not f.municipalities:
        f = replace(f, municipalities=tuple(sorted(user.municipalities)))
    county = user.county or (allowed.county_code.iloc[0] if user.municipalities and len(allowed) else None)
    return replace(f, scope_county=county, scope_municipalities=tuple(sorted(user.municipalities)))
