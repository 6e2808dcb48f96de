"""The forecast page's parts: headline numbers and target outlook, the chart with its table and text
alternative, the backtest table, and one row per indicator for the at-a-glance table."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from . import annotations, charts
from .format import fmt_month, fmt_number, fmt_value, target_label
from .i18n import t
from .verdict import verdict_label, verdict_markdown
from .widgets import chart_with_table, notes_of


def month_label(p, lang: str) -> str:
    return fmt_month(p, lang)


def forecast_view(k, res: dict, horizon: int, shown: int, place: str, lang: str, verdict=None) -> None:
    """Latest value, the value at the horizon with its 80 % range, the model; the target verdict in words
    (metrics.targets.verdict); the chart (actual, forecast, 80 % and 95 % bands, the judged target) with its
    table and text alternative."""
    actual = res["actual"].dropna(subset=["value"])
    points = res["points"].head(horizon)
    visible = points[~points["suppressed"]]
    end = points.iloc[-1]
    model_name = t(f"fc_model_{res['model']}", lang)
    fmt = lambda v, sup=False: fmt_value(v, k.unit, lang, sup)   # noqa: E731
    hidden = bool(end.suppressed)

    c1, c2, c3 = st.columns(3)
    c1.metric(t("fc_latest", lang, when=month_label(actual.period.iloc[-1], lang)), fmt(actual.value.iloc[-1]))
    c2.metric(t("fc_at_horizon", lang, when=month_label(end.period, lang)), fmt(end.value, hidden),
              help=t("fc_range", lang, lo=fmt(end.lo80, hidden), hi=fmt(end.hi80, hidden)))
    c3.metric(t("fc_model", lang), model_name.split(":")[0].split(" (")[0], help=model_name)
    if res.get("reason"):
        st.caption(t(f"fc_note_{res['reason']}", lang))
    if verdict is not None:
        # a panel, not an alert: a missed target is a fact about the data, not an error of the app (screen readers
        # announce alerts as errors); the shape says the state besides the colour
        with st.container(border=True):
            st.markdown(verdict_markdown(verdict, k, lang, period=True))
    goal = verdict.goal if verdict is not None else k.target

    history = actual[actual.period > actual.period.max() - pd.DateOffset(months=shown)]
    subtitle = f"{place} · {history.period.iloc[0]:%-m/%Y}–{points.period.iloc[-1]:%-m/%Y}"
    notes = notes_of(k.id)                    # analysts' notes (issue 15): on the chart and in the table
    marks = annotations.chart_points(notes, "month", history.period.iloc[0], points.period.iloc[-1])
    chart = charts.forecast(history, visible, value_title=k.name(lang), unit=k.unit,
                            title=t("fc_title", lang, name=k.name(lang)), subtitle=subtitle,
                            series_labels=(t("fc_actual", lang), t("fc_forecast", lang)),
                            band_labels=(t("fc_band80", lang), t("fc_band95", lang)),
                            target=goal.value if goal else None,
                            target_label=target_label(goal.value, k.unit, k.direction, lang) if goal else "", lang=lang,
                            x_title=t("grain_month", lang), notes=marks if len(marks) else None)
    alt_text = t("fc_alt", lang, name=k.name(lang), first=month_label(history.period.iloc[0], lang),
                 last=month_label(history.period.iloc[-1], lang), value=fmt(history.value.iloc[-1]), horizon=horizon,
                 when=month_label(end.period, lang), fc=fmt(end.value, hidden), lo=fmt(end.lo80, hidden),
                 hi=fmt(end.hi80, hidden), model=model_name)
    kind_a, kind_f = t("fc_actual", lang), t("fc_forecast", lang)
    col = {"period": t("grain_month", lang), "kind": t("fc_col_kind", lang), "value": t("col_value", lang),
           **{c: t(f"fc_col_{c}", lang) for c in ("lo80", "hi80", "lo95", "hi95")}}
    rows = [{"period": month_label(r.period, lang), "kind": kind_a, "value": fmt(r.value), "lo80": "", "hi80": "",
             "lo95": "", "hi95": ""} for r in history.itertuples()]
    rows += [{"period": month_label(r.period, lang), "kind": kind_f, **{c: fmt(getattr(r, c), bool(r.suppressed))
              for c in ("value", "lo80", "hi80", "lo95", "hi95")}} for r in points.itertuples()]
    data = pd.concat([history.assign(kind=kind_a, suppressed=False)[["period", "kind", "value", "suppressed"]],
                      points.assign(kind=kind_f)[["period", "kind", "value", "lo80", "hi80", "lo95", "hi95",
                                                  "suppressed"]]], ignore_index=True)
    table = pd.DataFrame(rows)
    if len(marks):
        column = annotations.table_column(notes, list(data.period), "month")
        table[t("nt_col", lang)] = column
        data["note"] = column
        col["note"] = t("nt_col", lang)
    chart_with_table(chart, table.rename(columns=col), alt_text, lang, key="fc_chart", data=data.rename(columns=col),
                     kpi=k)


def backtest_table(bt: pd.DataFrame, chosen: str, lang: str) -> None:
    if bt.empty:
        return
    bt = pd.concat([bt[bt.model == chosen], bt[bt.model != chosen].sort_values("mase")])
    st.table(pd.DataFrame({
        t("fc_col_model", lang): [t(f"fc_model_{m}", lang) for m in bt.model],
        t("fc_col_mape", lang): ["–" if pd.isna(v) else f"{fmt_number(v, 1, lang)} %" for v in bt.mape],
        t("fc_col_mase", lang): [fmt_number(v, 2, lang) for v in bt.mase],
        t("fc_col_n", lang): [fmt_number(v, 0, lang) for v in bt.n],
        t("fc_col_chosen", lang): [t("fc_yes", lang) if m == chosen else "" for m in bt.model],
    }), hide_index=True)


def glance_row(k, res: dict, lang: str, verdict=None) -> dict:
    """One indicator's forecast 12 months ahead and its target verdict (shape and words)."""
    fo = lambda v, sup=False: fmt_value(v, k.unit, lang, sup)   # noqa: E731
    row = {t("indicator", lang): k.name(lang)}
    if res["model"] is None:                        # no forecast: say why (a passed target is still judged)
        return {**row, t("vd_col", lang): verdict_label(verdict, k, lang) if k.targets else "–",
                t("fc_model", lang): t(f"fc_short_{res['reason']}", lang)}
    act = res["actual"].dropna(subset=["value"])
    pts = res["points"]
    at12 = pts.iloc[min(11, len(pts) - 1)]
    sup = bool(at12.suppressed)
    return {**row,
            t("fc_col_latest", lang): fo(act.value.iloc[-1]) if len(act) else "–",
            t("fc_col_12", lang, when=month_label(at12.period, lang)): fo(at12.value, sup),
            t("fc_col_range", lang): f"{fo(at12.lo80, sup)}–{fo(at12.hi80, sup)}",
            t("vd_col", lang): verdict_label(verdict, k, lang) if k.targets else "–",
            t("fc_model", lang): t(f"fc_model_{res['model']}", lang)}
