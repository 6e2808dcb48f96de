"""Where an indicator is heading: monthly forecast with prediction intervals, target outlook and backtest."""
import pandas as pd
import streamlit as st

from metrics.forecast import scope_key
from metrics.registry import load_registry
from ui import charts, sidebar, state
from ui.format import fmt_number, fmt_value, target_outlook
from ui.i18n import MONTHS, t
from ui.widgets import chart_with_table

lang, f, version = state.page_context()
reg = load_registry()
ids = [k for k, v in reg.kpis.items() if "month" in v.grains]
names = MONTHS["en" if lang == "en" else "fi"]


def month_label(p) -> str:
    p = pd.Timestamp(p)
    return f"{names[p.month - 1]} {p.year}"


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
k = reg[kid]
latest_year, _ = state.latest_month(version)
place = sidebar.place(f, version)
st.caption(t("fc_scope_note", lang))

with st.spinner(t("fc_computing", lang)):
    res = state.forecast(kid, f, version, latest_year)

if res["model"] is None:
    st.info(t(f"fc_none_{res['reason']}", lang), icon=":material/info:")
    st.stop()

actual = res["actual"].dropna(subset=["value"])
points = res["points"].head(horizon)
visible = points[~points["suppressed"]]
end = points.iloc[-1]
model_name = t(f"fc_model_{res['model']}", lang)
fmt = lambda v, sup=False: fmt_value(v, k.unit, lang, sup)   # noqa: E731

c1, c2, c3 = st.columns(3)
c1.metric(t("fc_latest", lang, when=month_label(actual.period.iloc[-1])), fmt(actual.value.iloc[-1]))
c2.metric(t("fc_at_horizon", lang, when=month_label(end.period)), fmt(end.value, bool(end.suppressed)),
          help=t("fc_range", lang, lo=fmt(end.lo80, bool(end.suppressed)), hi=fmt(end.hi80, bool(end.suppressed))))
c3.metric(t("fc_model", lang), model_name.split(":")[0].split(" (")[0], help=model_name)

outlook = target_outlook(k, actual, res["points"], lang)
if outlook is not None:
    msg, met, _ = outlook
    if met is None:
        st.caption(msg)
    else:
        (st.success if met else st.warning)(msg, icon=":material/check_circle:" if met else ":material/warning:")

history = actual[actual.period > actual.period.max() - pd.DateOffset(months=shown)]
subtitle = f"{place} · {history.period.iloc[0]:%-m/%Y}–{points.period.iloc[-1]:%-m/%Y}"
target_label = f"{t('target', lang)} {fmt(k.target.value)}" if k.target else ""
chart = charts.forecast(history, visible, value_title=k.name(lang), unit=k.unit,
                        title=t("fc_title", lang, name=k.name(lang)), subtitle=subtitle,
                        series_labels=(t("fc_actual", lang), t("fc_forecast", lang)),
                        band_labels=(t("fc_band80", lang), t("fc_band95", lang)),
                        target=k.target.value if k.target else None, target_label=target_label, lang=lang,
                        x_title=t("grain_month", lang))
alt_text = t("fc_alt", lang, name=k.name(lang), first=month_label(history.period.iloc[0]),
             last=month_label(history.period.iloc[-1]), value=fmt(history.value.iloc[-1]), horizon=horizon,
             when=month_label(end.period), fc=fmt(end.value, bool(end.suppressed)),
             lo=fmt(end.lo80, bool(end.suppressed)), hi=fmt(end.hi80, bool(end.suppressed)), model=model_name)

kind_a, kind_f = t("fc_actual", lang), t("fc_forecast", lang)
col = {"period": t("grain_month", lang), "kind": t("fc_col_kind", lang), "value": t("col_value", lang),
       "lo80": t("fc_col_lo80", lang), "hi80": t("fc_col_hi80", lang), "lo95": t("fc_col_lo95", lang),
       "hi95": t("fc_col_hi95", lang)}
rows = [{"period": month_label(r.period), "kind": kind_a, "value": fmt(r.value), "lo80": "", "hi80": "",
         "lo95": "", "hi95": ""} for r in history.itertuples()]
rows += [{"period": month_label(r.period), "kind": kind_f, **{c: fmt(getattr(r, c), bool(r.suppressed))
          for c in ("value", "lo80", "hi80", "lo95", "hi95")}} for r in points.itertuples()]
table = pd.DataFrame(rows).rename(columns=col)
data = pd.concat([history.assign(kind=kind_a, suppressed=False)[["period", "kind", "value", "suppressed"]],
                  points.assign(kind=kind_f)[["period", "kind", "value", "lo80", "hi80", "lo95", "hi95", "suppressed"]]],
                 ignore_index=True).rename(columns=col)
chart_with_table(chart, table, alt_text, lang, key="fc_chart", data=data, kpi=k)

st.subheader(t("fc_backtest", lang))
st.caption(t("fc_backtest_help", lang))
bt = res["backtests"]
st.table(pd.DataFrame({
    t("fc_col_model", lang): [t(f"fc_model_{m}", lang) for m in bt.model],
    t("fc_col_mape", lang): ["–" if pd.isna(v) else f"{fmt_number(v, 1, lang)} %" for v in bt.mape],
    t("fc_col_mase", lang): [fmt_number(v, 2, lang) for v in bt.mase],
    t("fc_col_n", lang): [fmt_number(v, 0, lang) for v in bt.n],
    t("fc_col_chosen", lang): [t("fc_yes", lang) if m == res["model"] else "" for m in bt.model],
}), hide_index=True)
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
rows = []
for other in (i for i in ids if i in stored):
    ko, ro = reg[other], state.forecast(other, f, version, latest_year)   # stored: read, not computed
    fo = lambda v, sup=False: fmt_value(v, ko.unit, lang, sup)   # noqa: E731
    row = {t("indicator", lang): ko.name(lang)}
    if ro["model"] is None:                        # no forecast: say why
        rows.append({**row, t("fc_col_outlook", lang): t(f"fc_short_{ro['reason']}", lang)})
        continue
    act = ro["actual"].dropna(subset=["value"])
    pts = ro["points"]
    at12 = pts.iloc[min(11, len(pts) - 1)]
    sup = bool(at12.suppressed)
    words = "–"
    outlook_o = target_outlook(ko, act, pts, lang)
    if outlook_o is not None and outlook_o[1] is not None:
        met, past = outlook_o[1], outlook_o[2]
        words = ("● " if met else "■ ") + t(("fc_short_" + ("was_" if past else "will_") + ("met" if met else "missed")),
                                            lang, date=pd.Timestamp(ko.target.date).strftime("%-m/%Y"))
    elif outlook_o is not None:
        words = "○ " + t("fc_short_beyond", lang)
    rows.append({**row,
                 t("fc_col_latest", lang): fo(act.value.iloc[-1]) if len(act) else "–",
                 t("fc_col_12", lang, when=month_label(at12.period)): fo(at12.value, sup),
                 t("fc_col_range", lang): f"{fo(at12.lo80, sup)}–{fo(at12.hi80, sup)}",
                 t("target", lang): f"{fo(ko.target.value)} ({pd.Timestamp(ko.target.date):%-m/%Y})" if ko.target else "–",
                 t("fc_col_outlook", lang): words,
                 t("fc_model", lang): t(f"fc_model_{ro['model']}", lang)})
if rows:
    st.dataframe(pd.DataFrame(rows).fillna(""), hide_index=True, width="stretch")
if missing:
    st.caption(t("fc_all_missing", lang, n=len(missing)))
