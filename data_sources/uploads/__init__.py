"""Analyst uploads: dataset specs, a safe reader, validation, preview, atomic ingest, audit and rollback."""
from .ingest import (Comparison, IngestResult, UploadError, audit_log, available_datasets, ingest, monthly_totals,
                     new_periods, preview, rollback)
from .reader import MAX_BYTES, MAX_ROWS, Issue, Note, RawUpload, read_upload
from .specs import DATASETS, DatasetSpec
from . import profiles
from .mapping import Mapping
from .validate import Validated, load_code_lists, load_vocabularies, validate

__all__ = ["Comparison", "IngestResult", "UploadError", "audit_log", "available_datasets", "ingest",
           "monthly_totals", "new_periods", "preview", "rollback",
           "MAX_BYTES", "MAX_ROWS", "Issue", "Note", "RawUpload", "read_upload", "DATASETS", "DatasetSpec",
           "Validated", "load_code_lists", "validate", "check_file", "Mapping", "profiles"]


def check_file(engine, data: bytes, file_name: str, dataset: str, registry_ids: tuple[str, ...] = (),
               today=None, mapping: Mapping | None = None, use_profiles: bool = True) -> Validated:
    """Read and validate in one call (what the page and the benchmark do). `mapping`: the analyst's confirmed
    mapping; otherwise a source profile saved for the file's header signature is applied."""
    spec = DATASETS[dataset]
    lookup = (lambda sig: profiles.find(engine, dataset, sig)) if use_profiles and mapping is None else None
    raw = read_upload(data, file_name, spec, mapping, lookup)
    codes = load_code_lists(engine, spec, registry_ids) if raw.ok else {}
    vocabs = load_vocabularies(engine, spec, codes) if raw.ok else {}
    return validate(raw, spec, codes, today, vocabs)
