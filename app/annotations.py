"""Notes on KPIs (issue 15), the glue: which notes a view shows (the KPI, and a region that overlaps the view's:
the whole area, or a county or municipality the view includes or lies within), and the audited writes an analyst
makes on the page "Mittarin tiedot" (list, add, edit, delete)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from data_sources import annotations as store
from metrics.engine import Filters
from ui import annotations as ui
from ui.i18n import t

from . import auth, state

READ_TTL = 5                # seconds: a note written on another server shows after at most this long


@st.cache_data(ttl=READ_TTL, show_spinner=False)
def _all_notes(warehouse: tuple[str, str]) -> pd.DataFrame:
    return state.retrying(store.notes)(state.engine())


_last: dict[tuple[str, str], pd.DataFrame] = {}      # the last notes read per warehouse, for an outage


def all_notes() -> pd.DataFrame:
    """Every note (cached READ_TTL seconds). While the warehouse is away the last notes read are used (none when
    nothing was read yet): a chart's notes never stop a page whose numbers are still on screen."""
    key = state.warehouse_key()
    try:
        notes = _all_notes(key)
    except Exception as exc:  # noqa: BLE001 - only warehouse faults are absorbed
        if state.fault_kind(exc) is None:
            raise
        return _last.get(key, pd.DataFrame(columns=[c.name for c in store.T.c]))
    _last[key] = notes
    return notes


def _view_munis(f: Filters, munis: pd.DataFrame) -> set[str]:
    m = munis
    for county in (f.county, f.scope_county):
        if county:
            m = m[m.county_code == county]
    for chosen in (f.municipalities, f.scope_municipalities):
        if chosen:
            m = m[m.municipality_code.isin(chosen)]
    return set(m.municipality_code)


def _note_munis(row, munis: pd.DataFrame) -> set[str] | None:
    """The note's municipalities (None: the whole area)."""
    if row.municipality_code:
        return {row.municipality_code}
    if row.county_code:
        return set(munis.municipality_code[munis.county_code == row.county_code])
    return None


def region_label(row, munis: pd.DataFrame, lang: str) -> str:
    if row.municipality_code:
        names = munis.set_index("municipality_code").name_fi
        return str(names.get(row.municipality_code, row.municipality_code))
    if row.county_code:
        found = munis[munis.county_code == row.county_code]
        return str(found[f"county_{'en' if lang == 'en' else 'fi'}"].iloc[0]) if len(found) else row.county_code
    return t("nt_whole_area", lang)


def visible(notes: pd.DataFrame, f: Filters, munis: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The notes whose region overlaps the view's, with their region in words (column `region`)."""
    if notes.empty:
        return notes.assign(region=pd.Series(dtype=object))
    view = _view_munis(f, munis)
    keep = []
    for row in notes.itertuples():
        own = _note_munis(row, munis)
        keep.append(own is None or bool(own & view))
    out = notes[keep].copy()
    out["region"] = [region_label(r, munis, lang) for r in out.itertuples()]
    return out


def notes_hook(f: Filters, version: int, lang: str):
    """What the chart helpers call for a KPI's notes in this view (ui.widgets.on_notes)."""
    def notes_of(kpi_id: str) -> pd.DataFrame:
        notes = all_notes()
        return visible(notes[notes.kpi_id == kpi_id], f, state.municipalities(version), lang)
    return notes_of


def note_regions(user: auth.User, munis: pd.DataFrame, lang: str) -> dict[str, str]:
    """The regions a user may write a note for: "" (the whole area, unscoped users only), "c:<county>", "m:<code>"."""
    allowed = munis
    if user.county:
        allowed = allowed[allowed.county_code == user.county]
    if user.municipalities:
        allowed = allowed[allowed.municipality_code.isin(user.municipalities)]
    out = {} if user.scoped else {"": t("nt_whole_area", lang)}
    if not user.municipalities:
        for code, name in allowed[["county_code", f"county_{'en' if lang == 'en' else 'fi'}"]].drop_duplicates(
                ).itertuples(index=False):
            out[f"c:{code}"] = name
    for code, name in sorted(zip(allowed.municipality_code, allowed.name_fi), key=lambda x: x[1]):
        out[f"m:{code}"] = name
    return out


def _region_of(choice: str) -> tuple[str | None, str | None]:
    kind, _, code = choice.partition(":")
    return (code, None) if kind == "c" else (None, code) if kind == "m" else (None, None)


def _choice_of(row) -> str:
    return f"m:{row['municipality_code']}" if row.get("municipality_code") else \
        f"c:{row['county_code']}" if row.get("county_code") else ""


def section(kpi_id: str, f: Filters, version: int, lang: str) -> None:
    """"Huomautukset" on the KPI page: this view's notes of the KPI; add, edit and delete for roles that annotate."""
    user = auth.current()
    munis = state.municipalities(version)
    every = all_notes()
    notes = visible(every[every.kpi_id == kpi_id], f, munis, lang)
    may = auth.can("annotate", user)
    latest = state.latest_month(version)
    months = ui.month_options(latest)
    regions = note_regions(user, munis, lang) if may else {}
    act = ui.section(notes, lang, may_edit=may, months=months, regions=regions,
                     flash=st.session_state.pop("nt_flash", None), choice_of=_choice_of)
    if act is None:
        return
    kind, note_id, form = act
    auth.require("annotate", lang, kpi_id)
    if form is not None and form["region"] not in regions:
        st.session_state["nt_flash"] = ("error", t("auth_action_denied", lang))
        st.rerun()
    if note_id is not None:
        own = notes[notes.note_id == note_id]
        if own.empty:                                                   # not in this view (or gone)
            st.session_state["nt_flash"] = ("error", t("nt_error_missing", lang))
            st.rerun()
        if _choice_of(own.iloc[0].to_dict()) not in regions:            # a region beyond the user's scope
            auth.record("denied", obj=f"annotate {kpi_id} #{note_id}")
            st.session_state["nt_flash"] = ("error", t("auth_action_denied", lang))
            st.rerun()
    note = None
    if form is not None:
        county, muni = _region_of(form["region"])
        note = store.Note(kpi_id, form["start"], form["end"], county, muni, form["text"])

    def audit(what: str):
        def write(conn, nid: int, old: dict | None) -> None:
            shown = note if note is not None else store.Note(kpi_id, old["month_from"], old["month_to"], None, None,
                                                             old["text"])
            detail = f"{what} {_period(shown.month_from, shown.month_to)}: {shown.text}"
            if what == "edit":
                detail += f" (was: {old['text']})"
            auth.record("annotation", obj=f"{kpi_id} #{nid}", detail=detail, conn=conn)
        return write

    try:
        if kind == "add":
            store.add(state.engine(), note, user.name, audit("create"))
        elif kind == "edit":
            store.update(state.engine(), note_id, note, user.name, audit("edit"))
        elif kind == "delete":
            store.delete(state.engine(), note_id, audit("delete"))
    except store.NoteError as exc:
        message = t("nt_error_empty" if exc.code == "empty" else "nt_error_missing", lang)
        st.session_state["nt_flash"] = ("error", message)
    except Exception as exc:  # noqa: BLE001 - a warehouse fault is one sentence
        state.stop_on_fault(exc)
    else:
        done = t("nt_done_add" if kind == "add" else "nt_done_edit" if kind == "edit" else "nt_done_delete", lang)
        st.session_state["nt_flash"] = ("ok", done)
    _all_notes.clear()
    st.rerun()


def _period(a, b) -> str:
    b = b or a
    return f"{a:%-m/%Y}" if (a.year, a.month) == (b.year, b.month) else f"{a:%-m/%Y}–{b:%-m/%Y}"

