"""Export bookkeeping in the warehouse: the audit log of exports and saved board-pack selections."""
from __future__ import annotations

import datetime as dt
import getpass
import json

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from . import schema
from .settings import get_settings
from .text import clean_text

# what a board-pack item may be: a KPI as a trend, a region chart, a card or a forecast, or the child budget
# ({"kpi": "child_budget", "kind": "child_budget"}); ui/board_pack.py KINDS and CHILD_BUDGET name the same
KINDS = ("trend", "regions", "card", "forecast", "child_budget")


class SelectionError(ValueError):
    """A selection cannot be saved as given (empty name or no items); the UI shows the message."""


def current_user() -> str:
    """Until login exists: DASHBOARD_USER_NAME, else the operating-system user."""
    name = get_settings().user_name
    if name:
        return name
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user database in some containers
        return ""                       # the glue layer says "unknown" in the user's language


def record_export(engine: sa.Engine, action: str, obj: str, detail: str = "", version: int | None = None,
                  user: str | None = None) -> None:
    with engine.begin() as conn:
        conn.execute(schema.audit_export.insert().values(
            exported_at=dt.datetime.now(), user_name=clean_text(user or current_user(), 80), action=action[:20],
            object=clean_text(obj, 200), detail=clean_text(detail, 400), data_version=version))


def export_log(engine: sa.Engine, limit: int = 100) -> pd.DataFrame:
    t = schema.audit_export
    with engine.connect() as conn:
        rows = conn.execute(sa.select(t).order_by(t.c.exported_at.desc()).limit(limit)).fetchall()
    return pd.DataFrame(rows, columns=[c.name for c in t.columns])


NAME_MAX = schema.board_pack_selection.c.name.type.length
USER_MAX = schema.board_pack_selection.c.updated_by.type.length


def save_selection(engine: sa.Engine, name: str, items: list[dict], user: str | None = None) -> str:
    """Insert or replace a named selection in one statement (an upsert: two app servers saving the same name at
    once do not clash; DuckDB takes the PostgreSQL form too); returns the name as stored (cleaned)."""
    name = clean_text(name, NAME_MAX)
    if not name:
        raise SelectionError("empty name")
    clean = [{"kpi": str(i["kpi"]), "kind": i["kind"]} for i in items if i.get("kind") in KINDS]
    if not clean:
        raise SelectionError("no items")
    t = schema.board_pack_selection
    row = insert(t).values(name=name, items_json=json.dumps(clean), updated_at=dt.datetime.now(),
                           updated_by=clean_text(user or current_user(), USER_MAX))
    with engine.begin() as conn:
        conn.execute(row.on_conflict_do_update(index_elements=[t.c.name], set_={
            c: row.excluded[c] for c in ("items_json", "updated_at", "updated_by")}))
    return name


def list_selections(engine: sa.Engine) -> list[str]:
    """Saved names, cleaned as they are read: a name stored before the text rule (with a control character,
    say) is shown and rendered safely, and load_selection finds it by its clean form."""
    t = schema.board_pack_selection
    with engine.connect() as conn:
        return sorted({clean_text(r[0]) for r in conn.execute(sa.select(t.c.name))})


def load_selection(engine: sa.Engine, name: str) -> list[dict]:
    t = schema.board_pack_selection
    with engine.connect() as conn:
        rows = conn.execute(sa.select(t.c.name, t.c.items_json).order_by(t.c.updated_at.desc())).fetchall()
    raw = next((items for stored, items in rows if clean_text(stored) == name), None)
    return json.loads(raw) if raw else []
