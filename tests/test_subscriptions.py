"""E-mail subscriptions and KPI alerts (issue 15) against a real SMTP server on 127.0.0.1 (aiosmtpd; also with STARTTLS,
login and TLS from the start, the certificate checked against a CA file) and real
warehouses: the board pack arrives as a PowerPoint that opens and a PDF, links follow the URL convention, the text is
in the subscriber's language with its number format, nothing is sent twice for one data version or month, a failing
server leads to bounded retries, a logged and recorded failure and a later send; an upload that turns a KPI red
gives exactly one alert, and only to subscribers whose region it concerns. Storage also on PostgreSQL; the command
line as a process of its own (tests/cli.py)."""
from __future__ import annotations

import datetime as dt
import email
import io
import logging
import os
import socket
import subprocess
import threading
from email import policy

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from pptx import Presentation

from app import subscriptions as subs
from data_sources import audit, exports, migrations, schema, uploads
from data_sources import subscriptions as store
from data_sources import users as user_store
from data_sources.engine import make_engine
from data_sources.version import bump_version
from metrics import alerts
from metrics.engine import KPISummary
from metrics.registry import load_registry
from metrics.workdays import easter, first_workday, holidays, is_workday

from .conftest import ROOT, private_pg_schema
from .upload_files import CG_HEADERS_EN, municipality_codes

PUBLIC = "https://tyopoyta.example.fi"
KPI = "care_guarantee_7d"


# --- a real SMTP server ----------------------------------------------------------------------------------------

class Inbox:
    """What the server received; `refuse` > 0 makes it answer the next messages with a permanent error."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.refuse = 0

    async def handle_DATA(self, server, session, envelope):
        if self.refuse > 0:
            self.refuse -= 1
            return "554 5.3.0 refused for the test"
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def take(self) -> list:
        out, self.messages = self.messages, []
        return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def smtp():
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    inbox.port = port
    yield inbox
    controller.stop()


def config(port: int, attempts: int = 3) -> subs.SmtpConfig:
    return subs.SmtpConfig("127.0.0.1", port, "none", "tyopoyta@hyvinvointialue.fi", timeout=5, attempts=attempts,
                           backoff=0.5)


@pytest.fixture(autouse=True)
def public_url(monkeypatch):
    monkeypatch.setenv("DASHBOARD_PUBLIC_URL", PUBLIC + "/")


def add_user(engine, name, role, address, county=None, munis=(), display=None):
    user_store.add(engine, name, display or name.title(), role, None, county, munis)
    if address:
        user_store.update(engine, name, email=address)


def body(msg, subtype: str) -> str:
    return msg.get_body(preferencelist=(subtype,)).get_content().replace("\r\n", "\n")


# --- pure parts: workdays, change detection, the e-mail text ----------------------------------------------------

def test_finnish_holidays_and_the_first_workday():
    assert [easter(y) for y in (2024, 2025, 2026, 2027)] == [dt.date(2024, 3, 31), dt.date(2025, 4, 20),
                                                              dt.date(2026, 4, 5), dt.date(2027, 3, 28)]
    h = holidays(2026)
    assert {dt.date(2026, 1, 1), dt.date(2026, 1, 6), dt.date(2026, 4, 3), dt.date(2026, 4, 5), dt.date(2026, 4, 6), dt.date(2026, 5, 1),
            dt.date(2026, 5, 14), dt.date(2026, 5, 24), dt.date(2026, 6, 19), dt.date(2026, 6, 20), dt.date(2026, 10, 31),
            dt.date(2026, 12, 6), dt.date(2026, 12, 24), dt.date(2026, 12, 25), dt.date(2026, 12, 26)} == set(h)
    assert first_workday(2027, 1) == dt.date(2027, 1, 4)      # Fri 1.1. New Year, then the weekend
    assert first_workday(2026, 1) == dt.date(2026, 1, 2)
    assert first_workday(2024, 4) == dt.date(2024, 4, 2)      # Easter Monday 1.4.2024
    assert first_workday(2026, 5) == dt.date(2026, 5, 4)      # May Day on a Friday
    assert first_workday(2021, 5) == dt.date(2021, 5, 3)      # May Day on a Saturday
    assert first_workday(2026, 8) == dt.date(2026, 8, 3)      # a weekend
    assert first_workday(2026, 12) == dt.date(2026, 12, 1)
    assert not is_workday(dt.date(2025, 1, 6)) and is_workday(dt.date(2025, 1, 7))


def _status(state, light, judged, value=50.0, suppressed=False, date="2025-12"):
    return {"value": None if suppressed else value, "suppressed": suppressed, "state": state, "light": light,
            "judged": judged, "target": 80.0, "target_date": date}


def test_changes_are_verdict_changes_against_what_was_told():
    before = {"a": _status("met", "green", 81.0), "b": _status("missed", "red", 70.0), "c": _status(None, None, None)}
    after = {"a": _status("missed", "red", 76.8), "b": _status("missed", "red", 69.0), "c": _status(None, None, None),
             "d": _status("met", "green", 90.0)}
    found = alerts.changes(before, after)
    assert [c.kpi_id for c in found] == ["a"]                 # b: same verdict; c: no target; d: first look
    assert found[0].turned_red and found[0].values() == (81.0, 76.8, True)
    assert found[0].delta == pytest.approx(-4.2)
    # a different target shown (the next date) compares the period values instead of judged values
    moved = alerts.changes({"a": _status("met", "green", 81.0, value=79.0)},
                           {"a": _status("at_risk", "amber", 60.0, value=78.0, date="2026-12")})
    assert moved[0].values() == (79.0, 78.0, False)


def test_status_hides_a_suppressed_value():
    reg = load_registry()
    s = KPISummary(reg[KPI], 3.0, 2.0, 1.0, True, None)
    st = alerts.status(s, None)
    assert st["value"] is None and st["suppressed"] and st["state"] is None


def test_alert_text_in_both_languages_with_finnish_numbers_and_escaped_names():
    from ui import mail
    reg = load_registry()
    change = alerts.Change(KPI, _status("met", "green", 81.3), _status("missed", "red", 76.8))
    url = f"{PUBLIC}/kpi_detail?kpi={KPI}&county=KS"
    fi = mail.alert_mail("fi", "Aino <b>Admin</b>", "Keski-Suomi", [(change, reg[KPI], url)], PUBLIC + "/kpi_detail")
    assert "81,3\u00a0% → 76,8\u00a0% (\u22124,5\u00a0%-yks.)" in fi.text
    assert "● vihreä: saavutettu → ■ punainen: ei saavutettu" in fi.text
    assert "Tavoite 80,0\u00a0% (12/2025)" in fi.text and url in fi.text
    assert "<b>Admin</b>" not in fi.html and "&lt;b&gt;Admin&lt;/b&gt;" in fi.html
    assert f'href="{url.replace("&", "&amp;")}"' in fi.html
    assert fi.subject == "Mittarihälytys: Kiireetön hoito 7 vuorokaudessa – nyt punainen"
    en = mail.alert_mail("en", "Aino", "Central Finland", [(change, reg[KPI], url)], PUBLIC)
    assert "81.3\u00a0% → 76.8\u00a0% (-4.5\u00a0pp)".replace("-", "\u2212") in en.text
    assert en.subject.startswith("Indicator alert: Non-urgent care within 7 days")
    hidden = alerts.Change(KPI, _status("met", "green", None, value=80.0),
                           _status("unknown", None, None, suppressed=True))
    assert "80,0\u00a0% → <5" in mail.alert_mail("fi", "A", "X", [(hidden, reg[KPI], url)], PUBLIC).text
    # a display name cannot add a header line
    assert "\n" not in mail.one_line("Aino\r\nBcc: someone@example.com")


# --- storage on both backends ----------------------------------------------------------------------------------

def _storage_checks(engine):
    store.subscribe(engine, "Aino", "pack", "Kuukausiraportti", "monthly", "fi", 3, "KS")
    store.subscribe(engine, "aino", "pack", "Kuukausiraportti", "version", "en", 4)      # update, not a second
    store.subscribe(engine, "aino", "alert", KPI, "version", "fi", 4)
    mine = store.of_user(engine, "AINO")
    assert [(s.kind, s.target, s.schedule, s.lang, s.region, s.since_version) for s in mine] == [
        ("alert", KPI, "version", "fi", "", 4), ("pack", "Kuukausiraportti", "version", "en", "", 3)]
    with pytest.raises(store.SubscriptionError):
        store.subscribe(engine, "aino", "alert", KPI, "monthly", "fi", 4)
    # a delivery is claimed once; a failed one is claimed again, a sent one never
    assert store.claim(engine, "aino", "pack", "Kuukausiraportti", "v5", 5)
    assert not store.claim(engine, "aino", "pack", "Kuukausiraportti", "v5", 5)
    store.finish(engine, "aino", "pack", "Kuukausiraportti", "v5", False, 3, "SMTPDataError: 554")
    d = store.delivery(engine, "aino", "pack", "Kuukausiraportti", "v5")
    assert (d.status, d.attempts, d.last_error) == ("failed", 3, "SMTPDataError: 554")
    assert store.claim(engine, "aino", "pack", "Kuukausiraportti", "v5", 5)
    store.finish(engine, "aino", "pack", "Kuukausiraportti", "v5", True, 1)
    assert store.delivery(engine, "aino", "pack", "Kuukausiraportti", "v5").status == "sent"
    assert store.delivery(engine, "aino", "pack", "Kuukausiraportti", "v5").attempts == 4
    assert not store.claim(engine, "aino", "pack", "Kuukausiraportti", "v5", 5)
    # a claim left by a run that died is taken over after STALE_AFTER
    assert store.claim(engine, "aino", "alert", "*", "v5", 5)
    assert not store.claim(engine, "aino", "alert", "*", "v5", 5)
    assert store.claim(engine, "aino", "alert", "*", "v5", 5, now=dt.datetime.now() + store.STALE_AFTER * 2)
    store.save_baselines(engine, "aino", 5, {KPI: {"state": "met"}})
    store.save_baselines(engine, "aino", 6, {KPI: {"state": "missed"}})
    assert store.baselines(engine, "aino") == {KPI: (6, {"state": "missed"})}
    assert store.unsubscribe(engine, "aino", "alert", KPI) and not store.unsubscribe(engine, "aino", "alert", KPI)
    assert store.baselines(engine, "aino") == {}
    assert [s.kind for s in store.of_user(engine, "aino")] == ["pack"]


def _claims_race(engine, n: int = 8) -> int:
    """n threads claim the same delivery at once: (claims won, threads that returned without an error)."""
    wins, done, barrier = [], [], threading.Barrier(n)

    def go():
        barrier.wait()
        if store.claim(engine, "race", "alert", "*", "v9", 9):     # a conflict is a lost claim, not an error
            wins.append(1)
        done.append(1)
    threads = [threading.Thread(target=go) for _ in range(n)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return len(wins), sum(ok for ok in done)


def test_storage_on_duckdb(tmp_path):
    engine = make_engine(f"duckdb:///{tmp_path / 'wh.duckdb'}")
    migrations.upgrade(engine)
    _storage_checks(engine)
    assert _claims_race(engine) == (1, 8)
    engine.dispose()


def test_storage_on_postgresql(pg_schema_url):
    url, schema_name = pg_schema_url
    engine = make_engine(url, schema_name)
    migrations.upgrade(engine)
    with engine.begin() as conn:
        for t in (schema.subscription, schema.subscription_delivery, schema.alert_status):
            conn.execute(t.delete())
    _storage_checks(engine)
    assert _claims_race(engine) == (1, 8)
    engine.dispose()


# --- the run against a real server -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def wh(warehouse_copy):
    engine = warehouse_copy("subs")
    migrations.upgrade(engine)
    add_user(engine, "eeva", "executive", "eeva@example.fi", display="Eeva Esimerkki")
    add_user(engine, "erik", "executive", "erik@example.fi", county="KS", display="Erik Executive")
    add_user(engine, "ville", "viewer", "ville@example.fi")                   # a viewer may not get packs
    add_user(engine, "nomail", "executive", None)
    exports.save_selection(engine, "Kuukausiraportti", [{"kpi": KPI, "kind": "card"}, {"kpi": KPI, "kind": "trend"}],
                           "eeva")
    return engine


def _version(engine) -> int:
    from data_sources import catalog
    return catalog.data_version(engine)[0]


def test_pack_on_a_new_data_version_arrives_once_and_opens(wh, smtp):
    v = _version(wh)
    for user, lang in (("eeva", "fi"), ("erik", "en"), ("ville", "fi"), ("nomail", "fi")):
        store.subscribe(wh, user, "pack", "Kuukausiraportti", "version", lang, v)
    assert subs.run(wh, cfg=config(smtp.port)).sent == [] and smtp.take() == []   # nothing new since subscribing
    v = bump_version(wh, "test: new data")
    res = subs.run(wh, cfg=config(smtp.port))
    got = {m["To"].addresses[0].addr_spec: m for m in smtp.take()}
    assert set(got) == {"eeva@example.fi", "erik@example.fi"}, res.summary()
    fi, en = got["eeva@example.fi"], got["erik@example.fi"]
    assert fi["Subject"].startswith("Raporttipaketti: Kuukausiraportti") and "tietoversio" in body(fi, "plain")
    assert en["Subject"].startswith("Board pack: Kuukausiraportti") and "data version" in body(en, "plain")
    assert "Central Finland" in en["Subject"] or "Keski-Suomi" in en["Subject"] or "KS" not in en["Subject"]
    files = {p.get_filename(): p for p in fi.iter_attachments()}
    pptx = next(p for n, p in files.items() if n.endswith(".pptx"))
    pdf = next(p for n, p in files.items() if n.endswith(".pdf"))
    deck = Presentation(io.BytesIO(pptx.get_content()))
    assert len(deck.slides) == 3                               # title + the two items
    assert pdf.get_content()[:5] == b"%PDF-"
    texts = " ".join(sh.text_frame.text for s in deck.slides for sh in s.shapes if sh.has_text_frame)
    assert "Kiireetön hoito 7 vuorokaudessa" in texts
    # the scoped executive's pack is of their county only
    en_deck = Presentation(io.BytesIO(next(p for p in en.iter_attachments()
                                           if p.get_filename().endswith(".pptx")).get_content()))
    en_texts = " ".join(sh.text_frame.text for s in en_deck.slides for sh in s.shapes if sh.has_text_frame)
    assert "Central Finland" in en_texts and "All counties" not in en_texts
    assert f"{PUBLIC}/board_pack" in body(fi, "plain") and f'href="{PUBLIC}/board_pack?lang=en"' in body(en, "html")
    # nothing twice for one data version, also in a second run
    assert subs.run(wh, cfg=config(smtp.port)).sent == [] and smtp.take() == []
    events = audit.events(wh, actions=("mail_sent",))
    assert {"eeva", "erik"} <= set(events.user_name)
    for user in ("eeva", "erik", "ville", "nomail"):
        store.unsubscribe(wh, user, "pack", "Kuukausiraportti")


def test_a_pack_with_the_child_budget_and_notes_arrives_whole(wh, smtp):
    """Every kind the board pack offers reaches the e-mailed pack: a forecast and the child budget (they were
    dropped when a selection was saved), and the analysts' notes in the speaker notes as on the page."""
    from data_sources import annotations as notes
    exports.save_selection(wh, "Lapset", [{"kpi": KPI, "kind": "forecast"},
                                          {"kpi": "child_budget", "kind": "child_budget"}], "eeva")
    notes.add(wh, notes.Note(KPI, dt.date(2026, 3, 1), dt.date(2026, 3, 1), None, None,
                             "uusi puhelinjärjestelmä 3/2026"), "testi")
    store.subscribe(wh, "eeva", "pack", "Lapset", "version", "fi", _version(wh))
    bump_version(wh, "test: child budget pack")
    subs.run(wh, cfg=config(smtp.port))
    mails = [m for m in smtp.take() if "Lapset" in m["Subject"]]
    assert len(mails) == 1
    pptx = next(p for p in mails[0].iter_attachments() if p.get_filename().endswith(".pptx"))
    deck = Presentation(io.BytesIO(pptx.get_content()))
    assert len(deck.slides) == 3                               # title + forecast + child budget
    texts = " ".join(sh.text_frame.text for s in deck.slides for sh in s.shapes if sh.has_text_frame)
    assert "Lapsibudjetointi" in texts or "lapsiin" in texts.lower()
    speaker = " ".join(s.notes_slide.notes_text_frame.text for s in deck.slides if s.has_notes_slide)
    assert "uusi puhelinjärjestelmä 3/2026" in speaker
    store.unsubscribe(wh, "eeva", "pack", "Lapset")


def test_two_runs_at_once_send_once_and_a_disabled_subscriber_gets_nothing(wh, smtp):
    store.subscribe(wh, "eeva", "pack", "Kuukausiraportti", "version", "fi", _version(wh))
    v = bump_version(wh, "test: overlapping runs")
    results, barrier = [], threading.Barrier(2)

    def go():
        barrier.wait()
        results.append(subs.run(wh, cfg=config(smtp.port)))
    threads = [threading.Thread(target=go) for _ in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sorted(len(r.sent) for r in results) == [0, 1] and len(smtp.take()) == 1
    assert [r.skipped for r in results if not r.sent] in ([[f"pack:Kuukausiraportti:eeva:v{v}"]], [[]])
    user_store.update(wh, "eeva", disabled=True)
    try:
        bump_version(wh, "test: disabled")
        assert subs.run(wh, cfg=config(smtp.port)).sent == [] and not smtp.take()
    finally:
        user_store.update(wh, "eeva", disabled=False)
        store.unsubscribe(wh, "eeva", "pack", "Kuukausiraportti")


def test_monthly_pack_on_the_first_workday_once_a_month(wh, smtp):
    store.subscribe(wh, "eeva", "pack", "Kuukausiraportti", "monthly", "fi", _version(wh))
    with wh.begin() as conn:      # subscribed in November 2026
        conn.execute(schema.subscription.update().values(created_at=dt.datetime(2026, 11, 20)))
    assert subs.run(wh, now=dt.datetime(2027, 1, 1, 7), cfg=config(smtp.port)).sent == []     # New Year's Day
    assert subs.run(wh, now=dt.datetime(2027, 1, 3, 7), cfg=config(smtp.port)).sent == []     # Sunday
    res = subs.run(wh, now=dt.datetime(2027, 1, 4, 7), cfg=config(smtp.port))
    assert res.sent == ["pack:Kuukausiraportti:eeva:m2027-01"] and len(smtp.take()) == 1
    assert subs.run(wh, now=dt.datetime(2027, 1, 5, 7), cfg=config(smtp.port)).sent == [] and not smtp.take()
    assert subs.run(wh, now=dt.datetime(2027, 2, 1, 7), cfg=config(smtp.port)).sent == [
        "pack:Kuukausiraportti:eeva:m2027-02"]
    assert len(smtp.take()) == 1
    store.unsubscribe(wh, "eeva", "pack", "Kuukausiraportti")


def test_a_failing_server_is_retried_logged_and_sent_later(wh, smtp, caplog):
    store.subscribe(wh, "eeva", "pack", "Kuukausiraportti", "version", "fi", _version(wh))
    v = bump_version(wh, "test: retry")
    waits = []
    # 1) nothing listens: connection refused, three attempts with a doubling backoff
    dead = free_port()
    with caplog.at_level(logging.WARNING, logger="dashboard"):
        res = subs.run(wh, cfg=config(dead), sleep=waits.append)
    assert res.failed == [f"pack:Kuukausiraportti:eeva:v{v}"] and waits == [0.5, 1.0]
    assert sum("ConnectionRefusedError" in r.getMessage() for r in caplog.records if r.levelname == "WARNING") == 3
    assert any(r.levelname == "ERROR" and "giving up" in r.getMessage() for r in caplog.records)
    d = store.delivery(wh, "eeva", "pack", "Kuukausiraportti", f"v{v}")
    assert (d.status, d.attempts) == ("failed", 3) and "ConnectionRefused" in d.last_error
    assert "mail_failed" in set(audit.events(wh, user="eeva").action)
    # 2) a server that accepts and closes at once
    closing = socket.socket()
    closing.bind(("127.0.0.1", 0))
    closing.listen()
    stop = threading.Event()

    def slam():
        closing.settimeout(0.2)
        while not stop.is_set():
            try:
                c, _ = closing.accept()
                c.close()
            except OSError:
                pass
    th = threading.Thread(target=slam, daemon=True)
    th.start()
    try:
        res = subs.run(wh, cfg=config(closing.getsockname()[1], attempts=2), sleep=waits.append)
    finally:
        stop.set()
        th.join()
        closing.close()
    assert res.failed and "SMTPServerDisconnected" in store.delivery(wh, "eeva", "pack", "Kuukausiraportti",
                                                                     f"v{v}").last_error
    # 3) a server that refuses the message once, then takes it: one retry within the run, one e-mail
    smtp.refuse = 1
    res = subs.run(wh, cfg=config(smtp.port), sleep=waits.append)
    assert res.sent == [f"pack:Kuukausiraportti:eeva:v{v}"] and len(smtp.take()) == 1
    d = store.delivery(wh, "eeva", "pack", "Kuukausiraportti", f"v{v}")
    assert d.status == "sent" and d.attempts == 3 + 2 + 2
    assert subs.run(wh, cfg=config(smtp.port)).sent == [] and not smtp.take()
    store.unsubscribe(wh, "eeva", "pack", "Kuukausiraportti")


# --- alerts after uploads --------------------------------------------------------------------------------------

def care_upload(engine, share: float, munis, name: str):
    """An analyst's care-guarantee extract for 10–12/2025, primary care: `share` of visits within 7 days."""
    lines = [";".join(CG_HEADERS_EN)]
    for month in (dt.date(2025, 10, 1), dt.date(2025, 11, 1), dt.date(2025, 12, 1)):
        for i, m in enumerate(munis):
            total = 300 + 17 * i
            w7 = int(total * share)
            lines.append(";".join(map(str, [month.isoformat(), m, "primary_care", total, w7,
                                             max(w7, int(total * 0.93)), int(total * 0.98)])))
    v = uploads.check_file(engine, ("\n".join(lines) + "\n").encode(), name, "care_guarantee")
    assert v.ok, [(i.code, i.row, i.value) for i in v.issues][:5]
    uploads.ingest(engine, v, "analyytikko")


def test_an_upload_that_turns_a_kpi_red_alerts_once_and_only_in_scope(warehouse_copy, smtp):
    engine = warehouse_copy("alerts")
    migrations.upgrade(engine)
    add_user(engine, "sanna", "viewer", "sanna@example.fi", county="KS", display="Sanna Scoped")
    add_user(engine, "heikki", "viewer", "heikki@example.fi", county="KH")
    add_user(engine, "aila", "analyst", "aila@example.fi", display="Aila <script>")
    v = _version(engine)
    store.subscribe(engine, "sanna", "alert", KPI, "version", "en", v)
    store.subscribe(engine, "sanna", "alert", "t3_primary", "version", "en", v)
    store.subscribe(engine, "heikki", "alert", KPI, "version", "fi", v)
    store.subscribe(engine, "aila", "alert", KPI, "version", "fi", v, region="KS")
    cfg = config(smtp.port)
    first = subs.run(engine, cfg=cfg)                       # the first look records, sends nothing
    assert first.sent == [] and first.recorded == 4 and not smtp.take()
    assert subs.run(engine, cfg=cfg).recorded == 0          # nothing new: not even computed again
    ks = [m for m in municipality_codes() if m in set(
        pd_munis(engine).query("county_code == 'KS'").municipality_code)]
    care_upload(engine, 0.93, ks, "hoitotakuu_hyva.csv")     # KS: 12/2025 target met (was missed)
    res = subs.run(engine, cfg=cfg)
    got = {m["To"].addresses[0].addr_spec: m for m in smtp.take()}
    assert set(got) == {"sanna@example.fi", "aila@example.fi"}, res.summary()
    assert subs.run(engine, cfg=cfg).sent == [] and not smtp.take()
    care_upload(engine, 0.5, ks, "hoitotakuu_huono.csv")     # now it turns red
    res = subs.run(engine, cfg=cfg)
    mails = smtp.take()
    assert sorted(m["To"].addresses[0].addr_spec for m in mails) == ["aila@example.fi", "sanna@example.fi"]
    en = next(m for m in mails if m["To"].addresses[0].addr_spec == "sanna@example.fi")
    fi = next(m for m in mails if m["To"].addresses[0].addr_spec == "aila@example.fi")
    assert en["Subject"] == "Indicator alert: Non-urgent care within 7 days – now red"
    text = body(en, "plain")
    assert "● green: met → ■ red: not met" in text and "Central Finland" in text
    assert f"{PUBLIC}/kpi_detail?kpi={KPI}&county=KS&lang=en" in text
    assert "t3_primary" not in text                          # unchanged KPIs are not mentioned
    fi_text = body(fi, "plain")
    assert fi["Subject"] == "Mittarihälytys: Kiireetön hoito 7 vuorokaudessa – nyt punainen"
    assert "● vihreä: saavutettu → ■ punainen: ei saavutettu" in fi_text
    assert "Arvioitu arvo: 92,9\u00a0% → 49,9\u00a0% (\u221243,0\u00a0%-yks.)" in fi_text
    assert f"{PUBLIC}/kpi_detail?kpi={KPI}&county=KS\n" in fi_text
    assert "<script>" not in body(fi, "html") and "&lt;script&gt;" in body(fi, "html")
    # exactly one alert: a later run and a second server's run send nothing more
    assert subs.run(engine, cfg=cfg).sent == [] and not smtp.take()
    assert sorted(audit.events(engine, actions=("mail_sent",)).user_name) == ["aila", "aila", "sanna", "sanna"]
    # the KH subscriber was looked at for every version and told nothing: their figures did not change
    version, told = store.baselines(engine, "heikki")[KPI]
    assert version == _version(engine) and told["light"] == "red"
    assert "heikki" not in set(audit.events(engine, actions=("mail_sent", "mail_failed")).user_name)


def pd_munis(engine):
    from data_sources import catalog
    return catalog.municipalities(engine)


# --- the command line ------------------------------------------------------------------------------------------

def test_command_line_list_dry_run_and_run(warehouse_copy, smtp, command_line):
    engine = warehouse_copy("cli")
    migrations.upgrade(engine)
    add_user(engine, "eeva", "executive", "eeva@example.fi")
    exports.save_selection(engine, "Kortit", [{"kpi": KPI, "kind": "card"}], "eeva")
    store.subscribe(engine, "eeva", "pack", "Kortit", "version", "fi", _version(engine))
    v = bump_version(engine, "test: cli")
    url = str(engine.url)
    engine.dispose()
    env = {**os.environ, "DASHBOARD_SMTP_HOST": "127.0.0.1", "DASHBOARD_SMTP_PORT": str(smtp.port),
           "DASHBOARD_SMTP_TLS": "none", "DASHBOARD_SMTP_SENDER": "tyopoyta@example.fi",
           "DASHBOARD_PUBLIC_URL": PUBLIC, "PYTHONPATH": str(ROOT)}

    def cli(*args, env=env, timeout=300):
        return command_line.run("app.subscriptions", "--url", url, *args, cwd=ROOT, env=env, timeout=timeout)
    listed = cli("list")
    assert listed.returncode == 0 and "eeva\tpack\tKortit\tversion" in listed.stdout and "never sent" in listed.stdout
    dry = cli("run", "--dry-run")
    assert dry.returncode == 0 and f"would send pack:Kortit:eeva:v{v}" in dry.stdout and not smtp.take()
    done = cli("run")
    assert done.returncode == 0, done.stderr
    assert f"sent pack:Kortit:eeva:v{v}" in done.stdout and len(smtp.take()) == 1
    again = cli("run")
    assert again.returncode == 0 and "sent 0" in again.stdout and not smtp.take()
    assert f"v{v} sent" in cli("list").stdout
    no_host = cli("run", env={**env, "DASHBOARD_SMTP_HOST": ""}, timeout=120)
    assert no_host.returncode == 2 and "DASHBOARD_SMTP_HOST" in no_host.stderr
    bad_tls = cli("run", env={**env, "DASHBOARD_SMTP_TLS": "maybe"}, timeout=120)
    assert bad_tls.returncode == 2 and "DASHBOARD_SMTP_TLS" in bad_tls.stderr


def test_user_email_on_the_command_line(warehouse_copy, command_line):
    engine = warehouse_copy("cli_email")
    add_user(engine, "kaisa", "viewer", None)
    url = str(engine.url)
    engine.dispose()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    def cli(*args):
        return command_line.run("app.users", "--url", url, *args, cwd=ROOT, env=env, timeout=120)
    ok = cli("email", "kaisa", "kaisa@example.fi")
    assert ok.returncode == 0 and "kaisa@example.fi" in ok.stdout
    bad = cli("email", "kaisa", "not an address")
    assert bad.returncode == 2 and "email" in bad.stderr
    listed = cli("list")
    assert "kaisa@example.fi" in listed.stdout


def test_password_comes_from_the_environment_or_secrets_only(tmp_path, monkeypatch):
    monkeypatch.delenv("DASHBOARD_SMTP_PASSWORD", raising=False)
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[smtp]\npassword = "from-secrets"\n')
    assert subs.smtp_password(secrets) == "from-secrets"
    monkeypatch.setenv("DASHBOARD_SMTP_PASSWORD", "from-env")
    assert subs.smtp_password(secrets) == "from-env"
    assert "from-env" not in repr(subs.smtp_config())
    from data_sources.settings import SETTINGS
    assert "SMTP_PASSWORD" not in {s.name for s in SETTINGS}
    ignored = (ROOT / ".gitignore").read_text()
    assert "secrets.toml" in ignored


# --- TLS and login ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1 (the 'internal CA' of the test)."""
    d = tmp_path_factory.mktemp("tls")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(d / "key.pem"),
                    "-out", str(d / "cert.pem"), "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
    import ssl
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(d / "cert.pem", d / "key.pem")
    return str(d / "cert.pem"), context


def _message(cfg):
    from ui import mail
    return subs.message(cfg, "Testi", "testi@example.fi", mail.Mail("Aihe", "teksti\n", "<p>teksti</p>"))


def test_starttls_with_login_and_ssl_check_the_certificate(certificate, monkeypatch):
    from aiosmtpd.smtp import AuthResult
    cafile, server_context = certificate
    logins = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == b"oikea-salasana")
    inbox, port = Inbox(), free_port()
    server = Controller(inbox, hostname="127.0.0.1", port=port, tls_context=server_context, require_starttls=True,
                        authenticator=authenticator, auth_required=True)
    server.start()
    try:
        monkeypatch.setenv("DASHBOARD_SMTP_PASSWORD", "oikea-salasana")
        for name, value in (("SMTP_HOST", "127.0.0.1"), ("SMTP_PORT", str(port)), ("SMTP_TLS", "starttls"),
                            ("SMTP_SENDER", "tyopoyta@example.fi"), ("SMTP_USER", "tyopoyta"),
                            ("SMTP_CA_FILE", cafile), ("SMTP_ATTEMPTS", "1"), ("SMTP_TIMEOUT_SECONDS", "10")):
            monkeypatch.setenv(f"DASHBOARD_{name}", value)
        cfg = subs.smtp_config()
        assert subs.send(cfg, _message(cfg))[0] and len(inbox.take()) == 1
        assert logins == [(b"tyopoyta", b"oikea-salasana")]
        import dataclasses
        ok, _, error = subs.send(dataclasses.replace(cfg, cafile=""), _message(cfg))     # an unknown CA
        assert not ok and "CERTIFICATE_VERIFY_FAILED" in error
        ok, _, error = subs.send(dataclasses.replace(cfg, password="väärä"), _message(cfg))   # a failure, no crash
        assert not ok and "UnicodeEncodeError" in error
        ok, _, error = subs.send(dataclasses.replace(cfg, tls="none"), _message(cfg))      # no TLS: refused
        assert not ok and not inbox.messages
    finally:
        server.stop()
    port = free_port()
    server = Controller(inbox, hostname="127.0.0.1", port=port, ssl_context=server_context)
    server.start()
    try:
        cfg = subs.SmtpConfig("127.0.0.1", port, "ssl", "tyopoyta@example.fi", cafile=cafile, attempts=1)
        assert subs.send(cfg, _message(cfg))[0] and len(inbox.take()) == 1
    finally:
        server.stop()
