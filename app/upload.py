"""Analyst uploads for the page: templates, the checked file kept in the session, and the write actions
(preview in a rolled-back transaction, store, roll back) on the app's engine."""
from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from data_sources import uploads
from data_sources.uploads.templates import template_xlsx
from metrics.registry import load_registry

from . import state

DATASETS = uploads.DATASETS
MAX_BYTES, MAX_ROWS = uploads.MAX_BYTES, uploads.MAX_ROWS
UploadError = uploads.UploadError


def available_datasets() -> list:
    return uploads.available_datasets()


def registry_ids() -> tuple[str, ...]:
    """Indicators an analyst may give as ready series: those the registry reads from uploaded series (the
    others are computed from the warehouse facts; their source data is uploaded instead)."""
    return tuple(k.id for k in load_registry().series_kpis())


@st.cache_data(show_spinner=False, max_entries=20)
def template(dataset: str, version: int) -> bytes:
    return template_xlsx(state.engine(), DATASETS[dataset], registry_ids())


def checked(data: bytes, file_name: str, dataset: str) -> uploads.Validated:
    """Read + validate once per file content and dataset (kept in the session, not re-run on every click)."""
    key = ("upl_checked", hashlib.sha256(data).hexdigest(), dataset, file_name)
    cache = st.session_state.setdefault("upl_checked", {})
    if key not in cache:
        cache.clear()
        cache[key] = uploads.check_file(state.engine(), data, file_name, dataset, registry_ids())
    return cache[key]


def preview(v: uploads.Validated, mode: str) -> uploads.Comparison:
    return uploads.preview(state.engine(), v, mode)


def new_periods(v: uploads.Validated) -> list:
    return uploads.new_periods(state.engine(), v)


def monthly_totals(v: uploads.Validated) -> pd.DataFrame:
    return uploads.monthly_totals(state.engine(), v)


def ingest(v: uploads.Validated, user: str, mode: str, progress) -> uploads.IngestResult:
    """Store in one transaction; the checked file is forgotten so the page starts afresh."""
    res = uploads.ingest(state.engine(), v, user, mode, progress=progress)
    st.session_state.pop("upl_checked", None)
    return res


def rollback(upload_id: int, user: str) -> int:
    return uploads.rollback(state.engine(), upload_id, user)


def audit_log() -> pd.DataFrame:
    return uploads.audit_log(state.engine())
