"""Notes on KPIs (issue 15), drawing only: the section "Huomautukset" (list, add, edit, delete) and the notes as
chart and table rows. A note's text is user data: it is shown in tables, chart labels and plain-text widgets,
never as markdown, and reaches files through ui/safe.py and ui/sheets.py."""
from __future__ import annotations

import datetime as dt
from typing import Callable

import pandas as pd
import streamlit as st

from metrics.engine import BASE_YEAR

from .i18n import t

TEXT_MAX = 300
FUTURE_MONTHS = 24          # a note may name a coming month (a forecast chart shows two years ahead)
LABEL_MAX = 40              # characters of a note on a chart (the whole text is in its tooltip and table)


def month_options(latest: tuple[int, int]) -> list[dt.date]:
    """Months a note may be for: from the first year of data to two years after the latest month, newest first."""
    last = pd.Timestamp(year=latest[0], month=latest[1], day=1) + pd.DateOffset(months=FUTURE_MONTHS)
    months = pd.date_range(pd.Timestamp(year=BASE_YEAR, month=1, day=1), last, freq="MS")
    return [m.date() for m in months[::-1]]


def period_label(a, b=None) -> str:
    a = pd.Timestamp(a)
    b = pd.Timestamp(b) if b is not None and not pd.isna(b) else a
    return f"{a.month}/{a.year}" if (a.year, a.month) == (b.year, b.month) else \
        f"{a.month}/{a.year}–{b.month}/{b.year}"


def short(text: str, n: int = LABEL_MAX) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def table_column(notes: pd.DataFrame, periods: list, grain: str) -> list[str]:
    """For each period of a chart (month starts; years for the year grain), the notes that fall in it as
    'period: text' joined by ' · ' ("" where none): the chart's table and export get this column."""
    out = []
    for p in periods:
        p = pd.Timestamp(year=int(p), month=1, day=1) if isinstance(p, (int, float)) else pd.Timestamp(p)
        end = p + pd.DateOffset(months={"month": 1, "quarter": 3, "year": 12}.get(grain, 1))
        hits = notes[(notes.month_from < end) & (notes.month_to >= p)] if len(notes) else notes
        out.append(" · ".join(f"{period_label(r.month_from, r.month_to)}: {r.text}" for r in hits.itertuples()))
    return out


def chart_points(notes: pd.DataFrame, grain: str, lo, hi) -> pd.DataFrame:
    """The notes as chart marks: x (the period a note starts in, or for a note that starts before the chart, its
    first period), `note` (a short label), `note_full` (period, region and text) and `side` (the label's side of
    its mark: left in the chart's first half) for those within [lo, hi]."""
    if notes is None or notes.empty:
        return pd.DataFrame({"x": [], "note": [], "note_full": [], "side": []})
    lo, hi = pd.Timestamp(lo), pd.Timestamp(hi)
    span = max((hi - lo).days, 1)
    rows = []
    for r in notes.itertuples():
        a, b = pd.Timestamp(r.month_from), pd.Timestamp(r.month_to)
        if grain == "quarter":
            a = pd.Timestamp(year=a.year, month=(a.month - 1) // 3 * 3 + 1, day=1)
        elif grain == "year":
            a = pd.Timestamp(year=a.year, month=1, day=1)
        if b < lo or a > hi:
            continue
        x = max(a, lo)
        region = getattr(r, "region", "")
        full = f"{period_label(r.month_from, r.month_to)}: {r.text}" + (f" ({region})" if region else "")
        side = "right" if (x - lo).days / span > 0.55 else "left"      # the label reads toward the chart's middle
        rows.append({"x": x, "note": short(r.text), "note_full": full, "side": side})
    return pd.DataFrame(rows, columns=["x", "note", "note_full", "side"])


def caption_lines(notes: pd.DataFrame, lang: str, lo=None, hi=None, limit: int = 2) -> list[str]:
    """Board-pack caption lines: the notes of the shown period (at most `limit`, shortened, then how many more)."""
    if notes is None or notes.empty:
        return []
    shown = notes
    if lo is not None:
        shown = shown[(shown.month_to >= pd.Timestamp(lo)) & (shown.month_from <= pd.Timestamp(hi))]
    lines = [t("nt_caption", lang, period=period_label(r.month_from, r.month_to), text=short(r.text, 90))
             for r in shown.head(limit).itertuples()]
    if len(shown) > limit:
        lines.append(t("nt_caption_more", lang, n=len(shown) - limit))
    return lines


def notes_lines(notes: pd.DataFrame, lang: str) -> list[str]:
    """Speaker-note lines: every note of the KPI in the view, in full, with its region."""
    if notes is None or notes.empty:
        return []
    return [t("nt_notes_head", lang)] + [
        f"- {period_label(r.month_from, r.month_to)} ({getattr(r, 'region', '') or t('nt_whole_area', lang)}): "
        f"{r.text}" for r in notes.itertuples()]


def section(notes: pd.DataFrame, lang: str, *, may_edit: bool, months: list[dt.date], regions: dict[str, str],
            flash: tuple[str, str] | None, choice_of: Callable[[dict], str]):
    """The notes of this KPI in this view as a table; for roles that annotate, forms to add, edit and delete.
    Returns (action, note id, form values) when a form was sent: add, edit or delete; else None."""
    st.header(t("nt_title", lang))
    st.caption(t("nt_intro", lang))
    if flash:
        (st.success if flash[0] == "ok" else st.error)(flash[1])
    if notes.empty:
        st.caption(t("nt_none", lang))
    else:
        st.dataframe(pd.DataFrame({
            t("nt_col_period", lang): [period_label(a, b) for a, b in zip(notes.month_from, notes.month_to)],
            t("nt_col_region", lang): list(notes.region),
            t("nt_col_text", lang): list(notes.text),
            t("nt_col_by", lang): list(notes.updated_by),
            t("nt_col_at", lang): [pd.Timestamp(x).strftime("%-d.%-m.%Y %H.%M") for x in notes.updated_at],
        }), hide_index=True, width="stretch", column_config={
            t("nt_col_text", lang): st.column_config.TextColumn(width="large")})
    if not may_edit or not months:
        return None
    month_fmt = lambda d: f"{d.month}/{d.year}"      # noqa: E731
    end_fmt = lambda d: t("nt_same_month", lang) if d is None else month_fmt(d)   # noqa: E731
    with st.expander(t("nt_add", lang), icon=":material/edit_note:"):
        with st.form("nt_add_form", clear_on_submit=True):
            text = st.text_area(t("nt_text", lang), max_chars=TEXT_MAX, key="nt_text",
                                placeholder=t("nt_placeholder", lang))
            c1, c2, c3 = st.columns(3)
            start = c1.selectbox(t("nt_from", lang), months, index=FUTURE_MONTHS, format_func=month_fmt,
                                 key="nt_from")
            end = c2.selectbox(t("nt_to", lang), [None, *months], format_func=end_fmt, key="nt_to")
            region = c3.selectbox(t("nt_region", lang), list(regions), format_func=regions.get, key="nt_region")
            if st.form_submit_button(t("nt_save", lang), type="primary"):
                return "add", None, {"text": text or "", "start": start, "end": end or start, "region": region}
    if notes.empty:
        return None
    with st.expander(t("nt_edit", lang), icon=":material/edit:"):
        ids = list(notes.note_id)
        rows = {int(r.note_id): r._asdict() for r in notes.itertuples()}
        picked = st.selectbox(t("nt_pick", lang), ids, key="nt_pick",
                              format_func=lambda i: f"{period_label(rows[i]['month_from'], rows[i]['month_to'])}"
                                                    f" · {short(rows[i]['text'])}")
        row = rows[int(picked)]
        a, b = pd.Timestamp(row["month_from"]).date(), pd.Timestamp(row["month_to"]).date()
        with st.form(f"nt_edit_form_{picked}"):
            text = st.text_area(t("nt_text", lang), value=row["text"], max_chars=TEXT_MAX, key=f"nt_edit_text_{picked}")
            c1, c2, c3 = st.columns(3)
            start = c1.selectbox(t("nt_from", lang), months, index=months.index(a) if a in months else 0,
                                 format_func=month_fmt, key=f"nt_edit_from_{picked}")
            ends = [None, *months]
            end = c2.selectbox(t("nt_to", lang), ends, index=0 if a == b else ends.index(b) if b in ends else 0,
                               format_func=end_fmt, key=f"nt_edit_to_{picked}")
            region_keys = list(regions)
            own = choice_of(row)
            region = c3.selectbox(t("nt_region", lang), region_keys, format_func=regions.get,
                                  index=region_keys.index(own) if own in region_keys else 0,
                                  key=f"nt_edit_region_{picked}")
            s1, s2 = st.columns(2)
            if s1.form_submit_button(t("nt_save_edit", lang), type="primary"):
                return "edit", int(picked), {"text": text or "", "start": start, "end": end or start,
                                             "region": region}
            if s2.form_submit_button(t("nt_delete", lang), icon=":material/delete:"):
                return "delete", int(picked), None
    return None
