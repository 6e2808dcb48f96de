"""Altair chart builders with one theme and the fi-FI locale (axes read 30 000 and heinäkuu)."""
from __future__ import annotations

import functools
import hashlib
import math
import os
import threading
from collections import OrderedDict
from functools import lru_cache

import altair as alt
import pandas as pd
import vl_convert as vlc

from .format import DECIMALS, unit_suffix
from .i18n import t

FONT = "Inter, 'Segoe UI', Roboto, Arial, sans-serif"
INK = "#1f2a37"
MUTED = "#5b6675"
PRIMARY = "#1b5e9b"      # contrast 6.6:1 on white
TARGET = "#8a4b00"       # dark orange, dashed: readable without colour too
PALETTE = ["#1b5e9b", "#c0392b", "#2e7d32", "#6a3d9a", "#8a4b00", "#00838f", "#ad1457"]


# --- finished charts kept per process: an unchanged chart is neither rebuilt nor revalidated ------------------
# A builder's result is cached on its inputs (the data frame's content, titles, language...), so on the same
# data version and filters a rerun gets the chart and its Vega-Lite spec back instead of building them and
# converting them with schema validation again (about a third of a page run's CPU before). Data version and filters
# are in the key through the frame's content: a changed number is a different chart.
SPEC_CACHE = True              # the benchmarks turn it off for their baseline
# Altair checks every spec against the Vega-Lite JSON schema when it is converted (jsonschema: ~0.4 s of a cold
# strategic page's 2.3 s under the profiler at scale 10). The tests validate every chart they draw
# (tests/conftest.py sets DASHBOARD_VALIDATE_CHARTS=1, the browser tests' servers inherit it); the app does not.
VALIDATE: bool | None = None   # None: from the environment; the benchmarks set it for their baseline
MAX_CHARTS = 2000
_charts: OrderedDict[str, list] = OrderedDict()     # key -> [chart, spec or None]
_key_of: dict[int, str] = {}                         # id(chart) -> key, while the chart is cached
_lock = threading.Lock()


def _digest(obj, h) -> None:
    if isinstance(obj, pd.DataFrame):
        h.update(repr((list(obj.columns), [str(t) for t in obj.dtypes], obj.shape)).encode())
        h.update(pd.util.hash_pandas_object(obj, index=True).to_numpy().tobytes())
    elif isinstance(obj, pd.Series):
        h.update(repr((obj.name, str(obj.dtype))).encode())
        h.update(pd.util.hash_pandas_object(obj, index=True).to_numpy().tobytes())
    elif isinstance(obj, (list, tuple)):
        h.update(f"{type(obj).__name__}{len(obj)}(".encode())
        for x in obj:
            _digest(x, h)
        h.update(b")")
    elif isinstance(obj, dict):
        h.update(b"{")
        for k in sorted(obj, key=repr):
            _digest(k, h)
            _digest(obj[k], h)
        h.update(b"}")
    else:
        h.update(f"{type(obj).__name__}:{obj!r};".encode())


def cached(builder):
    """Keep a builder's charts, keyed on its name and every argument."""
    @functools.wraps(builder)
    def build(*args, **kwargs):
        if not SPEC_CACHE:
            return builder(*args, **kwargs)
        h = hashlib.blake2b(builder.__name__.encode(), digest_size=20)
        _digest((args, kwargs), h)
        key = h.hexdigest()
        with _lock:
            hit = _charts.get(key)
            if hit is not None:
                _charts.move_to_end(key)
                return hit[0]
        chart = builder(*args, **kwargs)
        with _lock:
            _charts[key] = [chart, None]
            _key_of[id(chart)] = key
            while len(_charts) > MAX_CHARTS:
                _, (old, _) = _charts.popitem(last=False)
                _key_of.pop(id(old), None)
        return chart
    return build


def _arrow(records) -> bytes:
    """A dataset as Arrow IPC stream bytes, the form Streamlit sends to the browser (done once per chart)."""
    import pyarrow as pa
    columns = list(records[0]) if records else []
    if any(list(r) != columns for r in records):       # rows of other keys: pandas lines them up
        frame = pd.DataFrame(records)
    else:                                               # the same frame, made column by column (half the time)
        frame = pd.DataFrame({c: [r[c] for r in records] for c in columns}, columns=columns)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    sink = pa.BufferOutputStream()
    with pa.RecordBatchStreamWriter(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def spec(chart: alt.TopLevelMixin) -> dict:
    """The chart's Vega-Lite spec for st.vega_lite_chart, its datasets already as Arrow bytes: made once for a
    cached chart, then a shallow copy each time (Streamlit takes the datasets out of the dict it is given)."""
    with _lock:
        key = _key_of.get(id(chart))
        entry = _charts.get(key) if key else None
        if entry is not None and entry[0] is chart and entry[1] is not None:
            return dict(entry[1])
    validate = VALIDATE if VALIDATE is not None else os.environ.get("DASHBOARD_VALIDATE_CHARTS", "") == "1"
    out = chart.to_dict(validate=validate)
    if "datasets" in out:
        out["datasets"] = {name: _arrow(rows) for name, rows in out["datasets"].items()}
    if entry is not None and entry[0] is chart:
        with _lock:
            entry[1] = out
    return dict(out)


@lru_cache(maxsize=2)
def locale(lang: str) -> dict:
    tag = "en-GB" if lang == "en" else "fi-FI"
    return {"number": vlc.get_format_locale(tag), "time": vlc.get_time_format_locale(tag)}


def month_axis() -> alt.Axis:
    """A time axis of months as m/yyyy: labels that would touch are thinned (the last two of a forecast read
    "7/202710/2027" without a gap)."""
    return alt.Axis(format="%-m/%Y", labelAngle=0, labelOverlap=True, labelSeparation=8)


def d3_format(unit: str) -> str:
    """Axis and tooltip numbers: grouped, at most the unit's decimals, no needless ones (80, not 80,0)."""
    return f",.{DECIMALS.get(unit, 1)}~f"


ZERO_BASED = ("count", "persons")       # counts and populations start at zero: 1,3 % growth must not look steep


def axis_title(title: str, unit: str, lang: str = "fi") -> str:
    """A value axis names its unit ("Etäkontaktien osuus, %"), unless the title already ends with it."""
    suffix = unit_suffix(unit, lang)
    return title if not suffix or title.rstrip().endswith(suffix) else f"{title}, {suffix}"


def wrapped_title(title: str, subtitle: str = "", width: int = 55) -> alt.Title:
    """Long Finnish titles wrap onto lines instead of being cut off with an ellipsis."""
    lines, line = [], ""
    for word in title.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    extra = {"subtitle": subtitle} if subtitle else {}
    return alt.Title(lines if len(lines) > 1 else title, limit=0, **extra)


def themed(chart: alt.TopLevelMixin, lang: str = "fi") -> alt.TopLevelMixin:
    """The theme and locale as one Config set on a shallow copy: the same spec as chaining configure(),
    configure_axis(), configure_legend(), configure_title() and configure_view(), each of which deep-copies the
    config built so far, locale included (a third of building a bar chart; tests/test_charts_template.py)."""
    out = chart.copy(deep=False)
    out.config = alt.Config(
        locale=locale(lang), font=FONT, background="white",
        axis=alt.AxisConfig(labelColor=INK, titleColor=INK, labelFontSize=12, titleFontSize=12,
                            gridColor="#e5e8ec", domainColor="#9aa4b1"),
        legend=alt.LegendConfig(labelColor=INK, titleColor=INK, labelFontSize=12, orient="bottom"),
        title=alt.TitleConfig(color=INK, fontSize=15, anchor="start", subtitleColor=MUTED, subtitleFontSize=12),
        view=alt.ViewConfig(stroke=None))
    return out


def target_layers(target: float, label: str, dash: tuple[int, int] = (6, 4)) -> list:
    """A horizontal target rule (dashed, so it reads without colour) with its label at the left edge. Rules are
    drawn with aria=False here and in ui/compare_charts.py: the label and the text alternative say what they are,
    and an unnamed SVG graphic (an empty rule layer) is an axe 'svg-img-alt' finding."""
    rule_df = pd.DataFrame({"target": [target], "label": [label]})
    return [alt.Chart(rule_df).mark_rule(aria=False, color=TARGET, strokeDash=list(dash), strokeWidth=2)
            .encode(y=alt.Y("target:Q")),
            alt.Chart(rule_df).mark_text(color=TARGET, align="left", dx=4, dy=-7, fontSize=12)
            .encode(y=alt.Y("target:Q"), x=alt.XValue(0), text=alt.Text("label:N"))]


NOTE = "#4a3a8c"          # notes: a dotted rule, a filled triangle and the text (shape and words, not colour)
NOTE_ROWS = 3             # labels of notes close together are set on this many rows


def note_layers(notes: pd.DataFrame | None, x: str, temporal: bool = True) -> list:
    """Analysts' notes on a time chart (issue 15): at each note's period a dotted vertical rule, a triangle at
    the top and the note's short text beside it, its whole text in the tooltip. `notes`: columns x (the chart's
    x value: a month start, or a year for a yearly chart), note (short label), note_full."""
    if notes is None or notes.empty:
        return []
    df = notes.sort_values("x").reset_index(drop=True)
    df = df.assign(**{x: df["x"]}, row=[i % NOTE_ROWS for i in range(len(df))])
    xenc = alt.X(f"{x}:{'T' if temporal else 'O'}")
    tip = [alt.Tooltip("note_full:N", title=" ")]
    layers = [alt.Chart(df).mark_rule(color=NOTE, strokeDash=[2, 3], strokeWidth=1.5).encode(x=xenc, tooltip=tip)]
    side = df["side"] if "side" in df.columns else pd.Series("left", index=df.index)
    for row in range(min(NOTE_ROWS, len(df))):
        top = 6 + 15 * row
        layers.append(alt.Chart(df[df.row == row]).mark_point(shape="triangle-down", filled=True, color=NOTE,
                                                              size=70, opacity=1)
                      .encode(x=xenc, y=alt.YValue(top), tooltip=tip))
        for where, dx in (("left", 7), ("right", -7)):
            part = df[(df.row == row) & (side == where)]
            if part.empty:
                continue
            text = dict(align="left" if where == "left" else "right", dx=dx, fontSize=11, limit=260)
            layers += [alt.Chart(part).mark_text(color="white", stroke="white", strokeWidth=3, **text)
                       .encode(x=xenc, y=alt.YValue(top), text=alt.Text("note:N")),            # a halo under the words
                       alt.Chart(part).mark_text(color=NOTE, **text)
                       .encode(x=xenc, y=alt.YValue(top), text=alt.Text("note:N"), tooltip=tip)]
    return layers


@cached
def trend(df: pd.DataFrame, *, x: str, value_title: str, unit: str, title: str, subtitle: str = "",
          target: float | None = None, target_label: str = "", lang: str = "fi",
          x_title: str = "", temporal: bool = False, notes: pd.DataFrame | None = None) -> alt.TopLevelMixin:
    """Line with point markers (shape, not only colour), optional dashed target rule with a text label, and
    analysts' notes (note_layers)."""
    fmt = d3_format(unit)
    axis = month_axis() if temporal else alt.Axis(labelAngle=0)
    xenc = alt.X(f"{x}:{'T' if temporal else 'O'}", title=x_title, axis=axis)
    base = alt.Chart(df).encode(
        x=xenc,
        y=alt.Y("value:Q", title=axis_title(value_title, unit, lang), axis=alt.Axis(format=fmt),
                scale=alt.Scale(zero=unit in ZERO_BASED)),
        tooltip=[alt.Tooltip(f"{x}:{'T' if temporal else 'O'}", title=x_title or x),
                 alt.Tooltip("value:Q", title=value_title, format=fmt)],
    )
    layers = [base.mark_line(color=PRIMARY, strokeWidth=2.5),
              base.mark_point(color=PRIMARY, filled=True, size=60)]
    if target is not None:
        layers += target_layers(target, target_label)
    layers += note_layers(notes, x, temporal)
    chart = alt.layer(*layers).properties(
        title=wrapped_title(title, subtitle), height=300, width="container")
    return themed(chart, lang)


def bars_height(n: int) -> int:
    """A bar chart's height for n bars."""
    return max(220, 22 * n + 40)


@cached
def region_bars(df: pd.DataFrame, *, label: str, value_title: str, unit: str, title: str, subtitle: str = "",
                target: float | None = None, lang: str = "fi", sort: list | str = "-x",
                target_label: str = "") -> alt.TopLevelMixin:
    """Horizontal bars from zero sorted by value, the value printed at each bar end (on a white halo, so the
    dashed target rule under it never crosses the digits); the target rule is labelled above the bars."""
    fmt = d3_format(unit)
    height = bars_height(len(df))
    base = alt.Chart(df).encode(
        y=alt.Y(f"{label}:N", sort=sort, title=None, axis=alt.Axis(labelLimit=260)),
        x=alt.X("value:Q", title=axis_title(value_title, unit, lang), axis=alt.Axis(format=fmt, labelOverlap=True),
                scale=alt.Scale(zero=True)),
        tooltip=[alt.Tooltip(f"{label}:N"), alt.Tooltip("value:Q", title=value_title, format=fmt)],
    )
    layers = []
    if target is not None:
        rule_df = pd.DataFrame({"target": [target], "label": [target_label or f"{target}"]})
        layers += [alt.Chart(rule_df).mark_rule(aria=False, color=TARGET, strokeDash=[6, 4], strokeWidth=2)
                   .encode(x=alt.X("target:Q")),
                   alt.Chart(rule_df).mark_text(color=TARGET, baseline="bottom", dy=-4, fontSize=12,
                                                fontWeight="bold").encode(x=alt.X("target:Q"), y=alt.YValue(0),
                                                                          text=alt.Text("label:N"))]
    text = base.mark_text(align="left", dx=3, color=INK, fontSize=11)
    layers += [base.mark_bar(color=PRIMARY),
               text.mark_text(align="left", dx=3, fontSize=11, stroke="white", strokeWidth=4, strokeJoin="round",
                              color="white").encode(text=alt.Text("shown:N")),
               text.encode(text=alt.Text("shown:N"))]
    chart = alt.layer(*layers).properties(title=wrapped_title(title, subtitle),
                                          height=height, width="container")
    return themed(chart, lang)


class ChartSpec(dict):
    """A finished chart as its Vega-Lite spec, datasets inline as records (what chart.to_dict() gives), made by
    filling a template (filled): draw_chart draws it from its Arrow form (made once, kept on it) and the exports
    render it as they render a chart. Nothing changes it once made: it may be kept and shared."""
    arrow: dict | None = None


_templates: dict[tuple, tuple[dict, str] | None] = {}     # template key -> (spec without the frame's data, its name)
_filled: OrderedDict[tuple, ChartSpec] = OrderedDict()   # (template key, the frame's records) -> finished spec


def _renamed(obj, old: str, new: str):
    """The spec with every reference to dataset `old` pointing at `new` (layers share the frame's dataset)."""
    if isinstance(obj, dict):
        if obj.get("name") == old and len(obj) == 1:
            return {"name": new}
        return {k: _renamed(v, old, new) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_renamed(v, old, new) for v in obj]
    return obj


def filled(builder, df: pd.DataFrame, *, title: str, subtitle: str = "", sized=None,
           **kwargs) -> ChartSpec | alt.TopLevelMixin:
    """builder(df, **kwargs) as a ChartSpec without building it with Altair each time: the chart is built once per
    template key (the builder, every other keyword argument, the frame's columns, types and length) and each later
    frame of that shape goes into a copy of its spec as the one dataset the frame became, under its own title and
    subtitle (the subtitle names the area: a county change keeps the template). Building a bar chart with Altair and
    converting it was most of what a page's county change spent on it (every county's numbers are new, so the chart
    cache cannot help). For builders whose spec depends on the frame only through its rows and its length, and on
    the texts only through a top-level wrapped_title(title, subtitle) (region_bars, trend);
    tests/test_charts_template.py holds the filled spec to the built one. `sized(spec, n)`: sets what the frame's
    length changes in the spec (a bar chart's height), so that frames of any length share one template (a county's
    municipalities). A frame among the other arguments, or no SPEC_CACHE (the benchmarks' baseline): the Altair
    chart, as before."""
    if not SPEC_CACHE or any(isinstance(v, (pd.DataFrame, pd.Series)) for v in kwargs.values()):
        return builder(df, title=title, subtitle=subtitle, **kwargs)
    rows = alt.utils.sanitize_pandas_dataframe(df.copy()).to_dict("records")
    key = (builder.__name__, repr(sorted(kwargs.items())), tuple(map(str, df.columns)), tuple(map(str, df.dtypes)),
           None if sized else len(df))
    done = (key, title, subtitle, repr(rows))
    with _lock:
        hit = _filled.get(done)
        if hit is not None:
            _filled.move_to_end(done)
            return hit
        tpl = _templates.get(key, False)
    if tpl is False or tpl is None:                   # the first frame of this shape, or one that cannot be filled
        out = ChartSpec(builder(df, title=title, subtitle=subtitle, **kwargs).to_dict(validate=_validating()))
        if tpl is False:
            names = [n for n, data in out.get("datasets", {}).items() if data == rows]
            # the frame is one dataset of its own: the rest is the template; else each frame is built
            tpl = ({**out, "datasets": {n: d for n, d in out["datasets"].items() if n != names[0]}}, names[0]) \
                if len(names) == 1 else None
            with _lock:
                _templates[key] = tpl
    else:
        spec, old = tpl
        new = "data-" + hashlib.blake2b(repr(rows).encode(), digest_size=16).hexdigest()
        out = ChartSpec(_renamed({k: v for k, v in spec.items() if k != "datasets"}, old, new))
        out["title"] = wrapped_title(title, subtitle).to_dict(validate=False)
        if sized is not None:
            sized(out, len(df))
        out["datasets"] = {**spec["datasets"], new: rows}
        if _validating():
            (alt.LayerChart if "layer" in out else alt.Chart).from_dict(dict(out), validate=True)
    with _lock:
        _filled[done] = out
        while len(_filled) > MAX_CHARTS:
            _filled.popitem(last=False)
    return out


def region_bars_spec(df: pd.DataFrame, **kwargs) -> ChartSpec | alt.TopLevelMixin:
    """region_bars(df, ...) filled into its template (filled): what the pages draw; any number of bars."""
    return filled(region_bars, df, sized=lambda spec, n: spec.update(height=bars_height(n)), **kwargs)


def trend_spec(df: pd.DataFrame, **kwargs) -> ChartSpec | alt.TopLevelMixin:
    """trend(df, ...) filled into its template (filled); with analysts' notes, the built chart."""
    return filled(trend, df, **kwargs)


def arrow_spec(chart: ChartSpec) -> dict:
    """A ChartSpec as st.vega_lite_chart takes it, datasets as Arrow bytes (made once per spec; a shallow copy
    each time, as Streamlit takes the datasets out of the dict it is given)."""
    if chart.arrow is None:
        chart.arrow = {**chart, "datasets": {n: _arrow(rows) for n, rows in chart.get("datasets", {}).items()}}
    return dict(chart.arrow)


@cached
def stacked_bars(df: pd.DataFrame, *, x: str, color: str, value_title: str, color_title: str, title: str,
                 subtitle: str = "", lang: str = "fi", normalize: bool = False, x_title: str = "",
                 order: list[str] | None = None) -> alt.TopLevelMixin:
    """Monthly stacked bars; each series also gets a distinct texture-free order and a legend with labels."""
    stack = "normalize" if normalize else "zero"
    fmt = ".0%" if normalize else ",.0f"
    chart = alt.Chart(df).mark_bar().encode(
        x=alt.X(f"{x}:T", title=x_title, axis=month_axis()),
        y=alt.Y("value:Q", stack=stack, title=value_title, axis=alt.Axis(format=fmt)),
        color=alt.Color(f"{color}:N", title=color_title, sort=order,
                        scale=alt.Scale(range=PALETTE)),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip(f"{x}:T", title=x_title, format="%-m/%Y"), alt.Tooltip(f"{color}:N", title=color_title),
                 alt.Tooltip("value:Q", title=value_title, format=",.0f")],
    ).properties(title=wrapped_title(title, subtitle), height=320, width="container")
    return themed(chart, lang)


@cached
def diverging_bars(df: pd.DataFrame, *, label: str, group: str, value_title: str, title: str,
                   subtitle: str = "", lang: str = "fi", group_order: list[str] | None = None) -> alt.TopLevelMixin:
    """Signed % changes around zero, one row per indicator, grouped; the value and a ▲/▼ are printed."""
    height = max(240, 20 * len(df) + 60)
    base = alt.Chart(df).encode(
        y=alt.Y(f"{label}:N", sort=df.sort_values("sort_key")[label].tolist(), title=None,   # groups together
                axis=alt.Axis(labelLimit=360)),
        x=alt.X("value:Q", title=value_title, axis=alt.Axis(format=",.0f", labelOverlap=True)),
        tooltip=[alt.Tooltip(f"{group}:N"), alt.Tooltip(f"{label}:N"),
                 alt.Tooltip("value:Q", title=value_title, format="+,.0f")],
    )
    bars = base.mark_bar().encode(color=alt.Color(f"{group}:N", title=None, sort=group_order,
                                                  scale=alt.Scale(range=PALETTE),
                                                  legend=alt.Legend(columns=4, labelLimit=0, symbolType="square")))
    text = base.mark_text(align="left", dx=4, color=INK, fontSize=11).encode(
        text=alt.Text("shown:N"), x=alt.X("label_x:Q"))
    zero = alt.Chart(pd.DataFrame({"x": [0]})).mark_rule(aria=False, color=INK).encode(x=alt.X("x:Q"))
    chart = alt.layer(bars, text, zero).properties(title=wrapped_title(title, subtitle),
                                                   height=height, width="container")
    return themed(chart, lang)


@cached
def sparkline(df: pd.DataFrame, unit: str, lang: str = "fi", x: str = "yr:O") -> alt.TopLevelMixin:
    """A bare trend line for KPI cards: no axes, a point on the latest year, values in the tooltip."""
    fmt = d3_format(unit)
    base = alt.Chart(df).encode(
        x=alt.X(x, axis=None),
        y=alt.Y("value:Q", axis=None, scale=alt.Scale(zero=unit in ZERO_BASED)),
        tooltip=[alt.Tooltip(x, title=""), alt.Tooltip("value:Q", title="", format=fmt)])
    last = df.tail(1)
    chart = alt.layer(base.mark_line(color=PRIMARY, strokeWidth=2),
                      alt.Chart(last).mark_point(color=PRIMARY, filled=True, size=40).encode(
                          x=alt.X(x, axis=None), y=alt.Y("value:Q", axis=None))
                      ).properties(height=50, width="container")
    return themed(chart, lang).properties(padding={"left": 4, "right": 4, "top": 4, "bottom": 4})


_spark_templates: dict[tuple[str, str, str], dict] = {}
_spark_specs: OrderedDict[tuple, dict] = OrderedDict()   # (template key, x values, values) -> finished spec


def forget() -> None:
    """Drop every kept chart and sparkline spec (the benchmarks' cold runs)."""
    with _lock:
        _charts.clear()
        _key_of.clear()
        _spark_specs.clear()
        _filled.clear()


def _validating() -> bool:
    return VALIDATE if VALIDATE is not None else os.environ.get("DASHBOARD_VALIDATE_CHARTS", "") == "1"


def sparkline_spec(df: pd.DataFrame, unit: str, lang: str = "fi", x: str = "yr:O") -> dict:
    """The Vega-Lite spec of sparkline(df, ...), its datasets as Arrow bytes (see spec), without building the chart:
    the chart is built with Altair once per unit, language and x field as a template, and each card's numbers go
    into a copy of it. A KPI card's sparkline was a fifth of a KPI page's CPU after a county change (every card's
    data is new, so the chart cache cannot help); tests/test_charts_template.py checks it equals the built one."""
    field = x.split(":")[0]
    data = df[[field, "value"]].reset_index(drop=True)
    key = (unit, lang, x)
    done = (key, repr(data[field].tolist()), repr(data["value"].tolist()))   # repr: NaN equals NaN here
    hit = _kept_spark(done)
    if hit is not None:
        return hit
    return _fill_spark(key, done, data, lambda: alt.utils.sanitize_pandas_dataframe(data.copy()).to_dict("records"))


def _fill_spark(key: tuple, done: tuple, data: pd.DataFrame | None, records) -> dict:
    """sparkline_spec's template (built once per unit, language and x field, from `data` or a frame made of the
    records) filled with `records()` (the rows as Altair would give them) and kept under `done`."""
    unit, lang, x = key
    with _lock:
        tpl = _spark_templates.get(key)
    rows = records()
    if tpl is None:
        tpl = sparkline(pd.DataFrame(rows) if data is None else data, unit, lang, x).to_dict(validate=_validating())
        tpl.pop("datasets", None)
        with _lock:
            _spark_templates[key] = tpl
    datasets = {}
    layers = []
    for layer, part in zip(tpl["layer"], (rows, rows[-1:])):
        name = "data-" + hashlib.blake2b(repr(part).encode(), digest_size=16).hexdigest()
        datasets[name] = part
        layers.append({**layer, "data": {"name": name}})
    out = {**tpl, "layer": layers}
    if _validating():
        alt.LayerChart.from_dict({**out, "datasets": datasets}, validate=True)
    out["datasets"] = {name: _arrow(part) for name, part in datasets.items()}
    with _lock:                                 # a rerun draws the same cards: their specs are kept (LRU)
        _spark_specs[done] = out
        while len(_spark_specs) > MAX_CHARTS:
            _spark_specs.popitem(last=False)
    return dict(out)


def _kept_spark(done: tuple) -> dict | None:
    with _lock:
        hit = _spark_specs.get(done)
        if hit is not None:
            _spark_specs.move_to_end(done)
            return dict(hit)                    # Streamlit takes "datasets" out of the dict it is given
    return None


def yearly_sparkline_spec(years: list[int], values: list[float], unit: str, lang: str = "fi") -> dict:
    """sparkline_spec of the frame {yr: years, value: values} (x "yr:O"), looked up among the kept specs before
    any frame is made: a card drawn again (every rerun draws every card) costs a dictionary look-up."""
    done = ((unit, lang, "yr:O"), repr(list(years)), repr(list(values)))
    hit = _kept_spark(done)
    if hit is not None:
        return hit
    if not all(math.isfinite(v) for v in values):        # NaN, inf: Altair's own sanitising (None), as sparkline_spec
        return sparkline_spec(pd.DataFrame({"yr": years, "value": values}), unit, lang, "yr:O")
    # the rows Altair makes of such a frame, made without one: whole years and finite floats pass as they are
    return _fill_spark(done[0], done, None,
                       lambda: [{"yr": int(y), "value": float(v)} for y, v in zip(years, values)])


@cached
def forecast(actual: pd.DataFrame, fc: pd.DataFrame, *, value_title: str, unit: str, title: str,
             subtitle: str = "", series_labels: tuple[str, str] | None = None,
             band_labels: tuple[str, str] | None = None, target: float | None = None,
             target_label: str = "", lang: str = "fi", x_title: str = "",
             notes: pd.DataFrame | None = None) -> alt.TopLevelMixin:
    """Actual months (solid line, filled dots) and the forecast (dashed line, open dots) with its 80 % and
    95 % prediction bands; the legend names line style, dot shape and bands, so colour carries nothing alone.
    `actual`: period, value; `fc`: period, value, lo80, hi80, lo95, hi95 (suppressed points left out)."""
    fmt = d3_format(unit)
    series_labels = series_labels or (t("fc_actual", lang), t("fc_forecast", lang))
    band_labels = band_labels or (t("fc_band80", lang), t("fc_band95", lang))
    a_label, f_label = series_labels
    last = actual.iloc[[-1]][["period", "value"]]
    lines = pd.concat([actual[["period", "value"]].assign(series=a_label),
                       pd.concat([last, fc[["period", "value"]]]).assign(series=f_label)], ignore_index=True)
    bands = pd.concat([fc.assign(band=band_labels[1], lo=fc.lo95, hi=fc.hi95),
                       fc.assign(band=band_labels[0], lo=fc.lo80, hi=fc.hi80)], ignore_index=True)
    x = alt.X("period:T", title=x_title, axis=month_axis())
    band_layer = alt.Chart(bands).mark_area().encode(
        x=x, y=alt.Y("lo:Q", title=axis_title(value_title, unit, lang), axis=alt.Axis(format=fmt),
                     scale=alt.Scale(zero=unit in ZERO_BASED)),
        y2=alt.Y2("hi:Q"),
        fill=alt.Fill("band:N", title=None, sort=list(band_labels), legend=alt.Legend(orient="top"),
                      scale=alt.Scale(domain=list(band_labels), range=["#9cc3e6", "#d6e6f5"])),
        tooltip=[alt.Tooltip("period:T", title=x_title, format="%-m/%Y"), alt.Tooltip("band:N", title=" "),
                 alt.Tooltip("lo:Q", format=fmt, title="–"), alt.Tooltip("hi:Q", format=fmt, title="+")])
    style = dict(domain=[a_label, f_label])
    line_base = alt.Chart(lines).encode(
        x=x, y=alt.Y("value:Q", title=axis_title(value_title, unit, lang), axis=alt.Axis(format=fmt),
                     scale=alt.Scale(zero=unit in ZERO_BASED)),
        detail=alt.Detail("series:N"),
        tooltip=[alt.Tooltip("period:T", title=x_title, format="%-m/%Y"), alt.Tooltip("series:N", title=" "),
                 alt.Tooltip("value:Q", title=value_title, format=fmt)])
    line_layer = line_base.mark_line(strokeWidth=2.5, color=PRIMARY).encode(
        strokeDash=alt.StrokeDash("series:N", title=None, scale=alt.Scale(**style, range=[[1, 0], [7, 4]]),
                                  legend=alt.Legend(orient="top")))
    dots = line_base.mark_point(size=45, color=PRIMARY).encode(
        shape=alt.Shape("series:N", title=None, scale=alt.Scale(**style, range=["circle", "diamond"]),
                        legend=alt.Legend(orient="top")),
        fill=alt.condition(f"datum.series == '{a_label}'", alt.value(PRIMARY), alt.value("white")))
    layers = [band_layer, line_layer, dots]
    if target is not None:
        layers += target_layers(target, target_label, dash=(2, 3))   # dotted: the forecast line is dashed
    layers += note_layers(notes, "period")
    chart = alt.layer(*layers).resolve_scale(fill="independent").properties(
        title=wrapped_title(title, subtitle), height=340, width="container")
    return themed(chart, lang)
