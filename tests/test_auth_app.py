"""Sign-in, roles, region scope and the audit trail through AppTest on a warehouse of its own with local users
(issue 11): every role × every page, actions refused on the server, scope that cannot be escaped, lock-out,
idle expiry, demo mode and its end, and no password in the clear anywhere."""
from __future__ import annotations

import datetime as dt
import io
import logging
import shutil

import pandas as pd
import pytest
import sqlalchemy as sa
import streamlit as st
from streamlit.testing.v1 import AppTest

from app import users as admin_cli
from data_sources import audit
from data_sources.engine import make_engine
from metrics.engine import Filters, kpi_summary
from tests.conftest import LATEST, ROOT
from tests.markdown import plain

APP = str(ROOT / "dashboard.py")
PASSWORD = "Kelpo-salasana-7f3a9"         # distinctive: grepped for in the warehouse and the log afterwards
PAGES = ("overview", "strategic", "tactical", "operational", "deficit", "kpi_detail", "compare", "forecast",
         "child_budget", "upload", "board_pack", "admin", "accessibility")
ALLOWED = {                                # the role × page table of app/roles.yaml, written out independently
    "viewer": {"overview", "strategic", "tactical", "operational", "deficit", "kpi_detail", "compare", "forecast",
               "child_budget", "accessibility"},
    "analyst": {"overview", "strategic", "tactical", "operational", "deficit", "kpi_detail", "compare", "forecast",
                "child_budget", "upload", "accessibility"},
    "executive": {"overview", "strategic", "tactical", "operational", "deficit", "kpi_detail", "compare", "forecast",
                  "child_budget", "board_pack", "accessibility"},
    "admin": set(PAGES),
}
USERS = {  # name: (role, county, municipalities)
    "aino": ("admin", None, ()),
    "ville": ("viewer", None, ()),
    "anna": ("analyst", "KH", ()),
    "eero": ("executive", "KH", ()),
    "kari": ("viewer", None, ("109", "165")),
}


@pytest.fixture(scope="module")
def users_wh(warehouse_path, tmp_path_factory):
    """A copy of the session warehouse with local users; the app (this process) is pointed at it."""
    import os

    path = tmp_path_factory.mktemp("auth") / "warehouse.duckdb"
    shutil.copy(warehouse_path, path)
    url = f"duckdb:///{path}"
    engine = make_engine(url)
    from data_sources import migrations
    migrations.upgrade(engine)
    for name, (role, county, munis) in USERS.items():
        admin_cli.add_user(engine, "setup", name, role, PASSWORD, name.title(), county, munis)
    old = os.environ.get("DASHBOARD_DB_URL")
    os.environ["DASHBOARD_DB_URL"] = url
    st.cache_resource.clear()
    st.cache_data.clear()
    yield engine
    os.environ["DASHBOARD_DB_URL"] = old
    engine.dispose()
    st.cache_resource.clear()
    st.cache_data.clear()


def fresh() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception, at.exception
    return at


def sign_in(at: AppTest, name: str, password: str = PASSWORD) -> AppTest:
    at.text_input(key="auth_name").input(name)
    at.text_input(key="auth_password").input(password)
    [b for b in at.button if b.label == "Kirjaudu"][0].click().run()
    assert not at.exception, at.exception
    return at


def refused_page(at: AppTest) -> bool:
    return any("Sinulla ei ole oikeutta tähän sivuun" in e.value for e in at.error)


def has_form(at: AppTest) -> bool:
    return any(w.key == "auth_password" for w in at.text_input)


def menu_pages(at: AppTest) -> set[str]:
    return {p.split("/")[-1].removesuffix(".py") for p in (link.proto.page for link in at.get("page_link"))}


def test_sign_in_form_then_every_role_on_every_page(users_wh):
    """Each role sees its own menu, opens its pages and is refused the others on the server (a URL, i.e. a page
    switch, reaches the page script: it stops before any data is drawn)."""
    table = {}
    for name, role in (("ville", "viewer"), ("anna", "analyst"), ("eero", "executive"), ("aino", "admin")):
        at = fresh()
        assert has_form(at) and not at.metric                     # nothing is shown before sign-in
        sign_in(at, name)
        assert not has_form(at), ([e.value for e in at.error], [b.label for b in at.button], at.session_state)
        assert menu_pages(at) == ALLOWED[role], (role, menu_pages(at))
        for page in PAGES:
            at.switch_page(f"pages/{page}.py").run()
            assert not at.exception, (role, page, at.exception)
            table[(role, page)] = not refused_page(at)
            if not table[(role, page)]:
                assert not at.metric and not at.get("arrow_vega_lite_chart") and not at.dataframe, (role, page)
        assert {p for p in PAGES if table[(role, p)]} == ALLOWED[role], role
    denied = audit.events(users_wh, actions=("denied",))
    assert len(denied) == sum(1 for allowed in table.values() if not allowed)
    ok = audit.events(users_wh, actions=("signin_ok",))
    assert {"ville", "anna", "eero", "aino"} <= set(ok.user_name)


def test_wrong_password_unknown_user_and_lockout_say_the_same(users_wh):
    at = fresh()
    sign_in(at, "ville", "väärä salasana")
    wrong = [e.value for e in at.error]
    at = fresh()
    sign_in(at, "eiole", "väärä salasana")
    unknown = [e.value for e in at.error]
    assert wrong == unknown and "Kirjautuminen ei onnistunut" in wrong[0]
    for _ in range(4):                          # five failures in all within 15 minutes lock the account
        at = fresh()
        sign_in(at, "ville", "väärä salasana")
    at = fresh()
    sign_in(at, "ville", PASSWORD)              # the right password, but locked: the same sentence
    assert has_form(at) and [e.value for e in at.error] == wrong
    ev = audit.events(users_wh, user="ville")
    assert (ev.action == "signin_failed").sum() == 5 and (ev.action == "signin_locked").sum() == 1
    # the lock ends 15 minutes after the fifth failure (the same rule, fed times)
    from app.auth import locked_until
    t0 = dt.datetime(2026, 1, 1, 8)
    fails = [t0 + dt.timedelta(minutes=m) for m in (0, 1, 2, 3, 14)]
    assert locked_until(fails, 5, 15) == t0 + dt.timedelta(minutes=29)
    assert locked_until(fails[:4], 5, 15) is None
    assert locked_until([t0 + dt.timedelta(minutes=m) for m in (0, 1, 2, 3, 16)], 5, 15) is None


def test_idle_session_expires(users_wh, monkeypatch):
    at = fresh()
    sign_in(at, "aino")
    assert not has_form(at)
    at.session_state["auth_last_seen"] = at.session_state["auth_last_seen"] - 31 * 60     # 31 minutes idle
    at.run()
    assert has_form(at) and any("Istunto päättyi" in i.value for i in at.info)
    assert "session_expired" in set(audit.events(users_wh, user="aino").action)


def test_sign_out_is_audited_and_shows_the_form(users_wh):
    at = fresh()
    sign_in(at, "eero")
    at.sidebar.button(key="auth_signout").click().run()
    assert has_form(at)
    assert audit.events(users_wh, user="eero").action.iloc[0] == "signout"


def test_scope_is_applied_in_sql_and_cannot_be_escaped(users_wh):
    """A user limited to Kanta-Häme: the filters offer only it; a link's county of another region, a session
    key set by hand and hostile parameters change nothing; the numbers equal the engine's for Kanta-Häme."""
    at = fresh()
    sign_in(at, "eero")
    county = at.sidebar.selectbox(key="f_county")
    assert county.options == ["Kanta-Hämeen hyvinvointialue"] and county.value == "KH"
    shown = {m.label: m.value for m in at.metric}
    # a crafted session value (set before the filters exist): the selectbox falls back to the scope
    at3 = AppTest.from_file(APP, default_timeout=120)
    at3.session_state["f_county"] = "PH"
    at3.session_state["f_municipality"] = "398"                         # Lahti, in Päijät-Häme
    at3.run()
    sign_in(at3, "eero")
    assert at3.sidebar.selectbox(key="f_county").value == "KH"
    assert at3.sidebar.selectbox(key="f_municipality").value == ""
    assert {m.label: m.value for m in at3.metric} == shown
    # a shared link naming another county (AppTest has query params): ignored with a notice, audited
    at2 = AppTest.from_file(APP, default_timeout=120)
    at2.query_params["county"] = "PH"
    at2.run()
    sign_in(at2, "eero")
    assert at2.sidebar.selectbox(key="f_county").value == "KH"
    assert any("ei kuulu käyttöoikeutesi piiriin" in plain(tst.value) for tst in at2.toast), [x.value for x in at2.toast]
    assert {m.label: m.value for m in at2.metric} == shown
    assert "scope_ignored" in set(audit.events(users_wh, user="eero").action)
    # the engine itself: a choice outside the scope selects nothing instead of the other county
    f_escape = Filters(year=2026, months=(1, 10), county="PH", scope_county="KH")
    f_kh = Filters(year=2026, months=(1, 10), county="KH")
    escaped = kpi_summary(users_wh, "care_guarantee_7d", f_escape)
    assert escaped.series.empty and (escaped.value is None or escaped.value != escaped.value)   # None or NaN
    f_scoped = Filters(year=2026, months=(1, 10), scope_county="KH")
    assert kpi_summary(users_wh, "care_guarantee_7d", f_scoped).value == kpi_summary(users_wh, "care_guarantee_7d",
                                                                                         f_kh).value


HOSTILE = ["'; DROP TABLE fact_contacts; --", "x" * 5000, "Ä\u202eö\u0000", "KH' OR '1'='1", "\x00"]


@pytest.mark.parametrize("value", HOSTILE, ids=["drop", "long", "bidi-nul", "or-true", "nul"])
def test_hostile_parameters_have_no_sql_effect(users_wh, value):
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["county"] = value
    at.query_params["municipality"] = value
    at.query_params["kpi"] = value
    at.run()
    sign_in(at, "aino")
    at.run()
    assert not at.exception, at.exception
    assert at.sidebar.selectbox(key="f_county").value == ""           # unknown: ignored
    with users_wh.connect() as conn:
        assert conn.execute(sa.text("SELECT COUNT(*) FROM fact_contacts")).scalar() > 0
    at.switch_page("pages/kpi_detail.py").run()
    assert not at.exception, at.exception


def test_municipality_scope_limits_the_choices_and_the_numbers(users_wh):
    at = fresh()
    sign_in(at, "kari")
    muni = at.sidebar.selectbox(key="f_municipality")
    assert set(muni.options) - {"Kaikki kunnat"} == {"Hämeenlinna", "Janakkala"}
    at.switch_page("pages/kpi_detail.py").run()
    assert not at.exception
    tables = [d.value for d in at.dataframe]
    names = {str(v) for df in tables for col in df.columns for v in df[col] if isinstance(v, str)}
    assert not names & {"Jyväskylä", "Lahti", "Forssa", "Riihimäki"}, names & {"Jyväskylä", "Lahti"}


def test_actions_refused_on_the_server(users_wh):
    """A viewer has no export menu, no classification editor; a stale upload button does nothing; an analyst
    limited to Kanta-Häme cannot store rows of another county, and the refusal names the rows."""
    at = fresh()
    sign_in(at, "ville")
    assert not [p for p in at.get("popover")]                        # no export menus at all
    at.switch_page("pages/child_budget.py").run()
    assert not at.exception
    assert not [b for b in at.button if "Tallenna" in b.label]
    assert not [d for d in at.get("download_button") if d.proto.id and "cb_export" in d.proto.id]
    # the analyst of Kanta-Häme uploads rows of Jyväskylä (KS) and Hämeenlinna (KH)
    from tests.upload_files import CG_HEADERS_FI, care_rows, xlsx
    rows = [r for r in care_rows(dt.date(2026, 9, 1)) if r[1] in ("179", "109")]
    at = fresh()
    sign_in(at, "anna")
    at.switch_page("pages/upload.py").run()
    at.selectbox(key="upl_dataset").set_value("care_guarantee").run()
    at.file_uploader(key="upl_file_care_guarantee_0").upload("kh_ja_ks.xlsx", xlsx({"Data": [CG_HEADERS_FI] + rows}),
                                                             "application/octet-stream").run()
    assert not at.exception, at.exception
    text = plain(" ".join(map(str, at.table[0].value.to_numpy().ravel())))
    assert "Kunta 179 ei kuulu käyttöoikeutesi alueeseen" in text and "109" not in text.split("alueeseen")[0][-12:]
    assert text.count("ei kuulu käyttöoikeutesi alueeseen") == 2          # both areas' rows of Jyväskylä, by row
    assert not [b for b in at.button if b.key == "upl_ingest"]
    with users_wh.connect() as conn:
        assert conn.execute(sa.text("SELECT COUNT(*) FROM upload_audit")).scalar() == 0


def test_admin_page_lists_users_and_filters_the_audit(users_wh):
    at = fresh()
    sign_in(at, "aino")
    at.switch_page("pages/admin.py").run()
    assert not at.exception, at.exception
    users_shown = at.dataframe[0].value
    assert set(users_shown["Käyttäjätunnus"]) == set(USERS)
    events = at.dataframe[1].value
    assert len(events) and {"kirjautuminen"} <= set(events["Tapahtuma"])
    at.multiselect(key="adm_filter_actions").set_value(["signin_failed"]).run()
    assert set(at.dataframe[1].value["Tapahtuma"]) <= {"epäonnistunut kirjautuminen"}


def test_no_password_in_the_clear(users_wh, warehouse_path, caplog):
    """The password typed in the tests above is nowhere: not in the warehouse file, the audit, the session, the
    log; the stored hash is argon2id."""
    caplog.set_level(logging.DEBUG)
    at = fresh()
    sign_in(at, "aino")
    assert PASSWORD not in repr(dict(at.session_state.filtered_state)) if hasattr(at.session_state, "filtered_state") \
        else True
    with users_wh.connect() as conn:
        hashes = [r[0] for r in conn.execute(sa.text("SELECT password_hash FROM app_user"))]
        ev = conn.execute(sa.text("SELECT * FROM audit_event")).fetchall()
    assert all(h.startswith("$argon2id$") for h in hashes)
    assert PASSWORD not in repr(ev)
    users_wh.dispose()
    db_file = users_wh.url.database
    assert PASSWORD.encode() not in open(db_file, "rb").read()
    assert PASSWORD not in caplog.text


def test_demo_mode_without_users_and_closed_when_turned_off(warehouse_path, monkeypatch):
    """The session warehouse has no users: demo mode with its badge and switcher; as viewer the upload page is
    refused. DASHBOARD_DEMO_MODE=0 closes the app."""
    monkeypatch.setenv("DASHBOARD_DB_URL", f"duckdb:///{warehouse_path}")
    st.cache_resource.clear()
    st.cache_data.clear()
    try:
        at = fresh()
        assert any("ESITTELYTILA" in m.value for m in at.markdown)
        assert menu_pages(at) == ALLOWED["admin"]
        at.sidebar.selectbox(key="demo_role").set_value("viewer").run()
        assert menu_pages(at) == ALLOWED["viewer"]
        at.switch_page("pages/upload.py").run()
        assert refused_page(at)
        monkeypatch.setenv("DASHBOARD_DEMO_MODE", "0")
        st.cache_data.clear()
        at = fresh()
        assert any("ei ole vielä käyttäjiä" in e.value for e in at.error) and not at.metric
    finally:
        st.cache_resource.clear()
        st.cache_data.clear()


def _crafted(role: str, call: str) -> AppTest:
    """A rerun that reaches a write action directly with a signed-in user of `role` (what a stale widget or a
    crafted websocket message amounts to: the action function runs without the page having drawn its control)."""
    script = f'''
import streamlit as st
from app import auth
st.session_state["auth_user"] = auth.User("crafted", "Crafted", ("{role}",), "KH", (), "local")
{call}
st.success("done")
'''
    at = AppTest.from_string(script, default_timeout=60).run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("role,call", [
    ("analyst", 'from app import upload; upload.rollback(1, "fi")'),
    ("viewer", 'import pandas as pd; from app import child_budget; child_budget.save(pd.DataFrame(), "x", "fi")'),
    ("executive", 'from app import admin; admin.add_user("x", "x", "admin", "Pitkä-salasana-123", None, ())'),
    ("viewer", 'from app import admin; admin.audit_events(__import__("datetime").date(2026, 1, 1), '
               '__import__("datetime").date(2026, 12, 1), "", (), "")'),
    ("analyst", 'from app import auth; auth.require("board_pack", "fi")'),
], ids=["rollback-analyst", "classify-viewer", "users-executive", "audit-viewer", "pack-analyst"])
def test_crafted_reruns_are_refused_on_the_server(users_wh, role, call):
    before = audit.events(users_wh, actions=("denied",))
    with users_wh.connect() as conn:
        users_before = conn.execute(sa.text("SELECT COUNT(*) FROM app_user")).scalar()
    at = _crafted(role, call)
    assert any("Sinulla ei ole oikeutta tähän toimintoon" in e.value for e in at.error)
    assert not at.success                                         # the run stopped at the refusal
    after = audit.events(users_wh, actions=("denied",))
    assert len(after) == len(before) + 1 and after.user_name.iloc[0] == "crafted"
    with users_wh.connect() as conn:
        assert conn.execute(sa.text("SELECT COUNT(*) FROM app_user")).scalar() == users_before
