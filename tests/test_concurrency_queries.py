"""No query runs twice in one rerun: every statement the app sends to the warehouse is counted (SQLAlchemy's
before_cursor_execute) over a cold overview run, a county change and the strategic page; no (SQL, parameters) pair
repeats within a run, and a rerun with nothing changed asks the warehouse nothing but, at most, the data version."""
from __future__ import annotations

import collections

import pandas as pd
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


def test_a_cached_read_is_one_entry_whether_its_arguments_come_by_position_or_by_name():
    """state.cached_read hands Streamlit's cache every argument by name (state.by_name): a call by position, by
    name or both finds the one entry, and other arguments still get their own."""
    from app import state
    from metrics.engine import Filters, new_run
    st.cache_data.clear()
    new_run()                                       # a run without a data version: no query result cache either
    version = state.data_version()[0]
    year = state.latest_month(version)[0]
    f = Filters(year=year, county="PH")
    queries = []

    def count(*args):
        queries.append(args[2])
    engine = state.engine()
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        first = state.summary("remote_share", f, version)
        read = len(queries)
        by_name = state.summary(kpi_id="remote_share", filters=f, version=version)
        mixed = state.summary("remote_share", f, version=version)
        assert read > 0 and len(queries) == read
        other = state.summary("remote_share", Filters(year=year, county="KH"), version)
        assert len(queries) > read and other.value != first.value
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    assert by_name.value == mixed.value == first.value
    pd.testing.assert_frame_equal(by_name.series, first.series)


def test_a_verdict_is_judged_once_per_run(monkeypatch):
    """A page asks for a KPI's verdict up to three times in a run (scores, cards, targets table): the cached
    function is called once per run, and each run asks it again."""
    from app import forecasting, state
    from metrics.engine import Filters, new_run
    version = state.data_version()[0]
    f = Filters(year=state.latest_month(version)[0], county="KS")
    calls = []
    real = forecasting._verdict
    monkeypatch.setattr(forecasting, "_verdict", lambda *a: calls.append(a) or real(*a))
    new_run()
    got = [forecasting.verdict("care_guarantee_7d", f, version) for _ in range(3)]
    assert len(calls) == 1 and got[0] is got[1] is got[2] and got[0] is not None
    assert forecasting.verdict("remote_share", f, version) is not None and len(calls) == 2
    new_run()
    assert forecasting.verdict("care_guarantee_7d", f, version) == got[0] and len(calls) == 3
