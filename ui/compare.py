"""The region comparison's sections (page "Alueiden vertailu", and the ranked list on the KPI pages): each turns an
area table (metrics.compare.area_table + with_flags) into a chart (ui/compare_charts.py) with its table, text
alternative and export menu (widgets.chart_with_table). Drawing only; the numbers come in."""
from __future__ import annotations

import math
import threading
from collections import OrderedDict

import numpy as np
import pandas as pd
import streamlit as st

from metrics import compare
from metrics.registry import KPI

from . import compare_charts as cc
from .format import fmt_change, fmt_number, fmt_value
from .i18n import local, t
from .verdict import verdict_label
from .widgets import chart_with_table

LONG_LIST = 12          # more areas than this: top and bottom five plus the chosen ones by default
TOP_N = 5


def flag_texts(lang: str) -> dict[str, str]:
    """Words (with the shape's symbol) for each significance category of compare_charts.FLAG_STYLE."""
    return {"above_better": t("cmp_flag_above_better", lang), "below_better": t("cmp_flag_below_better", lang),
            "above_worse": t("cmp_flag_above_worse", lang), "below_worse": t("cmp_flag_below_worse", lang),
            "above_above": t("cmp_flag_above", lang), "below_below": t("cmp_flag_below", lang),
            "same_same": t("cmp_flag_same", lang), "none_none": t("cmp_flag_none", lang)}


def standard_text(standard: str | None, year: int, lang: str, intervals: bool = True) -> str:
    """The standardisation stated in words (page, subtitle and so every export); `intervals`: whether the KPI has
    any (money, days and uploaded series have none, and their subtitle does not name the interval methods)."""
    if standard == "esp2013":
        return t("cmp_std_esp_note", lang)
    if standard == "pooled":
        return t("cmp_std_pooled_note", lang, year=year)
    return t("cmp_std_crude_note" if intervals else "cmp_std_crude_no_interval_note", lang)


def _names(table: pd.DataFrame, munis: pd.DataFrame, lang: str) -> pd.Series:
    m = munis.drop_duplicates("municipality_code").set_index("municipality_code").name_fi
    c = munis.drop_duplicates("county_code").set_index("county_code")
    county = local(c, "county", lang)
    return pd.Series([m.get(code, code) if lvl == compare.MUNICIPALITY else county.get(code, code)
                      if lvl == compare.COUNTY else t("all_counties", lang)
                      for lvl, code in zip(table.level, table.code)], index=table.index)


def prepare(flagged: pd.DataFrame, kpi: KPI, munis: pd.DataFrame, lang: str, standardised: bool) -> pd.DataFrame:
    """Display columns on a flagged area table: name, v/lo/hi (crude or standardised), shown, interval, flag_key,
    flag_text."""
    v, lo, hi = ("std_value", "std_lo", "std_hi") if standardised else ("value", "lo", "hi")
    out = flagged.copy()
    out["name"] = _names(out, munis, lang)
    out["v"], out["lo_"], out["hi_"] = out[v].astype(float), out[lo].astype(float), out[hi].astype(float)
    out["shown"] = [fmt_value(x, kpi.unit, lang, bool(s)) for x, s in zip(out.v, out.suppressed)]
    out["crude_shown"] = [fmt_value(x, kpi.unit, lang, bool(s)) for x, s in zip(out.value, out.suppressed)]
    out["interval"] = [f"{fmt_value(a, kpi.unit, lang)} – {fmt_value(b, kpi.unit, lang)}"
                       if not (math.isnan(a) or math.isnan(b)) else "–" for a, b in zip(out.lo_, out.hi_)]
    raw = out.get("flag_raw", pd.Series("none", index=out.index))
    judged = out.get("flag", pd.Series("none", index=out.index))
    out["flag_key"] = [f"{r}_{j}" if f"{r}_{j}" in cc.FLAG_STYLE else "none_none" for r, j in zip(raw, judged)]
    texts = flag_texts(lang)
    out["flag_text"] = [t("cmp_flag_suppressed", lang) if s else texts[k]
                        for k, s in zip(out.flag_key, out.suppressed)]
    return out


def focus_picker(rows: pd.DataFrame, key: str, lang: str, chosen: tuple[str, ...] = (), keep=None) -> pd.DataFrame:
    """A long list (more than LONG_LIST areas) shows the top and bottom five and the chosen areas by default; a
    searchable multiselect adds areas, and "all" shows every one. Returns the rows to draw, ranked. `keep(key,
    make)`: where the ranking of these rows is kept between reruns (see ranked_section)."""
    keep = keep or _make
    ranked = keep(("ranked",), lambda: compare.ranked(rows.assign(value=rows.v), "value"))
    if len(ranked) <= LONG_LIST:
        return ranked
    names = dict(zip(ranked.code, ranked.name))
    left, right = st.columns([3, 2])
    picked = left.multiselect(t("cmp_focus", lang), sorted(names, key=names.get), format_func=names.get,
                              key=f"{key}_focus", placeholder=t("cmp_focus_placeholder", lang),
                              help=t("cmp_focus_help", lang, n=TOP_N))
    show_all = right.toggle(t("cmp_show_all", lang, n=len(ranked)), key=f"{key}_all")
    if show_all:
        return ranked
    wanted = tuple(picked) + tuple(chosen)
    shown = keep(("focus", wanted), lambda: compare.focus(ranked, TOP_N, wanted, "value"))
    st.caption(t("cmp_focus_note", lang, shown=len(shown), n=len(ranked)))
    return shown


def _make(_key, make):
    return make()


_kept: OrderedDict = OrderedDict()      # (id of a prepared table, ...) -> (that table, a part of its section)
_kept_lock = threading.Lock()
KEPT_MAX = 256


def _keeper(prepared: pd.DataFrame, *fixed):
    """keep(key, make) for the parts of a section drawn from `prepared`, an object the app holds between reruns
    (app.compare.prepared): a rerun, or a county change over the same table, finds them made. The table is kept
    beside each part, so its id cannot pass to another object while the part is kept."""
    def keep(key, make):
        full = (id(prepared), *fixed, *key)
        with _kept_lock:
            hit = _kept.get(full)
            if hit is not None:
                _kept.move_to_end(full)
                return hit[1]
        value = make()
        with _kept_lock:
            _kept[full] = (prepared, value)
            while len(_kept) > KEPT_MAX:
                _kept.popitem(last=False)
        return value
    return keep


def forget() -> None:
    """Drop the kept section parts (what a cold benchmark starts from)."""
    with _kept_lock:
        _kept.clear()


def _refs(flagged: pd.DataFrame, kpi: KPI, lang: str, county: str | None, year: int, standardised: bool,
          x_range: tuple[float, float]) -> pd.DataFrame:
    """The reference lines of a ranked chart (kind, x, label, align). A total (a count, persons or euros with no
    denominator) of a county or of all areas is the sum of many municipalities, not a level one municipality could
    be compared with: such a KPI gets no county or all-area line (the axis would run to the region's total and
    squeeze every municipality into its first tenth). Each label is aligned towards the middle of the axis, which
    spans the municipalities and the lines both."""
    v = "std_value" if standardised else "value"
    now = flagged[flagged.yr == year]
    rows = []
    total = kpi.unit in ("count", "persons", "eur") and not kpi.denominator
    counties = now[(now.level == compare.COUNTY) & ((now.code == county) if county else True) & now[v].notna()]
    for _, c in ([] if total else counties.sort_values(v).iterrows()):     # the chosen county's line, or every one
        rows.append(("county", float(c[v]), c["name"]))
    a = now[now.level == compare.ALL]
    if not total and len(a) and pd.notna(a[v].iloc[0]):
        rows.append(("all", float(a[v].iloc[0]), t("all_counties", lang)))
    if kpi.target:
        rows.append(("target", float(kpi.target.value), t("target", lang)))
    lo, hi = x_range
    lo, hi = min([lo, *(r[1] for r in rows)]), max([hi, *(r[1] for r in rows)])
    mid = (lo + hi) / 2
    return pd.DataFrame({"kind": [r[0] for r in rows], "x": [r[1] for r in rows],
                         "label": [f"{r[2]} {fmt_value(r[1], kpi.unit, lang)}" for r in rows],
                         "align": ["right" if r[1] > mid else "left" for r in rows]})


def ranked_section(flagged: pd.DataFrame | None, kpi: KPI, munis: pd.DataFrame, lang: str, *, county: str | None,
                   year: int, subtitle: str, key: str, standardised: bool = False, chosen: tuple[str, ...] = (),
                   bench_name: str = "", prepared: pd.DataFrame | None = None) -> None:
    """The ranked dot chart of the municipalities (of `county`, or all), with the selector for long lists.
    `prepared`: prepare(flagged, ...) as the app holds it between reruns (app.compare.prepared); then the chart,
    its table and text are made once per county, year and focus and found again on a rerun."""
    keep = _keeper(prepared, kpi.id, lang, standardised) if prepared is not None else _make
    if prepared is None:
        prepared = prepare(flagged, kpi, munis, lang, standardised)

    def areas_now() -> pd.DataFrame:
        now = prepared[(prepared.yr == year) & (prepared.level == compare.MUNICIPALITY)]
        return now[now.county_code == county] if county else now
    now = keep(("now", county, year), areas_now)
    if now.empty:
        st.info(t("no_data", lang))
        return
    rows = focus_picker(now, key, lang, chosen, lambda k, make: keep(("picker", county, year, *k), make))

    def section():
        drawn = rows.assign(order=np.arange(len(rows)), label=[f"{n}  {s}" for n, s in zip(rows.name, rows.shown)])
        vals = pd.concat([drawn.v, drawn.lo_, drawn.hi_]).dropna()
        refs = _refs(prepared, kpi, lang, county, year, standardised,
                     (float(vals.min()), float(vals.max())) if len(vals) else (0.0, 1.0))
        # a KPI that is not a ratio of counts (money, days, uploaded series) has no interval: nothing is tested, and
        # the legend and the text say so rather than speak of intervals and a benchmark
        untested = not (drawn.lo_.notna() & drawn.hi_.notna()).any()
        legend = t("cmp_legend_untested", lang) if untested else \
            t("cmp_legend", lang, bench=bench_name) if bench_name else t("cmp_legend_plain", lang)
        title = t("cmp_ranked_title", lang, name=kpi.name(lang), year=year)
        chart = cc.ranked_dots(drawn[["label", "name", "v", "lo_", "hi_", "order", "flag_key", "flag_text", "shown",
                                      "interval"]].rename(columns={"v": "value", "lo_": "lo", "hi_": "hi"}),
                               refs, unit=kpi.unit, value_title=kpi.name(lang), title=title, subtitle=subtitle,
                               legend_title=legend, lang=lang)
        shown = drawn.dropna(subset=["v"])
        counts = drawn.flag_raw.value_counts() if "flag_raw" in drawn else pd.Series(dtype=int)
        alt_text = t("cmp_alt_ranked_untested" if untested else "cmp_alt_ranked", lang, name=kpi.name(lang),
                     n=len(drawn),
                     max_name=shown.name.iloc[0] if len(shown) else "–", max=shown.shown.iloc[0] if len(shown) else "–",
                     min_name=shown.name.iloc[-1] if len(shown) else "–",
                     min=shown.shown.iloc[-1] if len(shown) else "–",
                     above=int(counts.get("above", 0)), below=int(counts.get("below", 0)),
                     refs="; ".join(refs.label) or "–")
        return chart, _area_table(drawn, kpi, lang, standardised), alt_text, title
    chart, table, alt_text, title = keep(("section", county, year, tuple(rows.code), subtitle, bench_name), section)
    chart_with_table(chart, table, alt_text, lang, key=key, kpi=kpi, title=title, subtitle=subtitle)


def _area_table(rows: pd.DataFrame, kpi: KPI, lang: str, standardised: bool = False) -> pd.DataFrame:
    """The ranked chart's numbers; a standardised chart keeps the crude value beside it (as Fingertips does)."""
    rank = [("" if pd.isna(r) else str(int(r))) for r in rows.get("rank", pd.Series(np.nan, index=rows.index))]
    out = pd.DataFrame({
        t("cmp_col_rank", lang): rank,
        t("cmp_col_area", lang): rows.name.to_numpy(),
        t("col_value", lang): rows.shown.to_numpy(),
        t("cmp_col_interval", lang): rows.interval.to_numpy(),
        t("numerator", lang): [fmt_value(x, "count", lang, bool(s)) for x, s in zip(rows.numerator, rows.suppressed)],
        t("denominator", lang): [fmt_value(x, "count", lang, bool(s)) if kpi.denominator else "–"
                                 for x, s in zip(rows.denominator, rows.suppressed)],
        t("cmp_col_bench", lang): [fmt_value(x, kpi.unit, lang) for x in rows.get("bench", np.nan)],
        t("cmp_col_flag", lang): rows.flag_text.to_numpy(),
    })
    if standardised:
        out.insert(3, t("cmp_col_crude", lang), rows.crude_shown.to_numpy())
    return out


def funnel_section(flagged: pd.DataFrame, kpi: KPI, limits: pd.DataFrame, position: pd.Series, bench: float,
                   munis: pd.DataFrame, lang: str, *, county: str | None, year: int, subtitle: str,
                   key: str) -> None:
    """The funnel plot of the municipalities' crude values around the benchmark."""
    prepared = prepare(flagged, kpi, munis, lang, False)
    pts = prepared[(prepared.yr == year) & (prepared.level == compare.MUNICIPALITY) & prepared.v.notna()]
    if county:
        pts = pts[pts.county_code == county]
    if pts.empty or limits.empty:
        st.info(t("cmp_no_funnel", lang))
        return
    words = {"above99.8": t("cmp_funnel_above998", lang), "above95": t("cmp_funnel_above95", lang),
             "inside": t("cmp_funnel_inside", lang), "below95": t("cmp_funnel_below95", lang),
             "below99.8": t("cmp_funnel_below998", lang), "none": t("cmp_flag_none", lang)}
    style = {"above99.8": "above_above", "above95": "above_above", "inside": "same_same",
             "below95": "below_below", "below99.8": "below_below", "none": "none_none"}
    pos = position.reindex(pts.index).fillna("none")
    pts = pts.assign(flag_key=pos.map(style), flag_text=pos.map(words), value=pts.v)
    b = t("cmp_bench_line", lang, value=fmt_value(bench, kpi.unit, lang))
    l95, l998 = t("cmp_limit95", lang), t("cmp_limit998", lang)
    lim = pd.concat([
        pd.DataFrame({"denominator": limits.denominator, "value": bench, "line": b, "series": "b"}),
        limits.assign(value=limits.lo95, line=l95, series="lo95"),
        limits.assign(value=limits.hi95, line=l95, series="hi95"),
        limits.assign(value=limits.lo998, line=l998, series="lo998"),
        limits.assign(value=limits.hi998, line=l998, series="hi998"),
    ], ignore_index=True)[["denominator", "value", "line", "series"]]
    title = t("cmp_funnel_title", lang, name=kpi.name(lang), year=year)
    chart = cc.funnel(pts[["denominator", "value", "name", "shown", "flag_key", "flag_text"]], lim, unit=kpi.unit,
                      value_title=kpi.name(lang), x_title=t("cmp_funnel_x", lang), title=title, subtitle=subtitle,
                      legend_title=t("cmp_funnel_legend", lang), line_title=t("cmp_funnel_lines", lang), lang=lang)
    outside = pts[pos.isin(["above99.8", "below99.8"])]
    alt_text = t("cmp_alt_funnel", lang, name=kpi.name(lang), n=len(pts), bench=fmt_value(bench, kpi.unit, lang),
                 out95=int(pos.isin(["above95", "below95", "above99.8", "below99.8"]).sum()), out998=len(outside),
                 names=", ".join(outside.name) or "–")
    table = pd.DataFrame({t("cmp_col_area", lang): pts.name, t("col_value", lang): pts.shown,
                          t("cmp_funnel_x", lang): [fmt_value(x, "count", lang) for x in pts.denominator],
                          t("cmp_col_flag", lang): pts.flag_text}).sort_values(t("cmp_col_area", lang))
    chart_with_table(chart, table, alt_text, lang, key=key, kpi=kpi, title=title, subtitle=subtitle)


def spine_section(rows: list[dict], kpis: dict[str, KPI], area_name: str, lang: str, *, year: int, subtitle: str,
                  key: str) -> None:
    """All KPIs of a level for one area against the areas' range, the benchmark and the target."""
    if not rows:
        st.info(t("no_data", lang))
        return
    texts = flag_texts(lang)
    df = pd.DataFrame(rows)
    k = df.kpi.map(kpis)
    df["shown"] = [fmt_value(v, kp.unit, lang, bool(s)) for v, kp, s in zip(df.value, k, df.suppressed)]
    df["name"] = area_name
    df["label"] = [f"{kp.name(lang)}  {s}" for kp, s in zip(k, df.shown)]
    df["flag_key"] = [f if f in cc.FLAG_STYLE else "none_none" for f in df.flag_key]
    df["flag_text"] = [t("cmp_flag_suppressed", lang) if s else texts[f] for f, s in zip(df.flag_key, df.suppressed)]
    df["range_text"] = [f"{fmt_value(a, kp.unit, lang)} – {fmt_value(b, kp.unit, lang)}"
                        for a, b, kp in zip(df["min"], df["max"], k)]
    df["target_text"] = [fmt_value(x, kp.unit, lang) for x, kp in zip(df.target, k)]
    st.caption(t("cmp_spine_key", lang))
    title = t("cmp_spine_title", lang, area=area_name, year=year)
    chart = cc.spine(df, title=title, subtitle=subtitle, legend_title=t("cmp_legend_plain", lang),
                     axis_title=t("cmp_spine_axis", lang), range_title=t("cmp_col_range", lang),
                     target_title=t("target", lang), lang=lang)
    table = pd.DataFrame({
        t("indicator", lang): [kp.name(lang) for kp in k], t("col_value", lang): df.shown,
        t("cmp_col_bench", lang): [fmt_value(x, kp.unit, lang) for x, kp in zip(df.bench, k)],
        t("cmp_col_min", lang): [fmt_value(x, kp.unit, lang) for x, kp in zip(df["min"], k)],
        t("cmp_col_max", lang): [fmt_value(x, kp.unit, lang) for x, kp in zip(df["max"], k)],
        t("target", lang): df.target_text, t("cmp_col_flag", lang): df.flag_text})
    n_sig = int(df.flag_key.isin([f for f in cc.FLAG_STYLE if f not in ("same_same", "none_none")]).sum())
    alt_text = t("cmp_alt_spine", lang, area=area_name, n=len(df), sig=n_sig)
    chart_with_table(chart, table, alt_text, lang, key=key, title=title, subtitle=subtitle)


def change_section(ch: pd.DataFrame, kpi: KPI, munis: pd.DataFrame, lang: str, *, county: str | None, year: int,
                   base_year: int, subtitle: str, key: str) -> None:
    """Each area now against the base year (2019, before covid) as a dumbbell, with the change in words."""
    rows = ch.copy()
    rows["name"] = _names(rows, munis, lang)
    rows = rows[(rows.level == compare.COUNTY) | (rows.level == compare.ALL) | (
        (rows.level == compare.MUNICIPALITY) & ((rows.county_code == county) if county else True))]
    moved = {"up": t("cmp_moved_up", lang), "down": t("cmp_moved_down", lang), "same": t("cmp_moved_same", lang),
             "none": t("cmp_flag_none", lang)}
    rows["shown_now"] = [fmt_value(v, kpi.unit, lang, bool(s)) for v, s in zip(rows.now, rows.suppressed)]
    rows["shown_base"] = [fmt_value(v, kpi.unit, lang, bool(s) if pd.notna(s) else False)
                          for v, s in zip(rows.base, rows.get("suppressed_base", False))]
    rows["change_text"] = [f"{fmt_change(c, kpi.unit, lang)} · {moved[m]}" for c, m in zip(rows.change, rows.moved)]
    munis_only = rows[rows.level == compare.MUNICIPALITY].assign(v=lambda d: d.change)
    shown = focus_picker(munis_only, key, lang) if len(munis_only) else munis_only
    rows = pd.concat([rows[rows.level != compare.MUNICIPALITY], shown.drop(columns=["rank", "value"], errors="ignore")])
    rows = rows.assign(order=np.arange(len(rows)),
                       label=[f"{n}  {c}" for n, c in zip(rows.name, rows.change_text)])
    title = t("cmp_change_title", lang, name=kpi.name(lang), base=base_year, year=year)
    chart = cc.dumbbell(rows[["label", "base", "now", "order", "name", "shown_base", "shown_now", "change_text"]],
                        unit=kpi.unit, value_title=kpi.name(lang), title=title, subtitle=subtitle,
                        series_title=t("col_year", lang), base_label=str(base_year), now_label=str(year), lang=lang)
    table = pd.DataFrame({t("cmp_col_area", lang): rows.name, str(base_year): rows.shown_base,
                          str(year): rows.shown_now, t("cmp_col_change", lang): rows.change_text})
    up, down = int((rows.moved == "up").sum()), int((rows.moved == "down").sum())
    alt_text = t("cmp_alt_change", lang, name=kpi.name(lang), base=base_year, year=year, n=len(rows), up=up,
                 down=down)
    chart_with_table(chart, table, alt_text, lang, key=key, kpi=kpi, title=title, subtitle=subtitle)


def scatter_section(x_tab: pd.DataFrame, y_tab: pd.DataFrame, pop: pd.DataFrame, kx: KPI, ky: KPI,
                    munis: pd.DataFrame, lang: str, *, county: str | None, year: int, subtitle: str,
                    key: str) -> None:
    """Two KPIs per municipality, sized by population."""
    def now(tab):
        r = tab[(tab.yr == year) & (tab.level == compare.MUNICIPALITY)]
        return r[r.county_code == county] if county else r
    x, y, p = now(x_tab), now(y_tab), now(pop)
    df = x[["code", "county_code", "value", "suppressed"]].merge(
        y[["code", "value", "suppressed"]], on="code", suffixes=("_x", "_y")).merge(
        p[["code", "value"]].rename(columns={"value": "size"}), on="code", how="left")
    df = df.dropna(subset=["value_x", "value_y"])
    if df.empty:
        st.info(t("no_data", lang))
        return
    names = munis.drop_duplicates("municipality_code").set_index("municipality_code").name_fi
    counties = local(munis.drop_duplicates("county_code").set_index("county_code"), "county", lang)
    df = df.assign(x=df.value_x, y=df.value_y, name=df.code.map(names), group=df.county_code.map(counties),
                   shown_x=[fmt_value(v, kx.unit, lang) for v in df.value_x],
                   shown_y=[fmt_value(v, ky.unit, lang) for v in df.value_y],
                   shown_size=[fmt_value(v, "persons", lang) for v in df["size"]])
    title = t("cmp_scatter_title", lang, x=kx.name(lang), y=ky.name(lang), year=year)
    chart = cc.scatter(df[["x", "y", "size", "group", "name", "shown_x", "shown_y", "shown_size"]],
                       x_unit=kx.unit, y_unit=ky.unit, x_title=kx.name(lang), y_title=ky.name(lang),
                       size_title=t("cmp_population", lang), group_title=t("county", lang), title=title,
                       subtitle=subtitle, lang=lang)
    r = float(np.corrcoef(df.x, df.y)[0, 1]) if len(df) > 2 else float("nan")
    alt_text = t("cmp_alt_scatter", lang, x=kx.name(lang), y=ky.name(lang), n=len(df),
                 r="–" if math.isnan(r) else fmt_value(r, "index", lang))
    table = pd.DataFrame({t("cmp_col_area", lang): df.name, t("county", lang): df.group, kx.name(lang): df.shown_x,
                          ky.name(lang): df.shown_y, t("cmp_population", lang): df.shown_size})
    chart_with_table(chart, table, alt_text, lang, key=key, title=title, subtitle=subtitle)


def county_section(tables: dict[str, pd.DataFrame], kpis: dict[str, KPI], munis: pd.DataFrame, lang: str, *,
                   year: int, base_year: int, subtitle: str, key: str, verdicts: dict | None = None) -> None:
    """The counties side by side on a level's KPIs: an index chart (all areas = 100) and a table with the 2019
    value and the seeds' baseline and target; with `verdicts` ({(county, kpi): Verdict}) also each county's
    target verdict from its forecast (the one rule of metrics.targets, as on every page)."""
    counties = local(munis.drop_duplicates("county_code").set_index("county_code"), "county", lang)
    points, rows = [], []
    for kid, tab in tables.items():
        k = kpis[kid]
        now = tab[tab.yr == year]
        whole = now[now.level == compare.ALL]
        ref = float(whole.value.iloc[0]) if len(whole) and pd.notna(whole.value.iloc[0]) else float("nan")
        row = {t("indicator", lang): k.name(lang)}
        for _, c in now[now.level == compare.COUNTY].iterrows():
            name = counties.get(c.code, c.code)
            shown = fmt_value(c.value, k.unit, lang, bool(c.suppressed))
            row[name] = shown
            if ref and not math.isnan(ref) and pd.notna(c.value):
                points.append({"label": k.name(lang), "group": name, "index": c.value / ref * 100,
                               "lo": c.lo / ref * 100, "hi": c.hi / ref * 100, "shown": shown, "name": name})
        row[t("all_counties", lang)] = fmt_value(ref, k.unit, lang)
        base = tab[(tab.yr == base_year) & (tab.level == compare.ALL)]
        row[str(base_year)] = fmt_value(base.value.iloc[0], k.unit, lang) if len(base) else "–"
        row[t("baseline", lang)] = f"{fmt_value(k.baseline.value, k.unit, lang)} ({k.baseline.date})" \
            if k.baseline else "–"
        row[t("target", lang)] = f"{fmt_value(k.target.value, k.unit, lang)} ({k.target.date})" if k.target else "–"
        rows.append(row)
    if not points:
        st.info(t("no_data", lang))
        return
    df = pd.DataFrame(points)
    title = t("cmp_counties_title", lang, year=year)
    chart = cc.county_index(df, title=title, subtitle=subtitle, axis_title=t("cmp_index_axis", lang),
                            group_title=t("county", lang), ref_label=t("cmp_index_ref", lang), lang=lang)
    table = pd.DataFrame(rows)
    best = df.loc[df["index"].idxmax()]
    alt_text = t("cmp_alt_counties", lang, n=len(tables), k=df.group.nunique(), top_kpi=best.label,
                 top=best.group, top_index=fmt_number(best["index"], 0, lang))
    chart_with_table(chart, table, alt_text, lang, key=key, title=title, subtitle=subtitle)
    if verdicts:
        st.caption(t("cmp_verdicts_title", lang))
        codes = sorted({c for c, _ in verdicts})
        st.dataframe(pd.DataFrame({t("indicator", lang): [kpis[x].name(lang) for x in kpis if kpis[x].targets],
                                   **{counties.get(c, c): [verdict_label(verdicts.get((c, x)), kpis[x], lang)
                                                           for x in kpis if kpis[x].targets] for c in codes}}),
                     hide_index=True, width="stretch")


def flag_key(flagged: pd.DataFrame, code: str, year: int) -> str:
    """The significance category of one area in a flagged table (a spine chart's dot)."""
    r = flagged[(flagged.yr == year) & (flagged.code == code)]
    if r.empty:
        return "none_none"
    key = f"{r.flag_raw.iloc[0]}_{r.flag.iloc[0]}"
    return key if key in cc.FLAG_STYLE else "none_none"
