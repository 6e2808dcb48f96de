"""Board-ready chart snapshots rendered on the server (vl-convert, bundled fonts, no browser, no network)."""
from __future__ import annotations

import copy
import datetime as dt
import re
import threading
import unicodedata
from pathlib import Path

import altair as alt
import vl_convert as vlc

from .charts import MUTED
from .i18n import t
from .safe import xml_deep

FONTS_DIR = Path(__file__).resolve().parent.parent / "assets" / "fonts"
EXPORT_WIDTH = 760          # px at scale 1; container-width charts get this width in a file
PNG_SCALE = 3               # 2280 px wide: crisp on a projector and in print
PNG_DPI = 300
_fonts_lock = threading.Lock()
_fonts_done = False


def ensure_fonts() -> None:
    """Register the bundled Inter once per process, so every export uses the same glyphs everywhere."""
    global _fonts_done
    with _fonts_lock:
        if not _fonts_done:
            vlc.register_font_directory(str(FONTS_DIR))
            _fonts_done = True


def stamp(now: dt.datetime | None = None, lang: str = "fi") -> str:
    now = now or dt.datetime.now()
    return now.strftime(t("stamp_format", lang))


def footer_text(source: str, lang: str, when: str, version: int | None = None) -> str:
    """'Lähde: … · Tietoversio 3 · Tulostettu 25.11.2026 klo 14.05', drawn under every exported chart."""
    parts = [f"{t('source', lang)}: {source}"] if source else []
    if version is not None:
        parts.append(t("export_version", lang, version=version))
    parts.append(t("export_printed", lang, at=when))
    return " · ".join(parts)


def spec_of(chart: alt.TopLevelMixin | dict) -> dict:
    return copy.deepcopy(chart) if isinstance(chart, dict) else chart.to_dict()


def chart_title(spec: dict) -> tuple[str, str]:
    """(title, subtitle) as the chart itself carries them; used when a page gives no export title."""
    title = spec.get("title") or ""
    if isinstance(title, dict):
        sub = title.get("subtitle") or ""
        return _text(title.get("text")), _text(sub)
    return _text(title), ""


def _text(x) -> str:
    if isinstance(x, list):
        return " ".join(str(p) for p in x)
    return str(x or "")


def _fix_width(spec: dict, width: int, height: int | None) -> None:
    """Files cannot stretch to a container: give every 'container' width a number (also in layers)."""
    if spec.get("width") in (None, "container") and ("layer" in spec or "mark" in spec):
        spec["width"] = width
    if height is not None and ("layer" in spec or "mark" in spec):
        spec["height"] = height
    for key in ("layer", "vconcat", "hconcat", "concat"):
        for sub in spec.get(key, []) or []:
            if sub.get("width") == "container":
                sub["width"] = width


def split_spec(chart: alt.TopLevelMixin | dict, width: int = EXPORT_WIDTH,
               height: int | None = None) -> tuple[dict, dict, str, str]:
    """(top-level keys, the chart body without title and with a numeric width, title, subtitle)."""
    spec = spec_of(chart)
    title, subtitle = chart_title(spec)
    top = {k: spec.pop(k) for k in ("$schema", "config", "datasets") if k in spec}
    spec.pop("title", None)
    _fix_width(spec, width, height)
    return top, spec, title, subtitle


def text_block(lines: list[str], width: int, font_size: int = 11, color: str = MUTED,
               bold: bool = False) -> dict:
    """Lines of text as a Vega-Lite view, for footers and captions inside a rendered page."""
    height = int(len(lines) * font_size * 1.45) + 2
    return {"data": {"values": [{"line": line, "i": i} for i, line in enumerate(lines)]},
            "mark": {"type": "text", "align": "left", "baseline": "top", "fontSize": font_size, "color": color,
                     "fontWeight": "bold" if bold else "normal"},
            "encoding": {"x": {"value": 0},
                         "y": {"field": "i", "type": "quantitative", "scale": {"domain": [0, max(len(lines), 1)],
                                                                                "range": [0, height - 2]},
                               "axis": None},
                         "text": {"field": "line", "type": "nominal"}},
            "width": width, "height": height}


def snapshot_spec(chart: alt.TopLevelMixin | dict, *, title: str | None = None, subtitle: str | None = None,
                  source: str = "", when: str = "", lang: str = "fi", version: int | None = None,
                  width: int = EXPORT_WIDTH, height: int | None = None) -> dict:
    """The chart with title, subtitle (filters and period) on top and the source and time line below."""
    top, body, own_title, own_sub = split_spec(chart, width, height)
    title = title or own_title
    subtitle = own_sub if subtitle is None else subtitle
    footer = footer_text(source, lang, when or stamp(lang=lang), version)
    config = top.pop("config", {})
    config.setdefault("concat", {})["spacing"] = 8
    head = {"text": title, "anchor": "start", "fontSize": 17, "fontWeight": "bold", "offset": 12}
    if subtitle:
        head.update(subtitle=subtitle, subtitleFontSize=13, subtitlePadding=6)
    foot = {"text": footer, "orient": "bottom", "anchor": "start", "frame": "bounds", "fontSize": 11,
            "fontWeight": "normal", "color": MUTED, "offset": 14}
    return {**top, "config": config, "title": head, "padding": 16,
            "vconcat": [{"vconcat": [body], "title": foot}]}


def to_png(spec: dict, scale: int = PNG_SCALE, dpi: int = PNG_DPI) -> bytes:
    """PNG at `scale` times the chart's pixel size, with `dpi` written into the file (pHYs)."""
    ensure_fonts()
    # vl-convert multiplies the size by ppi/72 as well, so divide it back out of the scale
    return vlc.vegalite_to_png(xml_deep(spec), scale=scale * 72 / dpi, ppi=dpi)


def to_svg(spec: dict) -> bytes:
    ensure_fonts()
    return vlc.vegalite_to_svg(xml_deep(spec)).encode("utf-8")


def to_pdf(spec: dict) -> bytes:
    """Vector PDF with the bundled fonts embedded (subset). Every string goes through xml_deep first:
    vl-convert aborts the process (a panic that cannot unwind) on a control character."""
    ensure_fonts()
    return vlc.vegalite_to_pdf(xml_deep(spec))


RENDERERS = {"png": to_png, "svg": to_svg, "pdf": to_pdf}
MIME = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "csv": "text/csv",
        "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation"}


def file_name(title: str, ext: str, today: dt.date | None = None, lang: str = "fi") -> str:
    """ASCII, dash-separated, dated: 'kiireeton-hoito-7-vuorokaudessa_2026-11-25.png'; a title with no letters
    or digits is named 'kaavio' ('chart')."""
    slug = _slug(title) or _slug(t("export_chart", lang))
    return f"{slug}_{(today or dt.date.today()).isoformat()}.{ext}"


def _slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:60]
