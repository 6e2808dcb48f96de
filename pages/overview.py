"""Strategic overview: headline KPIs with change vs last year and 2019, targets, a trend and a comparison."""
import pandas as pd
import streamlit as st

from app import context, forecasting, state
from ui import charts
from ui.format import fmt_value
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
chosen = st.selectbox(t("select_kpi", lang), options=list(names), format_func=names.get, key="overview_kpi")
s = next(x for x in summaries if x.kpi.id == chosen)
k = s.kpi
left, right = st.columns(2)
with left:
    trend_df = s.series.dropna(subset=["value"]).assign(yr=lambda d: d.yr.astype(int))
    target_label = f"{t('target', lang)} {fmt_value(k.target.value, k.unit, lang)}" if k.target else ""
    chart = charts.trend(trend_df, x="yr", value_title=k.name(lang), unit=k.unit,
                         title=t("trend_title", lang, name=k.name(lang), months=month_window(f.months, lang)),
                         subtitle=context.describe(f, version), target=k.target.value if k.target else None,
                         target_label=target_label, lang=lang, x_title=t("col_year", lang))
    table = pd.DataFrame({t("col_year", lang): trend_df.yr,
                          t("col_value", lang): [fmt_value(v, k.unit, lang) for v in trend_df.value]})
    alt_text = t("chart_alt_trend", lang, name=k.name(lang), first=int(trend_df.yr.min()) if len(trend_df) else "",
                 last=int(trend_df.yr.max()) if len(trend_df) else "", value=fmt_value(s.value, k.unit, lang, s.suppressed))
    chart_with_table(chart, table, alt_text, lang, key="overview_trend", kpi=k)
with right:
    regions = state.values(chosen, f, ("municipality_code",), None, version)
    munis = state.municipalities(version).set_index("municipality_code")
    regions = regions.assign(name=lambda d: munis.loc[d.municipality_code, "name_fi"].to_numpy(),
                             shown=lambda d: [fmt_value(v, k.unit, lang, sup) for v, sup in zip(d.value, d.suppressed)])
    if regions.empty:
        st.info(t("no_data", lang))
    else:
        period = f"{month_window(f.months, lang)} {f.year}"
        chart = charts.region_bars(regions.fillna({"value": 0}), label="name", value_title=k.name(lang), unit=k.unit,
                                   title=t("regions_title", lang, name=k.name(lang), period=period),
                                   subtitle=context.describe(f, version),
                                   target=k.target.value if k.target else None, target_label=target_label,
                                   lang=lang)
        ranked = regions.dropna(subset=["value"]).sort_values("value")
        alt_text = t("chart_alt_regions", lang, name=k.name(lang), year=f.year,
                     max_name=ranked.name.iloc[-1], max=ranked.shown.iloc[-1],
                     min_name=ranked.name.iloc[0], min=ranked.shown.iloc[0]) if len(ranked) else ""
        table = regions[["name", "shown"]].rename(columns={"name": t("col_municipality", lang),
                                                           "shown": t("col_value", lang)})
        chart_with_table(chart, table, alt_text, lang, key="overview_regions", kpi=k)
