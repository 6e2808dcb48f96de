"""Shared page widgets: KPI cards with target status, a chart with its table and text alternative."""
from __future__ import annotations

import math

import altair as alt
import pandas as pd
import streamlit as st

from metrics.engine import KPISummary
from metrics.targets import status

from .format import fmt_change, fmt_value
from .i18n import t

# colour + a distinct shape + words: the status is never carried by colour alone
STATUS_MARK = {"green": ("green", "●"), "amber": ("orange", "▲"), "red": ("red", "■"), None: ("gray", "○")}


def status_label(st_code: str | None, lang: str) -> str:
    colour, shape = STATUS_MARK[st_code]
    return f":{colour}[{shape} {t('status_' + (st_code or 'none'), lang)}]"


def kpi_card(s: KPISummary, lang: str) -> None:
    k = s.kpi
    delta = None if math.isnan(s.change_yoy) else f"{fmt_change(s.change_yoy, k.unit, lang)} {t('vs_prev_year', lang)}"
    delta_color = {"higher": "normal", "lower": "inverse"}.get(k.direction, "off")
    series = [None if (isinstance(v, float) and math.isnan(v)) else round(float(v), 3)
              for v in s.series["value"]] if len(s.series) else None
    help_text = f"{k.description(lang)}\n\n{t('source', lang)}: {k.source_fi}"
    st.metric(k.name(lang), fmt_value(s.value, k.unit, lang, s.suppressed), delta, delta_color=delta_color,
              help=help_text, border=True, chart_data=series, chart_type="line")
    parts = []
    if k.target:
        parts.append(f"{t('target', lang)} {fmt_value(k.target.value, k.unit, lang)} "
                     f"({k.target.date[5:7]}/{k.target.date[:4]})")
    parts.append(status_label(status(s.value, k), lang))
    parts.append(f"{t('vs_2019', lang)}: {fmt_change(s.change_base, k.unit, lang)}")
    st.caption(" · ".join(parts))


def chart_with_table(chart: alt.TopLevelMixin, table: pd.DataFrame, alt_text: str, lang: str,
                     key: str | None = None) -> None:
    """Every chart gets a text alternative and its numbers as a table (keyboard and screen-reader friendly)."""
    st.altair_chart(chart, width="stretch", theme=None, key=key, alt=alt_text)
    st.caption(alt_text)
    with st.expander(t("table_view", lang)):
        st.dataframe(table, hide_index=True, width="stretch")
