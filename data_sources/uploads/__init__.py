"""Analyst uploads: dataset specs, a safe reader, validation, preview, atomic ingest, audit and rollback."""
from .ingest import (Comparison, IngestResult, UploadError, audit_log, available_datasets, ingest, monthly_totals,
                     new_periods, preview, rollback)
from .reader import MAX_BYTES, MAX_ROWS, Issue, Note, RawUpload, read_upload
from .specs import DATASETS, DatasetSpec
from .validate import Validated, load_code_lists, validate

__all__ = ["Comparison", "IngestResult", "UploadError", "audit_log", "available_datasets", "ingest",
           "monthly_totals", "new_periods", "preview", "rollback",
           "MAX_BYTES", "MAX_ROWS", "Issue", "Note", "RawUpload", "read_upload", "DATASETS", "DatasetSpec",
           "Validated", "load_code_lists", "validate", "check_file"]


def check_file(engine, data: bytes, file_name: str, dataset: str, registry_ids: tuple[str, ...] = (),
               today=None) -> Validated:
    """Read and validate in one call (what the page and the benchmark do)."""
    spec = DATASETS[dataset]
    raw = read_upload(data, file_name, spec)
    codes = load_code_lists(engine, spec, registry_ids) if raw.ok else {}
    return validate(raw, spec, codes, today)
