"""Region scope on uploads (issue 11): an analyst limited to some municipalities cannot store rows of others.

The check runs on the validated rows, so each refused row is named by its sheet row and cell, like every other
problem of a file; the file is then not stored at all (nothing partial is ever written).
"""
from __future__ import annotations

import numpy as np

from .reader import Issue
from .validate import MAX_ISSUES, Validated

COLUMN = "municipality_code"


def limit_to_scope(v: Validated, allowed: set[str] | None) -> Validated:
    """`v` unchanged when every row's municipality is in `allowed` (None: no limit) or the dataset has no
    municipality; otherwise the same file with one `out_of_scope` error per such row and no rows to store."""
    if allowed is None or v.frame is None or COLUMN not in v.frame.columns:
        return v
    codes = v.frame[COLUMN].astype(str).to_numpy()
    bad = np.flatnonzero(~np.isin(codes, sorted(allowed)))
    if not len(bad):
        return v
    rows = v.frame.attrs.get("source_rows")
    letter = (v.raw.blocks[0].letters if v.raw.blocks else {}).get(COLUMN, "")
    issues = list(v.issues)
    for i in bad[:MAX_ISSUES]:
        row = int(rows[i]) if rows is not None else None
        issues.append(Issue("out_of_scope", row=row, column=COLUMN, cell=f"{letter}{row}" if row else None,
                            value=codes[i], params={"allowed": ", ".join(sorted(allowed)[:12])}))
    counts = {**v.counts, "out_of_scope": len(bad)}
    return Validated(v.spec, v.raw, None, issues, v.notes, counts)
