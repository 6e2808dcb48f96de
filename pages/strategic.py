"""Strategic level: composite scores with their explanation, population, cost per resident, strategy targets."""
import pandas as pd
import streamlit as st

from metrics.composite import load_rules
from metrics.registry import load_registry
from app import context, forecasting, state
from ui import charts
from ui.format import fmt_number, fmt_trimmed, fmt_value
from ui.i18n import local, t
from ui.verdict import verdict_label
from ui.widgets import chart_with_table, kpi_grid, score_card, status_label

lang, f, version = context.setup("page_strategic")
reg = load_registry()
rules = load_rules()
subtitle = context.describe(f, version)

st.title(t("page_strategic", lang))
st.caption(f"{subtitle} — {t('strategic_intro', lang)}")

st.header(t("composite_title", lang), help=t("composite_help", lang, green=int(rules.green_from),
                                                 amber=int(rules.amber_from)))
areas = {a.id: a for a in rules.areas}
scores = state.composite_scores(f, version, forecasting.missed(
    {i.kpi for a in rules.areas for i in a.indicators}, f, version))
for col, (area_id, score, code, table) in zip(st.columns(len(scores)), scores):
    with col:
        score_card(areas[area_id].name(lang), score, code, lang)
        short = int((table.meets_target == False).sum())  # noqa: E712 - True/False/None
        if short and score >= rules.green_from:          # why a high score is not "on target"
            st.caption(t("composite_short", lang, n=short))
with st.expander(t("composite_how", lang)):
    for area_id, score, code, table in scores:
        st.markdown(f"**{areas[area_id].name(lang)}: {fmt_number(score, 1, lang)} / 100** — {status_label(code, lang)}")
        shown = pd.DataFrame({
            t("indicator", lang): [reg[k].name(lang) for k in table.kpi],
            t("col_value", lang): [fmt_value(v, reg[k].unit, lang) for k, v in zip(table.kpi, table.value)],
            t("baseline", lang): [fmt_trimmed(v, reg[k].unit, lang) for k, v in zip(table.kpi, table.baseline)],
            t("target", lang): [fmt_trimmed(v, reg[k].unit, lang) for k, v in zip(table.kpi, table.target)],
            t("composite_meets", lang): [t("composite_yes" if m is True else "composite_no" if m is False
                                           else "composite_na", lang) for m in table.meets_target],
            t("score", lang): [fmt_number(v, 1, lang) for v in table.score],
            t("weight", lang): [fmt_number(v * 100, 0, lang) + " %" for v in table.weight_used],
            t("points", lang): [fmt_number(v, 1, lang) for v in table.points],
        })
        st.table(shown, hide_index=True)

strategic = [k.id for k in reg.by_level("strategic")]
kpi_grid([state.summary(k, f, version) for k in strategic], lang, per_row=4,
         verdicts=forecasting.verdicts(strategic, f, version))

left, right = st.columns(2)
with left:
    pop = state.values("population", f, ("age_group",), None, version)
    pop = pop.assign(order=pop.age_group.map({g: i for i, g in enumerate(state.AGE_GROUPS)})).sort_values("order")
    pop["shown"] = [fmt_value(v, "persons", lang, s) for v, s in zip(pop.value, pop.suppressed)]
    chart = charts.region_bars_spec(pop, label="age_group", value_title=t("population_by_age", lang), unit="persons",
                                    title=f"{t('population_by_age', lang)} {f.year}", subtitle=subtitle, lang=lang,
                                    sort=list(state.AGE_GROUPS))
    ranked = pop.dropna(subset=["value"]).sort_values("value")
    chart_with_table(chart, pop[["age_group", "shown"]].rename(
        columns={"age_group": t("age_group", lang), "shown": t("col_value", lang)}),
        t("chart_alt_bars", lang, name=t("population_by_age", lang), max_name=ranked.age_group.iloc[-1],
          max=ranked.shown.iloc[-1], min_name=ranked.age_group.iloc[0], min=ranked.shown.iloc[0]),
        lang, key="strategic_population")
with right:
    cost = state.values("net_cost_per_resident", f, ("service_area",), None, version)
    names = local(state.service_areas(version).set_index("service_area"), "name", lang)
    cost = cost.assign(area=names.reindex(cost.service_area).to_numpy(),
                       shown=[fmt_value(v, "eur_per_resident", lang) for v in cost.value])
    chart = charts.region_bars_spec(cost, label="area", value_title=reg["net_cost_per_resident"].name(lang),
                                    unit="eur_per_resident", title=t("cost_by_area", lang), subtitle=subtitle, lang=lang)
    ranked = cost.sort_values("value")
    chart_with_table(chart, cost[["area", "shown"]].rename(
        columns={"area": t("service_area", lang), "shown": t("col_value", lang)}),
        t("chart_alt_bars", lang, name=t("cost_by_area", lang), max_name=ranked.area.iloc[-1],
          max=ranked.shown.iloc[-1], min_name=ranked.area.iloc[0], min=ranked.shown.iloc[0]),
        lang, key="strategic_cost")

st.header(t("strategy_targets", lang))
rows = []
for k in (k for k in reg.kpis.values() if k.targets):
    s = state.summary(k.id, f, version)
    rows.append({t("indicator", lang): k.name(lang), t("level", lang): t(f"level_{k.level}", lang),
                 t("col_value", lang): fmt_value(s.value, k.unit, lang, s.suppressed),
                 t("vd_col", lang): verdict_label(forecasting.verdict(k.id, f, version), k, lang)})
st.table(pd.DataFrame(rows), hide_index=True)        # wraps: no scroll inside the table, no name cut off
