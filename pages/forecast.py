"""Where an indicator is heading: monthly forecast with prediction intervals, target outlook and backtest."""
import pandas as pd
import streamlit as st

from app import context, state
from metrics.forecast import scope_key
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
    requested = st.query_params.get("kpi")
    if requested in ids and st.session_state.get("fc_from_link") != requested:
        st.session_state["fc_kpi"] = requested           # a link from the indicator page chooses it once
        st.session_state["fc_from_link"] = requested
    kid = st.selectbox(t("select_kpi", lang), ids, format_func=lambda k: reg[k].name(lang), key="fc_kpi")
with mid:
    horizon = st.selectbox(t("fc_horizon", lang), (6, 12, 24), index=1, key="fc_horizon",
                           format_func=lambda n: t("fc_months", lang, n=n))
with right:
    shown = st.selectbox(t("fc_history", lang), (24, 36, 60, 120), index=1, key="fc_history",
                         format_func=lambda n: t("fc_months", lang, n=n))
st.query_params["kpi"] = kid
st.session_state["fc_from_link"] = kid            # our own link is not a new request
latest_year, _ = state.latest_month(version)
st.caption(t("fc_scope_note", lang))

with st.spinner(t("fc_computing", lang)):
    res = state.forecast(kid, f, version, latest_year)
if res["model"] is None:
    st.info(t(f"fc_none_{res['reason']}", lang), icon=":material/info:")
    st.stop()
fcui.forecast_view(reg[kid], res, horizon, shown, context.place(f, version), lang)

st.subheader(t("fc_backtest", lang))
st.caption(t("fc_backtest_help", lang))
fcui.backtest_table(res["backtests"], res["model"], lang)
st.caption(t("fc_stored", lang, version=version, seconds=fmt_number(res["seconds"], 1, lang)))

# --- every monthly indicator of this area at a glance -----------------------------------------------------
st.header(t("fc_all_title", lang))
st.caption(t("fc_all_help", lang))
stored = set(state.stored_forecasts(scope_key(f), version))
missing = [i for i in ids if i not in stored]
if missing and st.button(t("fc_all_compute", lang, n=len(missing)), key="fc_compute_all",
                         icon=":material/calculate:"):
    bar = st.progress(0.0)
    for j, other in enumerate(missing, 1):
        bar.progress((j - 1) / len(missing), text=t("fc_all_progress", lang, i=j, n=len(missing),
                                                      name=reg[other].name(lang)))
        state.forecast(other, f, version, latest_year)
    st.rerun()
rows = [fcui.glance_row(reg[other], state.forecast(other, f, version, latest_year), lang)   # stored: read
        for other in ids if other in stored]
if rows:
    st.dataframe(pd.DataFrame(rows).fillna(""), hide_index=True, width="stretch")
if missing:
    st.caption(t("fc_all_missing", lang, n=len(missing)))
