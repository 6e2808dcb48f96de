"""Analyst uploads for the page: templates, the checked file kept in the session, and the write actions
(preview in a rolled-back transaction, store, roll back) on the app's engine."""
from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from data_sources import uploads
from data_sources.uploads import grain, mapping as mp, profiles
from data_sources.uploads.templates import template_xlsx
from metrics.registry import load_registry

from data_sources.uploads.scope import limit_to_scope

from ui import upload as ui_upload
from ui.i18n import t
from ui.safe import md

from . import auth, state

DATASETS = uploads.DATASETS
MAX_BYTES, MAX_ROWS = uploads.MAX_BYTES, uploads.MAX_ROWS
UploadError = uploads.UploadError


def available_datasets() -> list:
    return uploads.available_datasets()


def registry_ids() -> tuple[str, ...]:
    """Indicators an analyst may give as ready series: those the registry reads from uploaded series (the
    others are computed from the warehouse facts; their source data is uploaded instead)."""
    return tuple(k.id for k in load_registry().series_kpis())


def template(dataset: str, version: int) -> bytes:
    """The dataset's template; its municipality list is the signed-in user's scope."""
    allowed = auth.allowed_municipalities()
    return _template(dataset, version, tuple(sorted(allowed)) if allowed is not None else None)


@state.guarded
@st.cache_data(show_spinner=False, max_entries=20)
def _template(dataset: str, version: int, municipalities: tuple[str, ...] | None) -> bytes:
    return template_xlsx(state.engine(), DATASETS[dataset], registry_ids(),
                         set(municipalities) if municipalities is not None else None)


@state.guarded
def checked(data: bytes, file_name: str, dataset: str) -> uploads.Validated:
    """Read + validate once per file content, dataset and scope (kept in the session, not re-run on every
    click); rows outside the signed-in user's region scope are refused by row (data_sources.uploads.scope)."""
    allowed = auth.allowed_municipalities()
    key = ("upl_checked", hashlib.sha256(data).hexdigest(), dataset, file_name,
           tuple(sorted(allowed)) if allowed is not None else None, st.session_state.get("upl_profiles_rev", 0))
    cache = st.session_state.setdefault("upl_checked", {})
    if key not in cache:
        cache.clear()
        v = uploads.check_file(state.engine(), data, file_name, dataset, registry_ids())
        cache[key] = limit_to_scope(v, allowed)
    return cache[key]


# --- the mapping step and source profiles (issue 13) ----------------------------------------------------------
def needs_mapping(v: uploads.Validated) -> bool:
    """The page asks: headers without a sure match, or values that nothing recognised (a few, in code columns)."""
    lay = v.raw.layout
    return lay is not None and (lay.needs_mapping or bool(mp.unknown_values(v)))


def mapping_step(v: uploads.Validated, data: bytes, file_name: str, lang: str) -> None:
    """Each template column with the file's best candidate and its confidence, constants for what the file lacks,
    and the values nothing recognised; one confirmation saves it all as a source profile (analysts and admins),
    audited, and the file is checked again with it."""
    spec, lay = v.spec, v.raw.layout
    trial = v
    if lay.needs_mapping:
        trial = uploads.check_file(state.engine(), data, file_name, spec.id, registry_ids(), mapping=mp.suggested(lay))
    questions = []
    if trial.raw.layout is not None:
        codes = uploads.load_code_lists(state.engine(), spec, registry_ids())
        vocabs = uploads.load_vocabularies(state.engine(), spec, codes)
        for col, value in mp.unknown_values(trial):
            voc = vocabs.get(col)
            options = sorted(voc.codes) if voc else sorted(codes.get(col, ()))
            nearest = [lab.split(" (")[0] for lab in voc.nearest(value)] if voc else []
            questions.append((col, value, nearest + [o for o in options if o not in nearest],
                              voc.labels if voc else {}))
    scores = {c.name: {i: mp.name_score(mp.norm(h), c) for i, h in enumerate(lay.headers) if h}
              for c in spec.columns}
    default_name = (lay.profile or t("upl_map_profile_default", lang, dataset=spec.name(lang),
                                     file=file_name.rsplit(".", 1)[0]))[:80]
    choice = ui_upload.mapping_form(spec, lay, scores, questions, default_name, lang)
    if choice is None:
        return
    user = auth.require("upload", lang, file_name)
    cols = {c: (mp.WIDE if i == mp.WIDE else mp.norm(lay.headers[i])) for c, i in choice["columns"].items()}
    values = {k: dict(x) for k, x in lay.values.items()}
    for (col, value), code in choice["values"].items():
        values.setdefault(col, {})[mp.fold(value)] = code
    m = mp.Mapping(cols, choice["constants"], values)
    try:
        name = profiles.save(state.engine(), choice["name"], spec.id, lay.signature, m, user.name)
    except profiles.ProfileError as exc:
        st.error(md(ui_upload.error_message(exc.code, exc.params, lang)))
        return
    auth.record("profile", obj=name, detail=f"save {spec.id}: {len(cols)} columns, {len(m.constants)} constants, "
                                            f"{sum(len(x) for x in values.values())} values")
    st.session_state["upl_profiles_rev"] = st.session_state.get("upl_profiles_rev", 0) + 1
    st.session_state["upl_flash"] = ("ok", t("upl_map_saved", lang, name=name))
    st.rerun()


def profile_used(v: uploads.Validated) -> None:
    """Count a profile's use once its file is stored (audited as an application of the profile)."""
    lay = v.raw.layout
    if lay is not None and lay.profile:
        profiles.used(state.engine(), lay.profile)
        auth.record("profile", obj=lay.profile, detail=f"apply {v.spec.id}: {v.raw.file_name}")


def profiles_section(lang: str) -> None:
    """The saved source profiles: listed for everyone who uploads; renamed and deleted by analysts and admins."""
    table = profiles.listing(state.engine())
    st.subheader(t("upl_profiles", lang))
    if table.empty:
        st.caption(t("upl_profiles_none", lang))
        return
    ui_upload.profiles_table(table, {d: s.name(lang) for d, s in DATASETS.items()}, lang)
    action = ui_upload.profile_actions(list(table.name), lang)
    if action is None:
        return
    kind, name, new = action
    user = auth.require("upload", lang, name)
    try:
        if kind == "rename":
            new = profiles.rename(state.engine(), name, new, user.name)
            auth.record("profile", obj=new, detail=f"rename from {name}")
            msg = t("upl_profile_renamed", lang, name=new)
        else:
            profiles.delete(state.engine(), name)
            auth.record("profile", obj=name, detail="delete")
            msg = t("upl_profile_deleted", lang, name=name)
    except profiles.ProfileError as exc:
        st.error(md(ui_upload.error_message(exc.code, exc.params, lang)))
        return
    st.session_state["upl_profiles_rev"] = st.session_state.get("upl_profiles_rev", 0) + 1
    st.session_state["upl_flash"] = ("ok", msg)
    st.rerun()


def coarse_kpis(v: uploads.Validated, lang: str) -> tuple[list[str], list[str]]:
    """(the file's dimensions stored as "not specified", the indicators that need one of them)."""
    cols = grain.unspecified_columns(v)
    if not cols:
        return [], []
    reg = load_registry()
    views = {"fact_contacts": "v_contacts"}
    view = views.get(v.spec.table)
    need = []
    for k in reg.kpis.values():
        ms = [reg.measures[m] for m in (k.numerator, k.denominator) if m]
        if not any(m.view == view for m in ms):
            continue
        text = " ".join([m.expr for m in ms] + [" ".join(m.filter) for m in ms] + list(k.filter) + list(k.grains))
        if any(c in text for c in cols) or ("channel" in cols and "remote" in text):
            need.append(k.name(lang))
    return cols, need


def _scope_allows(v: uploads.Validated, mode: str) -> None:
    """A scoped user's "replace" must not delete other regions' rows: refused where the dataset's replace
    scope is not per municipality (ready KPI series replace a KPI's months everywhere)."""
    if mode == "replace" and auth.allowed_municipalities() is not None and "municipality_code" not in v.spec.scope:
        raise UploadError("scope_replace")


def _grain_allows(v: uploads.Validated, mode: str) -> None:
    """A coarse file next to finer rows of the same months and municipalities (or the other way round) would
    count totals twice: only "replace" (which replaces those months and municipalities) is allowed."""
    if mode == "upsert" and (side := grain.overlap(state.engine(), v)):
        raise UploadError("grain_overlap", side=side)


@state.guarded
def preview(v: uploads.Validated, mode: str) -> uploads.Comparison:
    _scope_allows(v, mode)
    _grain_allows(v, mode)
    return uploads.preview(state.engine(), v, mode)


@state.guarded
def new_periods(v: uploads.Validated) -> list:
    return uploads.new_periods(state.engine(), v)


@state.guarded
def monthly_totals(v: uploads.Validated) -> pd.DataFrame:
    return uploads.monthly_totals(state.engine(), v)


def ingest(v: uploads.Validated, mode: str, progress, lang: str) -> uploads.IngestResult:
    """Store in one transaction as the signed-in user (an analyst or admin: refused on the server otherwise);
    the checked file is forgotten so the page starts afresh; the upload is audited."""
    user = auth.require("upload", lang, v.raw.file_name)
    _scope_allows(v, mode)
    _grain_allows(v, mode)
    res = uploads.ingest(state.engine(), v, user.name, mode, progress=progress)
    st.session_state.pop("upl_checked", None)
    if res.upload_id is not None and not res.already:
        profile_used(v)
    auth.record("upload", obj=f"{res.upload_id}: {v.raw.file_name}",
                detail=f"{v.spec.id} {mode} +{res.comparison.inserted} ~{res.comparison.updated} "
                       f"-{res.comparison.deleted} v{res.data_version}")
    return res


@state.guarded
def rollback(upload_id: int, lang: str) -> int:
    """Roll an upload back (admins only; a region-limited admin may not, since an upload may span regions)."""
    user = auth.require("rollback", lang, str(upload_id))
    if user.scoped:
        auth.require("rollback_all_regions", lang, str(upload_id))
    version = uploads.rollback(state.engine(), upload_id, user.name)
    auth.record("rollback", obj=str(upload_id), detail=f"data version {version}")
    return version


@state.guarded
def audit_log() -> pd.DataFrame:
    return uploads.audit_log(state.engine())


def log_section(lang: str) -> None:
    """The upload log, and the rollback for admins."""
    st.subheader(t("upl_audit", lang))
    log = audit_log()
    if log.empty:
        st.caption(t("upl_none", lang))
        return
    ui_upload.audit_table(log, {d: spec.name(lang) for d, spec in DATASETS.items()}, lang)
    committed = log[log.status == "committed"]
    if not len(committed) or not auth.can("rollback"):
        return
    with st.expander(t("upl_rollback", lang), key="upl_rb_box"):   # keyed: stays open across reruns
        pick = st.selectbox(t("upl_rollback_pick", lang), options=list(committed.upload_id), key="upl_rb_pick",
                            format_func=lambda i: f"{i}: {committed.set_index('upload_id').file_name[i]}")
        sure = st.checkbox(t("upl_rollback_confirm", lang), key="upl_rb_sure")
        if st.button(t("upl_rollback_button", lang), disabled=not sure, key="upl_rb_go"):
            try:
                new_version = rollback(int(pick), lang)
            except UploadError as exc:
                st.error(md(ui_upload.error_message(exc.code, exc.params, lang)))
            else:
                st.session_state["upl_flash"] = ("ok", t("upl_rolled_back", lang, id=int(pick), version=new_version))
                st.rerun()
