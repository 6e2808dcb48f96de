"""One indicator in full: definition, formula, source, target, trend and the numbers behind it."""
import pandas as pd
import streamlit as st

from metrics.registry import load_registry
from app import annotations, context, forecasting, state, subscribe
from ui.format import fmt_month, fmt_target, fmt_trimmed, fmt_value
from ui.formula import formula_words
from ui.i18n import local, t
from ui.verdict import verdict_label, verdict_markdown
from ui.widgets import kpi_card, kpi_trend

lang, f, version = context.setup("page_detail")
reg = load_registry()
ids = list(reg.kpis)

context.url_choice("kpi", "detail_kpi", ids, lang)     # a link from a card chooses the indicator once
kid = st.selectbox(t("select_kpi", lang), ids, format_func=lambda k: reg[k].name(lang), key="detail_kpi")
context.url_put("kpi", kid, "detail_kpi")
k = reg[kid]
subtitle = context.describe(f, version)

st.title(k.name(lang))
st.caption(f"{subtitle} — {t('detail_intro', lang)}")

verdict = forecasting.verdict(kid, f, version)
left, right = st.columns([1, 2])
with left:
    s = state.summary(kid, f, version)
    kpi_card(s, lang, link=False, verdict=verdict)
with right:
    areas = state.service_areas(version)
    facts = {
        t("definition", lang): k.description(lang),
        t("formula", lang): formula_words(k, lang, reg, dict(zip(areas.service_area, local(areas, "name", lang)))),
        t("source", lang): k.source_fi,
        t("owner", lang): k.owner,
        t("level", lang): t(f"level_{k.level}", lang),
        t("direction", lang): t(f"direction_{k.direction}", lang),
        t("grains", lang): ", ".join(t(f"grain_{g}", lang) for g in k.grains),
        t("baseline", lang): f"{fmt_trimmed(k.baseline.value, k.unit, lang)} ({fmt_month(k.baseline.date)})"
        if k.baseline else "–",
        t("target", lang): ", ".join(f"{fmt_target(g.value, k.unit, k.direction, lang)} ({fmt_month(g.date)})"
                                     for g in k.targets) or "–",
        t("vd_col", lang): verdict_label(verdict, k, lang) if k.targets else "–",
        t("privacy", lang): t("suppression_rule_short", lang, n=k.suppress_below),
    }
    st.table(pd.DataFrame({t("fact", lang): list(facts), t("col_value", lang): list(facts.values())}), hide_index=True)
    with st.expander(t("formula_sql", lang)):
        dialect, sql = state.kpi_sql(kid, f)
        st.caption(t("formula_sql_note", lang, place=context.place(f, version), year=f.year, dialect=dialect))
        st.code(sql, language="sql", wrap_lines=True)

context.url_choice("grain", "detail_grain", k.grains, lang)
grain = st.segmented_control(t("grain", lang), list(k.grains), default=k.grains[0], key="detail_grain",
                             format_func=lambda g: t(f"grain_{g}", lang)) or k.grains[0]
if grain not in k.grains:
    grain = k.grains[0]
context.url_put("grain", grain, "detail_grain")
series = state.series(kid, f, grain, None, version)
if k.targets:
    st.caption(f"{t('vd_col', lang)}: {verdict_markdown(verdict, k, lang)}")
kpi_trend(k, series, lang, subtitle, key="detail_trend", grain=grain)
if "month" in k.grains:
    st.page_link("pages/forecast.py", label=t("fc_link", lang), icon=":material/query_stats:",
                 query_params={"kpi": kid})

st.header(t("numbers_behind", lang))
cols = {"period": t(f"grain_{grain}", lang), "numerator": t("numerator", lang), "denominator": t("denominator", lang),
        "value": t("col_value", lang)}
# counts are counts; a simple KPI's numerator is in the KPI's own unit (days, %, €); a ratio's is money
num_unit = "count" if reg.measures[k.numerator].count else (k.unit if k.type == "simple" else "eur")
table = series.assign(
    period=[fmt_month(p) if grain != "year" else str(p.year) for p in series.period],
    numerator=[fmt_value(v, num_unit, lang, sup)
               for v, sup in zip(series.numerator, series.suppressed)],
    denominator=[fmt_value(v, "count", lang, sup) if k.denominator else "–"
                 for v, sup in zip(series.denominator, series.suppressed)],
    value=[fmt_value(v, k.unit, lang, sup) for v, sup in zip(series.value, series.suppressed)],
)[list(cols)].rename(columns=cols)
st.dataframe(table.iloc[::-1], hide_index=True, width="stretch")

subscribe.alert_section(kid, f, version, lang)

annotations.section(kid, f, version, lang)
