"""Analyst upload: template, checked file with clear messages, preview against the warehouse, atomic store,
upload log and rollback (analysts and admins; rollback admins only; rows limited to the user's region)."""
import pandas as pd
import streamlit as st

from app import auth, context, state
from app import upload as uploads
from ui import upload as ui_upload
from ui.format import fmt_number
from ui.i18n import local, t
from ui.safe import file_stem, incident, md, md_frame

SHOWN_ISSUES = 50          # on the page; the Excel error report has them all

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

up = st.file_uploader(t("upl_file", lang), type=["xlsx", "csv", "xlsm", "xls"],   # .xlsm/.xls get a refusal that says why
                      key=f"upl_file_{ds}_{st.session_state.get('upl_nonce', 0)}",
                      max_upload_size=uploads.MAX_BYTES // (1024 * 1024),
                      help=t("upl_file_help", lang, mb=uploads.MAX_BYTES // (1024 * 1024),
                             rows=fmt_number(uploads.MAX_ROWS, 0, lang)))
if up is not None:
    with st.spinner(t("upl_checking", lang, name=md(up.name))):
        v = uploads.checked(up.getvalue(), up.name, ds)
    if v.notes:
        st.info(f"**{t('upl_recognised', lang)}**\n\n" + "\n".join(f"- {md(ui_upload.note_text(n, lang))}" for n in v.notes))
    if not v.ok:
        st.error(t("upl_error_one", lang) if v.n_errors == 1 else
                 t("upl_errors", lang, n=fmt_number(v.n_errors, 0, lang)), icon="⚠️")
        table = ui_upload.issues_table(v, lang)
        if v.n_errors > SHOWN_ISSUES:
            st.caption(t("upl_errors_more", lang, shown=fmt_number(SHOWN_ISSUES, 0, lang),
                         n=fmt_number(v.n_errors, 0, lang)))
        st.table(md_frame(table.head(SHOWN_ISSUES)), hide_index=True)   # long fixes wrap; cells are markdown: escaped
        st.download_button(t("upl_error_report", lang), data=ui_upload.error_report_xlsx(v, lang),
                           file_name=t("upl_report_file", lang, name=file_stem(up.name)), key="upl_report",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    else:
        for i in v.issues:
            st.warning(md(" ".join(ui_upload.issue_text(i, spec, lang))))
        st.success(t("upl_valid", lang, rows=fmt_number(len(v.frame), 0, lang)))
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
st.subheader(t("upl_audit", lang))
log = uploads.audit_log()
if log.empty:
    st.caption(t("upl_none", lang))
else:
    ui_upload.audit_table(log, {d: spec.name(lang) for d, spec in uploads.DATASETS.items()}, lang)
    committed = log[log.status == "committed"]
    if len(committed) and auth.can("rollback"):
        with st.expander(t("upl_rollback", lang), key="upl_rb_box"):   # keyed: stays open across reruns
            pick = st.selectbox(t("upl_rollback_pick", lang), options=list(committed.upload_id), key="upl_rb_pick",
                                format_func=lambda i: f"{i}: {committed.set_index('upload_id').file_name[i]}")
            sure = st.checkbox(t("upl_rollback_confirm", lang), key="upl_rb_sure")
            if st.button(t("upl_rollback_button", lang), disabled=not sure, key="upl_rb_go"):
                try:
                    new_version = uploads.rollback(int(pick), lang)
                except uploads.UploadError as exc:
                    st.error(md(ui_upload.error_message(exc.code, exc.params, lang)))
                else:
                    st.session_state["upl_flash"] = ("ok", t("upl_rolled_back", lang, id=int(pick), version=new_version))
                    st.rerun()
