"""Shared page widgets: KPI cards with target status, a chart with its table and text alternative."""
from __future__ import annotations

import logging
import math
from dataclasses import dataclass

import altair as alt
import pandas as pd
import streamlit as st

from metrics.engine import KPISummary
from metrics.registry import KPI
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
                     key: str | None = None, *, title: str | None = None, subtitle: str | None = None,
                     source: str | None = None, data: pd.DataFrame | None = None, kpi: KPI | None = None) -> None:
    """Every chart gets a text alternative, its numbers as a table (keyboard and screen-reader friendly)
    and an export menu; `data` (numbers with a `suppressed` flag) is exported instead of `table` if given."""
    st.altair_chart(chart, width="stretch", theme=None, key=key, alt=alt_text)
    st.caption(alt_text)
    with st.expander(t("table_view", lang)):
        st.dataframe(table, hide_index=True, width="stretch")
    export_menu(chart, table if data is None else data, lang, key=key, title=title, subtitle=subtitle,
                source=source, kpi=kpi)


def export_menu(chart: alt.TopLevelMixin, table: pd.DataFrame, lang: str, *, key: str | None = None,
                title: str | None = None, subtitle: str | None = None, source: str | None = None,
                kpi: KPI | None = None) -> None:
    """PNG/SVG/PDF/XLSX/CSV downloads; files are made only when clicked (deferred data), so reruns stay cheap."""
    from data_sources.exports import current_user

    from . import export, state

    own_title, own_sub = _title_of(chart)
    title = title or own_title or t("export_chart", lang)
    subtitle = own_sub if subtitle is None else subtitle
    source = source or (kpi.source_fi if kpi else t("export_default_source", lang))
    version = st.session_state.get("data_version")
    job = _ExportJob(chart=chart, table=table, lang=lang, title=title, subtitle=subtitle, source=source,
                     kpi=kpi, version=version, engine=state.engine(), user=current_user())
    base = key or f"chart_{abs(hash(title)) % 10**8}"
    with st.popover(t("export_menu", lang), icon=":material/download:", help=t("export_menu_help", lang)):
        for fmt in ("png", "svg", "pdf", "xlsx", "csv"):
            st.download_button(t(f"export_{fmt}", lang), data=job.maker(fmt), file_name=export.file_name(title, fmt),
                               mime=export.MIME[fmt], key=f"{base}_export_{fmt}", on_click="ignore",
                               width="stretch")


def _title_of(chart) -> tuple[str, str]:
    """Read the title off the chart object without serialising the whole spec."""
    title = getattr(chart, "title", None)
    if isinstance(title, str):
        return title, ""
    text = getattr(title, "text", None)
    sub = getattr(title, "subtitle", None)
    as_text = lambda x: " ".join(map(str, x)) if isinstance(x, list) else ("" if x is None or not isinstance(x, str) else x)  # noqa: E731
    return as_text(text), as_text(sub)


@dataclass
class _ExportJob:
    """Everything one chart's export needs, captured at script time: the file is made in another thread."""
    chart: alt.TopLevelMixin
    table: pd.DataFrame
    lang: str
    title: str
    subtitle: str
    source: str
    kpi: KPI | None
    version: int | None
    engine: object
    user: str

    def maker(self, fmt: str):
        return lambda: self.make(fmt)

    def make(self, fmt: str) -> bytes:
        from data_sources.exports import record_export

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
        try:
            record_export(self.engine, fmt, self.title, self.subtitle, self.version, self.user)
        except Exception:  # noqa: BLE001 - the file still reaches the user; the failure goes to the log
            logging.getLogger(__name__).exception("export audit write failed")
        return out

    def definitions(self, when: str) -> dict[str, str]:
        lang, k = self.lang, self.kpi
        rows = {t("export_chart", lang): self.title, t("export_filters", lang): self.subtitle}
        if k is not None:
            rows[t("export_indicator", lang)] = k.name(lang)
            rows[t("export_definition", lang)] = k.description(lang)
            if k.target:
                rows[t("export_target_row", lang)] = f"{fmt_value(k.target.value, k.unit, lang)} ({k.target.date})"
        rows[t("source", lang)] = self.source
        if self.version is not None:
            rows[t("export_version", lang, version="").strip()] = str(self.version)
        rows[t("export_printed", lang, at="").strip()] = when
        return rows
