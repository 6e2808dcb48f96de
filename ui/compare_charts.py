"""Altair charts of the region comparison: ranked dots with intervals, funnel plot, spine chart, change since 2019
(dumbbell), two KPIs against each other, the counties side by side. Each takes a prepared frame (ui/compare.py
prepares them) and the texts; values and names sit in the axis labels, outside the plot, so no reference line
ever crosses them, and the reference lines are labelled above the plot, one row each."""
from __future__ import annotations

import altair as alt
import pandas as pd

from .charts import INK, MUTED, PRIMARY, TARGET, cached, d3_format, themed, wrapped_title

# significance categories: colour, shape and words together (the words come from ui/compare.py)
FLAG_STYLE = {            # key: (colour, shape, filled)
    "above_better": ("#1a7f37", "triangle-up", True),
    "below_better": ("#1a7f37", "triangle-down", True),
    "above_worse": ("#b42318", "triangle-up", True),
    "below_worse": ("#b42318", "triangle-down", True),
    "above_above": ("#1b5e9b", "triangle-up", True),
    "below_below": ("#6a3d9a", "triangle-down", True),
    "same_same": ("#5b6675", "circle", True),
    "none_none": ("#8a94a3", "circle", False),
}
FLAG_ORDER = tuple(FLAG_STYLE)
REF_DASH = {"county": [6, 3], "all": [2, 2], "target": [8, 3, 2, 3]}
REF_COLOUR = {"county": INK, "all": MUTED, "target": TARGET}
ROW = 20


def _title(title: str, subtitle: str) -> alt.Title:
    """The shared wrapped title, the subtitle broken into lines before its last " · " part (the standardisation
    note) and at about 110 characters, which would otherwise run off the chart."""
    lines = []
    for part in subtitle.rsplit(" · ", 1):
        line = ""
        for word in part.split(" "):
            if line and len(line) + 1 + len(word) > 110:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
        lines.append(line)
    out = wrapped_title(title, "", width=70)
    if subtitle:
        out.subtitle = lines if len(lines) > 1 else lines[0]
    return out


def _flag_scales(df: pd.DataFrame, legend_title: str):
    keys = [k for k in FLAG_ORDER if k in set(df.flag_key)]
    labels = df.drop_duplicates("flag_key").set_index("flag_key").flag_text.reindex(keys).tolist()
    colour = alt.Color("flag_text:N", title=legend_title, sort=labels,
                       scale=alt.Scale(domain=labels, range=[FLAG_STYLE[k][0] for k in keys]),
                       legend=alt.Legend(orient="bottom", columns=2, labelLimit=0, symbolSize=90))
    shape = alt.Shape("flag_text:N", title=legend_title, sort=labels,
                      scale=alt.Scale(domain=labels, range=[FLAG_STYLE[k][1] for k in keys]),
                      legend=alt.Legend(orient="bottom", columns=2, labelLimit=0))
    return colour, shape


def _ref_layers(refs: pd.DataFrame, xfield: str = "x") -> list:
    """Vertical reference rules spanning the plot, each labelled above the plot on its own row (y < 0), left- or
    right-aligned so the label stays inside the chart: a rule never runs through any text. The labels are one text
    layer per alignment, each label's row a pixel offset (y without a scale): a layer per label made building the
    chart cost a quarter of the overview's county change, and with every county's line, two dozen layers."""
    if refs.empty:
        return []
    refs = refs.reset_index(drop=True).assign(row=lambda d: -10 - 16 * d.index)
    layers = []
    for kind in refs.kind.unique():
        part = refs[refs.kind == kind]
        layers.append(alt.Chart(part).mark_rule(aria=False, strokeDash=REF_DASH.get(kind, [4, 2]), strokeWidth=2,
                                                color=REF_COLOUR.get(kind, INK))
                      .encode(x=alt.X(f"{xfield}:Q")))
    for align in ("left", "right"):
        part = refs.loc[refs["align"] == align, [xfield, "label", "row"]]
        if part.empty:
            continue
        layers.append(alt.Chart(part).mark_text(align=align, baseline="bottom", fontSize=12, fontWeight="bold",
                                                dx=-4 if align == "right" else 4, color=INK)
                      .encode(x=alt.X(f"{xfield}:Q"), y=alt.Y("row:Q", scale=None, axis=None),
                              text=alt.Text("label:N")))
    return layers


@cached
def ranked_dots(df: pd.DataFrame, refs: pd.DataFrame, *, unit: str, value_title: str, title: str, subtitle: str,
                legend_title: str, lang: str = "fi") -> alt.TopLevelMixin:
    """Areas ranked top to bottom: a dot per area (shape and colour by significance), its interval as a bar, and
    the reference lines (county, all areas, target). `df`: label (name and value), value, lo, hi, order, flag_key,
    flag_text, name, shown, interval; `refs`: kind, x, label, align."""
    fmt = d3_format(unit)
    order = df.sort_values("order").label.tolist()
    # Streamlit fits the whole chart (title, reference labels, axis, legend) into the height: add them to the rows
    height = ROW * len(df) + 150 + 16 * len(refs) + 18 * ((df.flag_key.nunique() + 1) // 2)
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=320, labelFontSize=12, ticks=False,
                                                               domain=False, labelPadding=8))
    base = alt.Chart(df).encode(y=y)
    colour, shape = _flag_scales(df, legend_title)
    tip = [alt.Tooltip("name:N", title=" "), alt.Tooltip("shown:N", title=value_title),
           alt.Tooltip("interval:N", title="95 %"), alt.Tooltip("flag_text:N", title=legend_title)]
    bars = base.transform_filter("isValid(datum.lo)").mark_rule(aria=False, strokeWidth=2, color="#9aa4b1").encode(
        x=alt.X("lo:Q", title=value_title, axis=alt.Axis(format=fmt), scale=alt.Scale(zero=False)), x2=alt.X2("hi:Q"))
    dots = base.transform_filter("isValid(datum.value)").mark_point(size=90, filled=True, opacity=1).encode(
        x=alt.X("value:Q", title=value_title, axis=alt.Axis(format=fmt), scale=alt.Scale(zero=False)),
        color=colour, shape=shape, tooltip=tip)
    chart = alt.layer(bars, dots, *_ref_layers(refs)).properties(
        title=_title(title, subtitle), height=height, width="container")
    return themed(chart, lang)


@cached
def funnel(points: pd.DataFrame, limits: pd.DataFrame, *, unit: str, value_title: str, x_title: str, title: str,
           subtitle: str, legend_title: str, line_title: str, dashes: tuple = ((1, 0), (6, 3), (2, 2)),
           lang: str = "fi") -> alt.TopLevelMixin:
    """Value against denominator (log scale) with the benchmark and its 95 % and 99.8 % control limits (line style in
    the legend); points by where they fall. `points`: denominator, value, name, shown, flag_key, flag_text;
    `limits`: denominator, line (the legend words in order: benchmark, 95 %, 99.8 %), series, value."""
    fmt = d3_format(unit)
    x = alt.X("denominator:Q", title=x_title, scale=alt.Scale(type="log", nice=False), axis=alt.Axis(format=",.0f"))
    y_scale = alt.Scale(zero=False)
    line_names = limits.drop_duplicates("line").line.tolist()
    lines = alt.Chart(limits).mark_line(strokeWidth=1.8, color=INK).encode(
        x=x, y=alt.Y("value:Q", title=value_title, axis=alt.Axis(format=fmt), scale=y_scale),
        detail=alt.Detail("series:N"),
        strokeDash=alt.StrokeDash("line:N", title=line_title, sort=line_names,
                                  scale=alt.Scale(domain=line_names, range=[list(d) for d in dashes]),
                                  legend=alt.Legend(orient="bottom", labelLimit=0, symbolStrokeWidth=2)))
    colour, shape = _flag_scales(points, legend_title)
    dots = alt.Chart(points).mark_point(size=80, filled=True, opacity=0.95).encode(
        x=x, y=alt.Y("value:Q", scale=y_scale), color=colour, shape=shape,
        tooltip=[alt.Tooltip("name:N", title=" "), alt.Tooltip("shown:N", title=value_title),
                 alt.Tooltip("denominator:Q", title=x_title, format=",.0f"),
                 alt.Tooltip("flag_text:N", title=legend_title)])
    chart = alt.layer(lines, dots).resolve_scale(color="independent", shape="independent").properties(
        title=_title(title, subtitle), height=500, width="container")
    return themed(chart, lang)


@cached
def spine(df: pd.DataFrame, *, title: str, subtitle: str, legend_title: str, axis_title: str, range_title: str,
          target_title: str, lang: str = "fi") -> alt.TopLevelMixin:
    """Fingertips' spine chart: a row per KPI; the areas' range (light) and middle half (dark) around the benchmark
    (the centre line), the target (a diamond) and the area's value (shape and colour by significance). Scaled per
    KPI so the benchmark is in the middle and "better" to the right. `df`: label, pos_*, flag_key, flag_text, ..."""
    order = df.label.tolist()
    height = 28 * len(df) + 190
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=420, ticks=False, domain=False,
                                                               labelPadding=8))
    x_scale = alt.Scale(domain=[-1.25, 1.25])
    x = alt.X("pos_lo:Q", scale=x_scale, title=axis_title, axis=alt.Axis(labels=False, ticks=False, grid=False))
    base = alt.Chart(df).encode(y=y)
    rng = base.transform_filter("isValid(datum.pos_lo)").mark_bar(height=14, color="#d5dbe3").encode(
        x=x, x2=alt.X2("pos_hi:Q"), tooltip=[alt.Tooltip("range_text:N", title=range_title)])
    mid = base.transform_filter("isValid(datum.pos_qlo)").mark_bar(height=14, color="#9aa4b1").encode(
        x=alt.X("pos_qlo:Q", scale=x_scale), x2=alt.X2("pos_qhi:Q"))
    centre = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(aria=False, color=INK, strokeWidth=1.5).encode(
        x=alt.X("x:Q", scale=x_scale))
    target = base.transform_filter("isValid(datum.pos_target)").mark_point(
        shape="diamond", size=110, filled=False, strokeWidth=2, color=TARGET).encode(
        x=alt.X("pos_target:Q", scale=x_scale), tooltip=[alt.Tooltip("target_text:N", title=target_title)])
    colour, shape = _flag_scales(df[df.pos_value.notna()], legend_title)
    dots = base.transform_filter("isValid(datum.pos_value)").mark_point(size=110, filled=True, opacity=1).encode(
        x=alt.X("pos_value:Q", scale=x_scale), color=colour, shape=shape,
        tooltip=[alt.Tooltip("name:N", title=" "), alt.Tooltip("shown:N", title=" "),
                 alt.Tooltip("flag_text:N", title=legend_title)])
    chart = alt.layer(rng, mid, centre, target, dots).properties(
        title=_title(title, subtitle), height=height, width="container")
    return themed(chart, lang)


@cached
def dumbbell(df: pd.DataFrame, *, unit: str, value_title: str, title: str, subtitle: str, series_title: str,
             base_label: str, now_label: str, lang: str = "fi") -> alt.TopLevelMixin:
    """Each area's value in the base year (open circle) and now (filled), joined; `df`: label, base, now, order,
    name, shown_base, shown_now, change_text."""
    fmt = d3_format(unit)
    order = df.sort_values("order").label.tolist()
    height = ROW * len(df) + 160
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=340, ticks=False, domain=False,
                                                               labelPadding=8))
    both = df.dropna(subset=["base", "now"])
    line = alt.Chart(both).mark_rule(aria=False, strokeWidth=2, color="#9aa4b1").encode(
        y=y, x=alt.X("base:Q", title=value_title, axis=alt.Axis(format=fmt), scale=alt.Scale(zero=False)),
        x2=alt.X2("now:Q"))
    long = pd.concat([df.assign(series=base_label, v=df.base), df.assign(series=now_label, v=df.now)],
                     ignore_index=True).dropna(subset=["v"])
    pts = alt.Chart(long).mark_point(size=80, strokeWidth=2, color=PRIMARY).encode(
        y=y, x=alt.X("v:Q", scale=alt.Scale(zero=False)),
        shape=alt.Shape("series:N", title=series_title, sort=[base_label, now_label],
                        scale=alt.Scale(domain=[base_label, now_label], range=["circle", "square"]),
                        legend=alt.Legend(orient="bottom")),
        fill=alt.Fill("series:N", scale=alt.Scale(domain=[base_label, now_label], range=["white", PRIMARY]),
                      legend=None),
        tooltip=[alt.Tooltip("name:N", title=" "), alt.Tooltip("shown_base:N", title=base_label),
                 alt.Tooltip("shown_now:N", title=now_label), alt.Tooltip("change_text:N", title=" ")])
    chart = alt.layer(line, pts).properties(title=_title(title, subtitle), height=height, width="container")
    return themed(chart, lang)


@cached
def scatter(df: pd.DataFrame, *, x_unit: str, y_unit: str, x_title: str, y_title: str, size_title: str,
            group_title: str, title: str, subtitle: str, lang: str = "fi") -> alt.TopLevelMixin:
    """Two KPIs per municipality, the dot's area by population, colour and shape by county (both in the legend).
    `df`: x, y, size, group, name, shown_x, shown_y, shown_size."""
    groups = sorted(df.group.dropna().unique().tolist())
    palette = [PRIMARY, "#c0392b", "#2e7d32", "#6a3d9a", "#8a4b00"]
    shapes = ["circle", "square", "triangle-up", "diamond", "cross"]
    chart = alt.Chart(df).mark_point(filled=True, opacity=0.75, stroke="white", strokeWidth=0.5).encode(
        x=alt.X("x:Q", title=x_title, axis=alt.Axis(format=d3_format(x_unit)),
                scale=alt.Scale(zero=False, padding=24)),
        y=alt.Y("y:Q", title=y_title, axis=alt.Axis(format=d3_format(y_unit)),
                scale=alt.Scale(zero=False, padding=24)),
        size=alt.Size("size:Q", title=size_title, scale=alt.Scale(range=[30, 900]),
                      legend=alt.Legend(orient="bottom", format=",.0f")),
        color=alt.Color("group:N", title=group_title, sort=groups,
                        scale=alt.Scale(domain=groups, range=palette[:len(groups)]),
                        legend=alt.Legend(orient="bottom", labelLimit=0)),
        shape=alt.Shape("group:N", title=group_title, sort=groups,
                        scale=alt.Scale(domain=groups, range=shapes[:len(groups)])),
        tooltip=[alt.Tooltip("name:N", title=" "), alt.Tooltip("shown_x:N", title=x_title),
                 alt.Tooltip("shown_y:N", title=y_title), alt.Tooltip("shown_size:N", title=size_title)],
    ).properties(title=_title(title, subtitle), height=520, width="container")
    return themed(chart, lang)


@cached
def county_index(df: pd.DataFrame, *, title: str, subtitle: str, axis_title: str, group_title: str,
                 ref_label: str, lang: str = "fi") -> alt.TopLevelMixin:
    """The counties on many KPIs at once: each value as an index of the all-area value (= 100), with its interval;
    colour and shape by county. `df`: label (KPI), index, lo, hi, group, shown, name."""
    order = list(dict.fromkeys(df.label))
    groups = sorted(df.group.dropna().unique().tolist())
    palette = [PRIMARY, "#c0392b", "#2e7d32", "#6a3d9a"]
    shapes = ["circle", "square", "triangle-up", "diamond"]
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=360, ticks=False, labelPadding=8))
    yoff = alt.YOffset("group:N", sort=groups, scale=alt.Scale(paddingOuter=0.3))
    base = alt.Chart(df).encode(y=y, yOffset=yoff)
    bars = base.transform_filter("isValid(datum.lo)").mark_rule(aria=False, strokeWidth=2, color="#9aa4b1").encode(
        x=alt.X("lo:Q", title=axis_title, scale=alt.Scale(zero=False)), x2=alt.X2("hi:Q"))
    dots = base.transform_filter("isValid(datum.index)").mark_point(size=70, filled=True, opacity=1).encode(
        x=alt.X("index:Q", title=axis_title, scale=alt.Scale(zero=False)),
        color=alt.Color("group:N", title=group_title, sort=groups,
                        scale=alt.Scale(domain=groups, range=palette[:len(groups)]),
                        legend=alt.Legend(orient="bottom", labelLimit=0)),
        shape=alt.Shape("group:N", title=group_title, sort=groups,
                        scale=alt.Scale(domain=groups, range=shapes[:len(groups)])),
        tooltip=[alt.Tooltip("name:N", title=" "), alt.Tooltip("label:N", title=" "),
                 alt.Tooltip("shown:N", title=" ")])
    refs = pd.DataFrame({"kind": ["all"], "x": [100.0], "label": [ref_label], "align": ["left"]})
    chart = alt.layer(bars, dots, *_ref_layers(refs)).properties(
        title=_title(title, subtitle), height=14 * len(df) + 24 * len(order) + 180, width="container")
    return themed(chart, lang)
