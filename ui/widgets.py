"""Shared page widgets: KPI cards with target status, a chart with its table and text alternative."""
from __future__ import annotations

import math
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Callable

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from metrics.engine import KPISummary
from metrics.registry import KPI

from .format import fmt_change, fmt_month, fmt_target, fmt_value
from .format import target_label as fmt_target_label
from .i18n import t
from .safe import md
from .verdict import verdict_markdown

# colour + a distinct shape + words: the status is never carried by colour alone
DETAIL_PAGE = "pages/kpi_detail.py"

STATUS_MARK = {"green": ("green", "●"), "amber": ("orange", "▲"), "red": ("red", "■"), None: ("gray", "○")}


def status_label(st_code: str | None, lang: str) -> str:
    colour, shape = STATUS_MARK[st_code]
    return f":{colour}[{shape}] {t('status_' + (st_code or 'none'), lang)}"


def status_text(st_code: str | None, lang: str) -> str:
    """The same status for tables and exports: shape and words, no markup."""
    return f"{STATUS_MARK[st_code][1]} {t('status_' + (st_code or 'none'), lang)}"


def delta_style(x, direction: str = "neutral") -> dict:
    """st.metric's colour and arrow for a change `x`, decided here: the delta text starts with the minus sign
    U+2212 (as the axes do), which Streamlit would read as a rise. `direction`: higher, lower or neutral."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return {}
    if round(x, 1) == 0:
        return {"delta_color": "gray", "delta_arrow": "off"}
    good = {"higher": x > 0, "lower": x < 0}.get(direction)
    return {"delta_color": "gray" if good is None else "green" if good else "red",
            "delta_arrow": "up" if x > 0 else "down"}


def global_style() -> None:
    """Captions without Streamlit's 0.6 opacity fade (2.9:1 on white) so small text meets WCAG AA (7.5:1)."""
    st.html("<style>[data-testid='stCaptionContainer'] {opacity: 1 !important;} "
            "[data-testid='stCaptionContainer'], [data-testid='stCaptionContainer'] p "
            "{color: #4b5563 !important;}</style>")


def kpi_card(s: KPISummary, lang: str, link: bool = True, verdict=None) -> None:
    """A KPI's value, change and sparkline; its target verdict (metrics.targets.verdict, the same words as on
    every page) when the KPI has a target."""
    k = s.kpi
    delta = None if math.isnan(s.change_yoy) else f"{fmt_change(s.change_yoy, k.unit, lang)} {t('vs_prev_year', lang)}"
    help_text = f"{k.description(lang)}\n\n{t('source', lang)}: {k.source_fi}"
    with st.container(border=True):
        # the whole name above the number (st.metric cuts its label to one line: two names read the same)
        st.markdown(f"**{md(k.name(lang))}**", help=help_text)
        st.metric(k.name(lang), fmt_value(s.value, k.unit, lang, s.suppressed), delta,
                  label_visibility="collapsed", **delta_style(s.change_yoy, k.direction))
        sparkline(s, lang)
    parts = []
    if k.targets:
        parts.append(verdict_markdown(verdict, k, lang))
    else:
        parts.append(status_label(None, lang))
    parts.append(f"{t('vs_2019', lang)}: {fmt_change(s.change_base, k.unit, lang)}")
    st.caption(" · ".join(parts))
    if link:
        st.page_link(DETAIL_PAGE, label=t("details_link", lang), query_params={"kpi": k.id})


def chart_with_table(chart: alt.TopLevelMixin | dict, table: pd.DataFrame, alt_text: str, lang: str,
                     key: str | None = None, *, title: str | None = None, subtitle: str | None = None,
                     source: str | None = None, data: pd.DataFrame | None = None, kpi: KPI | None = None) -> None:
    """Every chart gets a text alternative, its numbers as a table (keyboard and screen-reader friendly)
    and an export menu; `data` (numbers with a `suppressed` flag) is exported instead of `table` if given."""
    draw_chart(chart, alt_text, key=key)
    st.caption(alt_text)
    with st.expander(t("table_view", lang)):
        st.dataframe(table, hide_index=True, width="stretch")
    export_menu(chart, table if data is None else data, lang, key=key, title=title, subtitle=subtitle,
                source=source, kpi=kpi)


def sparkline(s: KPISummary, lang: str) -> None:
    """A KPI's yearly trend as a small chart whose text alternative lists the values."""
    trend_spark(s.series, s.kpi.unit, s.kpi.name(lang), lang)


def trend_spark(series: pd.DataFrame, unit: str, name: str, lang: str) -> None:
    """A yearly trend (columns yr, value; hidden or missing years NaN) as a small chart whose text alternative
    lists the values; nothing for fewer than two years."""
    from . import charts

    if len(series) < 2:
        return
    value = series["value"].to_numpy(dtype=float, na_value=np.nan)
    keep = ~np.isnan(value)
    if keep.sum() < 2:
        return
    years = [int(y) for y in series["yr"].to_numpy()[keep]]    # lists, not frames: every rerun draws every card
    values = value[keep].tolist()
    listed = ", ".join(f"{y}: {fmt_value(v, unit, lang)}" for y, v in zip(years, values))
    alt_text = f"{t('trend_word', lang)} {name} – {listed}"
    if not charts.SPEC_CACHE:
        draw_chart(charts.sparkline(pd.DataFrame({"yr": years, "value": values}), unit, lang, "yr:O"), alt_text)
        return
    st.vega_lite_chart(charts.yearly_sparkline_spec(years, values, unit, lang), width="stretch", theme=None,
                       alt=alt_text)


def draw_sparkline(df: pd.DataFrame, unit: str, lang: str, alt_text: str, x: str = "yr:O") -> None:
    """A card's small trend chart (ui.charts.sparkline), its spec filled into a template (charts.sparkline_spec)."""
    from . import charts

    if not charts.SPEC_CACHE:
        draw_chart(charts.sparkline(df, unit, lang, x), alt_text)
        return
    st.vega_lite_chart(charts.sparkline_spec(df, unit, lang, x), width="stretch", theme=None, alt=alt_text)


def draw_chart(chart: alt.TopLevelMixin | dict, alt_text: str, key: str | None = None) -> None:
    """Draw an Altair chart from its cached Vega-Lite spec (ui.charts.spec): a chart unchanged since an earlier
    run is not converted and validated again; without the cache, Streamlit's own Altair path."""
    from . import charts

    if isinstance(chart, charts.ChartSpec):           # a filled template (charts.filled)
        st.vega_lite_chart(_fit_width(charts.arrow_spec(chart)), width="stretch", theme=None, key=key, alt=alt_text)
        return
    if not charts.SPEC_CACHE:
        st.altair_chart(chart, width="stretch", theme=None, key=key, alt=alt_text)
        return
    st.vega_lite_chart(_fit_width(charts.spec(chart)), width="stretch", theme=None, key=key, alt=alt_text)


def _fit_width(spec: dict) -> dict:
    """The chart fitted to the container's width only: its plot keeps the height it was built with and the titles,
    axes and legend add to it. Streamlit's default for a single chart fits the whole chart, titles included, into
    the spec's height, which squeezed the plot and cut the first line of a title that wraps onto two (a long KPI
    name on Mittarin tiedot). Compositions and facets keep Streamlit's own choice."""
    if "autosize" in spec or any(k in spec for k in ("vconcat", "hconcat", "concat", "facet", "repeat")):
        return spec
    return {**spec, "autosize": {"type": "fit-x", "contains": "padding"}}


def kpi_grid(summaries: list[KPISummary], lang: str, per_row: int = 3, verdicts: dict | None = None) -> None:
    """Cards in rows of at most `per_row`, as even as the count allows (9 cards in 3 rows of 3, never 4 + 4 + 1
    with the ninth alone)."""
    rows = max(1, math.ceil(len(summaries) / per_row))
    per_row = max(1, math.ceil(len(summaries) / rows))
    for row in range(0, len(summaries), per_row):
        for col, s in zip(st.columns(per_row), summaries[row:row + per_row]):
            with col:
                kpi_card(s, lang, verdict=(verdicts or {}).get(s.kpi.id))


def score_card(name: str, score: float, status_code: str | None, lang: str) -> None:
    """A composite score as a number out of 100, a bar, and the status in words and shape; the area's whole name
    above the number (st.metric would cut a long name and the number to one line each)."""
    with st.container(border=True):
        st.markdown(f"**{md(name)}**")
        shown = "–" if math.isnan(score) else f"{score:.0f}"
        st.metric(name, shown, label_visibility="collapsed")
        if not math.isnan(score):
            st.progress(min(1.0, max(0.0, score / 100)), text=t("score_of_100", lang))
    st.caption(status_label(status_code, lang))


def kpi_trend(kpi, series: pd.DataFrame, lang: str, subtitle: str, key: str, grain: str = "month") -> None:
    """A KPI over time (month, quarter or year) with its target line, analysts' notes (issue 15), text
    alternative and table."""
    from . import annotations, charts

    df = series.dropna(subset=["value"])
    if df.empty:
        st.info(t("no_data", lang))
        return
    target_label = fmt_target_label(kpi.target.value, kpi.unit, kpi.direction, lang) if kpi.target else ""
    temporal = grain != "year"
    x = "period" if temporal else "yr"
    notes = notes_of(kpi.id)
    marks = annotations.chart_points(notes, grain, df.period.min(), df.period.max()) if len(notes) else None
    if marks is not None and not temporal:
        marks = marks.assign(x=pd.to_datetime(marks.x).dt.year)
    chart = charts.trend_spec(df.assign(yr=df.yr.astype(int)), x=x, value_title=kpi.name(lang), unit=kpi.unit,
                              title=t("monthly_title", lang, name=kpi.name(lang)) if grain == "month" else kpi.name(lang),
                              subtitle=subtitle, target=kpi.target.value if kpi.target else None,
                              target_label=target_label, lang=lang, temporal=temporal,
                              x_title=t(f"grain_{grain}", lang), notes=marks if marks is not None and len(marks) else None)

    def label(p):
        p = pd.Timestamp(p)
        if grain == "month":
            return fmt_month(p, lang)
        if grain == "quarter":
            return t("quarter_label", lang, q=(p.month - 1) // 3 + 1, year=p.year)
        return str(p.year)

    labels = [label(p) for p in df.period]
    values = [fmt_value(v, kpi.unit, lang) for v in df.value]
    table = pd.DataFrame({t(f"grain_{grain}", lang): labels, t("col_value", lang): values})
    if len(notes):                                  # the notes as a column of the table and its exports
        column = annotations.table_column(notes, list(df.period), grain)
        if any(column):
            table[t("nt_col", lang)] = column
    alt_text = t("chart_alt_monthly", lang, name=kpi.name(lang), first=labels[0], last=labels[-1], value=values[-1])
    chart_with_table(chart, table, alt_text, lang, key=key)


EXPORT_HOOK = "_export_audit"
NOTES_HOOK = "_notes_of"


def on_notes(notes_of: Callable[[str], pd.DataFrame] | None) -> None:
    """The glue layer names, for this run, what gives a KPI's notes in the current view (issue 15): a frame with
    month_from, month_to, text and region; the trend and forecast charts, their tables and exports show them."""
    st.session_state[NOTES_HOOK] = notes_of


def notes_of(kpi_id: str) -> pd.DataFrame:
    """The KPI's notes in this view (an empty frame when there are none or no hook is set)."""
    hook = st.session_state.get(NOTES_HOOK)
    out = hook(kpi_id) if hook is not None else None
    if out is None:
        return pd.DataFrame({"month_from": pd.Series(dtype="datetime64[ns]"),
                             "month_to": pd.Series(dtype="datetime64[ns]"), "text": [], "region": []})
    return out


def on_export(audit: Callable[[str, str, str, int | None], None] | None) -> None:
    """The glue layer names, for this session, what records a file given out (action, title, filters, data
    version); None when the signed-in role may not export, and then no export menu is drawn."""
    st.session_state[EXPORT_HOOK] = audit


def may_export() -> bool:
    return st.session_state.get(EXPORT_HOOK) is not None


def export_menu(chart: alt.TopLevelMixin | dict, table: pd.DataFrame, lang: str, *, key: str | None = None,
                title: str | None = None, subtitle: str | None = None, source: str | None = None,
                kpi: KPI | None = None) -> None:
    """PNG/SVG/PDF/XLSX/CSV downloads; files are made only when clicked (deferred data), so reruns stay cheap."""
    from . import export

    if not may_export():
        return
    own_title, own_sub = _title_of(chart)
    title = title or own_title or t("export_chart", lang)
    subtitle = own_sub if subtitle is None else subtitle
    source = source or (kpi.source_fi if kpi else t("export_default_source", lang))
    version = st.session_state.get("data_version")
    job = ExportJob(chart=chart, table=table, lang=lang, title=title, subtitle=subtitle, source=source,
                     kpi=kpi, version=version, audit=st.session_state.get(EXPORT_HOOK))
    base = key or f"chart_{abs(hash(title)) % 10**8}"
    with st.popover(t("export_menu", lang), icon=":material/download:", help=t("export_menu_help", lang)):
        for fmt in ("png", "svg", "pdf", "xlsx", "csv"):
            st.download_button(t(f"export_{fmt}", lang), data=job.maker(fmt), file_name=export.file_name(title, fmt, lang=lang),
                               mime=export.MIME[fmt], key=f"{base}_export_{fmt}", on_click="ignore",
                               width="stretch")


def _title_of(chart) -> tuple[str, str]:
    """Read the title off the chart object (or a ChartSpec) without serialising the whole spec."""
    title = chart.get("title") if isinstance(chart, dict) else getattr(chart, "title", None)
    if isinstance(title, dict):
        title = SimpleNamespace(**title)
    if isinstance(title, str):
        return title, ""
    text = getattr(title, "text", None)
    sub = getattr(title, "subtitle", None)
    as_text = lambda x: " ".join(map(str, x)) if isinstance(x, list) else ("" if x is None or not isinstance(x, str) else x)  # noqa: E731
    return as_text(text), as_text(sub)


@dataclass
class ExportJob:
    """Everything one chart's export needs, captured at script time: the file is made in another thread."""
    chart: alt.TopLevelMixin | dict           # a chart, or its spec (charts.ChartSpec)
    table: pd.DataFrame
    lang: str
    title: str
    subtitle: str
    source: str
    kpi: KPI | None
    version: int | None
    audit: Callable[[str, str, str, int | None], None] | None

    def maker(self, fmt: str):
        return lambda: self.make(fmt)

    def make(self, fmt: str) -> bytes:
        from . import export, export_data
        when = export.stamp(lang=self.lang)
        if fmt in export.RENDERERS:
            spec = export.snapshot_spec(self.chart, title=self.title, subtitle=self.subtitle, source=self.source,
                                        when=when, lang=self.lang, version=self.version)
            out = export.RENDERERS[fmt](spec)
        elif fmt == "xlsx":
            out = export_data.to_xlsx(self.table, self.definitions(when), self.lang, title=self.title)
        else:
            out = export_data.to_csv(self.table, self.lang)
        if self.audit:
            self.audit(fmt, self.title, self.subtitle, self.version)
        return out

    def definitions(self, when: str) -> dict[str, str]:
        lang, k = self.lang, self.kpi
        rows = {t("export_chart", lang): self.title, t("export_filters", lang): self.subtitle}
        if k is not None:
            rows[t("export_indicator", lang)] = k.name(lang)
            rows[t("export_definition", lang)] = k.description(lang)
            if k.target:
                rows[t("export_target_row", lang)] = (f"{fmt_target(k.target.value, k.unit, k.direction, lang)} "
                                                      f"({fmt_month(k.target.date)})")
        rows[t("source", lang)] = self.source
        if self.version is not None:
            rows[t("export_version", lang, version="").strip()] = str(self.version)
        rows[t("export_printed", lang, at="").strip()] = when
        return rows
