"""Board pack: pick KPI charts and cards, order them, save the selection, download PowerPoint and PDF."""
import streamlit as st

from metrics.registry import load_registry
from app import auth, context, exports, subscribe
from ui import board_pack, export
from ui.i18n import t
from ui.safe import incident, md

DEFAULT = ["care_guarantee_7d:card", "care_guarantee_7d:trend", "care_guarantee_7d:regions",
           "net_cost_per_resident:trend"]

lang, f, version = context.setup("page_board_pack")
registry = load_registry()

st.title(t("page_board_pack", lang))
st.caption(f"{context.describe(f, version)} — {t('pack_intro', lang)}")

CB = f"{board_pack.CHILD_BUDGET}:{board_pack.CHILD_BUDGET}"
options = [f"{k.id}:{kind}" for k in registry.kpis.values() for kind in board_pack.KINDS
           if kind != "forecast" or "month" in k.grains] + [CB]


def label(option: str) -> str:
    kpi, kind = option.split(":")
    name = t("pack_cb_name", lang) if option == CB else registry[kpi].name(lang)
    return f"{name} – {t('pack_kind_' + kind, lang)}"


def load_saved() -> None:
    name = st.session_state["pack_saved"]
    if name:
        picked = [f"{i['kpi']}:{i['kind']}" for i in exports.load_selection(name)]
        st.session_state["pack_items"] = [o for o in picked if o in options]
        st.session_state["pack_name"] = name


def move(i: int, step: int) -> None:
    items = st.session_state["pack_items"]
    items[i], items[i + step] = items[i + step], items[i]
    st.session_state["pack_items"] = list(items)


st.session_state.setdefault("pack_items", DEFAULT)
st.selectbox(t("pack_saved", lang), [""] + exports.selections(), key="pack_saved", on_change=load_saved,
             format_func=lambda n: n or t("pack_none", lang))
st.multiselect(t("pack_items", lang), options, key="pack_items", format_func=label, help=t("pack_items_help", lang))
items = st.session_state["pack_items"]

if items:
    st.subheader(t("pack_order", lang))
    for i, option in enumerate(items):
        text, up, down = st.columns([12, 1, 1], vertical_alignment="center")
        text.write(f"{i + 1}. {label(option)}")
        up.button("↑", key=f"pack_up_{option}", on_click=move, args=(i, -1), disabled=i == 0,
                  help=t("pack_move_up", lang, item=label(option)))
        down.button("↓", key=f"pack_down_{option}", on_click=move, args=(i, 1), disabled=i == len(items) - 1,
                    help=t("pack_move_down", lang, item=label(option)))
else:
    st.info(t("pack_empty", lang))

name_col, save_col = st.columns([3, 1], vertical_alignment="bottom")
name = name_col.text_input(t("pack_name", lang), key="pack_name", max_chars=80)
if save_col.button(t("pack_save", lang), disabled=not items):
    if not name.strip():
        st.warning(t("pack_save_no_name", lang))
    else:
        saved = exports.save_selection(name, [dict(zip(("kpi", "kind"), o.split(":"))) for o in items])
        st.success(t("pack_saved_ok", lang, name=md(saved)))

pictures = st.checkbox(t("pack_pictures", lang), key="pack_pictures")
signature = (tuple(items), f, version, lang, pictures)
title = name.strip() or t("pack_title", lang)
if st.button(t("pack_build", lang), type="primary", disabled=not items):
    auth.require("board_pack", lang)
    with st.spinner(t("pack_building", lang)):
        try:
            st.session_state["pack_files"] = {"signature": signature,
                                              **exports.build_pack(items, f, version, lang, title, pictures)}
        except Exception as exc:  # noqa: BLE001 - the user gets a sentence and an id, the log the traceback
            st.error(t("pack_failed", lang, ref=incident(exc, "board pack")))

files = st.session_state.get("pack_files")
if files and files["signature"] == signature:
    st.success(t("pack_built", lang, slides=files["slides"], seconds=f"{files['seconds']:.1f}".replace(".", ",")))
    detail = context.describe(f, version)
    left, right = st.columns(2)
    for col, fmt in ((left, "pptx"), (right, "pdf")):
        col.download_button(t(f"pack_download_{fmt}", lang), data=files[fmt], mime=export.MIME[fmt],
                            file_name=export.file_name(files["title"], fmt, lang=lang), key=f"pack_download_{fmt}",
                            on_click=exports.export_hook(auth.current()),
                            args=(f"pack_{fmt}", files["title"], detail, version),
                            type="primary" if fmt == "pptx" else "secondary", width="stretch")

subscribe.pack_section(st.session_state.get("pack_saved") or name.strip(), f, version, lang)
