"""Where an indicator is heading: monthly forecast with prediction intervals, target outlook and backtest."""
import pandas as pd
import streamlit as st

from app import context, forecasting, state
from metrics.forecast import history_filters
from metrics.registry import load_registry
from ui import forecast as fcui
from ui.format import fmt_number
from ui.i18n import t

lang, f, version = context.setup("page_forecast")
reg = load_registry()
ids = [k for k, v in reg.kpis.items() if "month" in v.grains]

st.title(t("page_forecast", lang))
st.caption(t("fc_intro", lang))

left, mid, right = st.columns([3, 1, 1])
with left:
    context.url_choice("kpi", "fc_kpi", ids, lang)      # a link from the indicator page chooses it once
    kid = st.selectbox(t("select_kpi", lang), ids, format_func=lambda k: reg[k].name(lang), key="fc_kpi")
with mid:
    context.url_choice("horizon", "fc_horizon", (6, 12, 24), lang)
    horizon = st.selectbox(t("fc_horizon", lang), (6, 12, 24), index=1, key="fc_horizon",
                           format_func=lambda n: t("fc_months", lang, n=n))
with right:
    context.url_choice("history", "fc_history", (24, 36, 60, 120), lang)
    shown = st.selectbox(t("fc_history", lang), (24, 36, 60, 120), index=1, key="fc_history",
                         format_func=lambda n: t("fc_months", lang, n=n))
for param, value, key in (("kpi", kid, "fc_kpi"), ("horizon", horizon, "fc_horizon"), ("history", shown, "fc_history")):
    context.url_put(param, value, key)
latest_year, _ = state.latest_month(version)
hf = history_filters(f, latest_year)           # every view of this area reads the same stored forecasts
st.caption(t("fc_scope_note", lang))

job = forecasting.background_job()
if job and job["version"] == version and not job["finished"]:   # the server is forecasting this version now
    bar = st.progress(0.0, text=t("fc_background", lang, i=0, n=job["total"] or "…"))
    forecasting.wait_for_background(f, version, progress=lambda i, n: bar.progress(
        i / max(n, 1), text=t("fc_background", lang, i=i, n=n)))
    bar.empty()
missing = forecasting.missing(f, version)
if missing:                                     # a new area or data version: every indicator at once
    bar = st.progress(0.0, text=t("fc_all_running", lang, i=0, n=len(missing)))
    forecasting.compute_area(f, version, progress=lambda i, n: bar.progress(
        i / max(n, 1), text=t("fc_all_running", lang, i=i, n=n)))
    bar.empty()
res = state.forecast(kid, hf, version, latest_year)
verdict = forecasting.verdict(kid, f, version)
if res["model"] is None:
    st.info(t(f"fc_none_{res['reason']}", lang), icon=":material/info:")
    st.stop()
fcui.forecast_view(reg[kid], res, horizon, shown, context.place(f, version), lang, verdict)

st.subheader(t("fc_backtest", lang))
st.caption(t("fc_backtest_help", lang))
fcui.backtest_table(res["backtests"], res["model"], lang)
st.caption(t("fc_stored", lang, version=version, seconds=fmt_number(res["seconds"], 1, lang)))

# --- every monthly indicator of this area at a glance -----------------------------------------------------
st.header(t("fc_all_title", lang))
st.caption(t("fc_all_help", lang))
rows = [fcui.glance_row(reg[other], state.forecast(other, hf, version, latest_year), lang,
                        forecasting.verdict(other, f, version)) for other in ids]
st.table(pd.DataFrame(rows).fillna(""), hide_index=True)     # wraps its text: nothing cut off on the right
