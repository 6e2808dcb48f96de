"""Operational level: the latest month against the previous one, with a drill to municipalities and service points."""
from dataclasses import replace

import pandas as pd
import streamlit as st

from metrics.engine import change
from metrics.registry import load_registry
from app import compare as compare_data, context, state
from ui import compare as compare_ui
from ui import charts, widgets
from ui.format import fmt_change, fmt_month, fmt_value
from ui.i18n import t
from ui.widgets import kpi_trend

lang, base, version = context.setup("page_operational")
reg = load_registry()

month = base.months[1]
f = replace(base, months=(month, month))           # the last month of the selected window
subtitle = context.describe(f, version)

st.title(t("page_operational", lang))
st.caption(f"{subtitle} — {t('operational_intro', lang)}")

ids = [k.id for k in reg.by_level("operational")]
years = (f.year - 2, f.year - 1, f.year)
cols = st.columns(4)
for i, kid in enumerate(ids):
    k = reg[kid]
    s = state.series(kid, replace(base, months=(1, 12)), "month", years, version)
    s = s[s.period <= pd.Timestamp(year=f.year, month=month, day=1)]
    now = s.iloc[-1] if len(s) else None
    prev = s.iloc[-2] if len(s) > 1 else None
    value = fmt_value(now.value, k.unit, lang, bool(now.suppressed)) if now is not None else "–"
    raw = change(now.value, prev.value, k.unit) if now is not None and prev is not None else float("nan")
    delta = None if pd.isna(raw) else f"{fmt_change(raw, k.unit, lang)} {t('vs_prev_month', lang)}"
    with cols[i % 4], st.container(border=True):
        st.metric(k.name(lang), value, delta, help=k.description(lang), **widgets.delta_style(raw, k.direction))
        recent = s.dropna(subset=["value"]).tail(24)
        if len(recent) > 1:
            widgets.draw_sparkline(recent, k.unit, lang, t("chart_alt_monthly", lang, name=k.name(lang),
                                                           first=fmt_month(recent.period.iloc[0]),
                                                           last=fmt_month(recent.period.iloc[-1]),
                                                           value=value), x="period:T")
        st.page_link("pages/kpi_detail.py", label=t("details_link", lang), query_params={"kpi": kid})

context.url_choice("kpi", "operational_kpi", ids, lang)
pick = st.selectbox(t("select_kpi", lang), ids, format_func=lambda k: reg[k].name(lang), key="operational_kpi")
context.url_put("kpi", pick, "operational_kpi")
k = reg[pick]
left, right = st.columns(2)
with left:
    s = state.series(pick, replace(base, months=(1, 12)), "month", years, version)
    s = s[s.period <= pd.Timestamp(year=f.year, month=month, day=1)].tail(24)
    kpi_trend(k, s, lang, context.describe(base, version), key="operational_trend")
with right:
    prepared = compare_data.prepared(pick, f, version, "county", k.target.value if k.target else None, lang)
    compare_ui.ranked_section(None, k, state.municipalities(version), lang, county=f.county, year=f.year,
                              subtitle=subtitle, key="operational_munis", chosen=f.municipalities,
                              bench_name=t("cmp_bench_county", lang), prepared=prepared)

st.header(t("service_points", lang))
munis = state.municipalities(version).set_index("municipality_code")
in_scope = munis if not f.county else munis[munis.county_code == f.county]
default = f.municipalities[0] if f.municipalities else in_scope.index[0]
context.url_choice("point_muni", "operational_muni", list(in_scope.index), lang)
if st.session_state.get("operational_muni") not in in_scope.index:   # not chosen yet, or outside the county now
    st.session_state["operational_muni"] = default
muni = st.selectbox(t("pick_municipality", lang), list(in_scope.index), format_func=lambda c: in_scope.name_fi[c],
                    key="operational_muni")
context.url_put("point_muni", None if muni == default else muni, "operational_muni")
points = state.values("t3_primary", replace(f, municipalities=(muni,)), ("service_point_id",), None, version)
sp_names = state.service_points(version).set_index("service_point_id").name_fi
points = points.assign(point=sp_names.reindex(points.service_point_id).to_numpy(),
                       shown=[fmt_value(v, "days", lang) for v in points.value])
st.dataframe(points[["point", "shown"]].rename(columns={"point": t("service_point", lang),
                                                         "shown": t("service_points", lang)}),
             hide_index=True, width="stretch")
