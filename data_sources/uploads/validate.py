"""Turn raw cells into typed columns against a DatasetSpec; every problem becomes an Issue with its row,
column and cell. Works on unique values per column, so 100 000 rows with few distinct months or codes
cost little."""
from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import sqlalchemy as sa

from .reader import Issue, Note, RawUpload
from .specs import CODE, DEC, INT, MONTH, TEXT, YEAR, DatasetSpec

MAX_ISSUES = 2000
EXCEL_EPOCH = dt.date(1899, 12, 30)
_SUPPRESSED = re.compile(r"^\s*(\*+|<\s*\d+|\.\.|x|X|-{1,2})\s*$")
_NUM_JUNK = re.compile(r"[\s\u00a0\u202f€%]")
_DMY = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?(?:[ T].*)?$")
_MY = re.compile(r"^(\d{1,2})[/.](\d{4})$")


@dataclass
class Validated:
    """Typed rows ready for the warehouse (only when there are no errors) plus everything worth telling."""
    spec: DatasetSpec
    raw: RawUpload
    frame: pd.DataFrame | None
    issues: list[Issue]
    notes: list[Note]
    counts: dict[str, int] = field(default_factory=dict)   # issue code -> how many (also beyond MAX_ISSUES)

    @property
    def ok(self) -> bool:
        return self.frame is not None and not any(i.severity == "error" for i in self.issues)

    @property
    def n_errors(self) -> int:
        return sum(n for code, n in self.counts.items() if code not in _WARNINGS)


_WARNINGS = {"normalised_day"}


def load_code_lists(engine: sa.Engine, spec: DatasetSpec, registry_ids: tuple[str, ...] = ()) -> dict[str, set]:
    """Allowed codes per column, read from the warehouse dimensions (or the KPI registry ids given)."""
    out: dict[str, set] = {}
    with engine.connect() as conn:
        for c in spec.columns:
            if isinstance(c.codes, tuple):
                out[c.name] = {str(v) for v in c.codes}
            elif c.codes == "registry":
                out[c.name] = set(registry_ids)
            elif isinstance(c.codes, str):
                table, column = c.codes.split(".")
                rows = conn.execute(sa.select(sa.column(column)).select_from(sa.table(table)).distinct())
                out[c.name] = {str(r[0]) for r in rows}
    return out


class _Collector:
    def __init__(self):
        self.issues: list[Issue] = []
        self.counts: dict[str, int] = {}

    def add(self, issue: Issue) -> None:
        self.counts[issue.code] = self.counts.get(issue.code, 0) + 1
        if len(self.issues) < MAX_ISSUES:
            self.issues.append(issue)


def _text(v) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _parse_number(v):
    """(value, problem, flags) for one cell; strings may use a decimal comma and spaces between thousands."""
    if isinstance(v, bool):
        return None, "not_number", ()
    if isinstance(v, (int, float)):
        return (None, "not_number", ()) if isinstance(v, float) and math.isnan(v) else (float(v), None, ())
    if isinstance(v, (dt.date, dt.datetime)):
        return None, "not_number", ()
    s = str(v)
    if not s.strip():
        return None, "required", ()
    if _SUPPRESSED.match(s):
        return None, "suppressed_cell", ()
    flags = []
    t = _NUM_JUNK.sub("", s)
    if t != s.strip():
        flags.append("thousand_spaces")
    if t.startswith("(") and t.endswith(")"):
        t = "-" + t[1:-1]
    t = t.replace("\u2212", "-")
    if "," in t and "." in t:
        t = t.replace(".", "").replace(",", ".") if t.rfind(",") > t.rfind(".") else t.replace(",", "")
        flags.append("decimal_comma")
    elif "," in t:
        t = t.replace(",", ".")
        flags.append("decimal_comma")
    try:
        return float(t), None, tuple(flags)
    except ValueError:
        return None, "not_number", ()


def _parse_month(v):
    """(date at month start, problem, flags): date cells, Excel serials, 1.2.2024, 2024-02-01, 2024-02, 2/2024."""
    flags = []
    if isinstance(v, dt.datetime):
        d = v.date()
    elif isinstance(v, dt.date):
        d = v
    elif isinstance(v, (int, float)) and not isinstance(v, bool):
        if 20000 <= v <= 80000:
            d = EXCEL_EPOCH + dt.timedelta(days=int(v))
            flags.append("excel_serial")
        elif 190001 <= v <= 210012 and int(v) % 100 in range(1, 13):
            d = dt.date(int(v) // 100, int(v) % 100, 1)
        else:
            return None, "bad_date", ()
    else:
        s = str(v).strip()
        if not s:
            return None, "required", ()
        try:
            if m := _DMY.match(s):
                d = dt.date(int(m[3]), int(m[2]), int(m[1]))
                flags.append("finnish_date")
            elif m := _ISO.match(s):
                d = dt.date(int(m[1]), int(m[2]), int(m[3] or 1))
            elif m := _MY.match(s):
                d = dt.date(int(m[2]), int(m[1]), 1)
                flags.append("finnish_date")
            else:
                return None, "bad_date", ()
        except ValueError:
            return None, "bad_date", ()
    if d.day != 1:
        flags.append("normalised_day")
    return dt.date(d.year, d.month, 1), None, tuple(flags)


def _column(values: list, parse) -> tuple[pd.Series, pd.Series, dict[str, int]]:
    """Parse each distinct cell value once; returns parsed values, problem codes and flag counts."""
    s = pd.Series(values, dtype=object)
    uniq = {}
    for u in pd.unique(s):
        key = (type(u), u)
        if key not in uniq:
            uniq[key] = parse(u)
    parsed = [uniq[(type(v), v)] for v in values] if len(uniq) < len(values) else [parse(v) for v in values]
    vals = pd.Series([p[0] for p in parsed], dtype=object)
    probs = pd.Series([p[1] for p in parsed], dtype=object)
    flags: dict[str, int] = {}
    for p in uniq.values():
        for f in p[2]:
            flags[f] = 0
    if flags:
        for p in parsed:
            for f in p[2]:
                flags[f] += 1
    return vals, probs, flags


def _map_unique(s: pd.Series, func) -> pd.Series:
    """Apply func once per distinct value (months and codes repeat a lot), then look the results up."""
    if s.dtype != object:
        u = pd.unique(s)
        return s.map(dict(zip(u, (func(x) for x in u))))
    table = {}
    for x in pd.unique(s):
        table[x] = func(x)
    return s.map(table)


def _numbers_fast(values: list) -> np.ndarray | None:
    """All cells already numbers (the usual xlsx case): no per-cell parsing needed."""
    if not values:
        return np.array([], dtype=float)
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        return None
    return None if np.isnan(arr).any() else arr


def validate(raw: RawUpload, spec: DatasetSpec, codes: dict[str, set], today: dt.date | None = None) -> Validated:
    """Check types, ranges, codes, dates, duplicate keys and numerator <= denominator on every row."""
    today = today or dt.date.today()
    issues = _Collector()
    for i in raw.issues:
        issues.add(i)
    notes = list(raw.notes)
    if not raw.ok or not raw.blocks:
        return Validated(spec, raw, None, issues.issues, notes, issues.counts)

    frames = []
    flag_totals: dict[str, int] = {}
    for block in raw.blocks:
        n = len(block.rows)
        rows = np.asarray(block.rows)
        cols: dict[str, pd.Series] = {}
        for c in spec.columns:
            letter = block.letters.get(c.name)
            if letter is None:          # optional column absent
                cols[c.name] = pd.Series([None] * n, dtype=object)
                continue
            values = block.values[c.name]
            if c.kind in (INT, DEC):
                fast = _numbers_fast(values)
                if fast is not None:
                    vals, probs, flags = pd.Series(fast), pd.Series([None] * n, dtype=object), {}
                else:
                    vals, probs, flags = _column(values, _parse_number)
                    vals = pd.to_numeric(vals, errors="coerce")
            elif c.kind == MONTH:
                vals, probs, flags = _column(values, _parse_month)
            elif c.kind == YEAR:
                vals, probs, flags = _column(values, _parse_number)
                vals = pd.to_numeric(vals, errors="coerce")
            else:
                def parse_text(v, c=c):
                    if v is None or (isinstance(v, str) and not v.strip()):
                        return None, "required", ()
                    text = _text(v)
                    flags = ()
                    if c.zero_pad and text.isdigit() and len(text) < c.zero_pad:
                        text, flags = text.zfill(c.zero_pad), ("zero_padded",)
                    if len(text) > c.max_len:
                        return None, "too_long", ()
                    return text, None, flags
                vals, probs, flags = _column(values, parse_text)
            for f, k in flags.items():
                flag_totals[f] = flag_totals.get(f, 0) + k
            probs = probs.copy()
            if not c.required:
                probs[probs == "required"] = None
            # range, integer, code and date checks on the values that parsed
            ok = probs.isna() & vals.notna()
            if c.kind in (INT, DEC, YEAR) and ok.any():
                num = vals.astype(float)
                if c.kind in (INT, YEAR):
                    probs[ok & ((num - num.round()).abs() > 1e-9)] = "not_integer"
                if c.min is not None:
                    probs[ok & (num < c.min) & probs.isna()] = "negative" if c.min == 0 else "out_of_range"
                if c.max is not None:
                    probs[ok & (num > c.max) & probs.isna()] = "out_of_range"
                if c.kind == YEAR:
                    probs[ok & (num > today.year) & probs.isna()] = "future_date"
            if c.kind == MONTH and ok.any():
                first = dt.date(today.year, today.month, 1)
                probs[ok & _map_unique(vals, lambda d: d is not None and d > first) & probs.isna()] = "future_date"
                probs[ok & _map_unique(vals, lambda d: d is not None and d.year < 2000) & probs.isna()] = "too_old"
            if c.name in codes and ok.any():
                allowed = codes[c.name]
                as_text = _map_unique(vals, lambda v: None if v is None or (isinstance(v, float) and math.isnan(v))
                                      else (str(int(v)) if isinstance(v, float) else str(v)))
                probs[ok & ~as_text.isin(allowed) & probs.isna()] = "unknown_code"
            bad = probs.notna()
            if bad.any():
                raw_vals = values
                for i in np.flatnonzero(bad.to_numpy()):
                    code = probs.iat[i]
                    params = {}
                    if code == "unknown_code" and c.name in codes:
                        params["examples"] = ", ".join(sorted(codes[c.name])[:6])
                    if code in ("out_of_range", "negative") and c.min is not None:
                        params.update(min=c.min, max=c.max)
                    issues.add(Issue(code, row=int(rows[i]), column=c.name, cell=f"{letter}{rows[i]}",
                                     value=_text(raw_vals[i])[:60], params=params, sheet=block.sheet))
            cols[c.name] = vals
        frame = pd.DataFrame(cols)
        frame["_row"] = rows
        frame["_sheet"] = block.sheet
        frame["_bad"] = False
        frames.append(frame)

    df = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    for f, k in flag_totals.items():
        if f == "normalised_day":
            issues.add(Issue("normalised_day", severity="warning", params={"n": k}))
        else:
            notes.append(Note(f, {"n": k}))

    # row rules: a <= b, then duplicate keys
    letters = {**{}, **(raw.blocks[0].letters if raw.blocks else {})}
    for a, b in spec.not_greater:
        va, vb = pd.to_numeric(df[a], errors="coerce"), pd.to_numeric(df[b], errors="coerce")
        for i in np.flatnonzero(((va > vb) & va.notna() & vb.notna()).to_numpy()):
            issues.add(Issue("greater_than", row=int(df["_row"].iat[i]), column=a, sheet=df["_sheet"].iat[i],
                             cell=f"{letters.get(a, '')}{df['_row'].iat[i]}", value=_text(df[a].iat[i]),
                             params={"other": b, "other_value": _text(df[b].iat[i])}))
    key = list(spec.key)
    dup = df.duplicated(subset=key, keep=False).to_numpy()
    if dup.any():
        first_row = df.loc[dup].groupby(key, sort=False, dropna=False)["_row"].transform("min")
        for i, fr in zip(np.flatnonzero(dup), first_row.to_numpy()):
            if int(df["_row"].iat[i]) != int(fr):
                issues.add(Issue("duplicate_key", row=int(df["_row"].iat[i]), sheet=df["_sheet"].iat[i],
                                 params={"first_row": int(fr), "key": ", ".join(key)}))
    errors = any(code not in _WARNINGS for code in issues.counts)
    typed = None if errors else _typed(df, spec)
    return Validated(spec, raw, typed, issues.issues, notes, issues.counts)


def _typed(df: pd.DataFrame, spec: DatasetSpec) -> pd.DataFrame:
    """Warehouse dtypes: dates as datetime64, counts as int64, money as float (Numeric in the table)."""
    out = {}
    for c in spec.columns:
        s = df[c.name]
        if c.kind == MONTH:
            out[c.name] = pd.to_datetime(s)
        elif c.kind in (INT, YEAR):
            out[c.name] = s.astype("float64").round().astype("int64")
        elif c.kind == DEC:
            out[c.name] = pd.to_numeric(s, errors="coerce").astype("float64")
        elif c.kind in (CODE, TEXT):
            out[c.name] = s.astype(object)
    typed = pd.DataFrame(out)
    typed.attrs["source_rows"] = df["_row"].to_numpy()
    return typed
