"""Notes on a KPI (issue 15): an analyst's text for a month or a period, for the whole area or one county or
municipality ("uusi puhelinjärjestelmä 3/2025"). Charts, tables, exports and the board pack show them.

Ids come from a sequence and every write takes the write lock (data_sources/dialects.py), so two app servers
adding or editing notes at once neither clash nor lose an edit. Text is cleaned by the one text rule on the way
in and again on the way out; renderers treat it as data (ui/safe.py)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable

import pandas as pd
import sqlalchemy as sa

from . import schema
from .dialects import writing
from .text import clean_text

T = schema.kpi_annotation
TEXT_MAX = T.c.text.type.length
USER_MAX = T.c.created_by.type.length
COLUMNS = ("note_id", "kpi_id", "month_from", "month_to", "county_code", "municipality_code", "text",
           "created_at", "created_by", "updated_at", "updated_by")


class NoteError(ValueError):
    """A note cannot be stored as given; `code` names the reason (the UI says it in the user's language)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Note:
    kpi_id: str
    month_from: dt.date
    month_to: dt.date
    county_code: str | None
    municipality_code: str | None
    text: str


def clean(note: Note) -> Note:
    """The stored form: months as first days, the period in order, the text by the one rule and not empty."""
    text = clean_text(note.text, TEXT_MAX, multiline=True)
    if not text:
        raise NoteError("empty")
    a, b = (d.replace(day=1) for d in (note.month_from, note.month_to or note.month_from))
    if b < a:
        a, b = b, a
    return Note(str(note.kpi_id)[:60], a, b, note.county_code or None, note.municipality_code or None, text)


OnWrite = Callable[[sa.Connection, int, dict | None], None]


def add(engine: sa.Engine, note: Note, user: str, on_write: OnWrite | None = None) -> int:
    """Insert a note under the write lock; returns its id. `on_write(conn, id, None)` runs in the same
    transaction (the audit row: both commit or neither)."""
    n = clean(note)
    now = dt.datetime.now().replace(microsecond=0)
    who = clean_text(user, USER_MAX) or "-"
    with writing(engine) as conn:
        note_id = int(conn.scalar(sa.select(schema.annotation_seq.next_value())))
        conn.execute(T.insert().values(note_id=note_id, kpi_id=n.kpi_id, month_from=n.month_from,
                                       month_to=n.month_to, county_code=n.county_code,
                                       municipality_code=n.municipality_code, text=n.text, created_at=now,
                                       created_by=who, updated_at=now, updated_by=who))
        if on_write:
            on_write(conn, note_id, None)
    return note_id


def get(engine_or_conn, note_id: int) -> dict | None:
    q = sa.select(T).where(T.c.note_id == int(note_id))
    if isinstance(engine_or_conn, sa.Connection):
        row = engine_or_conn.execute(q).mappings().first()
    else:
        with engine_or_conn.connect() as conn:
            row = conn.execute(q).mappings().first()
    return dict(row) if row else None


def update(engine: sa.Engine, note_id: int, note: Note, user: str, on_write: OnWrite | None = None) -> dict:
    """Change a note under the write lock (the row is read after the lock, so two edits at once apply one after
    the other); returns the row as it was. NoteError("missing") when it is gone."""
    n = clean(note)
    with writing(engine) as conn:
        old = get(conn, note_id)
        if old is None:
            raise NoteError("missing")
        conn.execute(T.update().where(T.c.note_id == int(note_id)).values(
            month_from=n.month_from, month_to=n.month_to, county_code=n.county_code,
            municipality_code=n.municipality_code, text=n.text, updated_at=dt.datetime.now().replace(microsecond=0),
            updated_by=clean_text(user, USER_MAX) or "-"))
        if on_write:
            on_write(conn, int(note_id), old)
    return old


def delete(engine: sa.Engine, note_id: int, on_write: OnWrite | None = None) -> dict:
    """Remove a note under the write lock; returns the row it was. NoteError("missing") when it is gone."""
    with writing(engine) as conn:
        old = get(conn, note_id)
        if old is None:
            raise NoteError("missing")
        conn.execute(T.delete().where(T.c.note_id == int(note_id)))
        if on_write:
            on_write(conn, int(note_id), old)
    return old


def notes(engine: sa.Engine, kpi_ids: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Every note (of some KPIs), oldest period first; text cleaned again as it is read."""
    q = sa.select(T).order_by(T.c.kpi_id, T.c.month_from, T.c.note_id)
    if kpi_ids is not None:
        q = q.where(T.c.kpi_id.in_(list(kpi_ids)))
    with engine.connect() as conn:
        rows = conn.execute(q).fetchall()
    df = pd.DataFrame(rows, columns=list(COLUMNS))
    if len(df):
        df["text"] = [clean_text(x, TEXT_MAX, multiline=True) for x in df.text]
        for col in ("month_from", "month_to"):
            df[col] = pd.to_datetime(df[col])
        for col in ("county_code", "municipality_code"):          # None, never NaN (a NaN code is truthy)
            df[col] = df[col].astype(object).where(df[col].notna(), None)
    else:
        df = df.astype({"month_from": "datetime64[ns]", "month_to": "datetime64[ns]"})
    return df
