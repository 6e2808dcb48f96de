"""Analyst upload: template, checked file with clear messages, the mapping step and source profiles, preview
against the warehouse, atomic store, upload log and rollback (analysts and admins; rollback admins only; rows
limited to the user's region)."""
import pandas as pd
import streamlit as st

from app import context, state
from app import upload as uploads
from ui import upload as ui_upload
from ui.format import fmt_number
from ui.i18n import local, t
from ui.safe import incident, md

lang, _, version = context.setup("page_upload")

st.title(t("page_upload", lang))
st.caption(t("upl_intro", lang))
flash_box = st.container()          # always drawn, so the elements below keep their place when the message goes
if flash := st.session_state.pop("upl_flash", None):
    (flash_box.success if flash[0] == "ok" else flash_box.info)(flash[1])

specs = {d.id: d for d in uploads.available_datasets()}
ds = st.selectbox(t("upl_dataset", lang), options=list(specs), format_func=lambda d: specs[d].name(lang),
                  key="upl_dataset")
spec = specs[ds]
st.caption(local(spec, "description", lang))
st.download_button(t("upl_template", lang), data=uploads.template(ds, version), file_name=t("upl_template_file", lang, dataset=ds),
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="upl_template",
                   icon=":material/download:")

mb = uploads.MAX_BYTES // (1024 * 1024)
st.markdown(f"**{t('upl_file', lang)}**")
st.caption(t("upl_drop_hint", lang, mb=mb))        # Streamlit's own dropzone and button text cannot be translated
up = st.file_uploader(t("upl_file", lang), type=["xlsx", "csv"], label_visibility="collapsed",
                      key=f"upl_file_{ds}_{st.session_state.get('upl_nonce', 0)}", max_upload_size=mb,
                      help=t("upl_file_help", lang, mb=mb, rows=fmt_number(uploads.MAX_ROWS, 0, lang)))
if up is not None:
    with st.spinner(t("upl_checking", lang, name=md(up.name))):
        v = uploads.checked(up.getvalue(), up.name, ds)
    asks = uploads.needs_mapping(v)
    ui_upload.recognised_and_issues(v, lang, mapping=asks)
    if asks:
        uploads.mapping_step(v, up.getvalue(), up.name, lang)
    elif v.ok:
        cols, kpis = uploads.coarse_kpis(v, lang)
        if cols:
            st.info(t("upl_coarse_kpis", lang, columns=", ".join(ui_upload.header(spec, c, lang) for c in cols),
                      kpis=", ".join(kpis) or "-"), icon=":material/info:")
        st.subheader(t("upl_preview", lang))
        mode = st.radio(t("upl_mode", lang), options=["upsert", "replace"], key="upl_mode", horizontal=True,
                        format_func=lambda m: t(f"upl_mode_{m}" + ("_all" if m == "replace" and not spec.scope
                                                                   else ""), lang))
        try:
            cmp = uploads.preview(v, mode)
        except uploads.UploadError as exc:
            st.error(md(ui_upload.error_message(exc.code, exc.params, lang)))
            st.stop()
        ui_upload.comparison(cmp, lang)
        if spec.time_column:
            ui_upload.periods_and_chart(spec, uploads.new_periods(v), uploads.monthly_totals(v),
                                        pd.Timestamp(*state.latest_month(version), 1), lang)
        if st.button(t("upl_ingest", lang), type="primary", key="upl_ingest", icon=":material/upload:"):
            bar = st.progress(0.0, text=t("upl_progress", lang, stage=t("upl_stage_staging", lang)))
            try:
                res = uploads.ingest(v, mode, lang=lang, progress=lambda f, s: bar.progress(
                    f, text=t("upl_progress", lang, stage=t(f"upl_stage_{s}", lang))))
            except uploads.UploadError as exc:
                st.error(md(ui_upload.error_message(exc.code, exc.params, lang)))
            except Exception as exc:  # noqa: BLE001 - the transaction rolled back; the log says why
                st.error(t("upl_failed", lang, ref=incident(exc, "upload store")))
            else:
                st.session_state["upl_flash"] = ui_upload.stored_message(res, lang)
                st.session_state["upl_nonce"] = st.session_state.get("upl_nonce", 0) + 1   # empty the uploader
                st.rerun()

st.divider()
uploads.profiles_section(lang)
st.divider()
uploads.log_section(lang)
