"""Child budgeting: how much goes to children (0-17), how much of it is preventive, and is it growing?"""
import pandas as pd
import streamlit as st

from data_sources.child_budget import (ALL_ACCOUNTS, ALLOCATION_KEYS, KEY_SOURCE_MAX, NOTE_MAX, PREVENTION,
                                       TARGET_CLASSES, WHO_MAX, ClassificationError)
from metrics.child_budget import SENSITIVITY, preventive_goal, waterfall
from ui import charts, sidebar, state
from ui import child_budget as cbui
from ui.format import fmt_change, fmt_value
from ui.i18n import month_window, t
from ui.safe import md
from ui.widgets import chart_with_table, kpi_card, trend_spark

lang, f, version = state.page_context()
place = sidebar.describe(f, version)
period = f"{month_window(f.months, lang)} {f.year}"
band_pct = int(SENSITIVITY * 100)

cbui.ensure_classification(version)
st.title(t("page_child_budget", lang))
st.caption(f"{place} — {t('cb_intro', lang)}")
if saved := st.session_state.pop("cb_saved_version", None):
    st.success(t("cb_saved", lang, version=saved), icon="✅")

series = cbui.trend(f, version)
if series.empty or f.year not in set(series.yr):
    st.info(t("no_data", lang))
    st.stop()
now = series[series.yr == f.year].iloc[0]


def card(col, label: str, value: str, delta: str, help_text: str, spark: str | None = None, unit: str = "pct",
         delta_color: str = "off") -> None:
    """A headline number in a bordered card with its yearly trend (text alternative lists the years)."""
    with col.container(border=True):
        st.metric(label, value, delta, delta_color=delta_color, help=help_text)
        if spark:
            trend_spark(series[["yr", spark]].rename(columns={spark: "value"}), unit, label, lang)


# --- headline: share, € per child, preventive share, budget vs actual --------------------------------
c1, c2, c3, c4 = st.columns(4)
card(c1, t("cb_child_share", lang), fmt_value(now.child_share, "pct", lang),
     f"{fmt_change(now.child_share_yoy_pp, 'pct', lang)} {t('vs_prev_year', lang)}", t("cb_child_share_help", lang),
     "child_share")
card(c2, t("cb_eur_per_child", lang), fmt_value(now.eur_per_child, "eur", lang, bool(now.suppressed)),
     f"{fmt_change(now.eur_per_child_yoy_pct, 'eur', lang)} {t('vs_prev_year', lang)}",
     t("cb_eur_per_child_help", lang), "eur_per_child", "eur")
card(c3, t("cb_preventive_share", lang), fmt_value(now.preventive_share, "pct", lang),
     f"{fmt_change(now.preventive_share_yoy_pp, 'pct', lang)} {t('vs_prev_year', lang)}",
     t("cb_preventive_help", lang), "preventive_share", delta_color="normal")
card(c4, t("cb_child_spending", lang), fmt_value(now.child_actual, "eur", lang),
     f"{fmt_change(now.child_realisation - 100, 'eur', lang)} {t('cb_vs_budget', lang)}",
     t("cb_child_spending_help", lang))
goal = preventive_goal(series)
goal_text = {True: f":green[▲ {t('cb_goal_met', lang)}]", False: f":red[■ {t('cb_goal_not_met', lang)}]",
             None: f":gray[○ {t('status_none', lang)}]"}[goal["met"]]
st.caption(" · ".join([
    t("cb_band_caption", lang, pct=band_pct, share=cbui.fmt_band(now.child_share_low, now.child_share_high, "pct", lang),
      eur=cbui.fmt_band(now.eur_per_child_low, now.eur_per_child_high, "eur", lang)),
    f"{t('cb_goal', lang)}: {goal_text} ({fmt_change(goal['change_pp'], 'pct', lang)})",
    t("cb_budget_caption", lang, budget=fmt_value(now.child_budget, "eur", lang),
      share=fmt_value(now.child_share_budget, "pct", lang)),
]))

# --- from total cost to child spending; preventive vs corrective over time --------------------------
left, right = st.columns(2)
with left:
    steps = waterfall(now)
    chart = cbui.waterfall_chart(steps, lang, t("cb_waterfall_title", lang, period=period), place)
    table = pd.DataFrame({t("cb_col_step", lang): [t("cb_step_" + s, lang) for s in steps.step],
                          t("cb_col_amount", lang): [fmt_value(a, "eur", lang) for a in steps.amount]})
    chart_with_table(chart, table, t("cb_waterfall_alt", lang, total=fmt_value(now.actual_eur, "eur", lang),
                                     child=fmt_value(now.child_actual, "eur", lang),
                                     share=fmt_value(now.child_share, "pct", lang),
                                     direct=fmt_value(now.direct_child, "eur", lang),
                                     partial=fmt_value(now.partial_child, "eur", lang)), lang, key="cb_waterfall")
with right:
    chart = cbui.prevention_chart(series, lang, t("cb_prevention_title", lang, months=month_window(f.months, lang)),
                                  f"{place} · {t('cb_goal', lang)}")
    table = pd.DataFrame({t("col_year", lang): series.yr.astype(int),
                          cbui.prevention_label("preventive", lang): [fmt_value(v, "eur", lang) for v in series.preventive_child],
                          cbui.prevention_label("corrective", lang): [fmt_value(v, "eur", lang) for v in series.corrective_child],
                          cbui.prevention_label("other", lang): [fmt_value(v, "eur", lang) for v in series.other_child],
                          t("cb_preventive_share", lang): [fmt_value(v, "pct", lang) for v in series.preventive_share]})
    first = series.iloc[0]
    chart_with_table(chart, table, t("cb_prevention_alt", lang, first=int(first.yr), last=f.year,
                                     a=fmt_value(first.preventive_share, "pct", lang),
                                     b=fmt_value(now.preventive_share, "pct", lang), goal=goal_text.split("[")[-1].rstrip("]")),
                     lang, key="cb_prevention")

# --- municipalities side by side ------------------------------------------------------------------
st.subheader(t("cb_regions_header", lang, period=period))
lv = cbui.levels(f, version)
munis = state.municipalities(version).set_index("municipality_code")
counties = munis.drop_duplicates("county_code").set_index("county_code")["county_en" if lang == "en" else "county_fi"]
names = {"all": t("cb_all_together", lang)}
lv = lv.assign(name=[names["all"] if lvl == "all" else counties.get(code, code) if lvl == "county"
                     else munis.name_fi.get(code, code) for lvl, code in zip(lv.level, lv.code)])
m = lv[lv.level == "municipality"].assign(
    value=lambda d: d.child_share,
    shown=lambda d: [f"{fmt_value(v, 'pct', lang)} ({cbui.fmt_band(a, b, 'pct', lang)})"
                     for v, a, b in zip(d.child_share, d.child_share_low, d.child_share_high)])
chart = charts.region_bars(m, label="name", value_title=t("cb_child_share", lang), unit="pct",
                           title=t("cb_regions_title", lang, period=period), subtitle=place, lang=lang)
ranked = m.sort_values("child_share")
table = pd.DataFrame({
    t("cb_col_level", lang): [t("cb_level_" + x, lang) for x in lv.level], t("col_municipality", lang): lv.name,
    t("cb_child_share", lang): [fmt_value(v, "pct", lang) for v in lv.child_share],
    t("cb_col_band", lang): [cbui.fmt_band(a, b, "pct", lang) for a, b in zip(lv.child_share_low, lv.child_share_high)],
    t("cb_eur_per_child", lang): [fmt_value(v, "eur", lang, s) for v, s in zip(lv.eur_per_child, lv.suppressed)],
    t("cb_preventive_share", lang): [fmt_value(v, "pct", lang) for v in lv.preventive_share],
    t("cb_child_spending", lang): [fmt_value(v, "eur", lang) for v in lv.child_actual],
    t("cb_col_vs_budget", lang): [fmt_value(v, "pct", lang) for v in lv.child_realisation]})
chart_with_table(chart, table, t("cb_regions_alt", lang, year=f.year, max_name=ranked.name.iloc[-1],
                                 max=fmt_value(ranked.child_share.iloc[-1], "pct", lang), min_name=ranked.name.iloc[0],
                                 min=fmt_value(ranked.child_share.iloc[0], "pct", lang)), lang, key="cb_regions")

# --- the lines: every figure traced to a service class, an account, a rule and a key -----------------
st.subheader(t("cb_lines_header", lang, period=period))
ln = cbui.lines(f, version)
classes = cbui.service_classes(version).set_index("service_class")["name_en" if lang == "en" else "name_fi"]
class_col = t("cb_col_target", lang)
lines_table = pd.DataFrame({
    t("cb_col_service_class", lang): ln.service_class + " " + ln.service_class.map(classes),
    t("cb_col_account", lang): ln.cost_account, class_col: [cbui.target_label(x, lang) for x in ln.target_class],
    t("cb_col_prevention", lang): [cbui.prevention_label(x, lang) for x in ln.prevention],
    t("cb_col_key", lang): [cbui.key_label(x, lang) for x in ln.allocation_key],
    t("cb_col_key_value", lang): [fmt_value(v * 100, "pct", lang) for v in ln.child_key],
    t("cb_col_actual", lang): [fmt_value(v, "eur", lang) for v in ln.actual_eur],
    t("cb_col_child", lang): [fmt_value(v, "eur", lang) for v in ln.child_actual],
    t("cb_col_band", lang): [cbui.fmt_band(a, b, "eur", lang) for a, b in zip(ln.child_low, ln.child_high)],
    t("cb_col_rule", lang): [f"{s}/{r}" if r else t("cb_unclassified", lang) for s, r in zip(ln.service_class, ln.rule)],
})
st.dataframe(cbui.styled_lines(lines_table, class_col, ln.target_class), hide_index=True, width="stretch",
             height=360, key="cb_lines")
st.caption(t("cb_lines_caption", lang, pct=band_pct))

# --- outcomes beside the money ----------------------------------------------------------------------
st.subheader(t("cb_indicators_header", lang))
k1, k2 = st.columns(2)
for col, kpi_id in zip((k1, k2), ("child_family_contacts_per_1000", "youth_mental_health_per_1000")):
    with col:
        kpi_card(state.summary(kpi_id, f, version), lang)
ind = cbui.indicators(version)
if len(ind):
    worse = t("cb_worse", lang)
    st.dataframe(pd.DataFrame({
        t("cb_col_group", lang): ind["group_en" if lang == "en" else "group_fi"],
        t("cb_col_indicator", lang): ind["indicator_en" if lang == "en" else "indicator_fi"],
        t("cb_col_change", lang): [fmt_change(v, "eur", lang) for v in ind.change_pct],
        t("col_status", lang): [f"▼ {worse}" if (v > 0) == (w == "up") else f"▲ {t('cb_better', lang)}"
                                for v, w in zip(ind.change_pct, ind.worse_when)]}), hide_index=True, width="stretch",
        key="cb_deficit")
    st.caption(t("cb_deficit_caption", lang))

# --- the classification: edit and save a new version -------------------------------------------------
st.subheader(t("cb_edit_header", lang))
st.caption(t("cb_edit_intro", lang))
current = cbui.classification(version)
accounts = cbui.cost_accounts(version)
with st.form("cb_form", border=True):
    edited = st.data_editor(
        cbui.editor_frame(current), key="cb_editor", num_rows="dynamic", hide_index=True, width="stretch",
        column_config={
            "service_class": st.column_config.SelectboxColumn(t("cb_col_service_class", lang), required=True,
                                                              options=list(classes.index),
                                                              format_func=lambda c: f"{c} {classes.get(c, '')}"),
            "cost_account": st.column_config.SelectboxColumn(
                t("cb_col_account", lang), options=[ALL_ACCOUNTS, *accounts.cost_account], default=ALL_ACCOUNTS,
                format_func=lambda c: t("cb_all_accounts", lang) if c == ALL_ACCOUNTS else c),
            "target_class": st.column_config.SelectboxColumn(class_col, options=list(TARGET_CLASSES), required=True,
                                                             format_func=lambda c: cbui.target_label(c, lang)),
            "prevention": st.column_config.SelectboxColumn(t("cb_col_prevention", lang), options=list(PREVENTION),
                                                           required=True, format_func=lambda c: cbui.prevention_label(c, lang)),
            "allocation_key": st.column_config.SelectboxColumn(t("cb_col_key", lang), options=list(ALLOCATION_KEYS),
                                                               format_func=lambda c: cbui.key_label(c, lang)),
            "fixed_pct": st.column_config.NumberColumn(t("cb_col_fixed", lang), format="%.2f %%"),
            "key_source": st.column_config.TextColumn(t("cb_col_source", lang), width="large",
                                                      max_chars=KEY_SOURCE_MAX),
        })
    who, note = st.columns(2)
    changed_by = who.text_input(t("cb_changed_by", lang), key="cb_changed_by", max_chars=WHO_MAX)
    comment = note.text_input(t("cb_note", lang), key="cb_note", max_chars=NOTE_MAX)
    submitted = st.form_submit_button(t("cb_save", lang), type="primary")
if submitted:
    try:
        new_version = cbui.save(cbui.from_editor(edited), changed_by, comment)
    except ClassificationError as err:
        st.error(t("cb_not_saved", lang) + "\n\n" + "\n".join(f"- {md(m)}" for m in cbui.error_messages(err, lang)),
                 icon="⚠️")
    else:
        st.session_state["cb_saved_version"] = new_version
        st.session_state.pop("cb_editor", None)
        st.rerun()
with st.expander(t("cb_versions", lang)):
    st.dataframe(cbui.versions_table(cbui.versions(version), lang), hide_index=True, width="stretch")

# --- the whole model for audit -----------------------------------------------------------------------
st.download_button(t("cb_export", lang), data=lambda: cbui.model_workbook(f, version, lang, place),
                   file_name=f"lapsibudjetti_{f.year}.xlsx", icon=":material/download:", key="cb_export",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore")
st.caption(t("cb_export_caption", lang))
