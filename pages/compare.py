"""Alueiden vertailu: the areas of a KPI compared fairly (age-standardised rates, intervals, a benchmark), as a
ranked list, a funnel plot, a spine chart, the change since 2019, two KPIs against each other, the counties."""
from dataclasses import replace

import streamlit as st

from metrics import compare
from metrics.engine import BASE_YEAR
from metrics.registry import load_registry
from app import compare as data, context, forecasting, state
from ui import compare as view
from ui.format import fmt_number
from ui.i18n import local, t

lang, f, version = context.setup("page_compare")
reg = load_registry()
munis = state.municipalities(version)
st.title(t("page_compare", lang))
st.caption(f"{context.describe(f, version)} — {t('cmp_intro', lang)}")

ids = list(reg.kpis)
for param, key, options in (("kpi", "cmp_kpi", ids), ("std", "cmp_std", ("crude", "esp2013", "pooled")),
                            ("bench", "cmp_bench", ("county", "all", "target")),
                            ("view", "cmp_view", ("ranked", "funnel", "spine", "change", "scatter", "counties"))):
    context.url_choice(param, key, options, lang)    # a link names the indicator and the choices once (app/url.py)
c1, c2, c3 = st.columns([3, 2, 2])
kid = c1.selectbox(t("select_kpi", lang), ids, index=ids.index("contacts_per_1000"), key="cmp_kpi",
                   format_func=lambda x: reg[x].name(lang))
k = reg[kid]
can_std = compare.standardisable(k, reg)
std_names = {"crude": t("cmp_std_crude", lang), "esp2013": t("cmp_std_esp", lang), "pooled": t("cmp_std_pooled", lang)}
std = c2.radio(t("cmp_standard", lang), list(std_names), format_func=std_names.get, key="cmp_std",
               disabled=not can_std, help=t("cmp_standard_help", lang))
standard = std if can_std and std != "crude" else None
bench_names = {"county": t("cmp_bench_county", lang), "all": t("cmp_bench_all", lang), "target": t("target", lang)}
bench = c3.selectbox(t("cmp_bench", lang), list(bench_names), format_func=bench_names.get, key="cmp_bench")
kind = compare.interval_kind(k, reg)
if not can_std:
    st.caption(t("cmp_no_std", lang, name=k.name(lang)))
if kind is None:
    st.caption(t("cmp_no_interval", lang, name=k.name(lang)))
if bench == "target" and not k.target:
    st.caption(t("cmp_no_target", lang, name=k.name(lang)))
method = view.standard_text(standard, f.year, lang, intervals=kind is not None)
subtitle = f"{context.describe(f, version)} · {method}"
st.caption(method)

views = {"ranked": t("cmp_view_ranked", lang), "funnel": t("cmp_view_funnel", lang),
         "spine": t("cmp_view_spine", lang), "change": t("cmp_view_change", lang),
         "scatter": t("cmp_view_scatter", lang), "counties": t("cmp_view_counties", lang)}
chosen = st.segmented_control(t("cmp_view", lang), list(views), format_func=views.get, default="ranked",
                              key="cmp_view") or "ranked"
for param, value, key in (("kpi", kid, "cmp_kpi"), ("std", std, "cmp_std"), ("bench", bench, "cmp_bench"),
                          ("view", chosen, "cmp_view")):
    context.url_put(param, value, key)
target = k.target.value if k.target else None
tab = data.table(kid, f, (BASE_YEAR, f.year), standard, version)
flagged = compare.with_flags(tab, k, bench, standardised=standard is not None, target=target)
now = flagged[flagged.yr == f.year]

if chosen == "ranked":
    view.ranked_section(flagged, k, munis, lang, county=f.county, year=f.year, subtitle=subtitle, key="cmp_ranked",
                        standardised=standard is not None, chosen=f.municipalities, bench_name=bench_names[bench])
elif chosen == "funnel":
    ref = now[(now.level == compare.COUNTY) & (now.code == f.county)] if f.county and bench == "county" else \
        now[now.level == compare.ALL]
    b = float(target) if bench == "target" and target is not None else \
        float(ref.value.iloc[0]) if len(ref) and ref.value.notna().iloc[0] else float("nan")
    area = now[now.county_code == f.county] if f.county else now
    if standard:
        st.caption(t("cmp_funnel_crude", lang))
    phi, over = compare.overdispersion(area, k, reg, b)
    widen = st.toggle(t("cmp_overdispersion", lang), key="cmp_phi", help=t("cmp_overdispersion_help", lang))
    st.caption(t("cmp_phi_note" if over else "cmp_phi_none", lang, phi=fmt_number(phi, 1, lang)))
    phi = phi if widen and over else 1.0
    view.funnel_section(flagged, k, compare.funnel(area, k, reg, b, phi=phi),
                        compare.outside_funnel(area, k, reg, b, phi=phi), b, munis, lang, county=f.county,
                        year=f.year, subtitle=subtitle, key="cmp_funnel")
elif chosen in ("spine", "counties"):
    levels = ("strategic", "tactical", "operational")
    a, b_ = st.columns(2)
    level = a.selectbox(t("level", lang), levels, index=levels.index(k.level), key="cmp_level",
                        format_func=lambda x: t(f"level_{x}", lang))
    kpis = {x.id: x for x in reg.by_level(level) if x.denominator or x.unit not in ("count", "persons", "eur")}
    tables = data.tables(list(kpis), f, (BASE_YEAR, f.year), version)
    if chosen == "spine":
        in_county = munis if not f.county else munis[munis.county_code == f.county]
        areas = {**{c: n for c, n in zip(in_county.county_code, local(in_county, "county", lang))},
                 **dict(zip(in_county.municipality_code, in_county.name_fi))}
        first = f.municipalities[0] if f.municipalities else f.county or in_county.municipality_code.iloc[0]
        code = b_.selectbox(t("cmp_area", lang), list(areas), index=list(areas).index(first), key="cmp_area",
                            format_func=areas.get)
        rows = []
        for x, tb in tables.items():
            fl = compare.with_flags(tb, kpis[x], bench, target=kpis[x].target.value if kpis[x].target else None)
            row = compare.spine_row(fl, kpis[x], code, f.year, within=f.county)
            row["flag_key"] = view.flag_key(fl, code, f.year)
            rows.append(row)
        view.spine_section(rows, kpis, areas[code], lang, year=f.year, subtitle=subtitle, key="cmp_spine")
    else:
        counties = sorted({c for tb in tables.values() for c in tb.county_code.dropna()})
        verdicts = {(c, x): forecasting.verdict(x, replace(f, county=c, municipalities=()), version)
                    for c in counties for x in kpis if kpis[x].targets} \
            if b_.toggle(t("cmp_verdicts", lang), key="cmp_verdicts", help=t("cmp_verdicts_help", lang)) else {}
        view.county_section(tables, kpis, munis, lang, year=f.year, base_year=BASE_YEAR, subtitle=subtitle,
                            key="cmp_counties", verdicts=verdicts)
elif chosen == "change":
    value = "std_value" if standard else "value"
    view.change_section(compare.changes(flagged, k, f.year, BASE_YEAR, value), k, munis, lang, county=f.county,
                        year=f.year, base_year=BASE_YEAR, subtitle=subtitle, key="cmp_change")
else:
    others = [x for x in ids if x != kid]
    default = "care_guarantee_7d" if kid != "care_guarantee_7d" else "net_cost_per_resident"
    ky = st.selectbox(t("cmp_kpi_y", lang), others, index=others.index(default), key="cmp_kpi_y",
                      format_func=lambda x: reg[x].name(lang))
    view.scatter_section(tab, data.table(ky, f, (f.year,), None, version), data.table("population", f, (f.year,),
                         None, version), k, reg[ky], munis, lang, county=f.county, year=f.year, subtitle=subtitle,
                         key="cmp_scatter")
st.caption(t("suppressed_note", lang))
