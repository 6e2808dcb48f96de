"""Child budgeting for the page: cached reads keyed on the data version (a classification save bumps it),
the save action and the whole-model workbook."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from data_sources import catalog
from data_sources import child_budget as cbdata
from data_sources.child_budget import ClassificationError  # noqa: F401 - the page catches it
from metrics import child_budget as cb
from metrics.engine import Filters
from ui import child_budget as cbui

from . import auth, state
from .state import TTL  # noqa: F401 - kept for callers

SENSITIVITY = cb.SENSITIVITY
CODES = {"all_accounts": cbdata.ALL_ACCOUNTS, "target_classes": cbdata.TARGET_CLASSES,
         "prevention": cbdata.PREVENTION, "allocation_keys": cbdata.ALLOCATION_KEYS}
LIMITS = {"key_source": cbdata.KEY_SOURCE_MAX, "changed_by": cbdata.WHO_MAX, "note": cbdata.NOTE_MAX}


@state.cached_read     # cached on the data version, retried and guarded (app/state.py)
def _trend_and_levels(filters: Filters, version: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    return cb.trend_and_levels(state.engine(), filters)      # two queries for both


def trend(filters: Filters, version: int) -> pd.DataFrame:
    return _trend_and_levels(filters, version)[0]


def levels(filters: Filters, version: int) -> pd.DataFrame:
    return _trend_and_levels(filters, version)[1]


@state.cached_read     # cached on the data version, retried and guarded (app/state.py)
def lines(filters: Filters, version: int) -> pd.DataFrame:
    return cb.by_line(state.engine(), filters)


@state.cached_read     # cached on the data version, retried and guarded (app/state.py)
def classification(version: int) -> pd.DataFrame:
    return cbdata.read_classification(state.engine())


@state.cached_read     # cached on the data version, retried and guarded (app/state.py)
def versions(version: int) -> pd.DataFrame:
    return cbdata.read_versions(state.engine())


@state.cached_read     # cached on the data version, retried and guarded (app/state.py)
def indicators(version: int) -> pd.DataFrame:
    return cbdata.child_indicators(state.engine())


@state.cached_read     # cached on the data version, retried and guarded (app/state.py)
def service_classes(version: int) -> pd.DataFrame:
    return catalog.service_classes(state.engine())


@state.cached_read     # cached on the data version, retried and guarded (app/state.py)
def cost_accounts(version: int) -> pd.DataFrame:
    return catalog.cost_accounts(state.engine())


@state.guarded
def save(df: pd.DataFrame, note: str, lang: str, base: pd.DataFrame | None = None) -> int:
    """A new classification version by the signed-in analyst or admin (refused on the server otherwise), or
    ClassificationError with every problem (nothing written); audited. `base`: the rules the editor showed, so an
    edit another user stored meanwhile is merged, not undone."""
    user = auth.require("classify", lang)
    version = cbdata.save_classification(state.engine(), df, user.name, note, base=base)
    auth.record("classification", obj=f"version {version}", detail=note)
    return version


@state.guarded
def model_workbook(filters: Filters, version: int, lang: str, place: str) -> bytes:
    """The whole model for audit, made when the download is clicked."""
    engine = state.engine()
    trend_, levels_ = cb.trend_and_levels(engine, filters)
    frames = {"results": levels_, "trend": trend_, "lines": cb.model_lines(engine, filters), "keys": cb.keys(engine, filters),
              "classification": cbdata.read_classification(engine), "versions": cbdata.read_versions(engine)}
    return cbui.model_workbook(frames, state.municipalities(version), service_classes(version), filters, version,
                               lang, place, areas=state.service_areas(version))
