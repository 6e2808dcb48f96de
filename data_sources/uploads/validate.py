"""Turn raw cells into typed columns against a DatasetSpec; every problem becomes an Issue with its row,
column and cell. Works on unique values per column, so 100 000 rows with few distinct months or codes
cost little."""
from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import sqlalchemy as sa

from ..text import clean_text
from . import mapping as mp
from .reader import Coded, Issue, Note, RawUpload
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
# dimension tables with names for a code column: column -> (table, code column, name columns)
NAMES = {"municipality_code": ("dim_municipality", "municipality_code", ("name_fi", "name_sv")),
         "service_area": ("dim_service_area", "service_area", ("name_fi", "name_en")),
         "service_class": ("dim_service_class", "service_class", ("name_fi", "name_en")),
         "cost_account": ("dim_cost_account", "cost_account", ("name_fi", "name_en"))}


def load_vocabularies(engine: sa.Engine, spec: DatasetSpec, codes: dict[str, set]) -> dict[str, mp.Vocabulary]:
    """Names and synonyms per code column (codes in any case, Finnish/Swedish/English names, age and
    municipality number forms), for turning what a file says into the warehouse's codes."""
    names: dict[str, list] = {}
    with engine.connect() as conn:
        for c in spec.columns:
            if c.name in NAMES and c.kind == CODE:
                table, code, cols = NAMES[c.name]
                try:
                    rows = conn.execute(sa.select(*(sa.column(x) for x in (code, *cols))).select_from(sa.table(table)))
                except sa.exc.DBAPIError:
                    continue
                names[c.name] = [(str(r[0]), str(n)) for r in rows for n in r[1:] if n]
    return mp.vocabularies(spec, codes, names)


def load_code_lists(engine: sa.Engine, spec: DatasetSpec, registry_ids: tuple[str, ...] = ()) -> dict[str, set]:
    """Allowed codes per column, read from the warehouse dimensions (or the KPI registry ids given)."""
    out: dict[str, set] = {}
    with engine.connect() as conn:
        for c in spec.columns:
            if isinstance(c.codes, tuple):
                out[c.name] = {str(v) for v in c.codes} | set(c.extra_codes)
            elif c.codes == "registry":
                out[c.name] = set(registry_ids)
            elif isinstance(c.codes, str):
                table, column = c.codes.split(".")
                rows = conn.execute(sa.select(sa.column(column)).select_from(sa.table(table)).distinct())
                out[c.name] = {str(r[0]) for r in rows} | set(c.extra_codes)
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
    """A cell as text, cleaned by the one text rule (no control or bidi characters reach the warehouse)."""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return clean_text(v)


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


def _factorize(values) -> tuple[np.ndarray, list]:
    """(index of each row's value, distinct values). A value's type counts: 1.0, 1 and True stay apart."""
    if isinstance(values, Coded):
        return values.codes, values.uniques
    if isinstance(values, np.ndarray) and values.dtype != object:
        codes, uniques = pd.factorize(values)
        return codes.astype(np.int64), uniques.tolist()
    index: dict = {}
    codes = np.fromiter((index.setdefault((type(v), v), len(index)) for v in values), dtype=np.int64,
                        count=len(values))
    return codes, [v for _, v in index]


def _parse_unique(uniques: list, codes: np.ndarray, parse) -> tuple[np.ndarray, np.ndarray, dict[str, int]]:
    """Parse each distinct value once: parsed values and problem codes per distinct value, flag counts."""
    parsed = [parse(u) for u in uniques]
    vals = np.empty(len(parsed), dtype=object)
    vals[:] = [p[0] for p in parsed]
    probs = np.empty(len(parsed), dtype=object)
    probs[:] = [p[1] for p in parsed]
    flags: dict[str, int] = {}
    if any(p[2] for p in parsed):
        per_value = np.bincount(codes, minlength=len(parsed))
        for k, p in enumerate(parsed):
            for f in p[2]:
                flags[f] = flags.get(f, 0) + int(per_value[k])
    return vals, probs, flags


def _numbers_fast(values) -> np.ndarray | None:
    """All cells already numbers (the usual xlsx case): no per-cell parsing needed."""
    if isinstance(values, Coded):
        return None
    if len(values) == 0:
        return np.array([], dtype=float)
    if isinstance(values, np.ndarray) and values.dtype.kind == "f":
        arr = values
    else:
        if any(type(v) in (bool, np.bool_, str) for v in values):
            return None                       # TRUE is not a count; text numbers go through the parser
        try:
            arr = np.asarray(values, dtype=float)
        except (TypeError, ValueError):
            return None
    return None if np.isnan(arr).any() else arr


def _number_problems(num: np.ndarray, c, today: dt.date) -> np.ndarray:
    """Problem code (or None) per number: not an integer, below min, above max, a future year."""
    probs = np.full(len(num), None, dtype=object)
    if c.kind == YEAR:
        probs[num > today.year] = "future_date"
    if c.max is not None:
        probs[num > c.max] = "out_of_range"
    if c.min is not None:
        probs[num < c.min] = "negative" if c.min == 0 else "out_of_range"
    if c.kind in (INT, YEAR):
        probs[np.abs(num - np.round(num)) > 1e-9] = "not_integer"
    return probs


def _text_parser(c, vocab: mp.Vocabulary | None = None, value_map: dict | None = None):
    def parse_text(v):
        if v is None or (isinstance(v, str) and not v.strip()):
            return None, "required", ()
        text = _text(v)
        if not text:                          # nothing left once control characters are gone
            return None, "required", ()
        flags = ()
        if value_map and (mapped := value_map.get(mp.fold(text))) is not None:
            return mapped, None, ("value_mapped",)
        if c.zero_pad and text.isdigit() and len(text) < c.zero_pad:
            text, flags = text.zfill(c.zero_pad), ("zero_padded",)
        if vocab is not None:
            code = vocab.lookup(text)
            if code is not None:
                return code, None, flags if code == text else ("name_to_code",)
            if len(text) > c.max_len:         # a name we do not know is an unknown value, not "too long"
                return text[:60], None, ()
        if len(text) > c.max_len:
            return None, "too_long", ()
        return text, None, flags
    return parse_text


def _as_code(v) -> str | None:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    return str(int(v)) if isinstance(v, float) else str(v)


def _check_column(values, c, codes: dict[str, set], today: dt.date, vocab: mp.Vocabulary | None = None,
                  value_map: dict | None = None) -> tuple[object, np.ndarray, dict[str, int]]:
    """One spec column: (typed values for the frame, problem code or None per row, flag counts). All work is
    done per distinct value and then spread to the rows, so repeated months and codes cost nothing."""
    fast = _numbers_fast(values) if c.kind in (INT, DEC) else None
    if fast is not None:
        probs = _number_problems(fast, c, today)
        if c.name in codes:
            k, u = pd.factorize(fast)
            bad_u = np.array([_as_code(x) not in codes[c.name] for x in u], dtype=bool)
            probs[bad_u[k] & pd.isna(probs)] = "unknown_code"
        return fast, probs, {}
    k, uniques = _factorize(values)
    parse = {MONTH: _parse_month, YEAR: _parse_number}.get(c.kind) or \
        (_parse_number if c.kind in (INT, DEC) else _text_parser(c, vocab, value_map))
    vals_u, probs_u, flags = _parse_unique(uniques, k, parse)
    if not c.required:
        probs_u[probs_u == "required"] = None
    ok_u = pd.isna(probs_u) & pd.notna(vals_u)
    if ok_u.any():
        if c.kind in (INT, DEC, YEAR):
            num = np.array([float(v) if ok else 0.0 for v, ok in zip(vals_u, ok_u)])
            more = _number_problems(num, c, today)
            probs_u[ok_u & pd.notna(more)] = more[ok_u & pd.notna(more)]
        if c.kind == MONTH:
            first = dt.date(today.year, today.month, 1)
            future = np.array([ok and v > first for v, ok in zip(vals_u, ok_u)], dtype=bool)
            old = np.array([ok and v.year < 2000 for v, ok in zip(vals_u, ok_u)], dtype=bool)
            probs_u[future] = "future_date"
            probs_u[old & ~future] = "too_old"
        if c.name in codes:
            allowed = codes[c.name]
            unknown = np.array([ok and _as_code(v) not in allowed for v, ok in zip(vals_u, ok_u)], dtype=bool)
            probs_u[unknown & pd.isna(probs_u)] = "unknown_code"
    probs = probs_u[k]
    if c.kind == MONTH:
        typed = pd.Series(pd.to_datetime(pd.Series(vals_u, dtype=object))).to_numpy()[k]
    elif c.kind in (INT, DEC, YEAR):
        typed = np.array([float(v) if v is not None else np.nan for v in vals_u], dtype=float)[k]
    else:
        typed = vals_u[k]
    return typed, probs, flags


def validate(raw: RawUpload, spec: DatasetSpec, codes: dict[str, set], today: dt.date | None = None,
             vocabs: dict[str, mp.Vocabulary] | None = None) -> Validated:
    """Check types, ranges, codes, dates, duplicate keys and numerator <= denominator on every row. Names and
    synonyms become codes (vocabs), the analyst's value map first; shares with their denominator become counts."""
    today = today or dt.date.today()
    vocabs = vocabs or {}
    layout = raw.layout
    value_maps = layout.values if layout else {}
    shares = layout.shares if layout else {}
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
        cols: dict[str, object] = {}
        for c in spec.columns:
            letter = block.letters.get(c.name)
            if letter is None:          # optional column absent
                cols[c.name] = pd.Series([None] * n, dtype=object)
                continue
            values = block.values[c.name]
            check = dataclasses.replace(c, kind=DEC, min=0, max=100) if c.name in shares else c
            typed, probs, flags = _check_column(values, check, codes, today, vocabs.get(c.name),
                                                value_maps.get(c.name))
            for f, k in flags.items():
                flag_totals[f] = flag_totals.get(f, 0) + k
            bad = pd.notna(probs)
            if bad.any():
                per_row = block.cells.get(c.name)
                nearest: dict = {}
                for i in np.flatnonzero(bad):
                    code = probs[i]
                    params = {}
                    if code == "unknown_code" and c.name in codes:
                        value = _text(values[i])[:60]
                        if value not in nearest:
                            nearest[value] = vocabs[c.name].nearest(value) if c.name in vocabs else \
                                sorted(codes[c.name])[:6]
                        params["examples"] = ", ".join(nearest[value])
                    if code in ("out_of_range", "negative") and check.min is not None:
                        params.update(min=check.min, max=check.max)
                    cell = per_row[i] if per_row else f"{letter}{rows[i]}" if letter else None
                    issues.add(Issue(code, row=int(rows[i]), column=c.name, cell=cell,
                                     value=_text(values[i])[:60], params=params, sheet=block.sheet))
            cols[c.name] = typed
        for col, den in shares.items():            # a share of its denominator, as a count
            idx = layout.columns[col]
            header = layout.headers[idx] if isinstance(idx, int) else ""
            share = np.asarray(cols[col], dtype=float)
            percent = "%" in header or np.nanmax(share, initial=0) > 1
            cols[col] = np.round(share / (100 if percent else 1) * np.asarray(cols[den], dtype=float))
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
    for a, b, values in spec.required_when:
        missing = df[a].isna() | (df[a].astype(str).str.strip() == "")
        for i in np.flatnonzero((missing & df[b].isin(values)).to_numpy()):
            issues.add(Issue("required_when", row=int(df["_row"].iat[i]), column=a, sheet=df["_sheet"].iat[i],
                             cell=f"{letters.get(a, '')}{df['_row'].iat[i]}",
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
