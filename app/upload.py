"""Analyst uploads for the page: templates, the checked file kept in the session, and the write actions
(preview in a rolled-back transaction, store, roll back) on the app's engine."""
from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from data_sources import uploads
from data_sources.uploads.templates import template_xlsx
from metrics.registry import load_registry

from data_sources.uploads.scope import limit_to_scope

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
           tuple(sorted(allowed)) if allowed is not None else None)
    cache = st.session_state.setdefault("upl_checked", {})
    if key not in cache:
        cache.clear()
        v = uploads.check_file(state.engine(), data, file_name, dataset, registry_ids())
        cache[key] = limit_to_scope(v, allowed)
    return cache[key]


def _scope_allows(v: uploads.Validated, mode: str) -> None:
    """A scoped user's "replace" must not delete other regions' rows: refused where the dataset's replace
    scope is not per municipality (ready KPI series replace a KPI's months everywhere)."""
    if mode == "replace" and auth.allowed_municipalities() is not None and "municipality_code" not in v.spec.scope:
        raise UploadError("scope_replace")


@state.guarded
def preview(v: uploads.Validated, mode: str) -> uploads.Comparison:
    _scope_allows(v, mode)
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
    res = uploads.ingest(state.engine(), v, user.name, mode, progress=progress)
    st.session_state.pop("upl_checked", None)
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
