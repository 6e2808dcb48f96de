"""Tactical level: access and care guarantee, channel mix, unit costs per output, continuity of care."""
from dataclasses import replace

import pandas as pd
import streamlit as st

from metrics.registry import load_registry
from app import context, forecasting, state
from ui import charts
from ui.format import fmt_month, fmt_value
from ui.i18n import local, t
from ui.widgets import chart_with_table, kpi_grid, kpi_trend

lang, base, version = context.setup("page_tactical")
reg = load_registry()
areas = state.service_areas(version)
area_names = dict(zip(areas.service_area, local(areas, "name", lang)))

st.title(t("page_tactical", lang))
caption = st.empty()
c1, c2 = st.columns(2)
context.url_choice("areas", "tactical_areas", area_names, lang, multi=True)
context.url_choice("ages", "tactical_ages", state.AGE_GROUPS, lang, multi=True)
chosen_areas = c1.multiselect(t("service_area", lang), list(area_names), format_func=area_names.get,
                              key="tactical_areas", placeholder=t("all_service_areas", lang))
chosen_ages = c2.multiselect(t("age_group", lang), list(state.AGE_GROUPS), key="tactical_ages",
                             placeholder=t("all_age_groups", lang))
context.url_put("areas", ",".join(chosen_areas), "tactical_areas")
context.url_put("ages", ",".join(chosen_ages), "tactical_ages")
f = replace(base, service_areas=tuple(chosen_areas), age_groups=tuple(chosen_ages))
subtitle = context.describe(f, version)
caption.caption(f"{subtitle} — {t('tactical_intro', lang)}")

# Only the open tab is computed and drawn (Streamlit's lazy tabs: choosing a tab reruns the page). The open tab is
# in the URL by its code (`tab`), so a link opens it, and it stays open when the language changes.
TABS = {"access": t("tab_access", lang), "channels": t("tab_channels", lang), "unit_costs": t("tab_unit_costs", lang),
        "continuity": t("tab_continuity", lang)}
before = st.session_state.get("tactical_tab_code")
context.url_choice("tab", "tactical_tab_code", list(TABS), lang)
code = st.session_state.get("tactical_tab_code")
if code in TABS and (code != before or st.session_state.get("tactical_tab") not in TABS.values()):
    st.session_state["tactical_tab"] = TABS[code]
tabs = st.tabs(list(TABS.values()), key="tactical_tab", on_change="rerun")
access, channels, unit_costs, continuity = tabs
code = next((c for c, tab in zip(TABS, tabs) if tab.open), "access")
st.session_state["tactical_tab_code"] = code
context.url_put("tab", None if code == "access" else code, "tactical_tab_code")

if access.open:
    with access:
        ids = ["care_guarantee_7d", "care_guarantee_14d", "dental_within_3m", "t3_primary", "t3_dental",
               "doctor_visits_per_1000"]
        kpi_grid([state.summary(k, f, version) for k in ids], lang, verdicts=forecasting.verdicts(ids, f, version))
        context.url_choice("kpi", "tactical_access_kpi", ids, lang)
        pick = st.selectbox(t("select_kpi", lang), ids, format_func=lambda k: reg[k].name(lang),
                            key="tactical_access_kpi")
        context.url_put("kpi", pick, "tactical_access_kpi")
        kpi_trend(reg[pick], state.series(pick, f, "month", None, version), lang, subtitle, key="tactical_access_trend")

if channels.open:
    with channels:
        shown = ("remote_share", "digital_share", "contacts_per_1000")
        kpi_grid([state.summary(k, f, version) for k in shown], lang, verdicts=forecasting.verdicts(shown, f, version))
        mix = state.values("contacts_total", f, ("yr", "mon", "channel"), tuple(range(f.year - 2, f.year + 1)), version)
        mix = mix.dropna(subset=["value"]).assign(
            period=lambda d: pd.to_datetime(dict(year=d.yr.astype(int), month=d.mon.astype(int), day=1)),
            label=lambda d: d.channel.map(lambda c: t(f"channel_{c}", lang)),
            order=lambda d: d.channel.map({c: i for i, c in enumerate(state.CHANNELS)}))
        normalize = st.toggle(t("share_pct", lang), value=True, key="tactical_mix_share")
        order = [t(f"channel_{c}", lang) for c in state.CHANNELS]
        chart = charts.stacked_bars(mix, x="period", color="label", value_title=t("share_pct", lang) if normalize
                                    else t("contacts", lang), color_title=t("channel", lang),
                                    title=t("channel_mix_title", lang), subtitle=subtitle, lang=lang,
                                    normalize=normalize, x_title=t("month", lang), order=order)
        table = mix.pivot_table(index="period", columns="label", values="value", aggfunc="sum").reindex(columns=order)
        table.index = [fmt_month(p) for p in table.index]
        table = table.map(lambda v: fmt_value(v, "count", lang)).reset_index(names=t("month", lang))
        chart_with_table(chart, table, t("chart_alt_stack", lang, name=t("channel_mix_title", lang),
                                         first=table.iloc[0, 0], last=table.iloc[-1, 0]) if len(table) else "",
                         lang, key="tactical_mix")

if unit_costs.open:
    with unit_costs:
        per_contact = state.values("cost_per_contact", f, ("service_area",), None, version)
        per_client = state.values("cost_per_client", f, ("service_area",), None, version)
        uc = per_contact.rename(columns={"numerator": "cost", "denominator": "contacts", "value": "per_contact"}).merge(
            per_client[["service_area", "denominator", "value"]].rename(
                columns={"denominator": "clients", "value": "per_client"}), on="service_area", how="outer")
        uc["area"] = uc.service_area.map(area_names)
        uc["shown"] = [fmt_value(v, "eur", lang) for v in uc.per_contact]
        chart = charts.region_bars_spec(uc.rename(columns={"per_contact": "value"}), label="area",
                                        value_title=t("eur_per_contact", lang), unit="eur",
                                        title=t("unit_cost_title", lang), subtitle=subtitle, lang=lang)
        table = pd.DataFrame({
            t("service_area", lang): uc.area,
            t("net_cost", lang): [fmt_value(v, "eur", lang) for v in uc.cost],
            t("contacts", lang): [fmt_value(v, "count", lang) for v in uc.contacts],
            t("clients", lang): [fmt_value(v, "count", lang) for v in uc.clients],
            t("eur_per_contact", lang): uc.shown,
            t("eur_per_client", lang): [fmt_value(v, "eur", lang) for v in uc.per_client],
        })
        ranked = uc.dropna(subset=["per_contact"]).sort_values("per_contact")
        alt_text = t("chart_alt_bars", lang, name=t("unit_cost_title", lang), max_name=ranked.area.iloc[-1],
                     max=ranked.shown.iloc[-1], min_name=ranked.area.iloc[0],
                     min=ranked.shown.iloc[0]) if len(ranked) else ""
        chart_with_table(chart, table, alt_text, lang, key="tactical_unit_costs")
        kpi_trend(reg["cost_per_contact"], state.series("cost_per_contact", f, "year", None, version), lang, subtitle,
                  key="tactical_unit_cost_trend", grain="year")

if continuity.open:
    with continuity:
        shown = ("continuity_coc", "callback_delay", "team_clients")
        kpi_grid([state.summary(k, f, version) for k in shown], lang, verdicts=forecasting.verdicts(shown, f, version))
        kpi_trend(reg["continuity_coc"], state.series("continuity_coc", f, "month", None, version), lang, subtitle,
                  key="tactical_coc_trend")
