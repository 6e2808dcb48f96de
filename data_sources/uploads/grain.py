"""Coarser extracts (issue 13): rows whose missing dimensions are stored as the explicit "not specified" member
must not sit beside finer rows of the same month and municipality, or every total would count them twice."""
from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from .ingest import target_table
from .mapping import UNSPECIFIED
from .validate import Validated

UNSPEC_VALUES = (UNSPECIFIED, 0)


def unspecified_columns(v: Validated) -> list[str]:
    """The file's dimension columns stored as "not specified" (on every row: a constant)."""
    if v.frame is None or v.raw.layout is None:
        return []
    return [c for c, val in v.raw.layout.constants.items() if str(val) in ("unspec", "0") and c in v.frame.columns]


def overlap(engine: sa.Engine, v: Validated) -> str | None:
    """'finer' when the warehouse has specified rows for a month x municipality this coarse file brings, 'coarser'
    when a detailed file meets stored "not specified" rows; None when the grains do not meet."""
    spec, df = v.spec, v.frame
    dims = [c.name for c in spec.columns if UNSPECIFIED in c.extra_codes or "0" in c.extra_codes]
    if df is None or df.empty or not dims or "municipality_code" not in df.columns or spec.time_column is None:
        return None
    target = target_table(spec)
    time_col = spec.time_column
    mine_coarse = bool(unspecified_columns(v))
    def is_unspec(c):
        return target.c[c] == 0 if spec.column(c).kind == "int" else target.c[c] == UNSPECIFIED
    if mine_coarse:
        conflict = ~sa.and_(*[is_unspec(c) for c in unspecified_columns(v)])
    else:
        conflict = sa.or_(*[is_unspec(c) for c in dims if c in target.c])
    periods = sorted({pd.Timestamp(x).date() for x in df[time_col].unique()})
    munis = sorted(df["municipality_code"].astype(str).unique())
    stmt = sa.select(sa.func.count()).select_from(target).where(
        target.c[time_col].in_(periods), target.c.municipality_code.in_(munis), conflict)
    with engine.connect() as conn:
        n = conn.scalar(stmt)
    if not n:
        return None
    return "finer" if mine_coarse else "coarser"
