"""Small-count suppression in one place: counts 1..threshold-1 and anything derived from them are hidden."""
from __future__ import annotations

import numpy as np
import pandas as pd

SUPPRESSED_LABEL = "<5"


def is_small(values: pd.Series, threshold: int = 5) -> pd.Series:
    v = pd.to_numeric(values, errors="coerce")
    return (v >= 1) & (v < threshold)


def suppress_kpi(df: pd.DataFrame, count_cols: list[str], threshold: int = 5) -> pd.DataFrame:
    """Mark rows whose count inputs are small; blank their value and the small counts themselves."""
    out = df.copy()
    mask = np.zeros(len(out), dtype=bool)
    for col in count_cols:
        values = out[col].to_numpy()
        if values.dtype.kind in "fiu":            # what the engine gives: is_small without pandas' coercion
            with np.errstate(invalid="ignore"):
                mask |= (values >= 1) & (values < threshold)
        else:
            mask |= is_small(out[col], threshold).to_numpy(dtype=bool, na_value=False)
    out["suppressed"] = mask
    if mask.any():                      # most reads hide nothing: no masked writes then
        out.loc[mask, "value"] = np.nan
        for col in count_cols:
            out.loc[mask, col] = np.nan
    return out


def suppress_counts(df: pd.DataFrame, count_cols: list[str], threshold: int = 5) -> pd.DataFrame:
    """For tables of raw counts: each small cell becomes NaN (shown as "<5")."""
    out = df.copy()
    for col in count_cols:
        out[col] = out[col].astype(float).mask(is_small(out[col], threshold))
    return out


def complementary(df: pd.DataFrame, count_cols: list[str], value_cols: list[str] | None = None,
                  group: list[str] | None = None) -> pd.DataFrame:
    """Secondary suppression for breakdowns shown beside a total: when exactly one row of a group is
    suppressed, the smallest other row is hidden too, so the total minus the visible rows reveals
    no single small count."""
    out = df.copy()
    if "suppressed" not in out:
        out["suppressed"] = False
    if int(out["suppressed"].sum()) == 0:   # nothing hidden, nothing to protect
        return out
    value_cols = value_cols or (["value"] if "value" in out else [])
    groups = [out.index] if not group else [idx for _, idx in out.groupby(group).groups.items()]
    for idx in groups:
        part = out.loc[idx]
        if int(part.suppressed.sum()) != 1:
            continue
        visible = part[~part.suppressed]
        if visible.empty:
            continue
        key = count_cols[0]
        victim = visible[key].astype(float).idxmin()
        out.loc[victim, "suppressed"] = True
        for col in count_cols + value_cols:
            out.loc[victim, col] = np.nan
    return out
