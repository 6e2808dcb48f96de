"""Managing e-mail subscriptions in the app (issue 15), through AppTest on a warehouse of its own with local users:
an executive subscribes a saved board pack on the board-pack page and removes it; a viewer turns alerts on and
off on the KPI page (the first status is recorded at once); a user without an address is told how to get one;
every change is in the audit trail."""
from __future__ import annotations

import os
import shutil

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from app import users as admin_cli
from data_sources import audit, exports, migrations
from data_sources import subscriptions as store
from data_sources.engine import make_engine
from tests.conftest import ROOT
from tests.markdown import plain

APP = str(ROOT / "dashboard.py")
PASSWORD = "Tilaus-salasana-42x"
KPI = "care_guarantee_7d"


@pytest.fixture(scope="module")
def wh(warehouse_path, tmp_path_factory):
    path = tmp_path_factory.mktemp("subs_app") / "warehouse.duckdb"
    shutil.copy(warehouse_path, path)
    url = f"duckdb:///{path}"
    engine = make_engine(url)
    migrations.upgrade(engine)
    for name, role, county, address in (("eeva", "executive", None, "eeva@example.fi"),
                                        ("ville", "viewer", "KS", "ville@example.fi"),
                                        ("noora", "viewer", None, None), ("aino", "admin", None, None)):
        admin_cli.add_user(engine, "setup", name, role, PASSWORD, name.title(), county)
        if address:
            admin_cli.set_email(engine, "setup", name, address)
    exports.save_selection(engine, "Kuukausiraportti", [{"kpi": KPI, "kind": "card"}], "eeva")
    old = os.environ.get("DASHBOARD_DB_URL")
    os.environ["DASHBOARD_DB_URL"] = url
    st.cache_resource.clear()
    st.cache_data.clear()
    yield engine
    os.environ["DASHBOARD_DB_URL"] = old
    engine.dispose()
    st.cache_resource.clear()
    st.cache_data.clear()


def signed_in(name: str, page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.text_input(key="auth_name").input(name)
    at.text_input(key="auth_password").input(PASSWORD)
    [b for b in at.button if b.label == "Kirjaudu"][0].click().run()
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


def button(at, label):
    return next(b for b in at.button if b.label == label)


def test_executive_subscribes_a_board_pack_and_removes_it(wh):
    at = signed_in("eeva", "board_pack")
    assert "Tilaa sähköpostina" in [h.value for h in at.subheader]
    assert at.selectbox(key="sub_pack_selection").value == "Kuukausiraportti"
    at.radio(key="sub_pack_schedule").set_value("monthly")
    button(at, "Tilaa").click().run()
    assert not at.exception, at.exception
    assert any("eeva@example.fi" in plain(s.value) for s in at.success)
    sub = store.get(wh, "eeva", "pack", "Kuukausiraportti")
    assert (sub.schedule, sub.lang, sub.region) == ("monthly", "fi", "")
    assert any("Kuukausiraportti" in plain(m.value) and "kuukauden ensimmäisenä arkipäivänä" in m.value
               for m in at.markdown)
    button(at, "Peru").click().run()
    assert not at.exception and store.get(wh, "eeva", "pack", "Kuukausiraportti") is None
    actions = audit.events(wh, user="eeva", actions=("subscribe", "unsubscribe"))
    assert list(actions.action) == ["unsubscribe", "subscribe"] and set(actions.object) == {"pack:Kuukausiraportti"}


def test_viewer_turns_alerts_on_and_off_on_the_kpi_page(wh):
    at = signed_in("ville", "kpi_detail")
    at.selectbox(key="detail_kpi").set_value(KPI).run()
    assert "Tilaukset" in [h.value for h in at.subheader]
    button(at, "Tilaa mittarihälytys").click().run()
    assert not at.exception, at.exception
    sub = store.get(wh, "ville", "alert", KPI)
    assert sub is not None and sub.region == "KS"            # the viewer's scope is the region
    version, status = store.baselines(wh, "ville")[KPI]       # the first status is recorded at once
    assert status["state"] in ("met", "missed") and status["light"] in ("green", "red")
    at.run()
    assert "Lopeta tämän mittarin hälytykset" in [b.label for b in at.button]
    assert any("Kiireetön hoito 7 vuorokaudessa" in plain(m.value) for m in at.markdown)
    button(at, "Lopeta tämän mittarin hälytykset").click().run()
    assert not at.exception and store.get(wh, "ville", "alert", KPI) is None
    assert store.baselines(wh, "ville") == {}
    assert {"subscribe", "unsubscribe"} <= set(audit.events(wh, user="ville").action)


def test_a_user_without_an_address_is_told_how_to_add_one(wh):
    at = signed_in("noora", "kpi_detail")
    assert any("python -m app.users email" in i.value for i in at.info)
    assert "Tilaa mittarihälytys" not in [b.label for b in at.button]


def test_admin_sets_and_refuses_an_address_on_the_admin_page(wh):
    at = signed_in("aino", "admin")
    at.selectbox(key="adm_pick").set_value("aino").run()
    at.text_input(key="adm_edit_aino_email").input("aino@example.fi <x@evil.example>")
    button(at, "Tallenna sähköposti").click().run()
    assert any("Sähköpostiosoite ei kelpaa" in e.value for e in at.error)
    from data_sources import users as user_store
    assert user_store.get(wh, "aino").email is None
    at.text_input(key="adm_edit_aino_email").input("aino.admin@example.fi")
    button(at, "Tallenna sähköposti").click().run()
    assert not at.exception, at.exception
    assert user_store.get(wh, "aino").email == "aino.admin@example.fi"
    assert "aino.admin@example.fi" in at.dataframe[0].value["Sähköposti"].tolist()
    assert "email=aino.admin@example.fi" in set(audit.events(wh, actions=("user_admin",)).detail)


def test_an_english_subscription_is_stored_in_english(wh):
    at = signed_in("eeva", "kpi_detail")
    at.sidebar.radio(key="lang").set_value("en").run()
    at.selectbox(key="detail_kpi").set_value(KPI).run()
    assert "Subscriptions" in [h.value for h in at.subheader]
    button(at, "Subscribe to alerts").click().run()
    assert not at.exception, at.exception
    sub = store.get(wh, "eeva", "alert", KPI)
    assert sub.lang == "en" and sub.region == ""
    assert any("Alert subscribed" in s.value for s in at.success)


def test_the_app_can_run_the_subscriptions_itself(wh, monkeypatch):
    """DASHBOARD_SUBSCRIPTIONS_EVERY_MINUTES: for DuckDB, whose file no cron process may open beside the app."""
    import time

    from app import subscribe
    from data_sources.version import bump_version
    from tests.test_subscriptions import Controller, Inbox, free_port

    inbox, port = Inbox(), free_port()
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    for name, value in (("SMTP_HOST", "127.0.0.1"), ("SMTP_PORT", str(port)), ("SMTP_TLS", "none"),
                        ("SMTP_SENDER", "tyopoyta@example.fi"), ("SUBSCRIPTIONS_EVERY_MINUTES", "0.01")):
        monkeypatch.setenv(f"DASHBOARD_{name}", value)
    store.subscribe(wh, "eeva", "pack", "Kuukausiraportti", "version", "fi", bump_version(wh, "test: before"))
    bump_version(wh, "test: in-app runner")
    try:
        subscribe.start_in_app_runner()
        subscribe.start_in_app_runner()                 # once per process, however many page runs ask
        deadline = time.monotonic() + 90
        while not inbox.messages and time.monotonic() < deadline:
            time.sleep(0.5)
        time.sleep(2)                                   # later rounds find it sent
        assert len(inbox.messages) == 1 and inbox.messages[0]["To"].addresses[0].addr_spec == "eeva@example.fi"
    finally:
        subscribe.in_app_runner(0.01).set()
        subscribe.in_app_runner.clear()
        server.stop()
        store.unsubscribe(wh, "eeva", "pack", "Kuukausiraportti")
