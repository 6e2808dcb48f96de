"""Upload page helpers: issues and notes as sentences with a fix, the Excel error report, the preview chart.
They take the upload's objects (dataset spec, issues, notes, the validated file) and only read them."""
from __future__ import annotations


import altair as alt
import pandas as pd
import streamlit as st

from metrics.privacy import suppress_counts

from . import sheets
from .charts import PRIMARY, TARGET, ZERO_BASED, axis_title, d3_format, month_axis, themed
from .format import fmt_number, fmt_value
from .i18n import local, month_name, t
from .safe import file_stem, md, md_frame
from .widgets import chart_with_table


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
    return local(c, "header", lang)


def issue_text(issue: Issue, spec: DatasetSpec, lang: str) -> tuple[str, str]:
    """(what is wrong, how to fix it) in the user's language."""
    p = dict(issue.params)
    p.update(value=issue.value or "", column=header(spec, issue.column, lang),
             other=header(spec, p.get("other"), lang), cell=issue.cell or "", sheet=issue.sheet or "")
    if "columns_fi" in p:
        p["columns"] = local(p, "columns", lang)
    if "key" in p:
        p["key"] = ", ".join(header(spec, k.strip(), lang) for k in str(p["key"]).split(","))
    if isinstance(p.get("nearest"), list):           # per missing column: the nearest headers seen, and why not
        p["nearest"] = "; ".join(t("upl_nearest_pick", lang, column=header(spec, col, lang), found=(
            ", ".join(t("upl_nearest_one", lang, header=h, score=sc) for h, sc in found)
            + f" ({t('upl_nearest_why', lang)})") if found else t("upl_nearest_none", lang))
            for col, found in p["nearest"])
    if "denominator" in p:
        p["other"] = header(spec, p["denominator"], lang) if p["denominator"] else "-"
    for k in ("min", "max", "max_rows", "max_cols", "rows", "cols"):
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
    if "side" in params:          # a coarse file meets finer rows, or the other way round
        params = {**params, "other": t("upl_grain_finer", lang) if params["side"] == "finer"
                  else t("upl_grain_coarser", lang)}
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
    """The issues as an Excel sheet the analyst can work through, plus what was recognised (through the one
    guarded writer, ui.sheets: a cell quoted from the file stays text)."""
    book = sheets.Book(lang=lang)
    bold = book.fmt(bold=True, font_size=13)
    head = book.fmt(bold=True, bg_color="#DCE6F1", border=1)
    ws = book.sheet(t("upl_sheet_errors", lang))
    book.text(ws, 0, 0, t("upl_report_title", lang, file=v.raw.file_name), bold)
    book.text(ws, 1, 0, t("upl_errors", lang, n=fmt_number(v.n_errors, 0, lang)))
    table = issues_table(v, lang)
    for j, col in enumerate(table.columns):
        book.text(ws, 3, j, col, head)
        ws.set_column(j, j, {0: 14, 1: 8, 2: 10, 3: 22}.get(j, 60), book.wrap if j >= 4 else None)
    for r, row in enumerate(table.itertuples(index=False), start=4):
        for j, val in enumerate(row):
            if pd.isna(val):
                continue
            if j == 1:
                ws.write_number(r, j, int(val))
            else:
                book.text(ws, r, j, val)
    ws.autofilter(3, 0, 3 + len(table), len(table.columns) - 1)
    ws.freeze_panes(4, 0)
    notes = book.sheet(t("upl_sheet_notes", lang))
    notes.set_column(0, 0, 100)
    for r, n in enumerate(v.notes):
        book.text(notes, r, 0, note_text(n, lang))
    return book.close()


def period_label(p, lang: str) -> str:
    if isinstance(p, (int, float)) and not isinstance(p, bool):
        return str(int(p))
    ts = pd.Timestamp(p)
    return f"{t('month_long', lang, month=month_name(ts.month, lang))} {ts.year}"


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
              axis=month_axis() if monthly else alt.Axis(labelAngle=0))
    legend = alt.Legend(title=t("upl_col_source", lang))
    domain = [t("upl_src_warehouse", lang), t("upl_src_file", lang)]
    enc = dict(
        x=x, y=alt.Y("value:Q", title=axis_title(measure, unit, lang), axis=alt.Axis(format=fmt),
                     scale=alt.Scale(zero=unit in ZERO_BASED)),
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


# --- the page's sections --------------------------------------------------------------------------------
def comparison(cmp, lang: str) -> None:
    """Rows in the file and what storing would do to the warehouse, then the rule changes if any."""
    for col, (label, n) in zip(st.columns(5), (("upl_rows", cmp.rows), ("upl_inserted", cmp.inserted),
                                               ("upl_updated", cmp.updated), ("upl_unchanged", cmp.unchanged),
                                               ("upl_deleted", cmp.deleted))):
        col.metric(t(label, lang), fmt_number(n, 0, lang), border=True)
    if cmp.changes:
        st.markdown(f"**{t('upl_changes', lang)}** " + md(cmp.changes).replace("; ", " · "))


def periods_and_chart(spec, fresh: list, totals: pd.DataFrame, latest, lang: str) -> None:
    """The new periods the file brings (and whether the pages show them yet), and the file against the
    warehouse per period as a chart with its table and text alternative."""
    monthly = spec.column(spec.time_column).kind == "month"
    st.markdown(t("upl_new_periods", lang, periods=", ".join(period_label(p, lang) for p in fresh))
                if fresh else t("upl_no_new_periods", lang))
    if monthly and spec.table != "fact_contacts":      # the pages' last month is the contacts' last month
        later = [p for p in fresh if pd.Timestamp(p) > latest]
        if later:
            st.info(t("upl_beyond_latest", lang, latest=period_label(latest, lang),
                      periods=", ".join(period_label(p, lang) for p in later).capitalize()), icon=":material/info:")
    totals = preview_frame(totals, lang)
    measure = header(spec, spec.chart_measure, lang)
    unit = "count" if spec.column(spec.chart_measure).kind == "int" else "eur" \
        if spec.chart_measure.endswith("_eur") else "index"
    hidden = totals.value.isna() & totals["count"].astype(bool)
    shown = [fmt_value(x, unit, lang, h) for x, h in zip(totals.value, hidden)]
    table = totals.assign(period=[period_label(p, lang) for p in totals.period], value=shown)
    table = table[["period", "source_label", "value"]].rename(columns={
        "period": t("upl_col_period", lang), "source_label": t("upl_col_source", lang), "value": measure})
    in_file = totals.source == "file"
    alt_text = t("upl_chart_alt", lang, measure=measure, n_old=int((~in_file).sum()), n_new=int(in_file.sum()),
                 last=period_label(totals.period[in_file].max(), lang) if in_file.any() else "",
                 value=[x for x, f in zip(shown, in_file) if f][-1] if in_file.any() else "")
    chart_with_table(preview_chart(totals, measure, unit, monthly, lang), table, alt_text, lang, key="upl_chart")


def stored_message(res, lang: str) -> tuple[str, str]:
    """(kind, sentence) after storing: stored with its counts, or why nothing changed."""
    c = res.comparison
    msg = (t("upl_nothing", lang) if res.upload_id is None else
           t("upl_already", lang, id=res.upload_id) if res.already else
           t("upl_done", lang, id=res.upload_id, inserted=fmt_number(c.inserted, 0, lang),
             updated=fmt_number(c.updated, 0, lang), deleted=fmt_number(c.deleted, 0, lang), version=res.data_version))
    return ("info" if res.already else "ok"), msg


def audit_table(log: pd.DataFrame, dataset_names: dict[str, str], lang: str) -> None:
    """The upload log: who stored which file when, the rows affected, the data version, the status."""

    def when(ts) -> str:
        return ts.strftime("%d.%m.%Y %H:%M") if ts is not None and not pd.isna(ts) else ""

    def num(col: str) -> list[str]:
        return [fmt_number(n, 0, lang) for n in log[col]]

    shown = log.assign(
        when=[when(x) for x in log.uploaded_at], dataset=[dataset_names.get(d, d) for d in log.dataset],
        rows=num("rows_in_file"), inserted=num("rows_inserted"), updated=num("rows_updated"),
        deleted=num("rows_deleted"),
        status=[t("upl_status_rolled_back_by", lang, when=when(at), who=who) if s == "rolled_back" and who else
                t(f"upl_status_{s}", lang) for s, at, who in zip(log.status, log.rolled_back_at, log.rolled_back_by)])
    cols = {"upload_id": "upl_col_id", "when": "upl_col_when", "status": "upl_col_status",
            "uploaded_by": "upl_col_who", "file_name": "upl_col_file", "dataset": "upl_col_dataset",
            "rows": "upl_col_rows", "inserted": "upl_col_inserted", "updated": "upl_col_updated",
            "deleted": "upl_col_deleted", "data_version": "upl_col_version"}
    config = {t(cols[c], lang): st.column_config.TextColumn(alignment="right")     # numbers as Finnish text
              for c in ("rows", "inserted", "updated", "deleted")}
    config[t("upl_col_status", lang)] = st.column_config.TextColumn(width=250)     # "peruttu <when> (<who>)" whole
    st.dataframe(shown[list(cols)].rename(columns={c: t(k, lang) for c, k in cols.items()}), hide_index=True,
                 width="stretch", column_config=config)


# --- the mapping step and source profiles (issue 13) -----------------------------------------------------------
NONE, WIDE, CONST = "-", "*", "="


def mapping_form(spec, layout, scores: dict, questions: list, default_name: str, lang: str) -> dict | None:
    """One form: per template column a choice among the file's headers (with confidence), nothing, the period
    columns, or a constant; then the values nothing recognised; a profile name; one confirm button. Returns
    {"columns": {col: index or "*"}, "constants": {col: value}, "values": {(col, value): code}, "name": str}."""
    st.subheader(t("upl_map_title", lang))
    st.caption(t("upl_map_intro", lang))
    with st.form("upl_map_form", border=True, enter_to_submit=False):   # no English "Press Enter to submit form"
        picked, consts = {}, {}
        headers = [(i, h) for i, h in enumerate(layout.headers) if h]
        for c in spec.columns:
            sg = layout.suggestions.get(c.name)
            current = layout.columns.get(c.name)
            options = [NONE] + [str(i) for i, _ in headers] + [CONST]
            if current == "*":
                options.append(WIDE)
            if current is not None:
                default = WIDE if current == "*" else str(current)
            elif c.name in layout.constants:
                default = CONST
            elif sg is not None and sg.index is not None and sg.score >= 60:
                default = str(sg.index)
            elif sg is not None and sg.constant is not None:
                default = CONST
            else:
                default = NONE
            labels = {NONE: t("upl_map_none", lang), WIDE: t("upl_map_wide", lang),
                      CONST: t("upl_map_const", lang, value=t("upl_map_unspec", lang) if sg and sg.constant == "unspec"
                               else "…")}
            labels.update({str(i): t("upl_map_option", lang, header=h, score=scores.get(c.name, {}).get(i, 0))
                           for i, h in headers})
            label = local(c, "header", lang) + ("" if c.required else " ·")
            left, right = st.columns([3, 2])
            picked[c.name] = left.selectbox(label, options, index=options.index(default), key=f"upl_map_{c.name}",
                                            format_func=lambda o, lab=labels: lab.get(o, o), help=local(c, "help", lang))
            const_default = str(layout.constants.get(c.name, sg.constant if sg and sg.constant else ""))
            consts[c.name] = right.text_input(t("upl_map_constant_input", lang, column=local(c, "header", lang)),
                                              value=const_default, key=f"upl_map_const_{c.name}")
        values = {}
        if questions:
            st.markdown(f"**{t('upl_map_values_title', lang)}**")
            st.caption(t("upl_map_values_intro", lang))
            for k, (col, value, options, names) in enumerate(questions):
                values[(col, value)] = st.selectbox(
                    t("upl_map_value_label", lang, column=header(spec, col, lang), value=md(value)), options,
                    index=0, key=f"upl_map_value_{k}", format_func=lambda o, n=names: n.get(o, o))
        name = st.text_input(t("upl_map_profile_name", lang), value=default_name, max_chars=80, key="upl_map_name")
        if not st.form_submit_button(t("upl_map_confirm", lang), type="primary", icon=":material/check:"):
            return None
    columns = {c: (int(x) if x not in (WIDE,) else "*") for c, x in picked.items() if x not in (NONE, CONST)}
    constants = {c: consts[c].strip() for c, x in picked.items() if x == CONST and consts[c].strip()}
    return {"columns": columns, "constants": constants, "values": values, "name": name}


def profiles_table(table: pd.DataFrame, dataset_names: dict[str, str], lang: str) -> None:
    def when(ts) -> str:
        return ts.strftime("%d.%m.%Y %H:%M") if ts is not None and not pd.isna(ts) else ""
    cols = {"name": t("upl_pcol_name", lang), "dataset": t("upl_pcol_dataset", lang),
            "columns": t("upl_pcol_columns", lang), "constants": t("upl_pcol_constants", lang),
            "values": t("upl_pcol_values", lang), "updated_by": t("upl_pcol_by", lang),
            "updated_at": t("upl_pcol_at", lang), "uses": t("upl_pcol_uses", lang)}
    shown = table.assign(dataset=[dataset_names.get(d, d) for d in table.dataset],
                         updated_at=[when(x) for x in table.updated_at])
    st.dataframe(shown[list(cols)].rename(columns=cols), hide_index=True, width="stretch")


def profile_actions(names: list[str], lang: str) -> tuple[str, str, str] | None:
    """Rename or delete a profile: ("rename", old, new) or ("delete", name, "") when a button is pressed."""
    with st.expander(t("upl_profile_rename", lang) + " / " + t("upl_profile_delete", lang), key="upl_prof_box"):
        pick = st.selectbox(t("upl_profile_pick", lang), names, key="upl_prof_pick")
        new = st.text_input(t("upl_profile_new_name", lang), value=pick or "", max_chars=80, key="upl_prof_new")
        left, right = st.columns(2)
        if left.button(t("upl_profile_rename", lang), key="upl_prof_rename"):
            return "rename", pick, new
        if right.button(t("upl_profile_delete", lang), key="upl_prof_delete", icon=":material/delete:"):
            return "delete", pick, ""
    return None


def recognised_and_issues(v: Validated, lang: str, mapping: bool = False, shown: int = 50) -> None:
    """What was recognised, then either the errors (table of the first `shown`, the Excel report of all) or the
    warnings and the line saying the file is fine. With `mapping` the errors are what the mapping step below
    settles, so the headline says so instead of asking for a new file."""
    if v.notes:
        st.info(f"**{t('upl_recognised', lang)}**\n\n" + "\n".join(f"- {md(note_text(n, lang))}" for n in v.notes))
    if not v.ok:
        if mapping:
            st.warning(t("upl_map_needed", lang), icon=":material/rule:")
        else:
            st.error(t("upl_error_one", lang) if v.n_errors == 1 else
                     t("upl_errors", lang, n=fmt_number(v.n_errors, 0, lang)), icon="⚠️")
        table = issues_table(v, lang)
        if v.n_errors > shown:
            st.caption(t("upl_errors_more", lang, shown=fmt_number(shown, 0, lang), n=fmt_number(v.n_errors, 0, lang)))
        st.table(md_frame(table.head(shown)), hide_index=True)   # long fixes wrap; cells are markdown: escaped
        st.download_button(t("upl_error_report", lang), data=error_report_xlsx(v, lang),
                           file_name=t("upl_report_file", lang, name=file_stem(v.raw.file_name)), key="upl_report",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        return
    for i in v.issues:
        st.warning(md(" ".join(issue_text(i, v.spec, lang))))
    st.success(t("upl_valid", lang, rows=fmt_number(len(v.frame), 0, lang)))
