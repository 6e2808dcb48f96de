"""Child budgeting: how much goes to children (0-17), how much of it is preventive, and is it growing?"""
import streamlit as st

from app import child_budget as acb
from app import auth, context, state
from ui import child_budget as cbui
from ui.i18n import local, month_window, t
from ui.safe import md
from ui.widgets import kpi_card

lang, f, version = context.setup("page_child_budget")
place = context.describe(f, version)
period = f"{month_window(f.months, lang)} {f.year}"

st.title(t("page_child_budget", lang))
st.caption(f"{place} — {t('cb_intro', lang)}")
if saved := st.session_state.pop("cb_saved_version", None):
    st.success(t("cb_saved", lang, version=saved), icon="✅")

series = acb.trend(f, version)
if series.empty or f.year not in set(series.yr):
    st.info(t("no_data", lang))
    st.stop()
now = series[series.yr == f.year].iloc[0]

goal = cbui.headline(series, now, lang)                  # share, € per child, preventive share, vs budget
cbui.money_flow(series, now, goal, f, place, lang)       # total cost → child spending; preventive over time

st.subheader(t("cb_regions_header", lang, period=period))
cbui.regions(acb.levels(f, version), state.municipalities(version), f, place, lang)

st.subheader(t("cb_lines_header", lang, period=period))   # every figure traced to a class, account, rule, key
classes = local(acb.service_classes(version).set_index("service_class"), "name", lang)
cbui.lines_table(acb.lines(f, version), classes, lang)
st.caption(t("cb_lines_caption", lang, pct=int(acb.SENSITIVITY * 100)))

st.subheader(t("cb_indicators_header", lang))            # outcomes beside the money
for col, kpi_id in zip(st.columns(2), ("child_family_contacts_per_1000", "youth_mental_health_per_1000")):
    with col:
        kpi_card(state.summary(kpi_id, f, version), lang)
if len(ind := acb.indicators(version)):
    cbui.indicators_table(ind, lang)
    st.caption(t("cb_deficit_caption", lang))

st.subheader(t("cb_edit_header", lang))                  # the classification: edit and save a new version
st.caption(t("cb_edit_intro", lang) if auth.can("classify") else t("cb_edit_readonly", lang))
shown_rules = acb.classification(version)
edited, comment, submitted = cbui.classification_editor(
    shown_rules, classes, list(acb.cost_accounts(version).cost_account), acb.CODES, acb.LIMITS, lang,
    editable=auth.can("classify"))
if submitted:
    try:
        new_version = acb.save(cbui.from_editor(edited), comment, lang, base=shown_rules)
    except acb.ClassificationError as err:
        st.error(t("cb_not_saved", lang) + "\n\n" + "\n".join(f"- {md(m)}" for m in cbui.error_messages(err, lang)),
                 icon="⚠️")
    else:
        st.session_state["cb_saved_version"] = new_version
        st.session_state.pop("cb_editor", None)
        st.rerun()
with st.expander(t("cb_versions", lang)):
    st.dataframe(cbui.versions_table(acb.versions(version), lang), hide_index=True, width="stretch")

if auth.can("export"):                                   # the whole model as a workbook, for audit
    st.download_button(t("cb_export", lang), data=lambda: acb.model_workbook(f, version, lang, place),
                       file_name=t("cb_export_file", lang, year=f.year), icon=":material/download:", key="cb_export",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       on_click=auth.record, args=("export", t("cb_export_file", lang, year=f.year), place))
    st.caption(t("cb_export_caption", lang))
