"""No query runs twice in one rerun: every statement the app sends to the warehouse is counted (SQLAlchemy's
before_cursor_execute) over a cold overview run, a county change and the strategic page; no (SQL, parameters) pair
repeats within a run, and a rerun with nothing changed asks the warehouse nothing but, at most, the data version."""
from __future__ import annotations

import collections

import sqlalchemy as sa
import streamlit as st
from streamlit.testing.v1 import AppTest

from .test_overview_app import APP


def test_no_query_twice_in_one_rerun(monkeypatch):
    from app import state
    from ui import charts
    monkeypatch.setenv("DASHBOARD_VERSION_TTL_SECONDS", "60")
    st.cache_data.clear()
    charts._charts.clear()
    seen: list[tuple[int, str, str]] = []
    writes = [0]

    def count(conn, cursor, statement, parameters, context, executemany):
        # a read repeated after a write in between is not redundant (the forecast read back after the run that
        # this rerun computed and stored): each write starts a new segment
        if statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            writes[0] += 1
        seen.append((writes[0], statement, repr(parameters)))

    engine = state.engine()
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        at = AppTest.from_file(APP, default_timeout=120)
        runs = {}
        seen.clear()
        at.run()
        runs["cold overview"] = list(seen)
        seen.clear()
        at.sidebar.selectbox(key="f_county").set_value("KH").run()
        runs["county change"] = list(seen)
        seen.clear()
        at.switch_page("pages/strategic.py").run()
        runs["strategic"] = list(seen)
        seen.clear()
        at.run()
        runs["same again"] = list(seen)
        assert not at.exception, at.exception
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    for name, queries in runs.items():
        twice = {q: n for q, n in collections.Counter(queries).items() if n > 1}
        assert not twice, (name, sorted({q[1][:60] for q in twice}))
    assert len(runs["cold overview"]) > 10 and len(runs["strategic"]) > 10
    assert len(runs["same again"]) <= 1, [q[1][:80] for q in runs["same again"]]
