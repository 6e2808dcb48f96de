"""Child-budget page helpers: cached warehouse calls, class labels (colour + symbol + words), charts, Excel export."""
from __future__ import annotations

import datetime as dt
import io

import altair as alt
import pandas as pd
import streamlit as st

from data_sources import child_budget as cbdata
from metrics import child_budget as cb
from metrics.engine import Filters

from . import state
from .charts import FONT, INK, d3_format, themed
from .format import fmt_number, fmt_value
from .i18n import t
from .safe import inert_frame, no_formulas

# traffic lights of the national model; a symbol and a word go with every colour
TARGET_STYLE = {"direct": ("#2e7d32", "#dcefdc", "●"), "partial": ("#8d6e00", "#fbf0c2", "◐"),
                "not_targeted": ("#b3261e", "#f9dedb", "○")}
PREVENTION_STYLE = {"preventive": ("#1b5e9b", "▲"), "corrective": ("#8a4b00", "■"), "other": ("#6b7280", "◆")}
_TTL = state._TTL


def target_label(code: str | None, lang: str) -> str:
    code = code if code in TARGET_STYLE else "not_targeted"
    return f"{TARGET_STYLE[code][2]} {t('cb_target_' + code, lang)}"


def prevention_label(code: str | None, lang: str) -> str:
    code = code if code in PREVENTION_STYLE else "other"
    return f"{PREVENTION_STYLE[code][1]} {t('cb_prev_' + code, lang)}"


def key_label(code: str | None, lang: str) -> str:
    return t("cb_key_" + code, lang) if code in cbdata.ALLOCATION_KEYS else "–"


# --- cached warehouse calls (keyed on the data version, which a classification save bumps) -----------
@st.cache_data(ttl=_TTL, show_spinner=False)
def ensure_classification(version: int) -> bool:
    return cbdata.ensure_classification(state.engine())


@st.cache_data(ttl=_TTL, show_spinner=False)
def trend(filters: Filters, version: int) -> pd.DataFrame:
    return cb.trend(state.engine(), filters)


@st.cache_data(ttl=_TTL, show_spinner=False)
def levels(filters: Filters, version: int) -> pd.DataFrame:
    return cb.by_levels(state.engine(), filters)


@st.cache_data(ttl=_TTL, show_spinner=False)
def lines(filters: Filters, version: int) -> pd.DataFrame:
    return cb.by_line(state.engine(), filters)


@st.cache_data(ttl=_TTL, show_spinner=False)
def classification(version: int) -> pd.DataFrame:
    return cbdata.read_classification(state.engine())


@st.cache_data(ttl=_TTL, show_spinner=False)
def versions(version: int) -> pd.DataFrame:
    return cbdata.read_versions(state.engine())


@st.cache_data(ttl=_TTL, show_spinner=False)
def indicators(version: int) -> pd.DataFrame:
    return cbdata.child_indicators(state.engine())


@st.cache_data(ttl=_TTL, show_spinner=False)
def service_classes(version: int) -> pd.DataFrame:
    import sqlalchemy as sa
    from data_sources import schema
    tbl = schema.dim_service_class
    with state.engine().connect() as conn:
        rows = conn.execute(sa.select(tbl).order_by(tbl.c.service_class)).fetchall()
    return pd.DataFrame(rows, columns=[c.name for c in tbl.columns])


@st.cache_data(ttl=_TTL, show_spinner=False)
def cost_accounts(version: int) -> pd.DataFrame:
    import sqlalchemy as sa
    from data_sources import schema
    tbl = schema.dim_cost_account
    with state.engine().connect() as conn:
        rows = conn.execute(sa.select(tbl).order_by(tbl.c.cost_account)).fetchall()
    return pd.DataFrame(rows, columns=[c.name for c in tbl.columns])


def save(df: pd.DataFrame, changed_by: str, note: str) -> int:
    return cbdata.save_classification(state.engine(), df, changed_by, note)


def error_messages(err: cbdata.ClassificationError, lang: str) -> list[str]:
    return [t(key, lang, **params) for key, params in err.problems]


# --- charts -----------------------------------------------------------------------------------------
def waterfall_chart(steps: pd.DataFrame, lang: str, title: str, subtitle: str) -> alt.TopLevelMixin:
    """Horizontal waterfall: every bar carries its words and amount; colour repeats the traffic light."""
    colours = {"total": "#1b5e9b", "not_targeted": TARGET_STYLE["not_targeted"][0],
               "partial_other": "#c9a227", "partial_child": TARGET_STYLE["partial"][0],
               "direct": TARGET_STYLE["direct"][0]}
    df = steps.assign(start=steps.start / 1e6, end=steps.end / 1e6,  # axis in millions of euros
                      label=[t("cb_step_" + s, lang) for s in steps.step],
                      shown=[fmt_value(a, "eur", lang) for a in steps.amount],
                      colour=[colours[s] for s in steps.step])
    y = alt.Y("label:N", sort=alt.SortField("order"), title=None, axis=alt.Axis(labelLimit=320))
    base = alt.Chart(df).encode(y=y, tooltip=[alt.Tooltip("label:N", title=t("cb_col_step", lang)),
                                              alt.Tooltip("shown:N", title=t("cb_col_amount", lang))])
    bars = base.mark_bar(height=26).encode(x=alt.X("start:Q", title=t("cb_axis_meur", lang),
                                                   axis=alt.Axis(format=",.0f")),
                                           x2="end:Q", color=alt.Color("colour:N", scale=None))
    text = base.mark_text(align="left", dx=4, color=INK, fontSize=12, font=FONT).encode(
        x="end:Q", text="shown:N")
    chart = alt.layer(bars, text).properties(title=alt.Title(title, subtitle=subtitle or None),
                                             height=230, width="container")
    return themed(chart, lang)


def prevention_chart(series: pd.DataFrame, lang: str, title: str, subtitle: str) -> alt.TopLevelMixin:
    """Stacked yearly bars of child spending by preventive / corrective / other, each part labelled in %."""
    rows = []
    for _, r in series.iterrows():
        bottom = 0.0
        for code in PREVENTION_STYLE:
            amount = r[f"{code}_child"] / 1e6  # millions of euros
            share = r[f"{code}_child"] / r.child_actual * 100 if r.child_actual else float("nan")
            rows.append({"yr": str(int(r.yr)), "label": prevention_label(code, lang), "y0": bottom,
                         "y1": bottom + amount, "mid": bottom + amount / 2,
                         "amount": fmt_value(r[f"{code}_child"], "eur", lang),
                         "shown": f"{PREVENTION_STYLE[code][1]} {fmt_value(share, 'pct', lang)}"})
            bottom += amount
    df = pd.DataFrame(rows)
    domain = [prevention_label(c, lang) for c in PREVENTION_STYLE]
    colour = alt.Color("label:N", title=None, scale=alt.Scale(domain=domain,
                                                           range=[v[0] for v in PREVENTION_STYLE.values()]))
    base = alt.Chart(df).encode(
        x=alt.X("yr:O", title=t("col_year", lang), axis=alt.Axis(labelAngle=0)),
        tooltip=[alt.Tooltip("yr:O", title=t("col_year", lang)), alt.Tooltip("label:N", title=t("cb_col_prevention", lang)),
                 alt.Tooltip("amount:N", title=t("cb_col_amount", lang)),
                 alt.Tooltip("shown:N", title=t("cb_col_share", lang))])
    bars = base.mark_bar().encode(y=alt.Y("y0:Q", title=t("cb_axis_meur", lang), axis=alt.Axis(format=",.0f")),
                                  y2="y1:Q", color=colour)
    text = base.mark_text(color="white", fontSize=10, fontWeight="bold").encode(y="mid:Q", text="shown:N")
    chart = alt.layer(bars, text).properties(title=alt.Title(title, subtitle=subtitle or None), height=320,
                                             width="container")
    return themed(chart, lang)


def styled_lines(table: pd.DataFrame, class_col: str, codes: pd.Series):
    """Background colour of the class cell follows the traffic light; the cell's text says the class too."""
    colours = dict(zip(table.index, codes))

    def paint(col):
        return [f"background-color: {TARGET_STYLE.get(colours[i], TARGET_STYLE['not_targeted'])[1]}; color: {INK}"
                for i in col.index]
    return table.style.apply(paint, subset=[class_col])


# --- Excel export of the whole model ------------------------------------------------------------------
def _headers(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    return df.rename(columns={c: t("cbc_" + c, lang) for c in df.columns if ("cbc_" + c) in _known_cols()})


def _known_cols() -> set[str]:
    from .i18n import CATALOGUE
    return {k for k in CATALOGUE if k.startswith("cbc_")}


def model_workbook(filters: Filters, version: int, lang: str, place: str) -> bytes:
    """Readme, results (levels and years), lines at full grain, keys, classification and its history."""
    engine = state.engine()
    munis = state.municipalities(version).set_index("municipality_code")
    classes = service_classes(version).set_index("service_class")
    name_col = "name_en" if lang == "en" else "name_fi"

    def named(df):
        out = df.copy()
        if "municipality_code" in out:
            out.insert(out.columns.get_loc("municipality_code") + 1, "municipality",
                       out.municipality_code.map(munis.name_fi))
        if "service_class" in out:
            out.insert(out.columns.get_loc("service_class") + 1, "class_name", out.service_class.map(classes[name_col]))
        for col, fn in (("target_class", target_label), ("prevention", prevention_label),
                        ("allocation_key", key_label)):
            if col in out:
                out[col] = [fn(v, lang) for v in out[col]]
        return out

    results = cb.by_levels(engine, filters)
    results = results[["level", "code", "yr", "actual_eur", "budget_eur", "child_actual", "child_budget",
                       "child_low", "child_high", "child_share", "child_share_low", "child_share_high",
                       "child_share_budget", "direct_child", "partial_child", "preventive_child",
                       "corrective_child", "other_child", "preventive_share", "child_population", "eur_per_child",
                       "child_realisation", "child_budget_diff", "n_months"]]
    series = cb.trend(engine, filters)
    sheets = {
        t("cb_sheet_results", lang): results,
        t("cb_sheet_trend", lang): series[["yr", "actual_eur", "child_actual", "child_share", "child_share_low",
                                           "child_share_high", "eur_per_child", "preventive_share",
                                           "child_share_yoy_pp", "preventive_share_yoy_pp", "child_actual_yoy_pct",
                                           "child_budget", "child_realisation"]],
        t("cb_sheet_lines", lang): named(cb.model_lines(engine, filters)),
        t("cb_sheet_keys", lang): named(cb.keys(engine, filters)),
        t("cb_sheet_classification", lang): named(cbdata.read_classification(engine)),
        t("cb_sheet_versions", lang): cbdata.read_versions(engine),
    }
    readme = pd.DataFrame({t("cb_col_item", lang): [t("cb_readme_" + k, lang) for k in
                                                    ("place", "period", "version", "made", "method", "keys",
                                                     "band", "suppression")],
                           t("col_value", lang): [place, f"{filters.months[0]}–{filters.months[1]}/{filters.year}",
                                                  str(version), dt.datetime.now().strftime("%d.%m.%Y %H:%M"),
                                                  t("cb_method", lang), t("cb_keys_note", lang),
                                                  t("cb_band_note", lang, pct=int(cb.SENSITIVITY * 100)),
                                                  t("suppressed_note", lang)]})
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xl:
        inert_frame(readme).to_excel(xl, sheet_name=t("cb_sheet_readme", lang), index=False)
        for name, df in sheets.items():
            df = df.copy()
            for col in df.columns:  # suppressed counts and keys (1-4 children) are empty cells
                if pd.api.types.is_float_dtype(df[col]):
                    df[col] = df[col].round(12 if col.endswith("_key") else 4)
            inert_frame(_headers(df, lang)).to_excel(xl, sheet_name=name[:31], index=False)
        for ws in xl.book.worksheets:
            no_formulas(ws)
            ws.freeze_panes = "A2"
            for col in ws.columns:
                ws.column_dimensions[col[0].column_letter].width = min(
                    60, max(10, max(len(str(c.value or "")) for c in col[:50]) + 2))
    return buf.getvalue()


def fmt_band(low: float, high: float, unit: str, lang: str) -> str:
    return f"{fmt_value(low, unit, lang)} – {fmt_value(high, unit, lang)}"


def fmt_pct_number(x: float, lang: str) -> str:
    return fmt_number(x * 100, 1, lang) if x == x else "–"


# --- the editor shows fixed shares in per cent; the warehouse keeps fractions -------------------------
EDITOR_COLUMNS = ("service_class", "cost_account", "target_class", "prevention", "allocation_key", "fixed_pct",
                  "key_source")


def editor_frame(current: pd.DataFrame) -> pd.DataFrame:
    out = current.assign(fixed_pct=current.fixed_share * 100)
    return out[list(EDITOR_COLUMNS)].reset_index(drop=True)


def from_editor(edited: pd.DataFrame) -> pd.DataFrame:
    pct = pd.to_numeric(edited["fixed_pct"], errors="coerce")
    return edited.drop(columns=["fixed_pct"]).assign(fixed_share=pct / 100)


def versions_table(v: pd.DataFrame, lang: str) -> pd.DataFrame:
    out = v.assign(changed_at=pd.to_datetime(v.changed_at).dt.strftime("%d.%m.%Y %H:%M"))
    return out.rename(columns={c: t("cbc_" + c, lang) for c in out.columns})
