"""Board pack for the county board: a 16:9 PowerPoint with native, editable charts and a PDF of the same.

Each item is one KPI shown as a yearly trend, a municipality comparison, a card or its monthly forecast;
captions are written from the KPI summary and the target status, speaker notes carry the definition.
"""
from __future__ import annotations

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

from . import charts, export
from .format import DECIMALS, SUPPRESSED, fmt_change, fmt_value, unit_suffix
from .i18n import month_window, t
from .safe import xml_text
from .verdict import verdict_label

KINDS = ("trend", "regions", "card", "forecast")
FORECAST_HISTORY, FORECAST_HORIZON = 24, 12   # months of actuals and of forecast on a slide
SLIDE_W, SLIDE_H = Emu(12192000), Emu(6858000)   # exactly 16:9, as PowerPoint makes it
PPT_FONT = "Arial"          # present on every PowerPoint install; the PDF uses the bundled Inter
PDF_WORKERS = min(4, os.cpu_count() or 1)
PDF_W, PDF_H = 960, 540     # points: the same 13.333 × 7.5 in page as the slides


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


@dataclass(frozen=True)
class PackItem:
    kpi: str
    kind: str


@dataclass
class Slide:
    item: PackItem
    kpi: KPI
    summary: KPISummary
    title: str
    subtitle: str
    caption: list[str]
    notes: str
    trend: pd.DataFrame | None = None      # yr, value, suppressed
    regions: pd.DataFrame | None = None    # name, value, suppressed, shown
    actual: pd.DataFrame | None = None     # forecast slides: period, value (the last months)
    forecast: pd.DataFrame | None = None   # period, value, lo80, hi80, lo95, hi95, suppressed

    def chart(self, lang: str):
        """The same Altair chart the app draws (used for pictures and for the PDF pages)."""
        k = self.kpi
        target = k.target.value if k.target else None
        if self.item.kind == "trend":
            label = f"{t('target', lang)} {fmt_value(target, k.unit, lang)}" if k.target else ""
            return charts.trend(self.trend, x="yr", value_title=k.name(lang), unit=k.unit, title=self.title,
                                subtitle=self.subtitle,
                                target=target, target_label=label, lang=lang, x_title=t("col_year", lang))
        if self.item.kind == "forecast" and self.forecast is not None:
            label = f"{t('target', lang)} {fmt_value(target, k.unit, lang)}" if k.target else ""
            return charts.forecast(self.actual, self.forecast[~self.forecast.suppressed], value_title=k.name(lang),
                                   unit=k.unit, title=self.title, subtitle=self.subtitle,
                                   series_labels=(t("fc_actual", lang), t("fc_forecast", lang)),
                                   band_labels=(t("fc_band80", lang), t("fc_band95", lang)), target=target,
                                   target_label=label, lang=lang, x_title=t("grain_month", lang))
        if self.item.kind == "regions":
            return charts.region_bars(self.regions.fillna({"value": 0}), label="name", value_title=k.name(lang),
                                      unit=k.unit, title=self.title, subtitle=self.subtitle, target=target,
                                      lang=lang)
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
                verdict_of: Callable[[str], object] | None = None) -> list[Slide]:
    """`subtitle` names the place and period ('Keski-Suomen hyvinvointialue · tammi–lokakuu 2026');
    `forecast_of(kpi id)` gives the stored forecast (metrics.forecast.kpi_forecast) for forecast items;
    `verdict_of(kpi id)` the target verdict (metrics.targets.verdict), the same words as on the pages."""
    period = f"{month_window(filters.months, lang)} {filters.year}"
    slides = []
    for item in items:
        s = summary_of(item.kpi)
        k = s.kpi
        verdict = verdict_of(item.kpi) if verdict_of and k.targets else None
        caption = summary_caption(s, period, lang, verdict)
        trend = regions = actual = fc = None
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
        elif item.kind == "trend":
            title = t("trend_title", lang, name=k.name(lang), months=month_window(filters.months, lang))
            # suppressed years stay in (value empty, labelled "<5") so a gap is never silent
            trend = s.series.assign(yr=lambda d: d.yr.astype(int)) if len(s.series) else \
                pd.DataFrame({"yr": [], "value": [], "suppressed": []})
        elif item.kind == "regions":
            title = t("pack_regions_title", lang, name=k.name(lang), period=period)
            raw = regions_of(item.kpi)
            regions = raw.assign(
                name=[municipality_names.get(c, c) for c in raw.municipality_code],
                shown=[fmt_value(v, k.unit, lang, bool(sup)) for v, sup in zip(raw.value, raw.suppressed)])
            caption = caption + regions_caption(regions, lang)
        else:
            title = t("pack_card_title", lang, name=k.name(lang))
        slides.append(Slide(item, k, s, title, subtitle, caption, notes_text(k, lang), trend, regions, actual, fc))
    return slides


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
        parts.append(t("notes_target", lang, target=fmt_value(k.target.value, k.unit, lang), date=k.target.date,
                       baseline=base, direction=t(f"notes_direction_{k.direction}", lang)))
    parts.append(t("notes_privacy", lang, n=k.suppress_below))
    return "\n".join(parts)


# --- PowerPoint ---------------------------------------------------------------------------------------
def _number_format(unit: str, lang: str = "fi") -> str:
    d = DECIMALS.get(unit, 1)
    core = "#,##0" + ("." + "0" * d if d else "")
    suffix = unit_suffix("eur" if unit == "eur_per_resident" else unit, lang)   # axis labels: plain €
    return core + (f'" {suffix}"' if suffix else "")


def _text(frame, lines: list[str], size: int, colour: str = charts.INK, bold: bool = False,
          space_after: int = 6) -> None:
    frame.word_wrap = True
    for i, line in enumerate(lines):
        p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        p.space_after = Pt(space_after)
        run = p.add_run()
        run.text = xml_text(line)
        run.font.size, run.font.bold, run.font.name = Pt(size), bold, PPT_FONT
        run.font.color.rgb = _rgb(colour)


def _values(values) -> list[float | None]:
    return [None if v is None or (isinstance(v, float) and math.isnan(v)) else round(float(v), 4) for v in values]


def add_native_chart(slide, s: Slide, lang: str, box) -> object:
    """Line chart (trend, with a dashed target series) or bar chart (municipalities), data embedded."""
    k = s.kpi
    data = CategoryChartData(number_format=_number_format(k.unit, lang))
    if s.item.kind == "forecast":
        a, fc = s.actual, s.forecast
        df = pd.concat([a, fc], ignore_index=True)
        data.categories = [f"{p:%-m/%Y}" for p in df.period]
        hidden = list(fc.suppressed)
        n_a = len(a)
        data.add_series(t("fc_actual", lang), _values(a.value) + [None] * len(fc))
        data.add_series(t("fc_forecast", lang), [None] * (n_a - 1) + _values([a.value.iloc[-1]]) +
                        _values([None if h else v for v, h in zip(fc.value, hidden)]))
        for col in ("lo80", "hi80"):
            data.add_series(t(f"fc_col_{col}", lang), [None] * n_a + _values([None if h else v for v, h
                                                                              in zip(fc[col], hidden)]))
        if k.target:
            data.add_series(t("series_target", lang), [k.target.value] * len(df))
        kind = XL_CHART_TYPE.LINE_MARKERS
    elif s.item.kind == "trend":
        df = s.trend
        data.categories = [f"{y}" + (f" ({SUPPRESSED})" if sup else "") for y, sup in zip(df.yr, df.suppressed)]
        data.add_series(xml_text(k.name(lang)), _values(df.value))
        if k.target:
            data.add_series(t("series_target", lang), [k.target.value] * len(df))
        kind = XL_CHART_TYPE.LINE_MARKERS
    else:
        df = s.regions.assign(order=lambda d: d.value.fillna(-math.inf)).sort_values("order")
        data.categories = [xml_text(n) + (f" ({SUPPRESSED})" if sup else "") for n, sup in zip(df.name, df.suppressed)]
        data.add_series(xml_text(k.name(lang)), _values(df.value))
        kind = XL_CHART_TYPE.BAR_CLUSTERED
    chart = slide.shapes.add_chart(kind, *box, data).chart
    chart.font.name, chart.font.size = PPT_FONT, Pt(11 if len(df) <= 25 else 8)
    chart.has_title = False
    va = chart.value_axis
    va.tick_labels.number_format, va.tick_labels.number_format_is_linked = _number_format(k.unit, lang), False
    va.has_major_gridlines = True
    va.major_gridlines.format.line.color.rgb = _rgb("#e5e8ec")
    series = chart.plots[0].series[0]
    if kind == XL_CHART_TYPE.LINE_MARKERS:
        series.format.line.color.rgb = _rgb(charts.PRIMARY)
        series.format.line.width = Pt(2.5)
        series.marker.format.fill.solid()
        series.marker.format.fill.fore_color.rgb = _rgb(charts.PRIMARY)
        if s.item.kind == "forecast":
            _style_forecast_series(chart.plots[0].series)
        if k.target:
            tgt = chart.plots[0].series[-1]
            tgt.format.line.color.rgb = _rgb(charts.TARGET)
            tgt.format.line.dash_style = MSO_LINE_DASH_STYLE.DASH
            tgt.marker.style = XL_MARKER_STYLE.NONE
        chart.has_legend = True
        chart.legend.position, chart.legend.include_in_layout = XL_LEGEND_POSITION.BOTTOM, False
    else:
        chart.plots[0].gap_width = 40
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = _rgb(charts.PRIMARY)
        chart.has_legend = False
    plot = chart.plots[0]
    if s.item.kind == "forecast":            # 36 months: labels would hide the lines; the table has the numbers
        return chart
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.number_format, labels.number_format_is_linked = _number_format(k.unit, lang), False
    labels.font.size = Pt(10 if len(df) <= 25 else 7)
    labels.position = XL_LABEL_POSITION.ABOVE if kind == XL_CHART_TYPE.LINE_MARKERS else XL_LABEL_POSITION.OUTSIDE_END
    if kind == XL_CHART_TYPE.LINE_MARKERS and k.target:
        chart.plots[0].series[1].data_labels.show_value = False
    return chart


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


def build_pptx(slides: list[Slide], meta: PackMeta, pictures: bool = False) -> bytes:
    """Title slide, then one slide per item; `pictures` puts high-resolution images instead of native charts."""
    lang = meta.lang
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    first = prs.slides.add_slide(prs.slide_layouts[0])
    first.shapes.title.text = xml_text(meta.title)
    first.placeholders[1].text = xml_text(f"{meta.subtitle}\n{t('pack_made', lang, version=meta.version, at=meta.when)}")
    for shape in (first.shapes.title, first.placeholders[1]):
        shape.left, shape.width = Inches(0.8), SLIDE_W - Inches(1.6)
        for p in shape.text_frame.paragraphs:
            for r in p.runs:
                r.font.name = PPT_FONT
    first.notes_slide.notes_text_frame.text = xml_text("\n".join(f"{i}. {s.title}" for i, s in enumerate(slides, 1)))
    for s in slides:
        slide = prs.slides.add_slide(prs.slide_layouts[5])
        title = slide.shapes.title
        title.left, title.top, title.width, title.height = Inches(0.5), Inches(0.25), Inches(12.3), Inches(0.8)
        _text(title.text_frame, [s.title], 26, bold=True)
        title.text_frame.paragraphs[0].alignment = 1  # left
        sub = slide.shapes.add_textbox(Inches(0.5), Inches(1.0), Inches(12.3), Inches(0.4))
        _text(sub.text_frame, [s.subtitle], 14, charts.MUTED)
        if s.item.kind == "card":
            big = slide.shapes.add_textbox(Inches(0.8), Inches(1.9), Inches(11.5), Inches(1.6))
            _text(big.text_frame, [fmt_value(s.summary.value, s.kpi.unit, lang, s.summary.suppressed)], 66,
                  charts.PRIMARY, bold=True)
            body = slide.shapes.add_textbox(Inches(0.8), Inches(3.7), Inches(11.5), Inches(2.8))
            _text(body.text_frame, s.caption, 20, space_after=10)
        else:
            box = (Inches(0.5), Inches(1.5), Inches(8.6), Inches(5.3))
            if pictures:
                slide.shapes.add_picture(io.BytesIO(chart_png(s, lang)), box[0], box[1], width=box[2])
            else:
                add_native_chart(slide, s, lang, box)
            cap = slide.shapes.add_textbox(Inches(9.3), Inches(1.7), Inches(3.6), Inches(5.0))
            _text(cap.text_frame, s.caption, 15, space_after=10)
        foot = slide.shapes.add_textbox(Inches(0.5), Inches(6.95), Inches(12.3), Inches(0.35))
        _text(foot.text_frame, [export.footer_text(s.kpi.source_fi, lang, meta.when, meta.version)], 10,
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
    return [w for line in lines for w in (textwrap.wrap(line, width) or [""]) + [""]][:-1]


def page_spec(s: Slide, meta: PackMeta) -> dict:
    lang = meta.lang
    footer = export.footer_text(s.kpi.source_fi, lang, meta.when, meta.version)
    if s.item.kind == "card":
        value = fmt_value(s.summary.value, s.kpi.unit, lang, s.summary.suppressed)
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
