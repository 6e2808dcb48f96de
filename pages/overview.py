"""Strategic overview: headline KPIs with change vs last year and 2019, targets, a trend and a comparison."""
import pandas as pd
import streamlit as st

from app import compare as compare_data, context, forecasting, state
from ui import compare as compare_ui
from ui import charts
from ui.format import fmt_value
from ui.format import target_label as fmt_target_label
from ui.i18n import month_window, t
from ui.widgets import chart_with_table, kpi_card

HEADLINE = ("care_guarantee_7d", "remote_share", "eservice_adults", "net_cost_per_resident",
            "budget_realisation", "t3_primary", "calls_answered_share", "callback_delay", "contacts_per_1000")

lang, f, version = context.setup("page_overview")

st.title(t("page_overview", lang))
st.caption(f"{context.describe(f, version)} — {t('overview_intro', lang)}")

summaries = [state.summary(k, f, version) for k in HEADLINE]
for row in range(0, len(summaries), 3):
    for col, s in zip(st.columns(3), summaries[row:row + 3]):
        with col:
            kpi_card(s, lang, verdict=forecasting.verdict(s.kpi.id, f, version))
st.caption(t("suppressed_note", lang))

names = {s.kpi.id: s.kpi.name(lang) for s in summaries}
context.url_choice("kpi", "overview_kpi", names, lang)
chosen = st.selectbox(t("select_kpi", lang), options=list(names), format_func=names.get, key="overview_kpi")
context.url_put("kpi", chosen, "overview_kpi")
s = next(x for x in summaries if x.kpi.id == chosen)
k = s.kpi
left, right = st.columns(2)
with left:
    trend_df = s.series.dropna(subset=["value"]).assign(yr=lambda d: d.yr.astype(int))
    target_label = fmt_target_label(k.target.value, k.unit, k.direction, lang) if k.target else ""
    chart = charts.trend_spec(trend_df, x="yr", value_title=k.name(lang), unit=k.unit,
                              title=t("trend_title", lang, name=k.name(lang), months=month_window(f.months, lang)),
                              subtitle=context.describe(f, version), target=k.target.value if k.target else None,
                              target_label=target_label, lang=lang, x_title=t("col_year", lang))
    table = pd.DataFrame({t("col_year", lang): trend_df.yr,
                          t("col_value", lang): [fmt_value(v, k.unit, lang) for v in trend_df.value]})
    alt_text = t("chart_alt_trend", lang, name=k.name(lang), first=int(trend_df.yr.min()) if len(trend_df) else "",
                 last=int(trend_df.yr.max()) if len(trend_df) else "", value=fmt_value(s.value, k.unit, lang, s.suppressed))
    chart_with_table(chart, table, alt_text, lang, key="overview_trend", kpi=k)
with right:
    # every municipality with its interval, against its county (metrics.compare); long lists show top and bottom five
    prepared = compare_data.prepared(chosen, f, version, "county", k.target.value if k.target else None, lang)
    compare_ui.ranked_section(None, k, state.municipalities(version), lang, county=f.county, year=f.year,
                              subtitle=context.describe(f, version), key="overview_regions",
                              chosen=f.municipalities, bench_name=t("cmp_bench_county", lang), prepared=prepared)
