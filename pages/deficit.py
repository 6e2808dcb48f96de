"""Service deficit (palveluvelka): the real 2019→2021 changes by group, as a readable diverging bar chart."""
import streamlit as st

from app import context, state
from ui import charts
from ui.format import fmt_number
from ui.i18n import local, t
from ui.widgets import chart_with_table

lang, _, version = context.setup("page_deficit")
df = state.service_deficit(version)

st.title(t("page_deficit", lang))
st.caption(t("deficit_intro", lang))

groups = local(df.drop_duplicates("group_code").set_index("group_code"), "group", lang)
if "deficit_groups" not in st.session_state:            # every group until chosen otherwise (or by a link)
    st.session_state["deficit_groups"] = list(groups.index)
context.url_choice("groups", "deficit_groups", list(groups.index), lang, multi=True)
chosen = st.multiselect(t("deficit_group", lang), list(groups.index), format_func=groups.get, key="deficit_groups")
context.url_put("groups", None if set(chosen) == set(groups.index) else ",".join(chosen), "deficit_groups")
view = df[df.group_code.isin(chosen)].copy()
view["group"] = local(view, "group", lang)
view["indicator"] = local(view, "indicator", lang)
repeated = view.indicator.duplicated(keep=False)       # e.g. anxiety is reported for youth and for children
view.loc[repeated, "indicator"] = view.indicator[repeated] + " (" + view.group[repeated].str.lower() + ")"
view["value"] = view.change_pct
# the shape and word say better or worse (a fall in visits is worse, a fall in loneliness better), not the sign
worse = [(v > 0) == (w == "up") for v, w in zip(view.value, view.worse_when)]
view["shown"] = [("+" if v > 0 else "") + fmt_number(v, 0, lang) + " % " + (f"▼ {t('cb_worse', lang)}" if bad else
                                                                         f"▲ {t('cb_better', lang)}")
                 for v, bad in zip(view.value, worse)]
view["label_x"] = view.value.clip(lower=0)
order = {g: i for i, g in enumerate(groups.index)}
view["sort_key"] = [order[g] * 1000 - v for g, v in zip(view.group_code, view.value)]
view = view.sort_values("sort_key")

if view.empty:
    st.info(t("no_data", lang))
else:
    chart = charts.diverging_bars(view, label="indicator", group="group", value_title=t("change_pct", lang),
                                  title=t("deficit_title", lang), lang=lang,
                                  group_order=[groups[g] for g in groups.index if g in chosen],
                                  subtitle=t("deficit_subtitle", lang))
    top, low = view.loc[view.value.idxmax()], view.loc[view.value.idxmin()]
    alt_text = t("deficit_alt", lang, n=len(view), max_name=top.indicator, max=top.shown,
                 min_name=low.indicator, min=low.shown)
    table = view[["group", "indicator", "shown"]].rename(columns={
        "group": t("deficit_group", lang), "indicator": t("indicator", lang), "shown": t("change_pct", lang)})
    chart_with_table(chart, table, alt_text, lang, key="deficit_chart")
