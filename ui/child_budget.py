"""Child-budget page helpers: cached warehouse calls, class labels (colour + symbol + words), charts, Excel export."""
from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd
import streamlit as st

from metrics import child_budget as cb
from metrics.engine import Filters

from . import charts, sheets
from .charts import FONT, INK, d3_format, themed
from .format import eur_scale, fmt_change, fmt_eur, fmt_number, fmt_value
from .i18n import CATALOGUE, local, local_col, month_window, t
from .widgets import chart_with_table, delta_style, trend_spark

# traffic lights of the national model; a symbol and a word go with every colour
TARGET_STYLE = {"direct": ("#2e7d32", "#dcefdc", "●"), "partial": ("#8d6e00", "#fbf0c2", "◐"),
                "not_targeted": ("#b3261e", "#f9dedb", "○")}
PREVENTION_STYLE = {"preventive": ("#1b5e9b", "▲"), "corrective": ("#8a4b00", "■"), "other": ("#6b7280", "◆")}
RESULT_COLUMNS = ["level", "code", "yr", "actual_eur", "budget_eur", "child_actual", "child_budget", "child_low",
                  "child_high", "child_share", "child_share_low", "child_share_high", "child_share_budget",
                  "direct_child", "partial_child", "preventive_child", "corrective_child", "other_child",
                  "preventive_share", "child_population", "eur_per_child", "child_realisation", "child_budget_diff",
                  "n_months"]
TREND_COLUMNS = ["yr", "actual_eur", "child_actual", "child_share", "child_share_low", "child_share_high",
                 "eur_per_child", "preventive_share", "child_share_yoy_pp", "preventive_share_yoy_pp",
                 "child_actual_yoy_pct", "child_budget", "child_realisation"]


def target_label(code: str | None, lang: str) -> str:
    code = code if code in TARGET_STYLE else "not_targeted"
    return f"{TARGET_STYLE[code][2]} {t('cb_target_' + code, lang)}"


def prevention_label(code: str | None, lang: str) -> str:
    code = code if code in PREVENTION_STYLE else "other"
    return f"{PREVENTION_STYLE[code][1]} {t('cb_prev_' + code, lang)}"


def key_label(code: str | None, lang: str) -> str:
    return t("cb_key_" + code, lang) if code and f"cb_key_{code}" in CATALOGUE else "–"


def error_messages(err, lang: str) -> list[str]:
    """A ClassificationError's problems, each (catalogue key, params), as sentences."""
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
                                           x2=alt.X2("end:Q"), color=alt.Color("colour:N", scale=None))
    text = base.mark_text(align="left", dx=4, color=INK, fontSize=12, font=FONT).encode(
        x=alt.X("end:Q"), text=alt.Text("shown:N"))
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
                                  y2=alt.Y2("y1:Q"), color=colour)
    text = base.mark_text(color="white", fontSize=10, fontWeight="bold").encode(y=alt.Y("mid:Q"),
                                                                              text=alt.Text("shown:N"))
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
    return {k for k in CATALOGUE if k.startswith("cbc_")}


MONEY = {"child_actual", "child_budget", "child_low", "child_high", "direct_child", "direct_total", "partial_child",
         "partial_total", "not_targeted_total", "preventive_child", "corrective_child", "other_child",
         "preventive_budget", "child_budget_diff"}
COUNTS = {"n_months", "child_population", "population", "child_clients", "clients", "child_visits", "visits"}


def column_format(col: str) -> str | None:
    """The number format of a model column by its name: euros, shares in per cent (0-100), keys and fixed
    shares as fractions, changes signed, counts grouped; None for text and codes."""
    if col in ("yr", "version", "upload_id"):
        return "0"
    if col.endswith("_yoy_pp"):
        return sheets.FORMATS["pp"]
    if col.endswith("_yoy_pct"):
        return sheets.FORMATS["pct_change"]
    if col.endswith("_eur") or col in MONEY or col.startswith("eur_per_child"):
        return sheets.FORMATS["eur"]
    if col.endswith("_key") or col == "fixed_share":
        return sheets.FORMATS["fraction"]
    if "share" in col or col == "child_realisation":
        return sheets.FORMATS["pct"]
    if col in COUNTS:
        return sheets.INT
    if col == "changed_at":
        return "d.m.yyyy h:mm"
    return None


def model_workbook(frames: dict[str, pd.DataFrame], munis: pd.DataFrame, classes: pd.DataFrame,
                   filters: Filters, version: int, lang: str, place: str, areas: pd.DataFrame | None = None) -> bytes:
    """Readme, results (levels and years), lines at full grain, keys, classification and its history, through
    the one guarded writer (ui.sheets): numbers with € and % formats, every code with its name beside it.
    `frames`: results, trend, lines, keys, classification, versions (as metrics and data_sources give them)."""
    munis = munis.set_index("municipality_code")
    classes = classes.set_index("service_class")
    name_col = local_col("name", lang)
    area_names = areas.set_index("service_area")[name_col] if areas is not None and name_col in areas else None
    counties = dict(zip(munis.county_code, munis[local_col("county", lang)])) \
        if "county_code" in munis and local_col("county", lang) in munis else {}

    def beside(out: pd.DataFrame, col: str, new: str, names) -> None:
        out.insert(out.columns.get_loc(col) + 1, new, [names.get(v, v) if v is not None else None
                                                       for v in out[col]])

    def named(df):
        out = df.copy()
        if "municipality_code" in out:
            beside(out, "municipality_code", "municipality", munis.name_fi.to_dict())
        if "service_area" in out and area_names is not None:
            beside(out, "service_area", "service_area_name", area_names.to_dict())
        if "service_class" in out:
            beside(out, "service_class", "class_name", classes[name_col].to_dict())
        for col, fn in (("target_class", target_label), ("prevention", prevention_label),
                        ("allocation_key", key_label)):
            if col in out:
                out[col] = [fn(v, lang) for v in out[col]]
        return out

    results = frames["results"][RESULT_COLUMNS].copy()
    level_names = {lv: t(f"cb_level_{lv}", lang) for lv in ("all", "county", "municipality")}
    results.insert(1, "level_name", [level_names.get(v, v) for v in results.level])
    results.insert(3, "code_name", [munis.name_fi.get(c) if lv == "municipality" else counties.get(c, c)
                                    if lv == "county" else level_names["all"] for lv, c in
                                    zip(results.level, results.code)])
    sheets_ = {
        t("cb_sheet_results", lang): results,
        t("cb_sheet_trend", lang): frames["trend"][TREND_COLUMNS],
        t("cb_sheet_lines", lang): named(frames["lines"]),
        t("cb_sheet_keys", lang): named(frames["keys"]),
        t("cb_sheet_classification", lang): named(frames["classification"]),
        t("cb_sheet_versions", lang): frames["versions"],
    }
    readme = pd.DataFrame({t("cb_col_item", lang): [t("cb_readme_" + k, lang) for k in
                                                    ("place", "period", "version", "made", "method", "keys",
                                                     "band", "suppression")],
                           t("col_value", lang): [place, f"{filters.months[0]}–{filters.months[1]}/{filters.year}",
                                                  str(version), dt.datetime.now().strftime("%d.%m.%Y %H:%M"),
                                                  t("cb_method", lang), t("cb_keys_note", lang),
                                                  t("cb_band_note", lang, pct=int(cb.SENSITIVITY * 100)),
                                                  t("suppressed_note", lang)]})
    book = sheets.Book(lang=lang)
    ws = book.sheet(t("cb_sheet_readme", lang))
    book.table(ws, readme, filter_=False)
    ws.set_column(1, 1, 100, book.wrap)
    for name, df in sheets_.items():
        df = df.copy()
        for col in df.columns:  # suppressed counts and keys (1-4 children) are empty cells
            if pd.api.types.is_float_dtype(df[col]):
                df[col] = df[col].round(12 if col.endswith("_key") else 4)
        formats = {c: column_format(c) for c in df.columns if column_format(c)}
        shown = _headers(df, lang)
        book.table(book.sheet(name), shown, formats={shown.columns[i]: formats[c] for i, c in enumerate(df.columns)
                                                     if c in formats})
    return book.close()


def fmt_band(low: float, high: float, unit: str, lang: str) -> str:
    return f"{fmt_value(low, unit, lang)} – {fmt_value(high, unit, lang)}"


def fmt_pct_number(x: float, lang: str) -> str:
    return fmt_number(x * 100, 1, lang) if x == x else "–"


# --- the editor shows fixed shares in per cent; the warehouse keeps fractions -------------------------
EDITOR_COLUMNS = ("service_class", "cost_account", "target_class", "prevention", "allocation_key", "fixed_pct",
                  "key_source")


def editor_frame(current: pd.DataFrame, lang: str = "fi") -> pd.DataFrame:
    """The rules as the editor shows them: empty cells are empty text (Streamlit's grid would print "None" in a
    missing cell), the fixed share in per cent as text in the user's number format ("12,5")."""
    def pct(x) -> str:
        if x is None or x != x:
            return ""
        return fmt_number(x * 100, 2, lang).rstrip("0").rstrip(",.")
    out = current.assign(fixed_pct=[pct(x) for x in current.fixed_share],
                         allocation_key=[v if isinstance(v, str) else "" for v in current.allocation_key],
                         key_source=[v if isinstance(v, str) else "" for v in current.key_source])
    return out[list(EDITOR_COLUMNS)].reset_index(drop=True)


def _share(v):
    """A per-cent cell back to a fraction: empty is None, "12,5" or 12.5 is 0.125; text that is no number is kept
    as it is, so validation names the row (cb_err_share_number)."""
    if v is None or (isinstance(v, float) and v != v) or (isinstance(v, str) and not v.strip()):
        return None
    try:
        return float(str(v).strip().replace("\u00a0", "").replace(" ", "").replace(",", ".").rstrip("%")) / 100
    except ValueError:
        return v


def from_editor(edited: pd.DataFrame) -> pd.DataFrame:
    return edited.drop(columns=["fixed_pct"]).assign(
        fixed_share=pd.Series([_share(v) for v in edited["fixed_pct"]], index=edited.index, dtype=object))


def versions_table(v: pd.DataFrame, lang: str) -> pd.DataFrame:
    out = v.assign(changed_at=pd.to_datetime(v.changed_at).dt.strftime("%d.%m.%Y %H:%M"))
    return out.rename(columns={c: t("cbc_" + c, lang) for c in out.columns})


# --- the page's sections: each draws from frames the glue layer gives -----------------------------------
def headline(series: pd.DataFrame, now, lang: str) -> str:
    """Four cards (share, € per child, preventive share, spending vs budget) and the band/goal caption;
    returns the goal in words (the prevention chart's text alternative repeats it)."""
    def card(col, label: str, value: str, delta: str, help_text: str, spark: str | None = None,
             unit: str = "pct", change: float | None = None, direction: str = "neutral") -> None:
        with col.container(border=True):
            st.metric(label, value, delta, help=help_text, **delta_style(change, direction))
            if spark:
                trend_spark(series[["yr", spark]].rename(columns={spark: "value"}), unit, label, lang)

    vs = t("vs_prev_year", lang)
    c1, c2, c3, c4 = st.columns(4)
    card(c1, t("cb_child_share", lang), fmt_value(now.child_share, "pct", lang),
         f"{fmt_change(now.child_share_yoy_pp, 'pct', lang)} {vs}", t("cb_child_share_help", lang), "child_share",
         change=now.child_share_yoy_pp)
    card(c2, t("cb_eur_per_child", lang), fmt_value(now.eur_per_child, "eur", lang, bool(now.suppressed)),
         f"{fmt_change(now.eur_per_child_yoy_pct, 'eur', lang)} {vs}", t("cb_eur_per_child_help", lang),
         "eur_per_child", "eur", change=now.eur_per_child_yoy_pct)
    card(c3, t("cb_preventive_share", lang), fmt_value(now.preventive_share, "pct", lang),
         f"{fmt_change(now.preventive_share_yoy_pp, 'pct', lang)} {vs}", t("cb_preventive_help", lang),
         "preventive_share", change=now.preventive_share_yoy_pp, direction="higher")
    card(c4, t("cb_child_spending", lang), fmt_value(now.child_actual, "eur", lang),
         f"{fmt_change(now.child_realisation - 100, 'eur', lang)} {t('cb_vs_budget', lang)}",
         t("cb_child_spending_help", lang), change=now.child_realisation - 100)
    goal = cb.preventive_goal(series)
    words = {True: ("green", "▲", "cb_goal_met"), False: ("red", "■", "cb_goal_not_met"),
             None: ("gray", "○", "status_none")}[goal["met"]]
    st.caption(" · ".join([
        t("cb_band_caption", lang, pct=int(cb.SENSITIVITY * 100),
          share=fmt_band(now.child_share_low, now.child_share_high, "pct", lang),
          eur=fmt_band(now.eur_per_child_low, now.eur_per_child_high, "eur", lang)),
        f"{t('cb_goal', lang)}: :{words[0]}[{words[1]} {t(words[2], lang)}] ({fmt_change(goal['change_pp'], 'pct', lang)})",
        t("cb_budget_caption", lang, budget=fmt_value(now.child_budget, "eur", lang),
          share=fmt_value(now.child_share_budget, "pct", lang))]))
    return f"{words[1]} {t(words[2], lang)}"


def money_flow(series: pd.DataFrame, now, goal: str, filters: Filters, place: str, lang: str) -> None:
    """From total cost to child spending (waterfall), and preventive vs corrective over the years."""
    period = f"{month_window(filters.months, lang)} {filters.year}"
    left, right = st.columns(2)
    with left:
        steps = cb.waterfall(now)
        table = pd.DataFrame({t("cb_col_step", lang): [t("cb_step_" + s, lang) for s in steps.step],
                              t("cb_col_amount", lang): [fmt_value(a, "eur", lang) for a in steps.amount]})
        eur = {k: fmt_value(now[c], "eur", lang) for k, c in (("total", "actual_eur"), ("child", "child_actual"),
                                                              ("direct", "direct_child"), ("partial", "partial_child"))}
        chart_with_table(waterfall_chart(steps, lang, t("cb_waterfall_title", lang, period=period), place), table,
                         t("cb_waterfall_alt", lang, share=fmt_value(now.child_share, "pct", lang), **eur), lang,
                         key="cb_waterfall")
    with right:
        chart = prevention_chart(series, lang, t("cb_prevention_title", lang, months=month_window(filters.months, lang)),
                                 f"{place} · {t('cb_goal', lang)}")
        table = pd.DataFrame({t("col_year", lang): series.yr.astype(int),
                              **{prevention_label(p, lang): [fmt_value(v, "eur", lang) for v in series[f"{p}_child"]]
                                 for p in ("preventive", "corrective", "other")},
                              t("cb_preventive_share", lang): [fmt_value(v, "pct", lang) for v in series.preventive_share]})
        first = series.iloc[0]
        chart_with_table(chart, table, t("cb_prevention_alt", lang, first=int(first.yr), last=filters.year,
                                         a=fmt_value(first.preventive_share, "pct", lang),
                                         b=fmt_value(now.preventive_share, "pct", lang), goal=goal),
                         lang, key="cb_prevention")


def regions(lv: pd.DataFrame, munis: pd.DataFrame, filters: Filters, place: str, lang: str) -> None:
    """Municipalities side by side (bar chart of the share with its band) and every level in a table."""
    period = f"{month_window(filters.months, lang)} {filters.year}"
    munis = munis.set_index("municipality_code")
    counties = local(munis.drop_duplicates("county_code").set_index("county_code"), "county", lang)
    lv = lv.assign(name=[t("cb_all_together", lang) if lvl == "all" else counties.get(code, code) if lvl == "county"
                         else munis.name_fi.get(code, code) for lvl, code in zip(lv.level, lv.code)])
    m = lv[lv.level == "municipality"].assign(
        value=lambda d: d.child_share,
        shown=lambda d: [f"{fmt_value(v, 'pct', lang)} ({fmt_band(a, b, 'pct', lang)})"
                         for v, a, b in zip(d.child_share, d.child_share_low, d.child_share_high)])
    chart = charts.region_bars_spec(m, label="name", value_title=t("cb_child_share", lang), unit="pct",
                                    title=t("cb_regions_title", lang, period=period), subtitle=place, lang=lang)
    ranked = m.sort_values("child_share")
    pct = lambda col: [fmt_value(v, "pct", lang) for v in lv[col]]  # noqa: E731
    table = pd.DataFrame({
        t("cb_col_level", lang): [t("cb_level_" + x, lang) for x in lv.level], t("col_municipality", lang): lv.name,
        t("cb_child_share", lang): pct("child_share"),
        t("cb_col_band", lang): [fmt_band(a, b, "pct", lang) for a, b in zip(lv.child_share_low, lv.child_share_high)],
        t("cb_eur_per_child", lang): [fmt_value(v, "eur", lang, s) for v, s in zip(lv.eur_per_child, lv.suppressed)],
        t("cb_preventive_share", lang): pct("preventive_share"),
        t("cb_child_spending", lang): [fmt_value(v, "eur", lang) for v in lv.child_actual],
        t("cb_col_vs_budget", lang): pct("child_realisation")})
    chart_with_table(chart, table, t("cb_regions_alt", lang, year=filters.year, max_name=ranked.name.iloc[-1],
                                     max=fmt_value(ranked.child_share.iloc[-1], "pct", lang),
                                     min_name=ranked.name.iloc[0], min=fmt_value(ranked.child_share.iloc[0], "pct", lang)),
                     lang, key="cb_regions")


def lines_table(ln: pd.DataFrame, classes: pd.Series, lang: str) -> None:
    """Every figure traced to a service class, an account, a rule and a key; the class in colour, symbol, words."""
    class_col = t("cb_col_target", lang)
    # one unit per money column (M€ when the column reaches 10 M€); the band in the child column's unit
    m_actual, m_child = eur_scale(ln.actual_eur), eur_scale([*ln.child_actual, *ln.child_high])
    # the unit in the header, the numbers alone: "Toteuma, M€" over "142,36"
    actual_col = f"{t('cb_col_actual', lang)}, {t('unit_sfx_meur' if m_actual else 'unit_sfx_eur', lang)}"
    child_col = f"{t('cb_col_child_band', lang)}, {t('unit_sfx_meur' if m_child else 'unit_sfx_eur', lang)}"
    table = pd.DataFrame({
        t("cb_col_service_class", lang): ln.service_class + " " + ln.service_class.map(classes),
        t("cb_col_account", lang): ln.cost_account, class_col: [target_label(x, lang) for x in ln.target_class],
        t("cb_col_prevention", lang): [prevention_label(x, lang) for x in ln.prevention],
        # the key's value with its name, the child amount with its band: fewer columns, nothing cut off at 1280 px
        t("cb_col_key_value", lang): [fmt_value(v * 100, "pct", lang) + (f" · {key_label(k, lang)}" if k else "")
                                      for v, k in zip(ln.child_key, ln.allocation_key)],
        actual_col: [fmt_eur(v, m_actual, lang, unit=False) for v in ln.actual_eur],
        child_col: [f"{fmt_eur(v, m_child, lang, unit=False)} ({fmt_eur(a, m_child, lang, unit=False)} – "
                    f"{fmt_eur(b, m_child, lang, unit=False)})"
                    for v, a, b in zip(ln.child_actual, ln.child_low, ln.child_high)],
        t("cb_col_rule", lang): [f"{s}/{r}" if r else t("cb_unclassified", lang) for s, r in zip(ln.service_class, ln.rule)],
    })
    narrow = {c: st.column_config.TextColumn(width=w) for c, w in (
        (t("cb_col_service_class", lang), 135), (t("cb_col_account", lang), 45), (class_col, 90),
        (t("cb_col_prevention", lang), 95), (t("cb_col_key_value", lang), 150), (actual_col, 85),
        (child_col, 145), (t("cb_col_rule", lang), 75))}
    st.dataframe(styled_lines(table, class_col, ln.target_class), hide_index=True, width="stretch", height=360,
                 key="cb_lines", column_config=narrow)


def indicators_table(ind: pd.DataFrame, lang: str) -> None:
    """The real 2019→2021 service-deficit changes, worse or better in a symbol and a word."""
    better, worse = t("cb_better", lang), t("cb_worse", lang)
    st.dataframe(pd.DataFrame({
        t("cb_col_group", lang): local(ind, "group", lang),
        t("cb_col_indicator", lang): local(ind, "indicator", lang),
        t("cb_col_change", lang): [fmt_change(v, "eur", lang) for v in ind.change_pct],
        t("col_status", lang): [f"▼ {worse}" if (v > 0) == (w == "up") else f"▲ {better}"
                                for v, w in zip(ind.change_pct, ind.worse_when)]}), hide_index=True, width="stretch",
        key="cb_deficit")


def classification_editor(current: pd.DataFrame, classes: pd.Series, accounts: list[str], codes: dict,
                          limits: dict, lang: str, editable: bool = True) -> tuple[pd.DataFrame, str, bool]:
    """The rules in an editable grid with a note, in one form: (rules, note, submitted); the author is the
    signed-in user. `codes`: all_accounts, target_classes, prevention, allocation_keys; `limits`: column
    lengths. Not `editable` (a role without classification edits): the rules as a read-only table."""
    every = codes["all_accounts"]
    if not editable:
        st.dataframe(editor_frame(current, lang), hide_index=True, width="stretch")
        return current, "", False
    with st.form("cb_form", border=True, enter_to_submit=False):    # no English "Press Enter to submit form"
        edited = st.data_editor(
            editor_frame(current, lang), key="cb_editor", num_rows="dynamic", hide_index=True, width="stretch",
            column_config={
                "service_class": st.column_config.SelectboxColumn(
                    t("cb_col_service_class", lang), required=True, options=list(classes.index),
                    format_func=lambda c: f"{c} {classes.get(c, '')}"),
                "cost_account": st.column_config.SelectboxColumn(
                    t("cb_col_account", lang), options=[every, *accounts], default=every,
                    format_func=lambda c: t("cb_all_accounts", lang) if c == every else c),
                "target_class": st.column_config.SelectboxColumn(
                    t("cb_col_target", lang), options=list(codes["target_classes"]), required=True,
                    format_func=lambda c: target_label(c, lang)),
                "prevention": st.column_config.SelectboxColumn(
                    t("cb_col_prevention", lang), options=list(codes["prevention"]), required=True,
                    format_func=lambda c: prevention_label(c, lang)),
                "allocation_key": st.column_config.SelectboxColumn(
                    t("cb_col_key", lang), options=["", *codes["allocation_keys"]],
                    format_func=lambda c: key_label(c, lang)),
                "fixed_pct": st.column_config.TextColumn(t("cb_col_fixed", lang), help=t("cb_fixed_help", lang),
                                                         validate=r"^\s*(\d{1,3}([.,]\d{1,4})?)?\s*%?\s*$"),
                "key_source": st.column_config.TextColumn(t("cb_col_source", lang), width="large",
                                                          max_chars=limits["key_source"]),
            })
        comment = st.text_input(t("cb_note", lang), key="cb_note", max_chars=limits["note"])
        submitted = st.form_submit_button(t("cb_save", lang), type="primary")
    return edited, comment, submitted
