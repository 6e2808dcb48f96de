"""Child-budget classification of cost lines: read, validate and save it as a new version.

A rule is keyed on service class and cost account ("*" = every account of the class); an
account-specific rule wins over the class-wide one. Every save is one transaction that replaces the
current rules, keeps a full snapshot with who/when/what, and bumps the data version.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import pandas as pd
import sqlalchemy as sa

from . import reference, schema, version
from .text import clean_text

TARGET_CLASSES = ("direct", "partial", "not_targeted")
PREVENTION = ("preventive", "corrective", "other")
ALLOCATION_KEYS = ("population_share", "client_share", "visit_share", "fixed")
ALL_ACCOUNTS = "*"
COLUMNS = ("service_class", "cost_account", "target_class", "prevention", "allocation_key", "fixed_share",
           "key_source")
DEFAULT_AUTHOR = "oletusluokitus"
KEY_SOURCE_MAX = schema.child_budget_class.c.key_source.type.length
WHO_MAX = schema.child_budget_class_version.c.changed_by.type.length
NOTE_MAX = schema.child_budget_class_version.c.note.type.length


@dataclass
class ClassificationError(ValueError):
    """A user's classification cannot be saved; problems are (i18n key, params) so the UI speaks Finnish."""
    problems: list[tuple[str, dict]] = field(default_factory=list)

    def __str__(self) -> str:
        return "; ".join(f"{k} {p}" for k, p in self.problems)


def default_classification() -> pd.DataFrame:
    """The shipped default (reference/child_budget_classification.csv), normalised like a saved one."""
    df = reference.load("child_budget_classification").copy()
    df["cost_account"] = df["cost_account"].astype(str)
    return _normalise(df)


def _blank(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or (isinstance(v, str) and not v.strip())


def _normalise(df: pd.DataFrame) -> pd.DataFrame:
    """Strip text, '*' for an empty account, no key on non-partial rows; columns in COLUMNS order."""
    out = pd.DataFrame({c: (df[c] if c in df else None) for c in COLUMNS}).reset_index(drop=True)
    out = out.astype(object).where(out.notna(), None)
    def obj(values):  # object dtype keeps None as None (pandas 3 would make a str column with NaN)
        return pd.Series(values, index=out.index, dtype=object)
    for col in ("service_class", "cost_account", "target_class", "prevention", "allocation_key", "key_source"):
        out[col] = obj([None if _blank(v) else clean_text(v) or None for v in out[col]])
    out["cost_account"] = obj([ALL_ACCOUNTS if v is None else v for v in out["cost_account"]])
    out["key_source"] = obj([v or "" for v in out["key_source"]])
    shares = []
    for v in out["fixed_share"]:
        try:
            shares.append(None if _blank(v) else float(v))
        except (TypeError, ValueError):
            shares.append("bad")
    out["fixed_share"] = obj(shares)
    # rows the editor left completely empty are not rules
    keep = [not all(_blank(out.at[i, c]) for c in ("service_class", "target_class", "prevention"))
            for i in out.index]
    return out[keep].reset_index(drop=True)


def validate(df: pd.DataFrame, service_classes: set[str], cost_accounts: set[str]) -> pd.DataFrame:
    """Return the cleaned rules or raise ClassificationError listing every problem (row numbers from 1)."""
    rules = _normalise(df)
    problems: list[tuple[str, dict]] = []
    if rules.empty:
        problems.append(("cb_err_empty", {}))
    for i, r in rules.iterrows():
        row = i + 1
        if r.service_class not in service_classes:
            problems.append(("cb_err_service_class", {"row": row, "value": r.service_class or "–"}))
        if r.cost_account != ALL_ACCOUNTS and r.cost_account not in cost_accounts:
            problems.append(("cb_err_account", {"row": row, "value": r.cost_account}))
        if r.target_class not in TARGET_CLASSES:
            problems.append(("cb_err_target", {"row": row, "value": r.target_class or "–"}))
        if r.prevention not in PREVENTION:
            problems.append(("cb_err_prevention", {"row": row, "value": r.prevention or "–"}))
        if r.target_class != "partial":
            rules.at[i, "allocation_key"] = None
            rules.at[i, "fixed_share"] = None
            continue
        if r.allocation_key not in ALLOCATION_KEYS:
            problems.append(("cb_err_key", {"row": row, "value": r.allocation_key or "–"}))
        if r.fixed_share == "bad":
            problems.append(("cb_err_share_number", {"row": row}))
        elif r.allocation_key == "fixed":
            share = r.fixed_share
            if _blank(share):  # None or NaN: pandas turns a missing share into NaN
                problems.append(("cb_err_share_missing", {"row": row}))
            elif share < 0:
                problems.append(("cb_err_share_negative", {"row": row, "value": round(share * 100, 2)}))
            elif share > 1:
                problems.append(("cb_err_share_over", {"row": row, "value": round(share * 100, 2)}))
        else:
            rules.at[i, "fixed_share"] = None
        if _blank(r.key_source):
            problems.append(("cb_err_source", {"row": row}))
    for i, r in rules.iterrows():          # the editor has no limit of its own; the column has
        if len(r.key_source) > KEY_SOURCE_MAX:
            problems.append(("cb_err_too_long", {"row": i + 1, "n": len(r.key_source), "max": KEY_SOURCE_MAX}))
    dup = rules[rules.duplicated(["service_class", "cost_account"], keep=False)]
    for (sc, acc), _ in dup.groupby(["service_class", "cost_account"]):
        problems.append(("cb_err_duplicate", {"value": f"{sc} / {acc}"}))
    if problems:
        raise ClassificationError(problems)
    return rules.sort_values(["service_class", "cost_account"]).reset_index(drop=True)


def codes_conn(conn: sa.Connection) -> tuple[set[str], set[str]]:
    """The service classes and cost accounts a rule may name."""
    classes = {r[0] for r in conn.execute(sa.select(schema.dim_service_class.c.service_class))}
    accounts = {r[0] for r in conn.execute(sa.select(schema.dim_cost_account.c.cost_account))}
    return classes, accounts


def read_classification(engine: sa.Engine) -> pd.DataFrame:
    t = schema.child_budget_class
    with engine.connect() as conn:
        rows = conn.execute(sa.select(t).order_by(t.c.service_class, t.c.cost_account)).fetchall()
    df = pd.DataFrame(rows, columns=[c.name for c in t.columns])
    df["fixed_share"] = pd.to_numeric(df["fixed_share"], errors="coerce").astype(float)
    return _cleaned(df, ("key_source",))


def read_versions(engine: sa.Engine) -> pd.DataFrame:
    t = schema.child_budget_class_version
    with engine.connect() as conn:
        rows = conn.execute(sa.select(t).order_by(t.c.version.desc())).fetchall()
    return _cleaned(pd.DataFrame(rows, columns=[c.name for c in t.columns]), ("changed_by", "note", "changes"))


def _cleaned(df: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """Text stored before the text rule existed is shown (and exported) in its clean form."""
    for col in columns:
        df[col] = [clean_text(v) if isinstance(v, str) else v for v in df[col]]
    return df


KEY = ("service_class", "cost_account")


def _by_key(rules: pd.DataFrame) -> dict[tuple, dict]:
    """Normalised rules keyed by (service class, account)."""
    return {tuple(r[k] for k in KEY): r for r in _normalise(rules).to_dict("records")} if len(rules) else {}


def describe_changes(old: pd.DataFrame, new: pd.DataFrame) -> str:
    """'PL101/*: target_class partial → direct; + PL999/4000; − PL102/4300' (what changed, for the log)."""
    cols = [c for c in COLUMNS if c not in KEY]
    o, n = _by_key(old), _by_key(new)
    parts = []
    for k in sorted(set(o) | set(n)):
        label = "/".join(k)
        if k not in o:
            parts.append(f"+ {label}")
        elif k not in n:
            parts.append(f"− {label}")
        else:
            diffs = [f"{c} {_show(o[k][c])} → {_show(n[k][c])}" for c in cols if not _same(o[k][c], n[k][c])]
            if diffs:
                parts.append(f"{label}: " + ", ".join(diffs))
    return "; ".join(parts)


def _show(v) -> str:
    return "–" if _blank(v) else (f"{v:g}" if isinstance(v, float) else str(v))


def _same(a, b) -> bool:
    if _blank(a) and _blank(b):
        return True
    if isinstance(a, float) or isinstance(b, float):
        try:
            return abs(float(a) - float(b)) < 1e-9
        except (TypeError, ValueError):
            return False
    return a == b


def _write_version(conn: sa.Connection, rules: pd.DataFrame, version: int, changed_by: str, note: str,
                   changes: str, at: dt.datetime, upload_id: int | None = None) -> None:
    records = [{k: None if _blank(v) and k in ("allocation_key", "fixed_share") else v for k, v in r.items()}
               for r in _normalise(rules).to_dict("records")]
    for r in records:  # NaN must never reach a text column as the string 'nan'
        r["fixed_share"] = None if r["fixed_share"] is None else round(float(r["fixed_share"]), 4)
    conn.execute(schema.child_budget_class.delete())
    if records:
        conn.execute(schema.child_budget_class.insert(), [{**r, "version": version} for r in records])
        conn.execute(schema.child_budget_class_history.insert(), [{**r, "version": version} for r in records])
    conn.execute(schema.child_budget_class_version.insert().values(
        version=version, changed_at=at, changed_by=changed_by[:80], note=note[:300], changes=changes,
        upload_id=upload_id))


def save_classification(engine: sa.Engine, df: pd.DataFrame, changed_by: str, note: str = "",
                        base: pd.DataFrame | None = None) -> int:
    """Validate and store a new version in one transaction; nothing is written when anything is wrong. `base`:
    the rules the user's edit started from (the page's editor); see merge_edit."""
    with engine.begin() as conn:
        return save_classification_conn(conn, df, changed_by, note, base=base)[0]


def merge_edit(base: pd.DataFrame, edited: pd.DataFrame, current: pd.DataFrame) -> pd.DataFrame:
    """A three-way merge of one user's edit: the rows the user added, changed or removed (edited against base)
    applied to the current rules, which another user (another app server) may have changed meanwhile. A row both
    changed differently is a conflict: ClassificationError naming the rows, nothing is merged."""
    b, e, c = _by_key(base), _by_key(edited), _by_key(current)
    cols = [col for col in COLUMNS if col not in KEY]

    def same_row(x, y) -> bool:
        return (x is None) == (y is None) and (x is None or all(_same(x[k], y[k]) for k in cols))

    mine = {k for k in set(b) | set(e) if not same_row(b.get(k), e.get(k))}
    clash = sorted(k for k in mine if not same_row(b.get(k), c.get(k)) and not same_row(e.get(k), c.get(k)))
    if clash:
        raise ClassificationError([("cb_err_conflict", {"rows": ", ".join("/".join(k) for k in clash)})])
    merged = {**c}
    for k in mine:
        if k in e:
            merged[k] = e[k]
        else:
            merged.pop(k, None)
    # the user's order for their rows, the current order for the rest
    order = [k for k in e if k in merged] + [k for k in c if k in merged and k not in e]
    return pd.DataFrame([merged[k] for k in order], columns=list(COLUMNS))


def save_classification_conn(conn: sa.Connection, df: pd.DataFrame, changed_by: str, note: str = "",
                             upload_id: int | None = None, base: pd.DataFrame | None = None) -> tuple[int, int]:
    """save_classification inside the caller's transaction (an analyst upload writes its audit row in the same
    one, and links the version to itself by upload_id); raises ClassificationError before anything is written.
    With `base` (the rules the edit started from) the edit is merged into the rules as they are now (merge_edit),
    so an edit stored meanwhile by another user or server is kept. Returns (classification version, data
    version)."""
    from .dialects import spec_for
    spec_for(conn).lock_writes(conn)      # the rules read below are the ones the previous edit committed
    changed_by, note = clean_text(changed_by, WHO_MAX), clean_text(note, NOTE_MAX)
    who = [("cb_err_who", {})] if not changed_by else []
    classes, accounts = codes_conn(conn)
    old = read_classification_conn(conn)
    try:
        rules = validate(df, classes, accounts)
    except ClassificationError as err:  # report every problem at once, the author's name too
        raise ClassificationError(who + err.problems) from None
    if who:
        raise ClassificationError(who)
    if base is not None:
        rules = validate(merge_edit(base, rules, old), classes, accounts)
    changes = describe_changes(old, rules)
    if not changes:
        raise ClassificationError([("cb_err_no_changes", {})])
    number = conn.scalar(schema.class_version_seq.next_value())
    _write_version(conn, rules, number, changed_by, note, changes, dt.datetime.now().replace(microsecond=0),
                   upload_id)
    return number, version.bump(conn, f"child-budget classification v{number}")


def compare_rules(old: pd.DataFrame, new: pd.DataFrame, given: pd.DataFrame) -> dict[str, int]:
    """How `given` rules (e.g. an uploaded file) change the classification from `old` to `new` (new already
    validated): inserted, updated and unchanged among the given keys; deleted = in old, not in new."""
    cols = [c for c in COLUMNS if c not in KEY]
    o, n, keys = _by_key(old), _by_key(new), _by_key(given).keys()
    updated = sum(1 for k in keys & o.keys() if any(not _same(o[k][c], n[k][c]) for c in cols))
    return {"inserted": len(keys - o.keys()), "updated": updated, "unchanged": len(keys & o.keys()) - updated,
            "deleted": len(o.keys() - n.keys())}


def read_version_conn(conn: sa.Connection, version: int) -> pd.DataFrame:
    """The rules of one stored classification version (from the history table)."""
    h = schema.child_budget_class_history
    rows = conn.execute(sa.select(*(h.c[c] for c in COLUMNS)).where(h.c.version == version)).fetchall()
    df = pd.DataFrame(rows, columns=list(COLUMNS))
    df["fixed_share"] = pd.to_numeric(df["fixed_share"], errors="coerce").astype(float)
    return df


def read_classification_conn(conn: sa.Connection) -> pd.DataFrame:
    t = schema.child_budget_class
    rows = conn.execute(sa.select(*(t.c[c] for c in COLUMNS))).fetchall()
    df = pd.DataFrame(rows, columns=list(COLUMNS))
    df["fixed_share"] = pd.to_numeric(df["fixed_share"], errors="coerce").astype(float)
    return df


def seed_frames(at: dt.datetime = dt.datetime(2023, 1, 1)) -> dict[str, pd.DataFrame]:
    """Version 1 = the shipped default, as frames for the demo build (deterministic timestamp)."""
    rules = default_classification()
    rules = rules.assign(fixed_share=pd.to_numeric(rules.fixed_share).round(4), version=1)
    version = pd.DataFrame([{"version": 1, "changed_at": at, "changed_by": DEFAULT_AUTHOR,
                             "note": "Oletusluokitus (data_sources/reference/child_budget_classification.csv)",
                             "changes": "+ " + ", ".join(rules.service_class + "/" + rules.cost_account)}])
    history = rules[["version", *COLUMNS]]
    return {"child_budget_class": rules[[*COLUMNS, "version"]],
            "child_budget_class_version": version, "child_budget_class_history": history}


def child_indicators(engine: sa.Engine, groups: tuple[str, ...] = ("children", "youth")) -> pd.DataFrame:
    """The real 2019→2021 service-deficit changes for children and young people, read beside the money."""
    t = schema.ref_service_deficit
    with engine.connect() as conn:
        rows = conn.execute(sa.select(t).where(t.c.group_code.in_(groups))
                            .order_by(t.c.group_code, t.c.change_pct.desc())).fetchall()
    return pd.DataFrame(rows, columns=[c.name for c in t.columns])
