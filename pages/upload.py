"""Analyst upload: template, checked file with clear messages, preview against the warehouse, atomic store,
upload log and rollback. (Only analysts and admins will see this page once roles exist.)"""
import pandas as pd
import streamlit as st

from data_sources import uploads
from data_sources.exports import current_user
from ui import state
from ui import upload as ui_upload
from ui.format import fmt_number, fmt_value
from ui.i18n import t
from ui.safe import file_stem, incident, md, md_frame
from ui.widgets import chart_with_table

SHOWN_ISSUES = 50          # on the page; the Excel error report has them all

lang, _, version = state.page_context()
engine = state.engine()

st.title(t("page_upload", lang))
st.caption(t("upl_intro", lang))
flash_box = st.container()          # always drawn, so the elements below keep their place when the message goes
if flash := st.session_state.pop("upl_flash", None):
    (flash_box.success if flash[0] == "ok" else flash_box.info)(flash[1])

specs = {d.id: d for d in uploads.available_datasets()}
ds = st.selectbox(t("upl_dataset", lang), options=list(specs), format_func=lambda d: specs[d].name(lang),
                  key="upl_dataset")
spec = specs[ds]
st.caption(spec.description_en if lang == "en" else spec.description_fi)
st.download_button(t("upl_template", lang), data=ui_upload.template(ds, version), file_name=f"malli_{ds}.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="upl_template",
                   icon=":material/download:")

up = st.file_uploader(t("upl_file", lang), type=["xlsx", "csv", "xlsm", "xls"],   # .xlsm/.xls get a refusal that says why
                      key=f"upl_file_{ds}_{st.session_state.get('upl_nonce', 0)}",
                      max_upload_size=uploads.MAX_BYTES // (1024 * 1024),
                      help=t("upl_file_help", lang, mb=uploads.MAX_BYTES // (1024 * 1024),
                             rows=fmt_number(uploads.MAX_ROWS, 0, lang)))
if up is not None:
    with st.spinner(t("upl_checking", lang, name=md(up.name))):
        v = ui_upload.checked(up.getvalue(), up.name, ds)
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
                           file_name=f"virheraportti_{file_stem(up.name)}.xlsx", key="upl_report",
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
            cmp = uploads.preview(engine, v, mode)
        except uploads.UploadError as exc:
            st.error(md(ui_upload.error_message(exc.code, exc.params, lang)))
            st.stop()
        cols = st.columns(5)
        for col, (label, n) in zip(cols, (("upl_rows", cmp.rows), ("upl_inserted", cmp.inserted),
                                          ("upl_updated", cmp.updated), ("upl_unchanged", cmp.unchanged),
                                          ("upl_deleted", cmp.deleted))):
            col.metric(t(label, lang), fmt_number(n, 0, lang), border=True)
        if cmp.changes:
            st.markdown(f"**{t('upl_changes', lang)}** " + md(cmp.changes).replace("; ", " · "))
        monthly = spec.time_column is not None and spec.column(spec.time_column).kind == "month"
        if spec.time_column:
            fresh = uploads.new_periods(engine, v)
            st.markdown(t("upl_new_periods", lang, periods=", ".join(ui_upload.period_label(p, lang) for p in fresh))
                        if fresh else t("upl_no_new_periods", lang))
            if monthly and spec.table != "fact_contacts":      # the pages' last month is the contacts' last month
                last = pd.Timestamp(*state.latest_month(version), 1)
                later = [p for p in fresh if pd.Timestamp(p) > last]
                if later:
                    st.info(t("upl_beyond_latest", lang, latest=ui_upload.period_label(last, lang),
                              periods=", ".join(ui_upload.period_label(p, lang) for p in later).capitalize()),
                            icon=":material/info:")
            totals = ui_upload.preview_frame(uploads.monthly_totals(engine, v), lang)
            measure = ui_upload.header(spec, spec.chart_measure, lang)
            unit = "count" if spec.column(spec.chart_measure).kind == "int" else "eur" \
                if spec.chart_measure.endswith("_eur") else "index"
            hidden = totals.value.isna() & totals["count"].astype(bool)
            shown = [fmt_value(x, unit, lang, h) for x, h in zip(totals.value, hidden)]
            table = totals.assign(period=[ui_upload.period_label(p, lang) for p in totals.period], value=shown)
            table = table[["period", "source_label", "value"]].rename(columns={
                "period": t("upl_col_period", lang), "source_label": t("upl_col_source", lang), "value": measure})
            in_file = totals.source == "file"
            alt_text = t("upl_chart_alt", lang, measure=measure, n_old=int((~in_file).sum()), n_new=int(in_file.sum()),
                         last=ui_upload.period_label(totals.period[in_file].max(), lang) if in_file.any() else "",
                         value=[x for x, f in zip(shown, in_file) if f][-1] if in_file.any() else "")
            chart_with_table(ui_upload.preview_chart(totals, measure, unit, monthly, lang), table, alt_text, lang,
                             key="upl_chart")
        user = st.text_input(t("upl_user", lang), value=current_user(),
                             key="upl_user")
        if st.button(t("upl_ingest", lang), type="primary", key="upl_ingest", icon=":material/upload:"):
            bar = st.progress(0.0, text=t("upl_progress", lang, stage=t("upl_stage_staging", lang)))
            try:
                res = uploads.ingest(engine, v, user, mode, progress=lambda f, s: bar.progress(
                    f, text=t("upl_progress", lang, stage=t(f"upl_stage_{s}", lang))))
            except uploads.UploadError as exc:
                st.error(md(ui_upload.error_message(exc.code, exc.params, lang)))
            except Exception as exc:  # noqa: BLE001 - the transaction rolled back; the log says why
                st.error(t("upl_failed", lang, ref=incident(exc, "upload store")))
            else:
                c = res.comparison
                msg = (t("upl_nothing", lang) if res.upload_id is None else
                       t("upl_already", lang, id=res.upload_id) if res.already else
                       t("upl_done", lang, id=res.upload_id, inserted=fmt_number(c.inserted, 0, lang),
                         updated=fmt_number(c.updated, 0, lang), deleted=fmt_number(c.deleted, 0, lang),
                         version=res.data_version))
                st.session_state["upl_flash"] = ("info" if res.already else "ok", msg)
                st.session_state.pop("upl_checked", None)
                st.session_state["upl_nonce"] = st.session_state.get("upl_nonce", 0) + 1   # empty the uploader
                st.rerun()

st.divider()
st.subheader(t("upl_audit", lang))
log = uploads.audit_log(engine)
if log.empty:
    st.caption(t("upl_none", lang))
else:
    def when(ts) -> str:
        return ts.strftime("%d.%m.%Y %H:%M") if ts is not None and not pd.isna(ts) else ""

    def num(col: str) -> list[str]:
        return [fmt_number(n, 0, lang) for n in log[col]]

    shown = log.assign(
        when=[when(x) for x in log.uploaded_at],
        dataset=[uploads.DATASETS[d].name(lang) if d in uploads.DATASETS else d for d in log.dataset],
        rows=num("rows_in_file"), inserted=num("rows_inserted"), updated=num("rows_updated"),
        deleted=num("rows_deleted"),
        status=[t("upl_status_rolled_back_by", lang, when=when(at), who=who) if s == "rolled_back" and who else
                t(f"upl_status_{s}", lang) for s, at, who in zip(log.status, log.rolled_back_at, log.rolled_back_by)])
    cols = {"upload_id": "upl_col_id", "when": "upl_col_when", "status": "upl_col_status",
            "uploaded_by": "upl_col_who", "file_name": "upl_col_file", "dataset": "upl_col_dataset",
            "rows": "upl_col_rows", "inserted": "upl_col_inserted", "updated": "upl_col_updated",
            "deleted": "upl_col_deleted", "data_version": "upl_col_version"}
    right = {t(cols[c], lang): st.column_config.TextColumn(alignment="right")     # numbers as Finnish text
             for c in ("rows", "inserted", "updated", "deleted")}
    right[t("upl_col_status", lang)] = st.column_config.TextColumn(width=250)     # "peruttu <when> (<who>)" whole
    st.dataframe(shown[list(cols)].rename(columns={c: t(k, lang) for c, k in cols.items()}), hide_index=True,
                 width="stretch", column_config=right)
    committed = log[log.status == "committed"]
    if len(committed):
        with st.expander(t("upl_rollback", lang), key="upl_rb_box"):   # keyed: stays open across reruns
            pick = st.selectbox(t("upl_rollback_pick", lang), options=list(committed.upload_id), key="upl_rb_pick",
                                format_func=lambda i: f"{i}: {committed.set_index('upload_id').file_name[i]}")
            who = st.text_input(t("upl_rollback_who", lang), value=current_user(), key="upl_rb_who")
            sure = st.checkbox(t("upl_rollback_confirm", lang), key="upl_rb_sure")
            if st.button(t("upl_rollback_button", lang), disabled=not sure, key="upl_rb_go"):
                try:
                    new_version = uploads.rollback(engine, int(pick), who)
                except uploads.UploadError as exc:
                    st.error(md(ui_upload.error_message(exc.code, exc.params, lang)))
                else:
                    st.session_state["upl_flash"] = ("ok", t("upl_rolled_back", lang, id=int(pick), version=new_version))
                    st.rerun()
