"""Upload page helpers: issues and notes as sentences with a fix, the Excel error report, the preview chart."""
from __future__ import annotations

import io

import altair as alt
import pandas as pd
import xlsxwriter

from data_sources.uploads import DatasetSpec, Issue, Note, Validated
from metrics.privacy import suppress_counts

from .charts import PRIMARY, TARGET, d3_format, themed
from .format import fmt_number
from .i18n import MONTHS, t
from .safe import INERT, cell_text


class _Blank(dict):
    def __missing__(self, key):
        return ""


def _fmt(key: str, lang: str, params: dict) -> str:
    return t(key, lang).format_map(_Blank(params))


def header(spec: DatasetSpec, column: str | None, lang: str) -> str:
    if not column:
        return ""
    try:
        c = spec.column(column)
    except StopIteration:
        return column
    return c.header_en if lang == "en" else c.header_fi


def issue_text(issue: Issue, spec: DatasetSpec, lang: str) -> tuple[str, str]:
    """(what is wrong, how to fix it) in the user's language."""
    p = dict(issue.params)
    p.update(value=issue.value or "", column=header(spec, issue.column, lang),
             other=header(spec, p.get("other"), lang), cell=issue.cell or "", sheet=issue.sheet or "")
    if "columns_fi" in p:
        p["columns"] = p["columns_en"] if lang == "en" else p["columns_fi"]
    if "key" in p:
        p["key"] = ", ".join(header(spec, k.strip(), lang) for k in str(p["key"]).split(","))
    for k in ("min", "max"):
        if isinstance(p.get(k), (int, float)):
            p[k] = fmt_number(p[k], 0, lang)
    return _fmt(f"upl_e_{issue.code}", lang, p), _fmt(f"upl_f_{issue.code}", lang, p)


def note_text(note: Note, lang: str) -> str:
    p = dict(note.params)
    if "n" in p:
        p["n"] = fmt_number(p["n"], 0, lang)
    return _fmt(f"upl_n_{note.code}", lang, p)


def error_message(code: str, params: dict, lang: str) -> str:
    if "problems" in params:      # child-budget rules: (i18n key, params) each, said in the user's language
        params = {**params, "problems": " ".join(t(k, lang, **p) for k, p in params["problems"])}
    return _fmt(f"upl_x_{code}", lang, params)


def issues_table(v: Validated, lang: str) -> pd.DataFrame:
    rows = []
    for i in v.issues:
        problem, fix = issue_text(i, v.spec, lang)
        rows.append({t("upl_col_sheet", lang): i.sheet or "", t("upl_col_row", lang): i.row,
                     t("upl_col_cell", lang): i.cell or "", t("upl_col_column", lang): header(v.spec, i.column, lang),
                     t("upl_col_problem", lang): problem, t("upl_col_fix", lang): fix})
    df = pd.DataFrame(rows)
    if len(df):
        df[t("upl_col_row", lang)] = df[t("upl_col_row", lang)].astype("Int64")
    return df


def error_report_xlsx(v: Validated, lang: str) -> bytes:
    """The issues as an Excel sheet the analyst can work through, plus what was recognised."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, INERT)
    bold = wb.add_format({"bold": True, "font_size": 13})
    head = wb.add_format({"bold": True, "bg_color": "#DCE6F1", "border": 1})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    ws = wb.add_worksheet("Virheet" if lang != "en" else "Errors")
    ws.write_string(0, 0, cell_text(t("upl_report_title", lang, file=v.raw.file_name)), bold)
    ws.write_string(1, 0, t("upl_errors", lang, n=fmt_number(v.n_errors, 0, lang)))
    table = issues_table(v, lang)
    for j, col in enumerate(table.columns):
        ws.write_string(3, j, col, head)
        ws.set_column(j, j, {0: 14, 1: 8, 2: 10, 3: 22}.get(j, 60), wrap if j >= 4 else None)
    for r, row in enumerate(table.itertuples(index=False), start=4):
        for j, val in enumerate(row):
            if pd.isna(val):
                continue
            if j == 1:
                ws.write_number(r, j, int(val))
            else:
                ws.write_string(r, j, cell_text(str(val)))
    ws.autofilter(3, 0, 3 + len(table), len(table.columns) - 1)
    ws.freeze_panes(4, 0)
    notes = wb.add_worksheet("Tunnistettu" if lang != "en" else "Recognised")
    notes.set_column(0, 0, 100)
    for r, n in enumerate(v.notes):
        notes.write_string(r, 0, cell_text(note_text(n, lang)))
    wb.close()
    return buf.getvalue()


def period_label(p, lang: str) -> str:
    if isinstance(p, (int, float)) and not isinstance(p, bool):
        return str(int(p))
    ts = pd.Timestamp(p)
    return f"{MONTHS['en' if lang == 'en' else 'fi'][ts.month - 1]}{'kuu' if lang != 'en' else ''} {ts.year}"


def preview_frame(totals: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Chart data with readable labels; small count totals (1-4) are suppressed like everywhere else."""
    df = totals.copy()
    if len(df) and bool(df["count"].iloc[0]):
        df = suppress_counts(df, ["value"])
    df["source_label"] = df["source"].map({"warehouse": t("upl_src_warehouse", lang), "file": t("upl_src_file", lang)})
    return df


def preview_chart(df: pd.DataFrame, measure: str, unit: str, monthly: bool, lang: str) -> alt.TopLevelMixin:
    """Warehouse vs file per period: colour, line dash and point shape all differ (not colour alone)."""
    fmt = d3_format(unit)
    x = alt.X("period:T" if monthly else "period:O", title=t("upl_col_period", lang),
              scale=alt.Scale(padding=16) if monthly else alt.Undefined,
              axis=alt.Axis(format="%b %Y", labelAngle=0) if monthly else alt.Axis(labelAngle=0))
    legend = alt.Legend(title=t("upl_col_source", lang))
    domain = [t("upl_src_warehouse", lang), t("upl_src_file", lang)]
    enc = dict(
        x=x, y=alt.Y("value:Q", title=measure, axis=alt.Axis(format=fmt), scale=alt.Scale(zero=False)),
        color=alt.Color("source_label:N", scale=alt.Scale(domain=domain, range=[PRIMARY, TARGET]), legend=legend),
        strokeDash=alt.StrokeDash("source_label:N", scale=alt.Scale(domain=domain, range=[[1, 0], [6, 3]]),
                                  legend=legend),
        shape=alt.Shape("source_label:N", scale=alt.Scale(domain=domain, range=["circle", "diamond"]), legend=legend),
        tooltip=[alt.Tooltip("period:T" if monthly else "period:O", title=t("upl_col_period", lang)),
                 alt.Tooltip("source_label:N", title=t("upl_col_source", lang)),
                 alt.Tooltip("value:Q", title=measure, format=fmt)],
    )
    base = alt.Chart(df.dropna(subset=["value"])).encode(**enc)
    chart = alt.layer(base.mark_line(strokeWidth=2.5), base.mark_point(filled=True, size=110)).properties(
        title=t("upl_chart_title", lang, measure=measure), height=280, width="container")
    return themed(chart, lang)


# --- cached access for the page (keyed on the data version, like ui/state.py) -----------------------------
import streamlit as st  # noqa: E402

from data_sources import uploads  # noqa: E402
from data_sources.uploads.templates import template_xlsx  # noqa: E402
from metrics.registry import load_registry  # noqa: E402

from . import state  # noqa: E402


def registry_ids() -> tuple[str, ...]:
    """Indicators an analyst may give as ready series: those the registry reads from uploaded series (the
    others are computed from the warehouse facts; their source data is uploaded instead)."""
    return tuple(k.id for k in load_registry().series_kpis())


@st.cache_data(show_spinner=False, max_entries=20)
def template(dataset: str, version: int) -> bytes:
    return template_xlsx(state.engine(), uploads.DATASETS[dataset], registry_ids())


def checked(data: bytes, file_name: str, dataset: str) -> Validated:
    """Read + validate once per file content and dataset (kept in the session, not re-run on every click)."""
    import hashlib
    key = ("upl_checked", hashlib.sha256(data).hexdigest(), dataset, file_name)
    cache = st.session_state.setdefault("upl_checked", {})
    if key not in cache:
        cache.clear()
        cache[key] = uploads.check_file(state.engine(), data, file_name, dataset, registry_ids())
    return cache[key]
