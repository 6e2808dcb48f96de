"""Board pack for the county board: a 16:9 PowerPoint with native, editable charts and a PDF of the same.

Each item is one KPI shown as a yearly trend, a municipality comparison, a card or its monthly forecast;
captions are written from the KPI summary and the target status, speaker notes carry the definition.
"""
from __future__ import annotations

import dataclasses
import io
import os
import math
import textwrap
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Callable

import pandas as pd
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.util import Emu, Inches, Pt

from metrics.engine import Filters, KPISummary
from metrics.registry import KPI

from . import annotations, charts, export, sheets
from .format import (DECIMALS, SUPPRESSED, fmt_change, fmt_month, fmt_target, fmt_value, no_break, target_label,
                     unit_suffix)
from .i18n import month_window, t
from .safe import xml_text
from .verdict import verdict_label

KINDS = ("trend", "regions", "card", "forecast")   # per KPI
CHILD_BUDGET = "child_budget"                      # one item of its own: PackItem("child_budget", "child_budget")
FORECAST_HISTORY, FORECAST_HORIZON = 24, 12   # months of actuals and of forecast on a slide
SLIDE_W, SLIDE_H = Emu(12192000), Emu(6858000)   # exactly 16:9, as PowerPoint makes it
PPT_FONT = "Arial"          # present on every PowerPoint install; the PDF uses the bundled Inter
PDF_WORKERS = min(4, os.cpu_count() or 1)
PDF_W, PDF_H = 960, 540     # points: the same 13.333 × 7.5 in page as the slides
BARS_PER_COLUMN = 22        # a longer list of bars is split into side-by-side charts, every name kept


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


@dataclass(frozen=True)
class PackItem:
    kpi: str
    kind: str


@dataclass
class Slide:
    item: PackItem
    kpi: KPI | None                        # None on the child-budget slide
    summary: KPISummary | None
    title: str
    subtitle: str
    caption: list[str]
    notes: str
    trend: pd.DataFrame | None = None      # yr, value, suppressed
    regions: pd.DataFrame | None = None    # name, value, suppressed, shown
    actual: pd.DataFrame | None = None     # forecast slides: period, value (the last months)
    forecast: pd.DataFrame | None = None   # period, value, lo80, hi80, lo95, hi95, suppressed
    budget: pd.DataFrame | None = None     # child budget: the waterfall steps (metrics.child_budget.waterfall)
    source: str = ""                       # the footer's source when the slide has no KPI

    @property
    def source_text(self) -> str:
        return self.source or (self.kpi.source_fi if self.kpi else "")

    def chart(self, lang: str):
        """The same Altair chart the app draws (used for pictures and for the PDF pages)."""
        if self.item.kind == CHILD_BUDGET:
            from .child_budget import waterfall_chart
            return waterfall_chart(self.budget, lang, self.title, self.subtitle)
        k = self.kpi
        target = k.target.value if k.target else None
        if self.item.kind == "trend":
            label = target_label(target, k.unit, k.direction, lang) if k.target else ""
            return charts.trend(self.trend, x="yr", value_title=k.name(lang), unit=k.unit, title=self.title,
                                subtitle=self.subtitle,
                                target=target, target_label=label, lang=lang, x_title=t("col_year", lang))
        if self.item.kind == "forecast" and self.forecast is not None:
            label = target_label(target, k.unit, k.direction, lang) if k.target else ""
            return charts.forecast(self.actual, self.forecast[~self.forecast.suppressed], value_title=k.name(lang),
                                   unit=k.unit, title=self.title, subtitle=self.subtitle,
                                   series_labels=(t("fc_actual", lang), t("fc_forecast", lang)),
                                   band_labels=(t("fc_band80", lang), t("fc_band95", lang)), target=target,
                                   target_label=label, lang=lang, x_title=t("grain_month", lang))
        if self.item.kind == "regions":
            label = target_label(target, k.unit, k.direction, lang) if k.target else ""
            return charts.region_bars(self.regions.fillna({"value": 0}), label="name", value_title=k.name(lang),
                                      unit=k.unit, title=self.title, subtitle=self.subtitle, target=target,
                                      target_label=label, lang=lang)
        return None


@dataclass(frozen=True)
class PackMeta:
    title: str
    subtitle: str          # place and period
    version: int | None
    when: str
    lang: str = "fi"


# --- content: titles, captions and notes written from the KPI summary ---------------------------------
def make_slides(items: list[PackItem], filters: Filters, *, summary_of: Callable[[str], KPISummary],
                regions_of: Callable[[str], pd.DataFrame], municipality_names: dict[str, str], subtitle: str,
                lang: str = "fi", forecast_of: Callable[[str], dict] | None = None,
                verdict_of: Callable[[str], object] | None = None,
                child_budget_of: Callable[[], pd.DataFrame] | None = None,
                notes_of: Callable[[str], pd.DataFrame] | None = None) -> list[Slide]:
    """`subtitle` names the place and period ('Keski-Suomen hyvinvointialue · tammi–lokakuu 2026');
    `forecast_of(kpi id)` gives the stored forecast (metrics.forecast.kpi_forecast) for forecast items;
    `verdict_of(kpi id)` the target verdict (metrics.targets.verdict), the same words as on the pages;
    `child_budget_of()` the child-budget yearly series (metrics.child_budget.trend) for the child-budget item;
    `notes_of(kpi id)` analysts' notes on the KPI in this view (issue 15): those of the slide's period in the
    caption, every one in full in the speaker notes."""
    period = f"{month_window(filters.months, lang)} {filters.year}"
    slides = []
    for item in items:
        if item.kind == CHILD_BUDGET:
            if child_budget_of is not None and (cb_slide := child_budget_slide(item, child_budget_of(), filters,
                                                                               subtitle, period, lang)):
                slides.append(cb_slide)
            continue
        s = summary_of(item.kpi)
        k = s.kpi
        verdict = verdict_of(item.kpi) if verdict_of and k.targets else None
        caption = summary_caption(s, period, lang, verdict)
        trend = regions = actual = fc = None
        shown_period = None                             # the chart's own period, when it is not the filter's
        if item.kind == "forecast":
            title = t("fc_title", lang, name=k.name(lang))
            res = forecast_of(item.kpi) if forecast_of else {"model": None, "reason": "no_monthly"}
            if res["model"] is None:
                caption = caption + [t(f"fc_none_{res['reason']}", lang)]
                item = PackItem(item.kpi, "card")           # no forecast to draw: the card says why
            else:
                actual = res["actual"].dropna(subset=["value"]).tail(FORECAST_HISTORY)[["period", "value"]]
                fc = res["points"].head(FORECAST_HORIZON)
                caption = caption + forecast_caption(k, actual, res, fc, lang)
                shown_period = f"{actual.period.iloc[0]:%-m/%Y}–{fc.period.iloc[-1]:%-m/%Y}"   # noqa: E231
        elif item.kind == "trend":
            title = t("trend_title", lang, name=k.name(lang), months=month_window(filters.months, lang))
            # suppressed years stay in (value empty, labelled "<5") so a gap is never silent
            trend = s.series.assign(yr=lambda d: d.yr.astype(int)) if len(s.series) else \
                pd.DataFrame({"yr": [], "value": [], "suppressed": []})
            if len(trend):
                shown_period = f"{trend.yr.min()}–{trend.yr.max()}"
        elif item.kind == "regions":
            title = t("pack_regions_title", lang, name=k.name(lang), period=period)
            raw = regions_of(item.kpi)
            regions = raw.assign(
                name=[municipality_names.get(c, c) for c in raw.municipality_code],
                shown=[fmt_value(v, k.unit, lang, bool(sup)) for v, sup in zip(raw.value, raw.suppressed)])
            caption = caption + regions_caption(regions, lang)
        else:
            title = t("pack_card_title", lang, name=k.name(lang))
        caption = [line.replace("..", ".") for line in caption]   # "€/as." or "%-yks." already end a sentence
        notes = notes_of(item.kpi) if notes_of else None
        speaker = notes_text(k, lang)
        if notes is not None and len(notes):
            lo, hi = _shown_months(item.kind, filters, trend, actual, fc)
            caption = caption + annotations.caption_lines(notes, lang, lo, hi)
            speaker = "\n".join([speaker, *annotations.notes_lines(notes, lang)])
        slides.append(Slide(item, k, s, title, chart_subtitle(subtitle, period, shown_period), caption,
                            speaker, trend, regions, actual, fc))
    return slides


def _shown_months(kind: str, filters: Filters, trend, actual, fc) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The first and last month a slide shows: a trend's years, a forecast's months, else the filter's window."""
    if kind == "trend" and trend is not None and len(trend):
        return pd.Timestamp(year=int(trend.yr.min()), month=1, day=1), pd.Timestamp(year=int(trend.yr.max()),
                                                                                    month=12, day=1)
    if kind == "forecast" and actual is not None and len(actual):
        return pd.Timestamp(actual.period.iloc[0]), pd.Timestamp(fc.period.iloc[-1])
    a, b = filters.months
    return pd.Timestamp(year=filters.year, month=a, day=1), pd.Timestamp(year=filters.year, month=b, day=1)


def child_budget_slide(item: PackItem, series: pd.DataFrame, filters: Filters, subtitle: str, period: str,
                       lang: str) -> Slide | None:
    """Share of net cost to children (with its sensitivity band), € per child, the preventive share, each with
    its change from the previous year, and the waterfall from total cost to children; None without data."""
    from metrics import child_budget as cb
    rows = series[series.yr == filters.year]
    if not len(rows):
        return None
    now = rows.iloc[0]
    if bool(now.get("suppressed", False)):
        caption = [t("cap_suppressed", lang)]
    else:
        caption = [t("pack_cb_share", lang, share=fmt_value(now.child_share, "pct", lang),
                     low=fmt_value(now.child_share_low, "pct", lang), high=fmt_value(now.child_share_high, "pct", lang),
                     change=fmt_change(now.child_share_yoy_pp, "pct", lang)),
                   t("pack_cb_eur", lang, eur=fmt_value(now.eur_per_child, "eur", lang),
                     change=fmt_change(now.eur_per_child_yoy_pct, "eur", lang)),
                   t("pack_cb_prev", lang, share=fmt_value(now.preventive_share, "pct", lang),
                     change=fmt_change(now.preventive_share_yoy_pp, "pct", lang)),
                   t("pack_cb_total", lang, total=fmt_value(now.actual_eur, "eur", lang),
                     child=fmt_value(now.child_actual, "eur", lang))]
    caption = [line.replace("..", ".") for line in caption]
    notes = "\n".join([t("cb_method", lang), t("cb_keys_note", lang),
                       t("cb_band_note", lang, pct=int(cb.SENSITIVITY * 100)), t("suppressed_note", lang)])
    return Slide(item, None, None, t("pack_cb_title", lang, period=period), subtitle, caption, notes,
                 budget=None if bool(now.get("suppressed", False)) else cb.waterfall(now),
                 source=t("pack_cb_source", lang))


def chart_subtitle(subtitle: str, period: str, shown: str | None) -> str:
    """The place and the period the chart shows: a trend's years or a forecast's months replace the filter's."""
    if not shown:
        return subtitle
    if subtitle.endswith(period):
        return subtitle[: -len(period)] + shown
    return f"{subtitle} · {shown}"


def forecast_caption(k: KPI, actual: pd.DataFrame, res: dict, fc: pd.DataFrame, lang: str) -> list[str]:
    """Where the forecast ends (with its 80 % interval) and how the model was chosen (the target verdict is in
    the summary caption)."""
    end = fc.iloc[-1]
    sup = bool(end.suppressed)
    when = f"{end.period:%-m/%Y}"
    lines = [t("pack_fc_end", lang, when=when, value=fmt_value(end.value, k.unit, lang, sup),
               lo=fmt_value(end.lo80, k.unit, lang, sup), hi=fmt_value(end.hi80, k.unit, lang, sup))]
    bt = res["backtests"]
    chosen = bt[bt.model == res["model"]]
    naive = bt[bt.model == "seasonal_naive"]
    mape = lambda v: "–" if pd.isna(v) else f"{fmt_value(v, 'pct', lang)}"   # noqa: E731
    lines.append(t("pack_fc_model", lang, model=t(f"fc_model_{res['model']}", lang),
                   mape=mape(chosen.mape.iloc[0]) if len(chosen) else "–",
                   naive=mape(naive.mape.iloc[0]) if len(naive) else "–"))
    return lines


def summary_caption(s: KPISummary, period: str, lang: str, verdict=None) -> list[str]:
    k = s.kpi
    if s.suppressed:
        lines = [t("cap_suppressed", lang)]
    else:
        lines = [t("cap_value", lang, period=period[:1].upper() + period[1:],
                   value=fmt_value(s.value, k.unit, lang))]
        lines.append(t("cap_change", lang, change=fmt_change(s.change_yoy, k.unit, lang),
                       base=fmt_change(s.change_base, k.unit, lang)))
    if k.targets:
        lines.append(t("cap_verdict", lang, verdict=verdict_label(verdict, k, lang)))
    else:
        lines.append(t("cap_no_target", lang))
    return [line.replace("..", ".") for line in lines]   # "€/as." or "%-yks." already end the sentence


def regions_caption(regions: pd.DataFrame, lang: str) -> list[str]:
    shown = regions.dropna(subset=["value"]).sort_values("value")
    lines = []
    if len(shown):
        lines.append(t("cap_regions", lang, max_name=shown.name.iloc[-1], max=shown.shown.iloc[-1],
                       min_name=shown.name.iloc[0], min=shown.shown.iloc[0]))
    hidden = int(regions.suppressed.sum())
    if hidden:
        lines.append(t("cap_regions_hidden", lang, n=hidden))
    return lines


def notes_text(k: KPI, lang: str) -> str:
    parts = [t("notes_definition", lang, text=k.description(lang)), t("notes_source", lang, text=k.source_fi)]
    if k.target:
        base = fmt_value(k.baseline.value, k.unit, lang) if k.baseline else "–"
        parts.append(t("notes_target", lang, target=fmt_target(k.target.value, k.unit, k.direction, lang),
                       date=fmt_month(k.target.date),
                       baseline=base, direction=t(f"notes_direction_{k.direction}", lang)))
    parts.append(t("notes_privacy", lang, n=k.suppress_below))
    return "\n".join(parts)


# --- PowerPoint ---------------------------------------------------------------------------------------
def _locale_code(lang: str) -> str:
    """The number-format locale of a slide's charts: Finnish slides carry [$-40B] (fi-FI), English none."""
    return "" if lang == "en" else "[$-40B]"


def _number_format(unit: str, lang: str = "fi", axis: bool = False) -> str:
    """Chart number format; Finnish slides carry the Finnish locale in the code ([$-40B]: "1 234,5 %") so the
    numbers read the same on any computer; axis ticks are round numbers without decimals."""
    d = 0 if axis and unit != "index" else DECIMALS.get(unit, 1)
    core = "#,##0" + ("." + "0" * d if d else "")
    suffix = unit_suffix("eur" if unit == "eur_per_resident" else unit, lang)   # axis labels: plain €
    return _locale_code(lang) + core + (f'" {suffix}"' if suffix else "")


def _text(frame, lines: list[str], size: int, colour: str = charts.INK, bold: bool = False,
          space_after: int = 6) -> None:
    frame.word_wrap = True
    for i, line in enumerate(lines):
        p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        p.space_after = Pt(space_after)
        run = p.add_run()
        run.text = no_break(xml_text(line))
        run.font.size, run.font.bold, run.font.name = Pt(size), bold, PPT_FONT
        run.font.color.rgb = _rgb(colour)


def _values(values) -> list[float | None]:
    return [None if v is None or (isinstance(v, float) and math.isnan(v)) else round(float(v), 4) for v in values]


def text_lines(text: str, size: float, width_in: float, bold: bool = False) -> int:
    """How many lines `text` takes in a box `width_in` inches wide at `size` pt (measured with the bundled
    Inter, a little wider than Arial and its metric twin Liberation Sans, so the estimate errs on the safe side)."""
    from PIL import ImageFont
    font = ImageFont.truetype(str(export.FONTS_DIR / ("Inter-Bold.otf" if bold else "Inter-Regular.otf")), 100)
    room = width_in * 72 * 100 / size * 0.97          # points at 100 pt, less the box's inner margins
    lines, current = 1, ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if font.getlength(trial) <= room or not current:
            current = trial
        else:
            lines, current = lines + 1, word
    return lines


def title_layout(title: str) -> tuple[int, float]:
    """(font size, height in inches) of a slide title: 26 pt on one line; a longer title gets 22 pt and two
    lines, and the subtitle and the chart move down below it (never printed over it)."""
    for size in (26, 22, 20):
        n = text_lines(title, size, 12.1, bold=True)
        if n == 1 or (size < 26 and n == 2):
            return size, n * size * 1.25 / 72 + 0.15
    return 18, text_lines(title, 18, 12.1, bold=True) * 18 * 1.25 / 72 + 0.15


def nice_range(values: list[float], unit: str) -> tuple[float, float]:
    """A line chart's value axis: the data (and the target) with a margin, on round numbers; shares stay in
    0–100 %, and an axis that would reach below zero starts at zero."""
    vals = [v for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]
    if not vals:
        return 0.0, 1.0
    lo, hi = min(vals), max(vals)
    span = hi - lo or abs(hi) or 1.0
    step = 10 ** math.floor(math.log10(span / 4))
    for m in (1, 2, 2.5, 5, 10):
        if span / (step * m) <= 6:
            step *= m
            break
    low = math.floor((lo - span * 0.15) / step) * step
    high = math.ceil((hi + span * 0.15) / step) * step
    if lo >= 0:
        low = max(low, 0.0)
    if unit == "pct":
        low, high = max(low, 0.0), min(high, 100.0)
    if unit in ("count", "persons") and lo >= 0:      # counts and populations start at zero (as ui/charts.py)
        low = 0.0
    return float(low), float(high)


def _category_axis(chart, skip: int = 1, size: int | None = None) -> None:
    """Every `skip`-th category name, horizontal; python-pptx has no call for these, so the two elements
    (c:tickLblSkip, a:bodyPr rot) are set on the axis XML as the OOXML chart schema orders them."""
    ax = chart.category_axis
    if size:
        ax.tick_labels.font.size = Pt(size)
    else:
        ax.tick_labels.font.name = PPT_FONT
    body = _set_axis_xml(ax, (("c:tickLblSkip", str(skip)), ("c:tickMarkSkip", str(skip))),
                         ("c:noMultiLvlLbl", "c:extLst"))
    if body is not None:
        body.set("wrap", "none")                      # LibreOffice wraps a name to its slot's width otherwise


def _set_axis_xml(ax, values: tuple[tuple[str, str], ...], before: tuple[str, ...]):
    """Set axis elements python-pptx has no call for: each (tag, val) replaces any of its kind and goes before the
    first of `before` (the OOXML chart schema's order); the labels are made horizontal. Returns their a:bodyPr."""
    from pptx.oxml.ns import qn
    el = ax._element                                 # noqa: SLF001 - the axis's own XML element
    for tag, _ in values:
        for old in el.findall(qn(tag)):
            el.remove(old)
    anchor = next((c for c in el if c.tag in {qn(b) for b in before}), None)
    for tag, val in values:
        node = el.makeelement(qn(tag), {"val": val})
        if anchor is None:
            el.append(node)
        else:
            anchor.addprevious(node)
    body = el.find(qn("c:txPr") + "/" + qn("a:bodyPr"))
    if body is not None:
        body.set("rot", "0")
        body.set("vert", "horz")
    return body


def _month_axis(chart, every: int) -> None:
    """A date axis of months named every `every` months ('1/2026'), horizontal; the units are set on the axis
    XML (c:baseTimeUnit, c:majorUnit, c:majorTimeUnit, in the order of the OOXML chart schema)."""
    ax = chart.category_axis
    ax.tick_labels.number_format, ax.tick_labels.number_format_is_linked = "m/yyyy", False
    ax.tick_labels.font.name = PPT_FONT
    _set_axis_xml(ax, (("c:baseTimeUnit", "months"), ("c:majorUnit", str(every)), ("c:majorTimeUnit", "months")),
                  ("c:minorUnit", "c:minorTimeUnit", "c:extLst"))


def _embed(chart, categories: list, series: list[tuple[str, list]], num_format: str, lang: str,
           extra: tuple[str, list] | None = None) -> None:
    """The data behind "Edit data" written again through the one guarded writer (ui.sheets): names never
    become formulas, numbers are numbers in the chart's own format. Same layout as python-pptx's
    (Sheet1: categories in A from row 2, one column per series, its name in row 1), so the chart's
    references still point at the right cells."""
    book = sheets.Book(lang=lang)
    ws = book.wb.add_worksheet("Sheet1")
    ws.set_column(0, 0, max([10] + [len(str(c)) + 2 for c in categories]))
    for i, name in enumerate(categories, start=1):
        if isinstance(name, str):
            book.text(ws, i, 0, name)
        else:                                         # a month of a date axis
            book.cell(ws, i, 0, name, sheets.FORMATS["month"])
    for j, (name, values) in enumerate(series, start=1):
        book.text(ws, 0, j, name, book.head)
        ws.set_column(j, j, max(12, len(name) + 2))
        for i, v in enumerate(values, start=1):
            book.cell(ws, i, j, v, num_format)
    if extra:                                         # e.g. every month as a date, after the chart's columns
        j = len(series) + 1
        book.text(ws, 0, j, extra[0], book.head)
        ws.set_column(j, j, 12)
        for i, v in enumerate(extra[1], start=1):
            book.cell(ws, i, j, v, sheets.FORMATS["month"])
    chart.part.chart_workbook.update_from_xlsx_blob(book.close())


def _chart(slide, kind, box, categories: list[str], series: list[tuple[str, list]], num_format: str, lang: str,
           extra: tuple[str, list] | None = None):
    """A native chart: names drawn as they are (XML-safe); its sheet, written by the guarded writer, holds them
    neutralised like any spreadsheet text ('=1+1' is the text "'=1+1" there)."""
    categories = [xml_text(c) if isinstance(c, str) else c for c in categories]
    series = [(xml_text(n), v) for n, v in series]
    data = CategoryChartData(number_format=num_format)
    data.categories = categories
    if categories and not isinstance(categories[0], str):
        data.categories.number_format = "m/yyyy"
    for name, values in series:
        data.add_series(name, values)
    chart = slide.shapes.add_chart(kind, *box, data).chart
    _embed(chart, categories, series, num_format.replace("[$-40B]", ""), lang, extra)   # (neutralised there)
    return chart


def _axis(chart, unit: str, lang: str, low: float | None, high: float | None) -> None:
    va = chart.value_axis
    va.tick_labels.number_format, va.tick_labels.number_format_is_linked = _number_format(unit, lang, True), False
    va.has_major_gridlines = True
    va.major_gridlines.format.line.color.rgb = _rgb("#e5e8ec")
    if low is not None:
        va.minimum_scale = low
    if high is not None:
        va.maximum_scale = high


def add_native_chart(slide, s: Slide, lang: str, box) -> list:
    """Line chart (trend or forecast, a dashed and labelled target series, a stated value range) or bar
    charts (municipalities, from zero; a long list split into side-by-side charts so every name is shown).
    Returns the charts made."""
    if s.item.kind == CHILD_BUDGET:
        return [_waterfall_chart(slide, s, lang, box)]
    k = s.kpi
    fmt = _number_format(k.unit, lang)
    if s.item.kind == "regions":
        return _bar_charts(slide, s, lang, box, fmt)
    target_name = t("series_target", lang)
    if s.item.kind == "forecast":
        a, fc = s.actual, s.forecast
        df = pd.concat([a, fc], ignore_index=True)
        categories = [p.to_pydatetime().date() for p in df.period]     # a date axis: named every 3 months
        hidden = list(fc.suppressed)
        n_a = len(a)
        series = [(t("fc_actual", lang), _values(a.value) + [None] * len(fc)),
                  (t("fc_forecast", lang), [None] * (n_a - 1) + _values([a.value.iloc[-1]]) +
                   _values([None if h else v for v, h in zip(fc.value, hidden)]))]
        for col in ("lo80", "hi80"):
            series.append((t(f"fc_col_{col}", lang), [None] * n_a + _values([None if h else v for v, h
                                                                             in zip(fc[col], hidden)])))
    else:
        df = s.trend
        categories = [f"{y}" + (f" ({SUPPRESSED})" if sup else "") for y, sup in zip(df.yr, df.suppressed)]
        series = [(k.name(lang), _values(df.value))]
    if k.target:
        series.append((target_name, [k.target.value] * len(df)))
    chart = _chart(slide, XL_CHART_TYPE.LINE_MARKERS, box, categories, series, fmt, lang)
    chart.font.name, chart.font.size = PPT_FONT, Pt(11)
    chart.has_title = False
    low, high = nice_range([v for _, vals in series for v in vals], k.unit)
    _axis(chart, k.unit, lang, low, high)
    plot = chart.plots[0]
    first = plot.series[0]
    first.format.line.color.rgb = _rgb(charts.PRIMARY)
    first.format.line.width = Pt(2.5)
    first.marker.format.fill.solid()
    first.marker.format.fill.fore_color.rgb = _rgb(charts.PRIMARY)
    if s.item.kind == "forecast":
        _style_forecast_series(plot.series)
        _month_axis(chart, every=3)
    else:
        _category_axis(chart)
    chart.has_legend = True
    chart.legend.position, chart.legend.include_in_layout = XL_LEGEND_POSITION.BOTTOM, False
    chart.legend.font.size = Pt(11)
    if k.target:
        tgt = plot.series[-1]
        tgt.format.line.color.rgb = _rgb(charts.TARGET)
        tgt.format.line.dash_style = MSO_LINE_DASH_STYLE.DASH
        tgt.format.line.width = Pt(2)
        tgt.marker.style = XL_MARKER_STYLE.NONE
        label = tgt.points[len(df) - 1].data_label      # the line says what it is, at its right end
        label.has_text_frame = True
        label.text_frame.text = xml_text(target_label(k.target.value, k.unit, k.direction, lang))
        label.position = XL_LABEL_POSITION.ABOVE if k.direction != "lower" else XL_LABEL_POSITION.BELOW
        label.font.size, label.font.bold = Pt(11), True
        label.font.color.rgb = _rgb(charts.TARGET)
    if s.item.kind != "forecast":        # 36 months: labels would hide the lines; the table has the numbers
        first.data_labels.show_value = True
        labels = first.data_labels
        labels.number_format, labels.number_format_is_linked = fmt, False
        labels.font.size = Pt(10)
        labels.position = XL_LABEL_POSITION.ABOVE
    return [chart]


def _bar_charts(slide, s: Slide, lang: str, box, fmt: str) -> list:
    k = s.kpi
    df = s.regions.assign(order=lambda d: d.value.fillna(-math.inf)).sort_values("order", ascending=False)
    n = len(df)
    columns = max(1, math.ceil(n / BARS_PER_COLUMN))
    per = math.ceil(n / columns) if n else 0
    left, top, width, height = box
    gap = Inches(0.15)
    w = int((width - gap * (columns - 1)) / columns)
    high = max([v for v in df.value if v is not None and v == v] + ([k.target.value] if k.target else []) + [0])
    _, high = nice_range([0, high], k.unit) if high > 0 else (0, 1)
    size = 11 if per <= 16 else 10 if per <= 22 else 8
    made = []
    for c in range(columns):
        part = df.iloc[c * per:(c + 1) * per].iloc[::-1]       # PowerPoint draws the first category lowest
        if not len(part):
            continue
        categories = [f"{n_}" + (f" ({SUPPRESSED})" if sup else "") for n_, sup in zip(part.name, part.suppressed)]
        chart = _chart(slide, XL_CHART_TYPE.BAR_CLUSTERED, (left + c * (w + gap), top, w, height), categories,
                       [(k.name(lang), _values(part.value))], fmt, lang)
        chart.font.name, chart.font.size = PPT_FONT, Pt(size)
        chart.has_title = False
        chart.has_legend = False
        _axis(chart, k.unit, lang, 0.0, high)           # bars start at zero, the same scale side by side
        _category_axis(chart, size=size)
        plot = chart.plots[0]
        plot.gap_width = 40
        series = plot.series[0]
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = _rgb(charts.PRIMARY)
        plot.has_data_labels = True
        labels = plot.data_labels
        labels.number_format, labels.number_format_is_linked = fmt, False
        labels.font.size = Pt(size)
        labels.position = XL_LABEL_POSITION.OUTSIDE_END
        made.append(chart)
    return made


def _waterfall_chart(slide, s: Slide, lang: str, box):
    """From total net cost to children as a native stacked bar: an invisible start and the step itself, each
    step named in words and symbols (never by colour alone) and its amount printed, from zero."""
    from .child_budget import TARGET_STYLE
    colours = {"total": charts.PRIMARY, "not_targeted": TARGET_STYLE["not_targeted"][0], "partial_other": "#c9a227",
               "partial_child": TARGET_STYLE["partial"][0], "direct": TARGET_STYLE["direct"][0]}
    steps = s.budget.iloc[::-1]                      # PowerPoint draws the first category lowest
    fmt = _locale_code(lang) + f'#,##0.0,," {t("unit_sfx_meur", lang)}"'
    # the amount is part of each name: a data label would not fit inside a short bar
    names = [f"{t('cb_step_' + x, lang)}: {fmt_value(abs(a), 'eur', lang)}" for x, a in
             zip(steps.step, steps.end - steps.start)]
    chart = _chart(slide, XL_CHART_TYPE.BAR_STACKED, box, names,
                   [(t("pack_cb_base", lang), _values(steps[["start", "end"]].min(axis=1))),
                    (t("pack_cb_amount", lang), _values((steps.end - steps.start).abs()))], fmt, lang)
    chart.font.name, chart.font.size = PPT_FONT, Pt(12)
    chart.has_title, chart.has_legend = False, False
    top = float(steps.end.max())
    _, high = nice_range([0, top], "eur")
    _axis(chart, "eur", lang, 0.0, high)
    chart.value_axis.major_unit = next(st for st in (m * 10 ** math.floor(math.log10(high / 4))
                                                     for m in (1, 2, 2.5, 5, 10)) if high / st <= 6)
    chart.value_axis.tick_labels.number_format = fmt.replace("0.0,,", "0,,")
    _category_axis(chart, size=12)
    _horizontal(chart.value_axis)
    plot = chart.plots[0]
    plot.gap_width = 50
    base, amount = plot.series
    base.format.fill.background()                    # the start is only room, not a bar
    base.format.line.fill.background()
    for i, step in enumerate(steps.step):
        point = amount.points[i]
        point.format.fill.solid()
        point.format.fill.fore_color.rgb = _rgb(colours[step])
    return chart


def _horizontal(axis) -> None:
    """Tick labels upright and unwrapped (LibreOffice turns crowded ones 45° otherwise)."""
    from pptx.oxml.ns import qn
    axis.tick_labels.font.name = PPT_FONT
    body = axis._element.find(qn("c:txPr") + "/" + qn("a:bodyPr"))   # noqa: SLF001 - the axis's own XML
    if body is not None:
        body.set("rot", "0")
        body.set("vert", "horz")
        body.set("wrap", "none")


def _style_forecast_series(series) -> None:
    """Forecast dashed with open diamonds, the 80 % limits thin and dotted: told apart without colour."""
    fc, lo, hi = series[1], series[2], series[3]
    fc.format.line.color.rgb = _rgb(charts.PRIMARY)
    fc.format.line.width = Pt(2.5)
    fc.format.line.dash_style = MSO_LINE_DASH_STYLE.DASH
    fc.marker.style = XL_MARKER_STYLE.DIAMOND
    fc.marker.format.fill.solid()
    fc.marker.format.fill.fore_color.rgb = _rgb("#ffffff")
    for band in (lo, hi):
        band.format.line.color.rgb = _rgb("#6f9fcf")
        band.format.line.width = Pt(1.25)
        band.format.line.dash_style = MSO_LINE_DASH_STYLE.ROUND_DOT
        band.marker.style = XL_MARKER_STYLE.NONE


def chart_png(s: Slide, lang: str, width: int = 800, height: int = 440, scale: int = 2) -> bytes:
    top, body, _, _ = export.split_spec(s.chart(lang), width=width, height=height)
    return export.to_png({**top, **body, "padding": 8}, scale=scale, dpi=96 * scale)


def bar_column_pngs(s: Slide, lang: str, scale: int = 2) -> list[bytes]:
    """A long list of municipalities as pictures side by side (like the native charts): every name at a
    readable size, one value scale from zero."""
    df = s.regions.assign(order=lambda d: d.value.fillna(-math.inf)).sort_values("order", ascending=False)
    columns = math.ceil(len(df) / BARS_PER_COLUMN)
    per = math.ceil(len(df) / columns)
    values = [v for v in df.value if v == v] + ([s.kpi.target.value] if s.kpi.target else [])
    _, high = nice_range([0, max(values + [0])], s.kpi.unit)
    out = []
    for c in range(columns):
        part = dataclasses.replace(s, regions=df.iloc[c * per:(c + 1) * per].drop(columns="order"))
        top, body, _, _ = export.split_spec(part.chart(lang), width=330)
        for layer in body.get("layer", []):
            x = layer.get("encoding", {}).get("x", {})
            if x.get("field") == "value":
                x["scale"] = {"domain": [0, high], "zero": True}
            y = layer.get("encoding", {}).get("y", {})
            if isinstance(y.get("axis"), dict):
                y["axis"]["labelLimit"] = 170            # both pictures the same width: a long name is cut
            if isinstance(layer.get("mark"), dict) and layer["mark"].get("type") == "text":
                layer["mark"]["fontSize"] = 14
        config = top.setdefault("config", {})
        config["axis"] = {**config.get("axis", {}), "labelFontSize": 14, "titleFontSize": 13}
        out.append(export.to_png({**top, **body, "padding": 8}, scale=scale, dpi=96 * scale))
    return out


def _place(shape, left, top, width, height) -> None:
    shape.left, shape.top, shape.width, shape.height = left, top, width, height


def build_pptx(slides: list[Slide], meta: PackMeta, pictures: bool = False) -> bytes:
    """Title slide, then one slide per item; `pictures` puts high-resolution images instead of native charts.
    Every placeholder and box gets its full position; a title that wraps moves the subtitle and the chart down."""
    lang = meta.lang
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    first = prs.slides.add_slide(prs.slide_layouts[0])
    size, title_h = 40, 1.0
    if text_lines(meta.title, 40, 11.7, bold=True) > 1:
        size = 32
        title_h = text_lines(meta.title, 32, 11.7, bold=True) * 32 * 1.2 / 72 + 0.2
    _place(first.shapes.title, Inches(0.8), Inches(1.6), SLIDE_W - Inches(1.6), Inches(title_h))
    first.shapes.title.text_frame.clear()
    _text(first.shapes.title.text_frame, [meta.title], size, bold=True)
    sub = first.placeholders[1]
    _place(sub, Inches(0.8), Inches(1.6 + title_h + 0.3), SLIDE_W - Inches(1.6), Inches(1.4))
    sub.text_frame.clear()
    _text(sub.text_frame, [meta.subtitle, t("pack_made", lang, version=meta.version, at=meta.when)], 20,
          charts.MUTED)
    for shape in (first.shapes.title, sub):
        shape.text_frame.vertical_anchor = 1          # top: the text stays where its box is
        for p in shape.text_frame.paragraphs:
            p.alignment = 1                           # left
    first.notes_slide.notes_text_frame.text = xml_text("\n".join(f"{i}. {s.title}" for i, s in enumerate(slides, 1)))
    for s in slides:
        slide = prs.slides.add_slide(prs.slide_layouts[5])
        title = slide.shapes.title
        t_size, t_h = title_layout(s.title)
        _place(title, Inches(0.5), Inches(0.25), Inches(12.3), Inches(t_h))
        title.text_frame.vertical_anchor = 1
        _text(title.text_frame, [s.title], t_size, bold=True)
        title.text_frame.paragraphs[0].alignment = 1  # left
        sub_top = 0.25 + t_h + 0.05
        sub = slide.shapes.add_textbox(Inches(0.5), Inches(sub_top), Inches(12.3), Inches(0.4))
        _text(sub.text_frame, [s.subtitle], 14, charts.MUTED)
        body_top = sub_top + 0.5
        if s.item.kind == "card" or (s.item.kind == CHILD_BUDGET and s.budget is None):
            big = slide.shapes.add_textbox(Inches(0.8), Inches(body_top + 0.3), Inches(11.5), Inches(1.3))
            big_value = fmt_value(s.summary.value, s.kpi.unit, lang, s.summary.suppressed) if s.kpi else SUPPRESSED
            _text(big.text_frame, [big_value], 66,
                  charts.PRIMARY, bold=True)
            body = slide.shapes.add_textbox(Inches(0.8), Inches(body_top + 1.9), Inches(11.5),
                                            Inches(6.8 - body_top - 1.9))
            _text(body.text_frame, s.caption, 20 if body_top < 1.6 else 18, space_after=10)
        else:
            box = (Inches(0.4), Inches(body_top), Inches(8.7), Inches(6.85 - body_top))
            if pictures and s.item.kind == "regions" and len(s.regions) > BARS_PER_COLUMN:
                pngs = bar_column_pngs(s, lang)
                w = int(box[2] / len(pngs))
                for i, png in enumerate(pngs):
                    pic = slide.shapes.add_picture(io.BytesIO(png), box[0] + i * w, box[1], width=w)
                    fit = min(1.0, box[3] / pic.height)
                    pic.width, pic.height = int(pic.width * fit), int(pic.height * fit)
            elif pictures:
                pic = slide.shapes.add_picture(io.BytesIO(chart_png(s, lang)), box[0], box[1], width=box[2])
                if pic.height > box[3]:                   # a tall chart: fit the height instead
                    pic.width, pic.height = int(pic.width * box[3] / pic.height), box[3]
            else:
                add_native_chart(slide, s, lang, box)
            cap = slide.shapes.add_textbox(Inches(9.3), Inches(body_top + 0.1), Inches(3.6),
                                           Inches(6.8 - body_top - 0.1))
            _text(cap.text_frame, s.caption, 15 if len(" ".join(s.caption)) < 420 else 13, space_after=10)
        foot = slide.shapes.add_textbox(Inches(0.5), Inches(6.95), Inches(12.3), Inches(0.35))
        _text(foot.text_frame, [export.footer_text(s.source_text, lang, meta.when, meta.version)], 10,
              charts.MUTED)
        slide.notes_slide.notes_text_frame.text = xml_text(s.notes)
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


# --- PDF: the same slides rendered with vl-convert (Inter embedded), one 16:9 page each --------------
def _config(lang: str) -> dict:
    return {"font": charts.FONT, "background": "white", "view": {"stroke": None}, "locale": charts.locale(lang)}


def _head(title: str, subtitle: str, size: int = 24) -> dict:
    return {"text": title, "subtitle": subtitle, "anchor": "start", "fontSize": size, "fontWeight": "bold",
            "color": charts.INK, "subtitleFontSize": 15, "subtitleColor": charts.MUTED, "subtitlePadding": 8,
            "offset": 16}


def _wrap(lines: list[str], width: int) -> list[str]:
    return [w for line in lines for w in (textwrap.wrap(no_break(line), width) or [""]) + [""]][:-1]


def page_spec(s: Slide, meta: PackMeta) -> dict:
    lang = meta.lang
    footer = export.footer_text(s.source_text, lang, meta.when, meta.version)
    if s.item.kind == "card" or (s.item.kind == CHILD_BUDGET and s.budget is None):
        value = fmt_value(s.summary.value, s.kpi.unit, lang, s.summary.suppressed) if s.kpi else SUPPRESSED
        content = {"vconcat": [export.text_block([value], 1100, 64, charts.PRIMARY, bold=True),
                               export.text_block(_wrap(s.caption, 90), 1100, 20, charts.INK)]}
        top = {"config": _config(lang)}
    else:
        n = len(s.regions) if s.regions is not None else 0
        height = 400 if n <= 25 else 14 * n
        top, body, _, _ = export.split_spec(s.chart(lang), width=780, height=height)
        content = {"hconcat": [body, export.text_block(_wrap(s.caption, 34), 300, 15, charts.INK)]}
    foot = {"text": footer, "orient": "bottom", "anchor": "start", "frame": "bounds", "fontSize": 11,
            "fontWeight": "normal", "color": charts.MUTED, "offset": 18}
    config = top.pop("config", _config(lang))
    config.setdefault("concat", {})["spacing"] = 30
    return {**top, "config": config, "title": _head(s.title, s.subtitle), "padding": 36,
            "vconcat": [{**content, "title": foot}]}


def title_page_spec(slides: list[Slide], meta: PackMeta) -> dict:
    lang = meta.lang
    lines = [f"{i}. {s.title}" for i, s in enumerate(slides, 1)][:14]
    return {"config": _config(lang), "padding": 48,
            "title": {**_head(meta.title, [meta.subtitle, t("pack_made", lang, version=meta.version, at=meta.when)], 44),
                      "subtitleFontSize": 22, "subtitlePadding": 14},
            "vconcat": [export.text_block([t("pack_contents", lang)], 1000, 22, charts.INK, bold=True),
                        export.text_block(lines, 1000, 19, charts.INK)]}


def build_pdf(slides: list[Slide], meta: PackMeta) -> bytes:
    """Each page rendered as vector PDF, then fitted and centred on a 16:9 page and merged (pypdf)."""
    from pypdf import PdfReader, PdfWriter, Transformation
    from pypdf.generic import RectangleObject

    specs = [title_page_spec(slides, meta)] + [page_spec(s, meta) for s in slides]
    with ThreadPoolExecutor(max_workers=PDF_WORKERS) as pool:   # vl-convert renders outside the GIL
        rendered = list(pool.map(export.to_pdf, specs))
    writer = PdfWriter()
    for pdf in rendered:
        page = writer.add_page(PdfReader(io.BytesIO(pdf)).pages[0])
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        scale = min(PDF_W / w, PDF_H / h)
        dx, dy = (PDF_W - w * scale) / 2, (PDF_H - h * scale) / 2
        page.add_transformation(Transformation().scale(scale, scale).translate(dx, dy))
        page.mediabox = RectangleObject([0, 0, PDF_W, PDF_H])
        page.cropbox = RectangleObject([0, 0, PDF_W, PDF_H])
    writer.add_metadata({"/Title": xml_text(meta.title), "/Subject": xml_text(meta.subtitle)})
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()
