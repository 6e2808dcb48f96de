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
    state.clear_caches()                  # the page caches and the query result cache: a cold start
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


def test_the_caches_tell_every_filter_apart():
    """The caches hash a Filters by its repr (state.HASH_FUNCS): every field changes it, and two areas read
    through the cache get their own numbers, each the same as read without it."""
    import dataclasses

    from app import state
    from metrics.engine import Filters, kpi_summary
    base = Filters(year=2024)
    changed = {"year": 2023, "months": (1, 6), "county": "KH", "municipalities": ("109",), "service_areas": ("x",),
               "age_groups": ("0-17",), "scope_county": "PH", "scope_municipalities": ("111",)}
    assert set(changed) == {f.name for f in dataclasses.fields(Filters)}
    keys = {state.HASH_FUNCS[Filters](dataclasses.replace(base, **{k: v})) for k, v in changed.items()}
    assert len(keys | {state.HASH_FUNCS[Filters](base)}) == len(changed) + 1
    st.cache_data.clear()
    version = state.data_version()[0]
    year = state.latest_month(version)[0]
    got = {c: state.summary("remote_share", Filters(year=year, county=c), version).value for c in ("KH", "PH")}
    assert got["KH"] != got["PH"]
    for c, v in got.items():
        assert v == kpi_summary(state.engine(), "remote_share", Filters(year=year, county=c)).value
